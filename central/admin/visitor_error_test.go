package admin_test

import (
	"net/http"
	"testing"
)

// TestVisitorErrorsOfferNoMemberLink: someone who registered for a
// public event without being a member, opening her confirmation or
// cancellation link again (used, or too old), or the join page while
// joining is closed, got the error and a single
// button, « Retrouver mon lien »: the members' lost-link form, which
// cannot help her. These pages now say what to do and offer no such
// button.
func TestVisitorErrorsOfferNoMemberLink(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, path := range []string{"/e/confirm/bgi1_used-or-old", "/e/cancel/bge1_used-or-old", "/join"} {
		resp, body := c.get(path)
		mustStatus(t, resp, http.StatusNotFound)
		mustContain(t, body, `role="alert"`)
		mustNotContain(t, body, "Retrouver mon lien", `href="/m"`)
	}
	// A member's page gone still leads to it, and so does a public event
	// gone, which a member may have opened from her agenda.
	_, body := c.get("/m/bgm1_gone")
	mustContain(t, body, "Retrouver mon lien")
	_, body = c.get("/e/987654")
	mustContain(t, body, `href="/m">Retrouver mon lien`)
}
