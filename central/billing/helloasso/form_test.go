package helloasso_test

import (
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
)

// TestParseEventForm: the address of an event's HelloAsso form gives its
// slug (lower-case, as orders name it) and stays the address people are
// sent to; anything but an https address on HelloAsso (or its sandbox)
// is refused with the message the admin translates.
func TestParseEventForm(t *testing.T) {
	for in, slug := range map[string]string{
		"https://www.helloasso.com/associations/mon-coworking/evenements/atelier-compta":     "atelier-compta",
		" https://www.helloasso.com/associations/x/evenements/Atelier-Compta/ ":              "atelier-compta",
		"https://www.helloasso-sandbox.com/associations/x/evenements/apero?utm=1":            "apero",
		"https://HelloAsso.com/associations/x/evenements/soiree-2026":                        "soiree-2026",
		"https://www.helloasso.com/associations/mon-coworking/evenements/atelier-compta#top": "atelier-compta",
		"https://helloasso-sandbox.com/associations/x/evenements/brunch":                     "brunch",
	} {
		f, err := helloasso.ParseEventForm(in)
		if err != nil || f.Source != central.SourceHelloAsso || f.Form != slug || f.URL != strings.TrimSpace(in) {
			t.Errorf("%q: %+v %v, want the form %q", in, f, err, slug)
		}
	}
	for _, in := range []string{"", "atelier-compta", "http://www.helloasso.com/associations/x/evenements/a",
		"https://example.org/atelier", "https://user:pw@www.helloasso.com/associations/x/evenements/a",
		"https://www.helloasso.com", "https://www.helloasso.com/", "https://www.helloasso.com/associations/x/evenements/" + strings.Repeat("a", 201),
		"https://www.helloasso.com/associations/x/evenements/a?" + strings.Repeat("b", 500),
		// Look-alike domains once passed a check of the name's end.
		"https://evilhelloasso.com/associations/x/evenements/a", "https://www.not-helloasso.com/associations/x/evenements/a",
		"https://helloasso.com.evil.example/associations/x/evenements/a"} {
		f, err := helloasso.ParseEventForm(in)
		if central.ErrorCode(err) != central.EINVALID || !strings.Contains(central.ErrorMessage(err), "HelloAsso form") {
			t.Errorf("%q: %+v %v, want EINVALID", in, f, err)
		}
	}
}
