package deptest_test

import (
	"testing"

	"github.com/badgeuse/badgeuse/shared/deptest"
)

const mod = "github.com/badgeuse/badgeuse"

// TestSharedDeps: shared/ holds what both programs use; it stays standard
// library only (plus golang.org/x/crypto), so that both can always link it.
func TestSharedDeps(t *testing.T) {
	pkgs := deptest.List(t, mod+"/shared/...")
	deptest.Check(t, pkgs, deptest.Rule{
		From: mod + "/shared", Deny: []string{"non-std"},
		Allow: []string{mod + "/shared", "golang.org/x/crypto"},
		Why:   "shared packages may use only the standard library and x/crypto",
	})
}

// TestNoTestingInProduction: only test helper packages (named deptest or
// ending in "test") may import testing or httptest.
func TestNoTestingInProduction(t *testing.T) {
	for _, p := range deptest.List(t, mod+"/...") {
		if isTestHelper(p.ImportPath) {
			continue
		}
		for _, imp := range p.Imports {
			if imp == "testing" || imp == "net/http/httptest" {
				t.Errorf("%s imports %s in non-test code", p.ImportPath, imp)
			}
		}
	}
}

func isTestHelper(path string) bool {
	last := path[len(path)-len("test"):]
	return last == "test"
}

func TestRulesCatchViolations(t *testing.T) {
	ft := &fakeT{}
	deptest.Check(ft, []deptest.Package{{ImportPath: mod + "/central/x", Imports: []string{"gocv.io/x/gocv", "fmt"}}},
		deptest.Rule{From: mod + "/central", Deny: []string{"gocv.io"}, Why: "no cgo"})
	if ft.errors != 1 {
		t.Fatalf("%d violations reported, want 1", ft.errors)
	}
}

type fakeT struct {
	testing.TB
	errors int
}

func (f *fakeT) Helper()                   {}
func (f *fakeT) Errorf(string, ...any)     { f.errors++ }
func (f *fakeT) Fatalf(s string, a ...any) { panic(s) }
