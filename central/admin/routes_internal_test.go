package admin

import "testing"

// TestSafeNext: a next parameter is a path of this site, nothing a
// browser could read as another site (issue 10, item 3).
func TestSafeNext(t *testing.T) {
	for _, tc := range []struct {
		next string
		ok   bool
	}{
		{"/ok?x=1", true},
		{"/today", true},
		{"/", true},
		{"/members?q=Jos%C3%A9&page=2", true},
		{"/members/1#badges", true},
		{"", false},
		{"today", false},
		{"//x", false},
		{"//evil.example/today", false},
		{"/\\x", false},
		{"/\\/evil.example", false},
		{"/x\\y", false},
		{"/\t/evil.example", false},
		{"/\n/evil.example", false},
		{"/\r/evil.example", false},
		{"/ /evil.example", false},
		{"/\u00a0/evil.example", false},
		{"/\u2028/evil.example", false},
		{"/\x00/evil.example", false},
		{"/\x7f/evil.example", false},
		{"/%09/evil", false},
		{"/%2F%2Fevil.example", false},
		{"/%2f/evil.example", false},
		{"/%5Cevil.example", false},
		{"/%0a/evil", false},
		{"https://x", false},
		{"http:/x", false},
		{"javascript:alert(1)", false},
		{" /today", false},
		{"\t/today", false},
		{"/today\t", false},
		{"/" + string(make([]byte, maxNextLength)), false},
	} {
		if got := safeNext(tc.next); got != tc.ok {
			t.Errorf("safeNext(%q) = %v, want %v", tc.next, got, tc.ok)
		}
	}
}
