package admin

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
)

// csrfField is the name of the anti-forgery field of every form.
const csrfField = "csrf"

// Anti-forgery tokens. A POST must carry, in its csrf form field:
//   - logged in: the session's random token (stored with the session);
//   - on /login: the value of a random login cookie (double submit), so
//     that another site cannot log a browser in to an account of its own;
//   - on a member's page (/m/{token}): an HMAC of the link, keyed by a
//     random key of this process.
//
// net/http.CrossOriginProtection (Sec-Fetch-Site, Origin) checks every
// request as well, and SameSite=Lax keeps session cookies off cross-site
// POSTs: three layers.

// validToken compares a submitted token with the expected one in
// constant time; an empty expected token never matches.
func validToken(got, want string) bool {
	return want != "" && len(got) == len(want) && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// formToken returns the anti-forgery field of a POST (form or query are
// not mixed: only the body counts).
func formToken(r *http.Request) string {
	if r.PostForm == nil {
		_ = r.ParseMultipartForm(maxFormBytes)
	}
	return r.PostFormValue(csrfField)
}

// selfToken is the anti-forgery token of a self-service page.
func (s *Server) selfToken(linkHash string) string {
	m := hmac.New(sha256.New, s.selfKey)
	m.Write([]byte("self:" + linkHash))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
