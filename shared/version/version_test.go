package version

import (
	"strings"
	"testing"
)

func TestParseAndOlder(t *testing.T) {
	for _, tc := range []struct {
		s     string
		ok    bool
		older bool // than 0.2.0
	}{
		{"0.1.0", true, true},
		{"v0.1.9", true, true},
		{"0.2.0", true, false},
		{"0.2.0-rc.1", true, true},
		{"0.2.0+3.gabcdef", true, false},
		{"0.1.5+12.g0123456789ab.dirty", true, true},
		{"1.0.0", true, false},
		{"0.10.0", true, false},
		{"0.0.0-dev+0123456789ab", true, false}, // a dev build is never called old
		{"0.0.0-dev.20261204211119+0123456789ab.dirty", true, false},
		{"dev", false, false},
		{"", false, false},
		{"1.2", false, false},
		{"01.2.3", false, false},
		{"1.2.x", false, false},
	} {
		_, ok := Parse(tc.s)
		if ok != tc.ok {
			t.Errorf("Parse(%q) ok = %v, want %v", tc.s, ok, tc.ok)
		}
		if got := Older(tc.s, "0.2.0"); got != tc.older {
			t.Errorf("Older(%q, 0.2.0) = %v, want %v", tc.s, got, tc.older)
		}
	}
}

func TestString(t *testing.T) {
	if got := String("1.2.3"); got != "1.2.3" {
		t.Errorf("String(stamped) = %q", got)
	}
	if got := String(""); !strings.HasPrefix(got, Dev) {
		t.Errorf("String(\"\") = %q, want %s…", got, Dev)
	}
	if v, ok := Parse(String("")); !ok || !v.IsDev() {
		t.Errorf("the unstamped version %q does not parse as a dev build", String(""))
	}
}

// TestDevVersion: an unstamped build says what deploy/version.sh says
// without a tag (deploy/package/test-version.sh checks that one), and dev
// builds of later commits come after earlier ones.
func TestDevVersion(t *testing.T) {
	rev := "57e32954b62c0123456789abcdef0123456789ab"
	for _, tc := range []struct{ rev, when, dirty, want string }{
		{rev, "2026-12-04T21:11:19Z", "", "0.0.0-dev.20261204211119+57e32954b62c"},
		{rev, "2026-12-04T22:11:19+01:00", ".dirty", "0.0.0-dev.20261204211119+57e32954b62c.dirty"},
		{rev, "", "", "0.0.0-dev+57e32954b62c"},
		{"", "2026-12-04T21:11:19Z", "", Dev},
	} {
		if got := devVersion(tc.rev, tc.when, tc.dirty); got != tc.want {
			t.Errorf("devVersion(%q, %q, %q) = %q, want %q", tc.rev, tc.when, tc.dirty, got, tc.want)
		}
	}
	a, _ := Parse(devVersion(rev, "2026-12-04T21:11:19Z", ""))
	b, _ := Parse(devVersion(rev, "2026-12-05T09:00:00Z", ""))
	if !a.Less(b) || b.Less(a) || !a.IsDev() {
		t.Errorf("dev builds out of order: %+v, %+v", a, b)
	}
}
