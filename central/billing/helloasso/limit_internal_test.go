package helloasso

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	l := newLimiter(3, 10*time.Second, 2)
	for i := range 3 {
		if !l.allow("a", now) {
			t.Fatalf("notification %d of the burst refused", i+1)
		}
	}
	if l.allow("a", now) || l.allow("a", now.Add(9*time.Second)) {
		t.Fatal("beyond the burst: allowed before a token came back")
	}
	if !l.allow("a", now.Add(10*time.Second)) || l.allow("a", now.Add(10*time.Second)) {
		t.Fatal("one token every 10 s")
	}
	for range 3 {
		if !l.allow("b", now) {
			t.Fatal("another address has its own bucket")
		}
	}
	// Two addresses remembered: a third is refused until one is full
	// again (then forgotten).
	if l.allow("c", now.Add(10*time.Second)) {
		t.Fatal("a third address while two are remembered")
	}
	if !l.allow("c", now.Add(40*time.Second)) {
		t.Fatal("a third address once the others' buckets are full")
	}
	if len(l.buckets) > 2 {
		t.Fatalf("%d buckets remembered, at most 2", len(l.buckets))
	}
}

func TestSourceOf(t *testing.T) {
	for _, tc := range []struct {
		remote, xff string
		trust       bool
		want        string
	}{
		{"192.0.2.1:4242", "", false, "192.0.2.1"},
		{"192.0.2.1:4242", "203.0.113.9", false, "192.0.2.1"}, // not behind a trusted proxy: the header lies
		{"127.0.0.1:4242", "10.0.0.1, 203.0.113.9", true, "203.0.113.9"},
		{"[2001:db8:1:2:3:4:5:6]:443", "", false, "2001:db8:1:2::/64"},
		{"127.0.0.1:1", "2001:db8:1:2::ffff", true, "2001:db8:1:2::/64"},
	} {
		r := httptest.NewRequest("POST", "/hooks/helloasso", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := sourceOf(r, tc.trust); got != tc.want {
			t.Errorf("sourceOf(%s, %q, trust %v) = %q, want %q", tc.remote, tc.xff, tc.trust, got, tc.want)
		}
	}
}
