// Command doorbench measures the door: the latency from frame capture to
// the indicator call (decode, badge lookup, rules, durable SQLite commit)
// over frames that each hold a badge, and kioskd's memory after 1,000,
// 10,000 and 20,000 frames. It prints markdown tables; `make bench` runs it.
//
//	doorbench [-frames 1000] [-kioskd bin/kioskd]
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/camera/badgeclip"
	"github.com/badgeuse/badgeuse/kiosk/qr"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
	"github.com/badgeuse/badgeuse/kiosk/sqlite"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

func main() {
	n := flag.Int("frames", 1000, "frames holding a badge to time")
	kioskd := flag.String("kioskd", "bin/kioskd", "kioskd binary for the memory test (empty: skip)")
	flag.Parse()
	if err := latency(*n); err != nil {
		fmt.Fprintln(os.Stderr, "doorbench:", err)
		os.Exit(1)
	}
	if *kioskd != "" {
		if err := memory(*kioskd); err != nil {
			fmt.Fprintln(os.Stderr, "doorbench:", err)
			os.Exit(1)
		}
	}
}

// frames is a camera over pre-rendered frames; like a real camera, a frame
// is "captured" when Read hands it over.
type frames struct {
	all []*kiosk.Frame
	i   int
}

func (c *frames) Read(ctx context.Context, f *kiosk.Frame) error {
	src := c.all[c.i%len(c.all)]
	c.i++
	*f = *src
	f.Captured = time.Now()
	f.Time = f.Captured
	return nil
}

func (c *frames) Close() error { return nil }

// stopwatch is an indicator that records when it is called.
type stopwatch struct{ shown int }

func (s *stopwatch) Show(kiosk.Outcome) { s.shown++ }
func (s *stopwatch) Fault(error)        {}

func latency(n int) error {
	dir, err := os.MkdirTemp("", "doorbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(dir)
	if err != nil {
		return err
	}
	defer db.Close()
	// n members, each with a badge and a 10-entry card; a frame per badge.
	rng := rand.New(rand.NewPCG(1, 2))
	var members []kiosk.Member
	var cam frames
	for i := range n {
		s, err := badge.New()
		if err != nil {
			return err
		}
		members = append(members, kiosk.Member{ID: int64(i + 1), Status: access.MemberActive,
			Badges:       []kiosk.Badge{{Hash: s.Hash()}},
			Entitlements: []access.Entitlement{{ID: int64(i + 1), Kind: access.Pack, Entries: 10}}})
		f, err := qrtest.Render(qrtest.Random(rng, []string{s.Text()}, 0.2))
		if err != nil {
			return err
		}
		cam.all = append(cam.all, f)
	}
	if err := db.ApplyPull(context.Background(), true, kiosk.Changes{Snapshot: true, Cursor: 1, Members: members}, time.Now()); err != nil {
		return err
	}
	dec := qr.New()
	defer dec.Close()
	var lat []time.Duration
	accepted := 0
	ind := &stopwatch{}
	door := &kiosk.Door{Camera: &cam, Decoder: dec, Store: db, Indicator: ind, MaxFrames: n,
		OnDecision: func(d kiosk.Decided) {
			lat = append(lat, d.Latency)
			if d.Entry.Decision.Accept {
				accepted++
			}
		}}
	start := time.Now()
	if err := door.Serve(context.Background()); err != nil {
		return err
	}
	elapsed := time.Since(start)
	slices.Sort(lat)
	q := func(p float64) string {
		if len(lat) == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f", float64(lat[int(p*float64(len(lat)-1))].Microseconds())/1000)
	}
	fmt.Printf("## Door latency: frame captured → decoded → entry committed (SQLite WAL, synchronous=FULL) → indicator\n\n")
	fmt.Printf("%d frames, each holding a different member's badge (camera-like, 640x480); %d decisions, %d accepted; %.0f frames/s overall.\n\n",
		n, len(lat), accepted, float64(n)/elapsed.Seconds())
	fmt.Println("| scans | p50 ms | p90 ms | p99 ms | max ms | goal p99 |")
	fmt.Println("|---|---|---|---|---|---|")
	fmt.Printf("| %d | %s | %s | %s | %s | < 20 ms |\n\n", len(lat), q(0.5), q(0.9), q(0.99), q(1))
	return nil
}

// memory runs kioskd on a looping clip for 1,000 then 10,000 frames and
// compares its peak resident memory.
func memory(kioskd string) error {
	if _, err := os.Stat(kioskd); err != nil {
		return fmt.Errorf("memory test needs %s (make build): %w", kioskd, err)
	}
	dir, err := os.MkdirTemp("", "doorbench-rss")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var texts []string
	for range 5 {
		s, _ := badge.New()
		texts = append(texts, s.Text())
	}
	clip := filepath.Join(dir, "clip.avi")
	if _, err := badgeclip.Write(clip, texts, badgeclip.Options{FPS: 15, PerBadge: time.Second, Gap: time.Second}); err != nil {
		return err
	}
	fmt.Println("## kioskd memory (peak RSS) on a looping clip, read as fast as possible")
	fmt.Println()
	fmt.Println("| frames | peak RSS MiB | wall s |")
	fmt.Println("|---|---|---|")
	var rss []int64
	for _, n := range []int{1000, 10000, 20000} {
		cmd := exec.Command(kioskd, "run", "--data", filepath.Join(dir, "data"+strconv.Itoa(n)), "--camera", clip,
			"--fast", "--led", "console", "--frames", strconv.Itoa(n), "--log-level", "error")
		start := time.Now()
		peak, err := peakRSS(cmd)
		if err != nil {
			return err
		}
		rss = append(rss, peak)
		fmt.Printf("| %d | %.1f | %.1f |\n", n, float64(peak)/1024, time.Since(start).Seconds())
	}
	fmt.Printf("\nRatios: RSS(10,000) / RSS(1,000) = %.3f, RSS(20,000) / RSS(10,000) = %.3f (1.00: flat, no growth with frames).\n\n",
		float64(rss[1])/float64(rss[0]), float64(rss[2])/float64(rss[1]))
	return nil
}

// peakRSS runs cmd and returns its peak resident memory in KiB, read from
// /proc while it runs (VmHWM). The rusage of a child is no good here: Go
// starts children with vfork, so their high-water mark includes the
// parent's memory before exec.
func peakRSS(cmd *exec.Cmd) (int64, error) {
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var peak int64
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				return 0, fmt.Errorf("kioskd run: %v\n%s", err, out.String())
			}
			return peak, nil
		case <-tick.C:
			status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
			if err != nil {
				continue
			}
			for _, line := range strings.Split(string(status), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
					peak = max(peak, kb)
				}
			}
		}
	}
}
