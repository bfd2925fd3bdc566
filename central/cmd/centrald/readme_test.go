package main

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestReadmeConfigReference checks the README's configuration reference
// for central against the code: every setting key centrald knows (the
// domain's and those its adapters add when it starts) and every
// environment variable it reads has a row, in one table each. A key
// added without its row, or a paragraph dropped in the middle of a table
// (which ends it: the rows after it no longer show as a table), fails.
func TestReadmeConfigReference(t *testing.T) {
	section := readmeSection(t, "### Central (`centrald serve`)", "## Security")
	rows := tableRows(t, section)
	for _, s := range central.SettingDefs() {
		if !slices.ContainsFunc(rows, func(r string) bool { return rowNames(r, s.Key) }) {
			t.Errorf("README.md, configuration reference: no row for the setting %s", s.Key)
		}
	}
	for _, v := range envVariables(t) {
		if !slices.ContainsFunc(rows, func(r string) bool { return rowNames(r, v) }) {
			t.Errorf("README.md, configuration reference: no row for the environment variable %s", v)
		}
	}
}

// readmeSection returns the lines of the repository's README.md from the
// heading start to the next heading end.
func readmeSection(t *testing.T, start, end string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	from := slices.Index(lines, start)
	if from < 0 {
		t.Fatalf("README.md: no heading %q", start)
	}
	to := slices.Index(lines[from:], end)
	if to < 0 {
		t.Fatalf("README.md: no heading %q after %q", end, start)
	}
	return lines[from : from+to]
}

// tableRows returns the rows of the tables in lines, failing when a
// table's rows are interrupted by anything but a blank line followed by
// a new table's header.
func tableRows(t *testing.T, lines []string) []string {
	t.Helper()
	var rows []string
	for i, l := range lines {
		if !strings.HasPrefix(l, "|") {
			continue
		}
		rows = append(rows, l)
		header := i+1 < len(lines) && strings.HasPrefix(lines[i+1], "|---")
		if !header && !strings.HasPrefix(l, "|---") && (i == 0 || !strings.HasPrefix(lines[i-1], "|")) {
			t.Errorf("README.md: a table row without a header above it (a paragraph cut the table?): %s", l)
		}
	}
	return rows
}

// rowNames reports whether the table row names name in its first cell.
func rowNames(row, name string) bool {
	cells := strings.Split(row, "|")
	return len(cells) > 2 && strings.Contains(cells[1], "`"+name+"`")
}

// envVariables returns the environment variables centrald's code reads:
// the CENTRALD_* and BADGEUSE_* names in its non-test sources.
func envVariables(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`"((?:CENTRALD|BADGEUSE)_[A-Z_]+)"`)
	var vars []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range name.FindAllStringSubmatch(string(b), -1) {
			if !slices.Contains(vars, m[1]) {
				vars = append(vars, m[1])
			}
		}
	}
	if len(vars) == 0 {
		t.Fatal("no environment variable found in centrald's sources")
	}
	return vars
}

// TestReadmeCommandLines checks the centrald commands the README's
// install and operation sections give (from « Install the door kiosk on a
// Raspberry Pi » to the configuration reference; code blocks and inline
// code) against the real command line. Each centrald named must be a
// command that exists (or the first words of some: "centrald settings").
// A line to type as written, with sudo, must also use only flags that
// command defines: it runs with -h added at its end, which stops it once
// its flags are parsed, and with its --data moved to an empty folder.
func TestReadmeCommandLines(t *testing.T) {
	t.Setenv("CENTRALD_ENV_FILE", filepath.Join(t.TempDir(), "none.env")) // doctor reads it first
	section := readmeSection(t, "## Install the door kiosk on a Raspberry Pi", "## Configuration reference")
	var lines []string
	inBlock := false
	for _, l := range section {
		if strings.HasPrefix(strings.TrimSpace(l), "```") { // a block in a list is indented
			inBlock = !inBlock
			continue
		}
		if inBlock {
			lines = append(lines, l)
			continue
		}
		for i, span := range strings.Split(l, "`") {
			if i%2 == 1 {
				lines = append(lines, span)
			}
		}
	}
	named, typed := 0, 0
	for _, l := range lines {
		l, _, _ = strings.Cut(l, " #")
		for _, part := range regexp.MustCompile(`&&|;|\|`).Split(l, -1) {
			words := shellWords(part)
			sudo := false
			for len(words) > 0 && (words[0] == "sudo" || strings.Contains(words[0], "=")) {
				sudo = sudo || words[0] == "sudo"
				words = words[1:]
				if len(words) > 1 && words[0] == "-u" {
					words = words[2:]
				}
			}
			if len(words) < 2 || words[0] != "centrald" || strings.HasPrefix(words[1], "-") {
				continue
			}
			part = strings.TrimSpace(part)
			named++
			var name []string
			for _, w := range words[1:] {
				if strings.HasPrefix(w, "-") {
					break
				}
				name = append(name, w)
			}
			if !slices.ContainsFunc(commands, func(c command) bool {
				cw := strings.Fields(c.name)
				n := min(len(cw), len(name))
				return slices.Equal(cw[:n], name[:n])
			}) {
				t.Errorf("README.md: %q: no such centrald command (centrald help lists them)", part)
				continue
			}
			if !sudo {
				continue
			}
			typed++
			t.Logf("typed: %s", part)
			args := slices.Clone(words[1:])
			if i := slices.Index(args, "--data"); i >= 0 && i+1 < len(args) {
				args[i+1] = t.TempDir()
			}
			var stderr strings.Builder
			if err := run(t.Context(), append(args, "-h"), strings.NewReader(""), io.Discard, &stderr); err != nil {
				t.Errorf("README.md: %q: %v", part, err)
			}
		}
	}
	if named < 20 || typed < 4 {
		t.Fatalf("README.md: only %d centrald commands named, %d to type with sudo, in the install sections", named, typed)
	}
}

// shellWords splits a command line into words as sh would, for the simple
// quoting the README uses ('…' and "…").
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	in, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}
