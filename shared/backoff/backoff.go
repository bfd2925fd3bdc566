// Package backoff computes the waits between retries of something that
// fails for a while (a camera unplugged, central offline, Slack down):
// exponential, so that a long outage costs few attempts; capped, so that
// the recovery is noticed soon enough; jittered, so that many retriers
// (kiosks of one central, messages of one outbox) do not retry in step.
//
// The door's camera loop, the kiosk's uplink and central's outbox worker
// share it; each chooses its own bounds.
package backoff

import (
	"math/rand/v2"
	"time"
)

// Policy says how long to wait before the next attempt.
type Policy struct {
	// Min is the first wait, doubled after each further failure.
	Min time.Duration
	// Max caps the wait: no Delay is longer.
	Max time.Duration
	// Jitter spreads each wait uniformly within ±Jitter of it (0.2: ±20 %),
	// still never above Max; 0 for exact waits. Clamped to [0, 1].
	Jitter float64
}

// Delay returns the wait after the failure that follows n earlier ones in
// a row (n = 0 for the first failure): Min·2ⁿ, at most Max, spread by
// Jitter. A negative n counts as 0; a Max below Min counts as Min.
func (p Policy) Delay(n int) time.Duration {
	d := p.Min
	limit := max(p.Max, p.Min)
	for i := 0; i < n && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	j := min(max(p.Jitter, 0), 1)
	if j == 0 || d <= 0 {
		return d
	}
	spread := time.Duration(float64(d) * j)
	return min(d-spread+time.Duration(rand.Int64N(int64(2*spread)+1)), limit)
}
