package admin

import (
	"context"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// throttlePolicy says how failed logins slow down then lock a key: the
// first free failures cost nothing; each later one makes the key wait
// base, 2×base, 4×base... (at most maxWait); from lockAfter failures the
// key is locked for lockFor. Failures are forgotten forgetAfter after the
// last one, and an account's on a successful login.
type throttlePolicy struct {
	free        int
	base        time.Duration
	maxWait     time.Duration
	lockAfter   int
	lockFor     time.Duration
	forgetAfter time.Duration
}

var (
	// accountPolicy: per e-mail typed (known or not, so that it says
	// nothing of which accounts exist).
	accountPolicy = throttlePolicy{free: 3, base: 2 * time.Second, maxWait: 5 * time.Minute, lockAfter: 10,
		lockFor: 15 * time.Minute, forgetAfter: 24 * time.Hour}
	// ipPolicy: per client address, looser (an office shares one address).
	ipPolicy = throttlePolicy{free: 20, base: 2 * time.Second, maxWait: 5 * time.Minute, lockAfter: 50,
		lockFor: 15 * time.Minute, forgetAfter: 24 * time.Hour}
)

func (p throttlePolicy) wait(failures int) time.Duration {
	switch {
	case failures <= p.free:
		return 0
	case failures >= p.lockAfter:
		return p.lockFor
	}
	d := p.base << (failures - p.free - 1)
	if d > p.maxWait || d <= 0 {
		d = p.maxWait
	}
	return d
}

type throttleKey struct {
	key    string
	policy throttlePolicy
}

func loginKeys(email, ip string) []throttleKey {
	return []throttleKey{
		{"user:" + strings.ToLower(strings.TrimSpace(email)), accountPolicy},
		{"ip:" + ip, ipPolicy},
	}
}

// lockedUntil returns until when logins for the keys must wait (zero: now).
func (s *Server) lockedUntil(ctx context.Context, keys []throttleKey) (time.Time, error) {
	var until time.Time
	now := s.now()
	for _, k := range keys {
		t, err := s.cfg.Store.LoginThrottle(ctx, k.key)
		if err != nil {
			return time.Time{}, err
		}
		if t.LockedUntil.After(now) && t.LockedUntil.After(until) {
			until = t.LockedUntil
		}
	}
	return until, nil
}

// loginFailed counts a failure for each key.
func (s *Server) loginFailed(ctx context.Context, keys []throttleKey) error {
	now := s.now()
	for _, k := range keys {
		t, err := s.cfg.Store.LoginThrottle(ctx, k.key)
		if err != nil {
			return err
		}
		if !t.LastFailure.IsZero() && now.Sub(t.LastFailure) > k.policy.forgetAfter {
			t.Failures = 0
		}
		t.Key = k.key
		t.Failures++
		t.LastFailure = now
		t.LockedUntil = time.Time{}
		if d := k.policy.wait(t.Failures); d > 0 {
			t.LockedUntil = now.Add(d)
		}
		if err := s.cfg.Store.SetLoginThrottle(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// loginSucceeded forgets the account's failures (not the address's: a
// valid login must not reset the guessing of other accounts).
func (s *Server) loginSucceeded(ctx context.Context, keys []throttleKey) error {
	return s.cfg.Store.SetLoginThrottle(ctx, central.LoginThrottle{Key: keys[0].key})
}
