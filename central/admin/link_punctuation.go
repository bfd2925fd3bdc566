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

// mailedLinks are the paths of the links mails carry, each followed by
// its token alone.
var mailedLinks = []string{"/m/", "/link/", "/login/reset/", "/u/", "/join/confirm/", "/e/cancel/", "/e/confirm/", "/claim/"}

// linkTrail is the punctuation that may follow a link in a sentence.
const linkTrail = ".,;:!?)]}>'\"»\u00a0\u202f "

// linkWithoutTrail returns a mailed link's path without the punctuation
// after its token, and whether there was any.
func linkWithoutTrail(path string) (string, bool) {
	for _, at := range mailedLinks {
		token, ok := strings.CutPrefix(path, at)
		if !ok || strings.Contains(token, "/") {
			continue
		}
		trimmed := strings.TrimRight(token, linkTrail)
		return at + trimmed, trimmed != token && trimmed != ""
	}
	return "", false
}

// trimLinkTrail sends a GET of a mailed link followed by punctuation to
// the link (linkWithoutTrail), its query kept.
func trimLinkTrail(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if to, ok := linkWithoutTrail(r.URL.Path); ok {
				u := *r.URL
				u.Scheme, u.Host, u.User, u.Path, u.RawPath = "", "", nil, to, ""
				http.Redirect(w, r, u.String(), http.StatusSeeOther)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
