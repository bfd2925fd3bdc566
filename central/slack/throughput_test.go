package slack_test

import (
	"fmt"
	"runtime"
	"slices"
	"syscall"
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
//
// The floor is not the wall-clock rate, which a busy machine (make test on
// 2 cores, other builds beside) cuts by four without any fault of the
// worker's: it is what the worker controls. The CPU time the process
// spends per post (worker, store and fake together) stays under the
// interval, so that one core keeps up with the rate limit; and the
// worker's own pacing, read on the posts that nothing held up (the
// fastest tenth of the gaps), is the interval, not more. The wall-clock
// rate is logged, and the drain fails only when it stalls.
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
	cpu0 := cpuTime(t)
	start := time.Now()
	stop := f.serve(f.worker())
	// No deadline on the whole drain (under the race detector on a busy
	// machine it takes minutes, and go test's -timeout bounds it): it
	// fails when no post comes for a minute.
	const stall = time.Minute
	progress, last := start, 0
	for {
		posted := len(f.fake.Messages(chanArrivals))
		if posted == n {
			break
		}
		if posted > last {
			progress, last = time.Now(), posted
		}
		if time.Since(progress) > stall {
			t.Fatalf("%d of %d posted, none in the last %s", posted, n, stall)
		}
		time.Sleep(200 * time.Millisecond)
		samples = append(samples, sample{heap(), posted})
	}
	elapsed := time.Since(start)
	cpu := cpuTime(t) - cpu0
	f.drain(drainWait)
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
	var gaps []time.Duration
	for i := 1; i < len(msgs); i++ {
		gaps = append(gaps, msgs[i].At.Sub(msgs[i-1].At))
	}
	slices.Sort(gaps)
	minGap, fastTenth, median := gaps[0], gaps[len(gaps)/10], gaps[len(gaps)/2]
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
	cpuPerPost := cpu / n
	t.Logf("%d posts in %s: %.0f/s at an interval of %s (at most %.0f/s); closest posts %s apart, a tenth within %s, half within %s; "+
		"CPU %s per post; throttled %d", n, elapsed.Round(time.Millisecond), rate, interval, float64(time.Second)/float64(interval),
		minGap, fastTenth, median, cpuPerPost.Round(time.Microsecond), f.fake.Throttled())
	t.Logf("heap: %d KiB before, %d KiB after (fake's record dropped); the fake kept %.0f B per post; "+
		"heap growth without the fake's record while draining, KiB: %v", before/1024, after/1024, perPost, worker)
	if elapsed < (n-1)*interval {
		t.Fatalf("drained in %s, faster than the rate limit allows (%s)", elapsed, (n-1)*interval)
	}
	if !raceEnabled && cpuPerPost > interval {
		t.Fatalf("%s of CPU per post, more than the interval (%s): the worker is the bottleneck", cpuPerPost, interval)
	}
	if !raceEnabled && fastTenth > interval*3/2 {
		t.Fatalf("a tenth of the posts within %s of the one before, the others later: the worker waits longer than the interval (%s)",
			fastTenth, interval)
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
	// Idle HTTP connections close: wait for it, a busy machine takes its time.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		g := runtime.NumGoroutine()
		if g <= goroutines+3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines 10 s after the worker stopped, %d before", g, goroutines)
		}
	}
}

// cpuTime is the CPU time this process has used (user and system, all
// threads).
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
