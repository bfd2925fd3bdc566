package main

import (
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
