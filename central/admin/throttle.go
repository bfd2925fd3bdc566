package admin

import (
	"context"
	"net/netip"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

// Login throttling. Three counters of failed logins work together:
//
//   - the account from one address ("pair:"): guessing one account's
//     password from one place slows down after a few failures, then locks;
//   - the address ("ip:"; an IPv6 /64, which one customer usually holds
//     whole): guessing many accounts from one place, looser (an office
//     shares one address);
//   - the account from every address ("user:"): guessing one account from
//     many places. It only stops addresses with failures of their own in
//     the last day: a lock on the account must not lock its owner out (one
//     wrong password every 15 minutes from anywhere would keep it locked
//     for good), so a correct password from an address without recent
//     failures still logs in, while the attackers' addresses are stopped.
//
// Each attempt is reserved before the password is checked: one store
// transaction checks that no counter is locked and counts the attempt as
// a failure (UpdateLoginThrottles), so parallel requests cannot check more
// passwords than the policy allows. A correct password then forgets the
// account's failures and gives the address its attempt back.
//
// The store holds at most one row per counter, each at most a few hundred
// bytes (an e-mail is at most central.MaxEmailLength bytes and is refused
// before any store call otherwise), forgotten forgetAfter after its last
// failure and purged then; the table is trimmed to maxThrottleRows.

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
	// pairPolicy: per e-mail typed (known or not, so that it says nothing
	// of which accounts exist) and address.
	pairPolicy = throttlePolicy{free: 3, base: 2 * time.Second, maxWait: 5 * time.Minute, lockAfter: 10,
		lockFor: 15 * time.Minute, forgetAfter: 24 * time.Hour}
	// accountPolicy: per e-mail typed, from every address with failures.
	accountPolicy = throttlePolicy{free: 10, base: 2 * time.Second, maxWait: 5 * time.Minute, lockAfter: 30,
		lockFor: 15 * time.Minute, forgetAfter: 24 * time.Hour}
	// ipPolicy: per client address, looser (an office shares one address).
	ipPolicy = throttlePolicy{free: 20, base: 2 * time.Second, maxWait: 5 * time.Minute, lockAfter: 50,
		lockFor: 15 * time.Minute, forgetAfter: 24 * time.Hour}
)

