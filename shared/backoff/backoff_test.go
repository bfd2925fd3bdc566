package backoff_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/backoff"
)

func TestDelayExact(t *testing.T) {
	door := backoff.Policy{Min: 250 * time.Millisecond, Max: 30 * time.Second}
	billing := backoff.Policy{Min: 30 * time.Second, Max: 6 * time.Hour}
	for _, c := range []struct {
		name string
		p    backoff.Policy
		n    int
		want time.Duration
	}{
		{"first failure waits Min", door, 0, 250 * time.Millisecond},
		{"doubles", door, 1, 500 * time.Millisecond},
		{"doubles again", door, 3, 2 * time.Second},
		{"capped", door, 7, 30 * time.Second},
		{"stays capped", door, 1000, 30 * time.Second},
		{"negative n is the first failure", door, -3, 250 * time.Millisecond},
		{"billing's second retry", billing, 1, time.Minute},
		{"billing's cap", billing, 12, 6 * time.Hour},
		{"max below min", backoff.Policy{Min: time.Second, Max: time.Millisecond}, 4, time.Second},
		{"zero policy", backoff.Policy{}, 5, 0},
	} {
		if got := c.p.Delay(c.n); got != c.want {
			t.Errorf("%s: Delay(%d) = %v, want %v", c.name, c.n, got, c.want)
		}
	}
}

func TestDelayJitter(t *testing.T) {
	p := backoff.Policy{Min: 2 * time.Second, Max: 5 * time.Minute, Jitter: 0.2}
	for _, c := range []struct {
		n        int
		low, top time.Duration
	}{
		{0, 1600 * time.Millisecond, 2400 * time.Millisecond},
		{2, 6400 * time.Millisecond, 9600 * time.Millisecond},
		{20, 4 * time.Minute, 5 * time.Minute}, // never above Max
	} {
		seen := map[time.Duration]bool{}
		for range 500 {
			d := p.Delay(c.n)
			if d < c.low || d > c.top {
				t.Fatalf("Delay(%d) = %v, want within [%v, %v]", c.n, d, c.low, c.top)
			}
			seen[d] = true
		}
		if len(seen) < 100 {
			t.Errorf("Delay(%d): %d distinct waits in 500, want them spread", c.n, len(seen))
		}
	}
	for _, j := range []float64{-1, 0} {
		if d := (backoff.Policy{Min: time.Second, Max: time.Minute, Jitter: j}).Delay(1); d != 2*time.Second {
			t.Errorf("Jitter %v: Delay(1) = %v, want exactly 2s", j, d)
		}
	}
	for range 100 {
		if d := (backoff.Policy{Min: time.Second, Max: time.Minute, Jitter: 7}).Delay(0); d < 0 || d > 2*time.Second {
			t.Fatalf("Jitter above 1 not clamped: Delay(0) = %v", d)
		}
	}
}
