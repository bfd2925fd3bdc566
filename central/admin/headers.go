package admin

import "net/http"

// contentSecurityPolicy allows only this server's own scripts, styles,
// images (and data: images, for QR codes) and forms; no inline script or
// style, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// hsts keeps browsers on HTTPS for a year once they reached the admin
// over it: without it, a first visit typed without https:// (on a
// coworking's Wi-Fi, say) could be kept on HTTP by someone in between,
// who would read the login, the session and members' links. Sent over
// HTTPS only (browsers ignore it otherwise); no includeSubDomains: the
// association's other sites are none of this server's business.
const hsts = "max-age=31536000"

// securityHeaders sets the security headers of every response; https
// tells whether the browser reached us over HTTPS (Server.isHTTPS).
func securityHeaders(next http.Handler, https func(*http.Request) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if https(r) {
			h.Set("Strict-Transport-Security", hsts)
		}
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// The page a request came from, to this site only: an error
		// page's way back (backTo) needs it; no other site learns a
		// page's address (a member's portal has her link in its path).
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		next.ServeHTTP(w, r)
	})
}
