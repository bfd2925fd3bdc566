package admin

import (
	"net/http"

	"github.com/badgeuse/badgeuse/central"
)

// A bureau user's own account (GET /account): every role changes her own
// password there, with her current one (POST /account/password). Only the
// admins' Settings page changed one, and the forgotten-password link needs
// e-mail: a volunteer kept the password the admin chose for her.

type accountData struct {
	// CurrentError and PasswordError say what is wrong with the form's
	// fields ("" when nothing is).
	CurrentError, PasswordError string
}

// account shows her account: who she is, and the form changing her
// password (GET /account).
func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	s.renderStatus(w, r, http.StatusOK, "account", s.newPage(r, "account.title", accountData{}))
}

// accountPassword changes her own password when the current one is right
// (POST /account/password): her other sessions end (UpdateAdminUser),
// this one is renewed; 303 to her account. A wrong current password or a
// new one of the wrong length shows the form again (400).
func (s *Server) accountPassword(w http.ResponseWriter, r *http.Request) {
	me := requestUser(r)
	lang := requestLang(r)
	current, pw := r.PostFormValue("current"), r.PostFormValue("password")
	// The current password is checked as a login's: bounded (argon2id's
	// work), and its failures count in the login throttle (a session left
	// open does not give endless guesses).
	ctx := r.Context()
	release, ok := s.loginSlot(ctx)
	if !ok {
		w.Header().Set("Retry-After", "5")
		s.fail(w, r, http.StatusServiceUnavailable, "error.busy")
		return
	}
	defer release()
	keys := loginKeys(me.Email, s.clientIP(r))
	until, err := s.reserveLogin(ctx, keys)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	status, d := http.StatusBadRequest, accountData{}
	switch {
	case !until.IsZero():
		w.Header().Set("Retry-After", retryAfter(until.Sub(s.now())))
		status, d.CurrentError = http.StatusTooManyRequests, translate(lang, "login.throttled", s.newPage(r, "", nil).Clock(until))
	case !s.checkPassword(me, current):
		s.log.Warn("admin: own password not changed, current password wrong", "user", me.ID)
		d.CurrentError = translate(lang, "account.error.current")
	default: // the current password is right: her failures are forgotten
		if err := s.loginSucceeded(ctx, keys); err != nil {
			s.failErr(w, r, err)
			return
		}
		if CheckPassword(pw) != nil {
			d.PasswordError = translate(lang, "reset.password_rules", MinPasswordLength, MaxPasswordLength)
		}
	}
	if d.CurrentError != "" || d.PasswordError != "" {
		s.renderStatus(w, r, status, "account", s.newPage(r, "account.title", d))
		return
	}
	hash, err := HashPassword(pw)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	u, err := s.cfg.Store.UpdateAdminUser(ctx, me.ID, central.AdminUserUpdate{PasswordHash: &hash})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if err := s.newSession(ctx, w, r, u); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.log.Info("admin: own password changed", "user", me.ID)
	redirect(w, r, "/account", "password_changed")
}
