package slack_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/slack"
)

// TestThroughput queues 1,000 arrivals and drains them at the channel's
// rate (slack.min_interval, short here; 1/s in production): never faster
// (the fake refuses posts closer than half the interval) and, without the
// race detector, not much slower, in order, with flat memory and no
// goroutine left behind. The Makefile's test target runs it once more without
// -race, so that the floor is asserted by make test.
func TestThroughput(t *testing.T) {
	if testing.Short() {
		t.Skip("drains 1,000 posts")
	}
	const n = 1000
	const interval = 8 * time.Millisecond
	f := newFixture(t)
	f.setting("slack.min_interval", interval.String())
	f.fake.MinInterval = interval / 2
	var members []int64
	for i := range 10 {
		members = append(members, f.member(fmt.Sprintf("Membre %02d", i), "", 10))
	}
	for i := range n {
		post := slack.Post{Member: members[i%10], Time: time.Now()}
		if _, err := f.outbox.EnqueueOutbox(f.ctx, post.Message(slack.TopicArrival, fmt.Sprintf("slack.arrival:load-%04d", i))); err != nil {
			t.Fatal(err)
		}
	}
	goroutines := runtime.NumGoroutine()
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := heap()
	type sample struct {
		heap  uint64
		posts int
	}
	var samples []sample
	start := time.Now()
	stop := f.serve(f.worker())
	deadline := start.Add(2 * time.Minute)
	for {
		posted := len(f.fake.Messages(chanArrivals))
		if posted == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d posted in 2 minutes", posted, n)
		}
		time.Sleep(200 * time.Millisecond)
		samples = append(samples, sample{heap(), posted})
	}
	elapsed := time.Since(start)
	f.drain(10 * time.Second)
	stop()

	msgs := f.fake.Messages(chanArrivals)
	if len(msgs) != n {
		t.Fatalf("%d posts, want %d", len(msgs), n)
	}
	var keys []string
	for i := range n {
		keys = append(keys, fmt.Sprintf("slack.arrival:load-%04d", i))
	}
	exactlyOnce(t, msgs, keys)
	minGap := time.Hour
	for i := 1; i < len(msgs); i++ {
		minGap = min(minGap, msgs[i].At.Sub(msgs[i-1].At))
	}
	// The fake keeps every post in this process's heap: measure what one
	// costs, and count only the rest.
	full := heap()
	msgs = nil
	f.fake.Forget()
	after := heap()
	perPost := float64(full-min(full, after)) / n
	var worker []int64
	for _, s := range samples {
		worker = append(worker, (int64(s.heap)-int64(float64(s.posts)*perPost)-int64(before))/1024)
	}
	rate := float64(n) / elapsed.Seconds()
	t.Logf("%d posts in %s: %.0f/s at an interval of %s (at most %.0f/s); closest posts %s apart; throttled %d",
		n, elapsed.Round(time.Millisecond), rate, interval, float64(time.Second)/float64(interval), minGap, f.fake.Throttled())
	t.Logf("heap: %d KiB before, %d KiB after (fake's record dropped); the fake kept %.0f B per post; "+
		"heap growth without the fake's record while draining, KiB: %v", before/1024, after/1024, perPost, worker)
	if elapsed < (n-1)*interval {
		t.Fatalf("drained in %s, faster than the rate limit allows (%s)", elapsed, (n-1)*interval)
	}
	if limit := float64(time.Second) / float64(interval); !raceEnabled && rate < limit/2 {
		t.Fatalf("%.0f posts/s: well below the rate limit (%.0f/s); the worker is the bottleneck", rate, limit)
	}
	if f.fake.Throttled() != 0 {
		t.Fatalf("the fake throttled %d posts", f.fake.Throttled())
	}
	for _, kb := range worker {
		if kb > 2048 {
			t.Fatalf("the heap grew by %d KiB while draining (beyond the fake's record)", kb)
		}
	}
	if after > before+1<<20 {
		t.Fatalf("heap %d KiB after draining, %d KiB before", after/1024, before/1024)
	}
	time.Sleep(100 * time.Millisecond) // idle HTTP connections close
	if g := runtime.NumGoroutine(); g > goroutines+3 {
		t.Fatalf("%d goroutines after the worker stopped, %d before", g, goroutines)
	}
}
