package admin

import (
	"slices"
	"testing"
)

// TestMailedLinks: the links whose trailing punctuation is trimmed are
// read from the routes, so that a mailed link added later is too; they
// are the public pages of a token alone, not a member's other pages, her
// calendar feed or the bureau's.
func TestMailedLinks(t *testing.T) {
	got := mailedLinks([]Route{
		{Pattern: "GET /m/{token}", Public: true},
		{Pattern: "POST /m/{token}", Public: true},
		{Pattern: "GET /m/{token}/book", Public: true},
		{Pattern: "GET /c/{token}/agenda.ics", Public: true},
		{Pattern: "GET /e/confirm/{token}", Public: true},
		{Pattern: "GET /members/{token}"},
	})
	if want := []string{"/m/", "/e/confirm/"}; !slices.Equal(got, want) {
		t.Errorf("mailed links %q, want %q", got, want)
	}
}
