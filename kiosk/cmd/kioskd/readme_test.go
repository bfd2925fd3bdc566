package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestReadmeConfigReference checks the README's configuration reference
// for the kiosk against kioskd run's flags: each flag (all of them can be
// set in kioskd.env as KIOSKD_<FLAG>) has its row in the table.
func TestReadmeConfigReference(t *testing.T) {
	var usage bytes.Buffer
	if _, err := parseRun([]string{"-h"}, &usage); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("kioskd run -h: %v, want the usage", err)
	}
	flags := regexp.MustCompile(`(?m)^  -([a-z-]+)`).FindAllStringSubmatch(usage.String(), -1)
	if len(flags) < 10 {
		t.Fatalf("kioskd run -h listed %d flags:\n%s", len(flags), usage.String())
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	from := strings.Index(text, "### Kiosk (`kioskd run`)")
	to := strings.Index(text, "### Central (`centrald serve`)")
	if from < 0 || to < from {
		t.Fatal("README.md: no section «Kiosk (`kioskd run`)» before «Central (`centrald serve`)»")
	}
	var rows []string
	for _, l := range strings.Split(text[from:to], "\n") {
		if cells := strings.Split(l, "|"); len(cells) > 2 {
			rows = append(rows, cells[1])
		}
	}
	for _, f := range flags {
		if !slices.ContainsFunc(rows, func(first string) bool { return strings.Contains(first, "`--"+f[1]+"`") }) {
			t.Errorf("README.md, configuration reference: no row for kioskd run --%s", f[1])
		}
	}
}
