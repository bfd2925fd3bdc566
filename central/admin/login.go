package admin

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

type loginData struct {
	Email string
	Next  string
	Token string // anti-forgery token of the login form (double submit)
	// FirstRun: no admin user exists yet; the page says how to make the
	// first one on the server (and says nothing once one exists).
	FirstRun bool
}

func (s *Server) loginCookieName(r *http.Request) string {
	if s.isHTTPS(r) {
		return loginCookieSecure
	}
	return loginCookiePlain
}

// loginPage shows the login form (GET /login). Its anti-forgery token is
// also set in a cookie, which the POST must match.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, u := s.loadSession(r); u != nil {
		http.Redirect(w, r, "/today", http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, "", "")
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, email, errKey string, args ...any) {
	// One token per browser until it logs in: a second tab (or the
	// browser's own requests, a favicon sent to the login page) must not
	// invalidate the form of the first.
	var token string
	if c, err := r.Cookie(s.loginCookieName(r)); err == nil && len(c.Value) == 43 {
		token = c.Value
	} else if token, err = randomToken(32); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.setCookie(w, r, s.loginCookieName(r), token, 3600)
	next := r.FormValue("next")
	if !safeNext(next) {
		next = ""
	}
	users, err := s.cfg.Store.FindAdminUsers(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "login.title", loginData{Email: email, Next: next, Token: token, FirstRun: len(users) == 0})
	p.Bare = true
	if errKey != "" {
		p.Error = translate(p.Lang, errKey, args...)
	}
	s.renderStatus(w, r, status, "login", p)
}

// login checks an e-mail and password (POST /login). Failures slow down
// then lock (throttle.go); the answer never says whether the account
// exists. In order: the anti-forgery token; the e-mail's form (nothing
// is stored, nor a password checked, for an e-mail that cannot be one); a
// free login slot (else 503); the attempt reserved in the throttle (else
// 429); the password.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(s.loginCookieName(r))
	if err != nil || !validToken(formToken(r), c.Value) {
		s.log.Warn("admin: login without a valid anti-forgery token")
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	ctx := r.Context()
	email := strings.TrimSpace(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	if central.ValidateEmail(email) != nil {
		s.log.Warn("admin: login failed, not an e-mail address")
		s.renderLogin(w, r, http.StatusUnauthorized, "", "login.failed")
		return
	}
	release, ok := s.loginSlot(ctx)
	if !ok {
		s.log.Warn("admin: login refused, too many at once")
		w.Header().Set("Retry-After", "5")
		s.renderLogin(w, r, http.StatusServiceUnavailable, email, "login.busy")
		return
	}
	defer release()
	keys := loginKeys(email, s.clientIP(r))
	until, err := s.reserveLogin(ctx, keys)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if !until.IsZero() {
		s.log.Warn("admin: login refused, throttled")
		w.Header().Set("Retry-After", retryAfter(until.Sub(s.now())))
		p := s.newPage(r, "", nil)
		s.renderLogin(w, r, http.StatusTooManyRequests, email, "login.throttled", p.Clock(until))
		return
	}
	u, err := s.cfg.Store.FindAdminUserByEmail(ctx, email)
	if err != nil && central.ErrorCode(err) != central.ENOTFOUND {
		s.failErr(w, r, err)
		return
	}
	if !s.checkPassword(u, password) {
		if u != nil {
			s.log.Warn("admin: login failed", "user", u.ID)
		} else {
			s.log.Warn("admin: login failed for an unknown account")
		}
		s.renderLogin(w, r, http.StatusUnauthorized, email, "login.failed")
		return
	}
	if err := s.loginSucceeded(ctx, keys); err != nil {
		s.failErr(w, r, err)
		return
	}
	// A new session id at every login: a session id planted before the
	// login is never the one that gets the rights.
	if old, err := r.Cookie(s.sessionCookieName(r)); err == nil {
		_ = s.cfg.Store.DeleteSession(ctx, central.HashToken(old.Value))
	}
	if err := s.newSession(ctx, w, r, u); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.setCookie(w, r, s.loginCookieName(r), "", -1)
	s.log.Info("admin: login", "user", u.ID, "role", string(u.Role))
	next := r.PostFormValue("next")
	if !safeNext(next) || strings.HasPrefix(next, "/login") {
		next = "/today"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// loginSlot waits for one of the cap(s.logins) logins that may run at a
// time: each holds a database connection for its throttle and 19 MiB
// during its password check (argon2id), so a flood of logins neither
// exhausts memory nor starves the kiosks' syncs of connections. It gives
// up after loginWait (the server is busy).
func (s *Server) loginSlot(ctx context.Context) (release func(), ok bool) {
	wait, cancel := context.WithTimeout(ctx, loginWait)
	defer cancel()
	select {
	case s.logins <- struct{}{}:
		return func() { <-s.logins }, true
	case <-wait.Done():
		return nil, false
	}
}

// loginWait is how long a login waits for a free slot.
const loginWait = 5 * time.Second

// checkPassword verifies a password for u (nil: an unknown account, a
// dummy hash is verified so that the time is the same).
func (s *Server) checkPassword(u *central.AdminUser, password string) bool {
	if len(password) > MaxPasswordLength {
		_, _ = VerifyPassword(s.dummyPHC, "")
		return false
	}
	if u == nil || u.Disabled {
		_, _ = VerifyPassword(s.dummyPHC, password)
		return false
	}
	ok, err := VerifyPassword(u.PasswordHash, password)
	if err != nil {
		s.log.Error("admin: password hash unreadable", "user", u.ID)
	}
	return ok
}

func retryAfter(d time.Duration) string {
	secs := int(d/time.Second) + 1
	if secs < 1 {
		secs = 1
	}
	return itoa(secs)
}

// logout ends the session (POST /logout).
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if sess := requestSession(r); sess != nil {
		if err := s.cfg.Store.DeleteSession(r.Context(), sess.Hash); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	s.setCookie(w, r, s.sessionCookieName(r), "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
