package helloasso

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Limits of the webhook. Most associations have no signature key (HelloAsso
// gives one to partners only), so anyone who knows the webhook's URL can
// post notifications that look right; these bound what a flood of them
// costs: rows stored, and calls to HelloAsso's API under the association's
// credentials.
const (
	// SourceBurst notifications from one source address are taken at
	// once, then one more every SourceEvery; beyond, the webhook answers
	// 429. HelloAsso sends every notification from one address
	// (51.138.206.200 in production) and about two per order (Order and
	// Payment, plus one Payment per instalment): a burst of 60 takes the
	// opening of a membership campaign (30 orders in the same minute), and
	// one every 10 s (360 an hour, 180 orders) is more than a coworking
	// space sells in its busiest hour. A flood from one address stores
	// at most 60 + 6 a minute.
	SourceBurst = 60
	SourceEvery = 10 * time.Second
	// MaxSources is how many source addresses the limiter remembers;
	// when that many have sent recently, new ones are refused until some
	// are forgotten (full buckets are).
	MaxSources = 10000
	// OrderEvery is how often an order is read from HelloAsso at most,
	// however often it is notified: a refund or a chargeback, notified
	// days after the payment, is read; the same order notified a thousand
	// times in a minute is read once.
	OrderEvery = time.Minute
	// MaxWaitingOrders bounds the orders waiting to be read back; beyond,
	// the webhook answers 503 and stores nothing: many addresses, each
	// under its own limit, cannot fill the database either.
	MaxWaitingOrders = 1000
)

// limiter is a token bucket per source address, with a bounded number of
// addresses. It is safe for concurrent use.
type limiter struct {
	burst float64
	every time.Duration
	max   int

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(burst int, every time.Duration, maxSources int) *limiter {
	return &limiter{burst: float64(burst), every: every, max: maxSources, buckets: map[string]*bucket{}}
}

// allow takes a token from source's bucket at now, and reports whether
// there was one.
func (l *limiter) allow(source string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[source]
	if b == nil {
		if len(l.buckets) >= l.max {
			l.forgetFull(now)
		}
		if len(l.buckets) >= l.max {
			return false
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[source] = b
	}
	l.refill(b, now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (l *limiter) refill(b *bucket, now time.Time) {
	if now.After(b.at) {
		b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.at))/float64(l.every))
		b.at = now
	}
}

// forgetFull drops the buckets that are full again: a new bucket would
// be the same. l.mu is held.
func (l *limiter) forgetFull(now time.Time) {
	for k, b := range l.buckets {
		if l.refill(b, now); b.tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// sourceOf returns the source address of a request, as the limiter keys
// it: the connection's address, or the last X-Forwarded-For hop when a
// reverse proxy is trusted to set it; an IPv6 address counts by its /64,
// which one host usually holds whole.
func sourceOf(r *http.Request, trustProxy bool) string {
	addr := ""
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			hops := strings.Split(xff, ",")
			addr = strings.TrimSpace(hops[len(hops)-1])
		}
	}
	if addr == "" {
		addr = r.RemoteAddr
		if host, _, err := net.SplitHostPort(addr); err == nil {
			addr = host
		}
	}
	ip := net.ParseIP(addr)
	if ip == nil {
		return addr
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}
