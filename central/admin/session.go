package admin

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

// Session cookies: __Host- prefixed (Secure, Path=/, no Domain) over
// HTTPS; a plain name over HTTP (a test on localhost).
const (
	sessionCookieSecure = "__Host-badgeuse_session"
	sessionCookiePlain  = "badgeuse_session"
	loginCookieSecure   = "__Host-badgeuse_login"
	loginCookiePlain    = "badgeuse_login"
)

// touchEvery limits the writes that keep a session alive.
const touchEvery = time.Minute

// randomToken returns n random bytes in unpadded base64url.
func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// isHTTPS reports whether the browser reached us over HTTPS: TLS here, or
// X-Forwarded-Proto from a trusted reverse proxy.
func (s *Server) isHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return s.cfg.TrustProxy && strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https")
}

// clientIP returns the client's address: the connection's, or the last
// X-Forwarded-For hop from a trusted reverse proxy.
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			hops := strings.Split(xff, ",")
			if ip := strings.TrimSpace(hops[len(hops)-1]); ip != "" {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) sessionCookieName(r *http.Request) string {
	if s.isHTTPS(r) {
		return sessionCookieSecure
	}
	return sessionCookiePlain
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.isHTTPS(r), SameSite: http.SameSiteLaxMode})
}

// newSession logs a user in: a new random session id (never one the
// browser brought: no session fixation), stored hashed, in a cookie.
func (s *Server) newSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u *central.AdminUser) error {
	id, err := randomToken(32)
	if err != nil {
		return err
	}
	csrf, err := randomToken(32)
	if err != nil {
		return err
	}
	now := s.now()
	if err := s.cfg.Store.CreateSession(ctx, &adminstore.Session{Hash: central.HashToken(id), User: u.ID, CSRF: csrf,
		Created: now, Seen: now}); err != nil {
		return err
	}
	s.setCookie(w, r, s.sessionCookieName(r), id, int(s.cfg.AbsoluteTimeout/time.Second))
	return nil
}

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

// requestUser returns the logged-in user of the request, or nil.
func requestUser(r *http.Request) *central.AdminUser {
	u, _ := r.Context().Value(userKey).(*central.AdminUser)
	return u
}

func requestSession(r *http.Request) *adminstore.Session {
	sess, _ := r.Context().Value(sessionKey).(*adminstore.Session)
	return sess
}

// loadSession returns the request's session and user when its cookie
// names a live session of an enabled user; it deletes expired sessions.
func (s *Server) loadSession(r *http.Request) (*adminstore.Session, *central.AdminUser) {
	c, err := r.Cookie(s.sessionCookieName(r))
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return nil, nil
	}
	ctx := r.Context()
	hash := central.HashToken(c.Value)
	sess, u, err := s.cfg.Store.FindSession(ctx, hash)
	if err != nil {
		if central.ErrorCode(err) != central.EUNAUTHORIZED {
			s.log.Error("admin: session lookup failed", "err", err)
		}
		return nil, nil
	}
	now := s.now()
	if u.Disabled || now.Sub(sess.Seen) > s.cfg.IdleTimeout || now.Sub(sess.Created) > s.cfg.AbsoluteTimeout {
		if err := s.cfg.Store.DeleteSession(ctx, hash); err != nil {
			s.log.Error("admin: delete session failed", "err", err)
		}
		return nil, nil
	}
	if now.Sub(sess.Seen) > touchEvery {
		if err := s.cfg.Store.TouchSession(ctx, hash, now); err != nil {
			s.log.Error("admin: touch session failed", "err", err)
		}
	}
	return sess, u
}

// withUser returns r with the session and user in its context, and the
// user as the actor of the changes made with it (audit log).
func withUser(r *http.Request, sess *adminstore.Session, u *central.AdminUser) *http.Request {
	ctx := context.WithValue(r.Context(), userKey, u)
	ctx = context.WithValue(ctx, sessionKey, sess)
	ctx = central.NewContextWithActor(ctx, u.Email)
	return r.WithContext(ctx)
}
