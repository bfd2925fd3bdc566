package admin

import (
	"net/http"
	"strings"
)

// A link in a mail sits in a sentence: « Votre lien : https://…/m/bgm1_….
// ». Some mail programs take the full stop (or a closing bracket, a comma,
// a guillemet) into the link, and copying it by hand often does: the page
// then said the link does not exist, though its letters were all there.
// The tokens are base64url (central.NewToken), which never holds those
// signs, so a mailed link's path ending with them is sent (303) to the
// same path without them; the page then checks the token as always.

// linkTrail is the punctuation that may follow a link in a sentence.
const linkTrail = ".,;:!?)]}>'\"»\u00a0\u202f "

// mailedLinks returns the paths of the links mails carry, each followed
// by its token alone: the public pages "GET /…/{token}" of routes (her
// page, a new link, a password reset, mail choices, confirmations...).
func mailedLinks(routes []Route) []string {
	var out []string
	for _, rt := range routes {
		if at, ok := strings.CutPrefix(rt.Pattern, "GET "); ok && rt.Public && strings.HasSuffix(at, "/{token}") {
			out = append(out, strings.TrimSuffix(at, "{token}"))
		}
	}
	return out
}

// linkWithoutTrail returns a mailed link's path (at, one of mailedLinks)
// without the punctuation after its token, and whether there was any.
func linkWithoutTrail(links []string, path string) (string, bool) {
	for _, at := range links {
		token, ok := strings.CutPrefix(path, at)
		if !ok || strings.Contains(token, "/") {
			continue
		}
		trimmed := strings.TrimRight(token, linkTrail)
		return at + trimmed, trimmed != token && trimmed != ""
	}
	return "", false
}

// trimLinkTrail sends a GET of a mailed link of routes followed by
// punctuation to the link (linkWithoutTrail), its query kept.
func trimLinkTrail(routes []Route, next http.Handler) http.Handler {
	links := mailedLinks(routes)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if to, ok := linkWithoutTrail(links, r.URL.Path); ok {
				u := *r.URL
				u.Scheme, u.Host, u.User, u.Path, u.RawPath = "", "", nil, to, ""
				http.Redirect(w, r, u.String(), http.StatusSeeOther)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