// Purge of the throttle table: expired rows are deleted at most every
// purgeEvery (on a login), and the table is trimmed to maxThrottleRows
// (about 10 MB) of its newest and locked rows.
const (
	purgeEvery      = time.Minute
	maxThrottleRows = 50000
	forgetAfter     = 24 * time.Hour // the longest forgetAfter of the policies
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

// The counters of a login attempt, in the order of loginKeys.
const (
	pairKey = iota
	accountKey
	ipKey
)

var keyPolicies = [...]throttlePolicy{pairKey: pairPolicy, accountKey: accountPolicy, ipKey: ipPolicy}

// loginKeys returns the counters of a login for an e-mail (at most
// central.MaxEmailLength bytes) from an address.
func loginKeys(email, ip string) []string {
	email = strings.ToLower(strings.TrimSpace(email))
	addr := throttleAddress(ip)
	return []string{pairKey: "pair:" + addr + " " + email, accountKey: "user:" + email, ipKey: "ip:" + addr}
}

// throttleAddress is the address a counter is kept for: the IPv4 address,
// or the /64 prefix of an IPv6 address (one customer gets a whole /64 and
// could otherwise count as billions of addresses).
func throttleAddress(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		if len(ip) > 64 { // not an address (a proxy's odd header): still bounded
			ip = ip[:64]
		}
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// forget clears a counter whose last failure is older than forgetAfter.
func forget(t *adminstore.LoginThrottle, p throttlePolicy, now time.Time) {
	if t.Failures > 0 && now.Sub(t.LastFailure) > p.forgetAfter && !t.LockedUntil.After(now) {
		t.Failures, t.LockedUntil = 0, time.Time{}
	}
}

// reserveLogin counts a login attempt as a failure of each counter, unless
// one of them is locked: then it changes nothing and returns until when
// the attempt must wait. Only a reserved attempt may check a password.
func (s *Server) reserveLogin(ctx context.Context, keys []string) (until time.Time, err error) {
	err = s.cfg.Store.UpdateLoginThrottles(ctx, keys, func(rows []adminstore.LoginThrottle) []adminstore.LoginThrottle {
		now := s.now()
		until = time.Time{}
		for i := range rows {
			forget(&rows[i], keyPolicies[i], now)
		}
		// The account's own lock stops only addresses with failures.
		addressFailed := rows[ipKey].Failures > 0
		for i, t := range rows {
			if i == accountKey && !addressFailed {
				continue
			}
			if t.LockedUntil.After(now) && t.LockedUntil.After(until) {
				until = t.LockedUntil
			}
		}
		if !until.IsZero() {
			return nil
		}
		for i := range rows {
			t := &rows[i]
			t.Failures++
			t.LastFailure = now
			t.LockedUntil = time.Time{}
			if d := keyPolicies[i].wait(t.Failures); d > 0 {
				t.LockedUntil = now.Add(d)
			}
		}
		return rows
	})
	if err != nil {
		return time.Time{}, err
	}
	s.purgeThrottles(ctx)
	return until, nil
}

// loginSucceeded forgets the account's failures and gives the address back
// the attempt reserved for this login (not its other failures: a valid
// login must not reset the guessing of other accounts).
func (s *Server) loginSucceeded(ctx context.Context, keys []string) error {
	return s.cfg.Store.UpdateLoginThrottles(ctx, keys, func(rows []adminstore.LoginThrottle) []adminstore.LoginThrottle {
		rows[pairKey].Failures, rows[accountKey].Failures = 0, 0
		giveBack(&rows[ipKey], ipPolicy)
		return rows
	})
}

// giveBack returns a reserved attempt to a counter.
func giveBack(t *adminstore.LoginThrottle, p throttlePolicy) {
	if t.Failures <= 0 {
		return
	}
	t.Failures--
	t.LockedUntil = time.Time{}
	if d := p.wait(t.Failures); d > 0 {
		t.LockedUntil = t.LastFailure.Add(d)
	}
}

// purgeThrottles deletes forgotten counters, at most every purgeEvery; a
// failure is only logged (the login goes on).
func (s *Server) purgeThrottles(ctx context.Context) {
	now := s.now()
	s.purgeMu.Lock()
	due := now.Sub(s.lastPurge) >= purgeEvery || now.Before(s.lastPurge)
	if due {
		s.lastPurge = now
	}
	s.purgeMu.Unlock()
	if !due {
		return
	}
	n, err := s.cfg.Store.PurgeLoginThrottles(ctx, now, now.Add(-forgetAfter), maxThrottleRows)
	if err != nil {
		s.log.Error("admin: purge login throttle", "err", err)
	} else if n > 0 {
		s.log.Info("admin: login throttle purged", "rows", n)
	}
}

// Purge deletes what the admin keeps past its use: sessions past their
// idle or absolute timeout (a session is otherwise only deleted when its
// browser comes back), and forgotten login throttle counters (also purged
// on logins), and the links sent by e-mail past their validity. centrald
// runs it with its daily retention job.
func (s *Server) Purge(ctx context.Context) (sessions, throttles int, err error) {
	now := s.now()
	if sessions, err = s.cfg.Store.DeleteExpiredSessions(ctx, now.Add(-s.cfg.IdleTimeout), now.Add(-s.cfg.AbsoluteTimeout)); err != nil {
		return 0, 0, err
	}
	if throttles, err = s.cfg.Store.PurgeLoginThrottles(ctx, now, now.Add(-forgetAfter), maxThrottleRows); err != nil {
		return sessions, 0, err
	}
	// Links sent by e-mail past their validity (mail.go).
	if _, err := s.cfg.Store.PurgeMailTokens(ctx, now); err != nil {
		return sessions, throttles, err
	}
	return sessions, throttles, nil
}
