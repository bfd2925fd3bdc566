// Package deptest checks, in tests, which packages may import which: the
// layering that keeps the kiosk free of central's code, central free of
// cgo (gocv, periph, gozxing), the domain packages free of adapters, and
// adapters from importing one another. It runs `go list`.
package deptest

import (
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// Package is what `go list -json` says of a package, as far as we need.
type Package struct {
	ImportPath string
	Imports    []string
	Deps       []string
	Standard   bool
}

// List returns the packages matching patterns (relative to the module).
func List(t testing.TB, patterns ...string) []Package {
	t.Helper()
	args := append([]string{"list", "-e", "-json=ImportPath,Imports,Deps,Standard"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Env = append(cmd.Environ(), "CGO_ENABLED=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v", patterns, err)
	}
	var pkgs []Package
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p Package
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		t.Fatalf("go list %v: no packages", patterns)
	}
	return pkgs
}

// IsStd reports whether path is in the standard library (no dot in its
// first element).
func IsStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// Rule forbids, for packages under From, imports under any of Deny (by
// path prefix; "non-std" denies everything outside the standard library),
// unless under one of Allow; Transitive checks every dependency rather than
// direct imports.
type Rule struct {
	From       string
	Exact      bool // From names one package, not a tree
	Deny       []string
	Allow      []string
	Transitive bool
	Why        string
}

// Check applies the rules to pkgs and reports each violation.
func Check(t testing.TB, pkgs []Package, rules ...Rule) {
	t.Helper()
	for _, p := range pkgs {
		for _, r := range rules {
			if !under(p.ImportPath, r.From) || (r.Exact && p.ImportPath != r.From) {
				continue
			}
			deps := p.Imports
			if r.Transitive {
				deps = p.Deps
			}
			for _, d := range deps {
				if bad(d, r) {
					t.Errorf("%s imports %s: %s", p.ImportPath, d, r.Why)
				}
			}
		}
	}
}

func bad(dep string, r Rule) bool {
	for _, a := range r.Allow {
		if under(dep, a) {
			return false
		}
	}
	for _, d := range r.Deny {
		if d == "non-std" && !IsStd(dep) {
			return true
		}
		if under(dep, d) {
			return true
		}
	}
	return false
}

// under reports whether path is prefix or inside it.
func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// Describe formats a package list for failure messages.
func Describe(pkgs []Package) string {
	var b strings.Builder
	for _, p := range pkgs {
		fmt.Fprintln(&b, p.ImportPath)
	}
	return b.String()
}
