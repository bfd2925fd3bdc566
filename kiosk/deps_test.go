package kiosk_test

import (
	"testing"

	"github.com/badgeuse/badgeuse/shared/deptest"
)

const mod = "github.com/badgeuse/badgeuse"

// TestDeps enforces the kiosk's layering: the domain (package kiosk) knows
// only the standard library and shared/; each adapter wraps its one outside
// thing and never imports another adapter; the sync protocol (shared/wire)
// stops at kiosk/uplink, so the store and the domain speak kiosk types;
// nothing of central, Slack or billing reaches the door.
func TestDeps(t *testing.T) {
	pkgs := deptest.List(t, mod+"/kiosk/...")
	var rules []deptest.Rule
	rules = append(rules,
		deptest.Rule{From: mod + "/kiosk", Transitive: true, Deny: []string{mod + "/central", "github.com/slack-go", "github.com/chromedp"},
			Why: "the kiosk must not link central's code, Slack or browser tooling"},
		deptest.Rule{From: mod + "/kiosk/sqlite", Transitive: true, Deny: []string{mod + "/shared/wire"},
			Why: "the store speaks kiosk types; kiosk/uplink converts to and from the sync protocol (as central/syncapi does)"},
	)
	for _, p := range pkgs {
		switch {
		case p.ImportPath == mod+"/kiosk":
			rules = append(rules, deptest.Rule{From: p.ImportPath, Exact: true, Deny: []string{"non-std"}, Allow: []string{mod + "/shared"},
				Why: "the kiosk domain uses only the standard library and shared/"})
		}
	}
	deptest.Check(t, pkgs, rules...)
	for _, p := range pkgs {
		if !isAdapter(p.ImportPath) {
			continue
		}
		for _, imp := range p.Imports {
			if rest, ok := cutPrefix(imp, mod+"/kiosk/"); ok && imp != p.ImportPath && !isTestHelper(imp) {
				t.Errorf("%s imports %s (%s): kiosk adapters talk through the kiosk domain, not to each other", p.ImportPath, imp, rest)
			}
		}
	}
}

func isTestHelper(path string) bool { return len(path) > 4 && path[len(path)-4:] == "test" }

// isAdapter: kiosk/<x> except cmd/... (which wires adapters) and test
// helper packages (which may build on the adapter they help test).
func isAdapter(path string) bool {
	rest, ok := cutPrefix(path, mod+"/kiosk/")
	if !ok {
		return false
	}
	if len(rest) >= 3 && rest[:3] == "cmd" {
		return false
	}
	return !isTestHelper(path)
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):], true
	}
	return s, false
}
