package kiosk_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/sqlite"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

var ctx = context.Background()

// script is a camera and a decoder at once: frame i holds texts[i], and
// frames are captured step apart.
type script struct {
	texts  [][]string
	stream bool          // times in Frame.Time; Captured all at t0 (a file read fast)
	errs   map[int]error // Read error instead of frame i
	step   time.Duration
	i      int
	t0     time.Time
}

func (s *script) Read(ctx context.Context, f *kiosk.Frame) error {
	if s.i >= len(s.texts) {
		return io.EOF
	}
	i := s.i
	s.i++
	if err := s.errs[i]; err != nil {
		return err
	}
	f.Pix = []byte{0}
	f.Width, f.Height, f.Stride = i+1, 1, 1 // Width carries the frame's index for Decode
	f.Captured = s.t0.Add(time.Duration(i) * s.step)
	f.Time = time.Time{}
	if s.stream {
		f.Time, f.Captured = f.Captured, s.t0
	}
	return nil
}

func (s *script) Close() error { return nil }

func (s *script) Decode(f *kiosk.Frame) ([]string, error) { return s.texts[f.Width-1], nil }

// indicator records outcomes and, at each Show, how many entries the
// database holds, read through another connection: an outcome must never
// be shown before its entry is committed.
type indicator struct {
	mu        sync.Mutex
	dir       string
	shown     []kiosk.Outcome
	committed []int
	faults    []error
}

func (in *indicator) Show(o kiosk.Outcome) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.shown = append(in.shown, o)
	if in.dir != "" {
		db, err := sqlite.Open(in.dir)
		if err == nil {
			st, _ := db.Status(ctx)
			in.committed = append(in.committed, int(st.LastSeq))
			db.Close()
		}
	}
}

func (in *indicator) Fault(err error) {
	in.mu.Lock()
	in.faults = append(in.faults, err)
	in.mu.Unlock()
}

var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func secret(b byte) badge.Secret {
	var s badge.Secret
	s[0] = b
	return s
}

// seeded opens a kiosk database holding: member 1 (badge 1) with a 2-entry
// pack, member 2 (badge 2) suspended, member 3 (badge 3, revoked; badge 4
// active) with a subscription, member 5 (badge 5) staff.
func seeded(t *testing.T, settings kiosk.RawSettings) (string, *sqlite.DB) {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := func(n byte, revoked bool) kiosk.Badge {
		return kiosk.Badge{Hash: secret(n).Hash(), Revoked: revoked}
	}
	err = db.ApplyPull(ctx, true, kiosk.Changes{Snapshot: true, Cursor: 1, Settings: settings, ServerTime: t0.Add(-time.Hour), Members: []kiosk.Member{
		{ID: 1, Status: access.MemberActive, Badges: []kiosk.Badge{b(1, false)}, Entitlements: []access.Entitlement{{ID: 10, Kind: access.Pack, Entries: 2}}},
		{ID: 2, Status: access.MemberSuspended, Badges: []kiosk.Badge{b(2, false)}, Entitlements: []access.Entitlement{{ID: 20, Kind: access.Pack, Entries: 2}}},
		{ID: 3, Status: access.MemberActive, Badges: []kiosk.Badge{b(3, true), b(4, false)}, Entitlements: []access.Entitlement{{ID: 30, Kind: access.Subscription, Start: access.MustDay("2026-11-01"), End: access.MustDay("2026-11-30")}}},
		{ID: 5, Status: access.MemberActive, Badges: []kiosk.Badge{b(5, false)}, Entitlements: []access.Entitlement{{ID: 50, Kind: access.Unlimited}}},
	}}, t0.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return dir, db
}

func TestDoorDecisions(t *testing.T) {
	dir, db := seeded(t, kiosk.RawSettings{Timezone: "Europe/Paris"})
	text := func(n byte) string { return secret(n).Text() }
	// Each text held for 3 frames (debounced to one scan), then 30 empty
	// frames: 3 s at 10 fps, longer than the debounce window.
	var frames [][]string
	show := func(texts ...string) {
		for range 3 {
			frames = append(frames, texts)
		}
		for range 30 {
			frames = append(frames, nil)
		}
	}
	show(text(1))               // pack: consume 1
	show(text(1))               // again today: already_today, no consumption
	show("https://example.org") // not a badge
	show("BG1:ABC")             // damaged
	show("BG2:ABCDEF")          // newer format
	show(text(9))               // unknown
	show(text(2))               // suspended
	show(text(3))               // revoked
	show(text(4))               // subscription
	show(text(5), text(4))      // two codes in one frame: staff, and badge 4 is new again
	cam := &script{texts: frames, step: 100 * time.Millisecond, t0: t0}
	ind := &indicator{dir: dir}
	var got []kiosk.Decided
	clock := t0
	door := &kiosk.Door{Camera: cam, Decoder: cam, Store: db, Indicator: ind, ExitAtEOF: true,
		Now: func() time.Time { clock = clock.Add(time.Second); return clock }, BootID: "boot-1",
		Mono:       func() time.Duration { return 42 * time.Second },
		OnDecision: func(d kiosk.Decided) { got = append(got, d) }}
	if err := door.Serve(ctx); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		member  int64
		reason  access.Reason
		consume int64
	}{
		{1, access.OKPack, 10}, {1, access.OKAlreadyToday, 0}, {0, access.NotABadge, 0}, {0, access.MalformedBadge, 0},
		{0, access.MalformedBadge, 0}, {0, access.UnknownBadge, 0}, {2, access.MemberIsSuspended, 0},
		{3, access.RevokedBadge, 0}, {3, access.OKSubscription, 0}, {5, access.OKUnlimited, 0}, {3, access.OKAlreadyToday, 0},
	}
	if len(got) != len(want) {
		for _, g := range got {
			t.Logf("%+v", g.Entry.Decision)
		}
		t.Fatalf("%d decisions, want %d", len(got), len(want))
	}
	for i, w := range want {
		e := got[i].Entry
		if e.Member != w.member || e.Decision.Reason != w.reason || e.Decision.Consume != w.consume || e.Decision.Accept != w.reason.Accepts() {
			t.Errorf("decision %d = member %d %+v, want member %d %s consume %d", i, e.Member, e.Decision, w.member, w.reason, w.consume)
		}
		if e.Seq != int64(i+1) || e.BootID != "boot-1" || e.Mono != 42*time.Second || e.ClockUnsure {
			t.Errorf("entry %d = %+v", i, e)
		}
		if ind.committed[i] < int(e.Seq) {
			t.Errorf("outcome %d shown before its entry was committed", i)
		}
		if ind.shown[i].Reason != w.reason {
			t.Errorf("shown %d = %+v", i, ind.shown[i])
		}
	}
	// The pack now has one entry left for this kiosk.
	h, _ := db.Lookup(ctx, secret(1).Hash(), access.Paris)
	if h.Entitlements[0].Entries != 1 {
		t.Fatalf("entries left = %d, want 1", h.Entitlements[0].Entries)
	}
}

func TestDoorDebounce(t *testing.T) {
	_, db := seeded(t, kiosk.RawSettings{})
	a := secret(1).Text()
	// Seen in frames 0-9 (one scan even across a 1-frame miss), gone for
	// 1.5 s (same scan), then back after 2.5 s: a second scan.
	frames := [][]string{}
	for i := range 10 {
		if i == 5 {
			frames = append(frames, nil)
			continue
		}
		frames = append(frames, []string{a})
	}
	for range 15 {
		frames = append(frames, nil)
	}
	frames = append(frames, []string{a})
	for range 25 {
		frames = append(frames, nil)
	}
	frames = append(frames, []string{a})
	for _, stream := range []bool{false, true} {
		cam := &script{texts: frames, step: 100 * time.Millisecond, t0: t0, stream: stream}
		n := 0
		door := &kiosk.Door{Camera: cam, Decoder: cam, Store: db, Indicator: &indicator{}, ExitAtEOF: true,
			Now: func() time.Time { return t0 }, OnDecision: func(kiosk.Decided) { n++ }}
		if err := door.Serve(ctx); err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Fatalf("stream time %v: %d scans, want 2", stream, n)
		}
	}
}

func TestDoorClockUnsure(t *testing.T) {
	_, db := seeded(t, kiosk.RawSettings{})
	// The state was synced at t0-1h (KnownGood); the Pi rebooted and its
	// clock says 1970.
	cam := &script{texts: [][]string{{secret(4).Text()}}, t0: t0}
	var got kiosk.Decided
	door := &kiosk.Door{Camera: cam, Decoder: cam, Store: db, Indicator: &indicator{}, ExitAtEOF: true,
		Now: func() time.Time { return time.Unix(0, 0) }, OnDecision: func(d kiosk.Decided) { got = d }}
	door.Serve(ctx)
	if !got.Entry.ClockUnsure {
		t.Fatal("entry with a clock in 1970 not flagged")
	}
	// Decided at the known good time (November 2026), so the subscription holds.
	if got.Entry.Decision.Reason != access.OKSubscription {
		t.Fatalf("decision = %+v", got.Entry.Decision)
	}
}

func TestDoorStalePolicy(t *testing.T) {
	for _, tc := range []struct {
		policy string
		badge  byte
		want   access.Reason
	}{
		{"refuse", 1, access.StaleState},
		{"refuse", 5, access.OKUnlimited}, // staff still get in
		{"warn", 1, access.OKPack},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			_, db := seeded(t, kiosk.RawSettings{StaleAfter: "48h", StalePolicy: tc.policy})
			cam := &script{texts: [][]string{{secret(tc.badge).Text()}}, t0: t0}
			var got kiosk.Decided
			door := &kiosk.Door{Camera: cam, Decoder: cam, Store: db, Indicator: &indicator{}, ExitAtEOF: true,
				Now: func() time.Time { return t0.Add(72 * time.Hour) }, OnDecision: func(d kiosk.Decided) { got = d }}
			door.Serve(ctx)
			if got.Entry.Decision.Reason != tc.want {
				t.Fatalf("reason = %s, want %s", got.Entry.Decision.Reason, tc.want)
			}
		})
	}
}

// brokenStore fails to record: the door must stay closed.
type brokenStore struct{ kiosk.Store }

func (brokenStore) Record(context.Context, *kiosk.Entry) error { return errors.New("disk full") }

func TestDoorStorageFailureKeepsDoorClosed(t *testing.T) {
	_, db := seeded(t, kiosk.RawSettings{})
	cam := &script{texts: [][]string{{secret(5).Text()}}, t0: t0}
	ind := &indicator{}
	called := false
	door := &kiosk.Door{Camera: cam, Decoder: cam, Store: brokenStore{db}, Indicator: ind, ExitAtEOF: true,
		OnDecision: func(kiosk.Decided) { called = true }}
	door.Serve(ctx)
	if called || len(ind.shown) != 1 || ind.shown[0].Accept || ind.shown[0].Reason != kiosk.ReasonStorageError {
		t.Fatalf("shown %+v, OnDecision called %v", ind.shown, called)
	}
}

func TestDoorCameraFailureRetried(t *testing.T) {
	_, db := seeded(t, kiosk.RawSettings{})
	cam := &script{texts: [][]string{nil, nil, {secret(5).Text()}}, errs: map[int]error{0: errors.New("unplugged"), 1: errors.New("unplugged")}, t0: t0}
	ind := &indicator{}
	n := 0
	door := &kiosk.Door{Camera: cam, Decoder: cam, Store: db, Indicator: ind, ExitAtEOF: true,
		OnDecision: func(kiosk.Decided) { n++ }}
	start := time.Now()
	if err := door.Serve(ctx); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d decisions after the camera came back, want 1", n)
	}
	if len(ind.faults) != 2 || ind.faults[0] == nil || ind.faults[1] != nil {
		t.Fatalf("faults = %v, want one fault then a clear", ind.faults)
	}
	if time.Since(start) < 500*time.Millisecond {
		t.Fatal("camera errors retried without backoff")
	}
	if door.LastFrame().IsZero() {
		t.Fatal("LastFrame not set")
	}
}

func TestDoorMaxFrames(t *testing.T) {
	_, db := seeded(t, kiosk.RawSettings{})
	cam := &script{texts: make([][]string, 100), t0: t0}
	door := &kiosk.Door{Camera: cam, Decoder: cam, Store: db, Indicator: &indicator{}, MaxFrames: 7}
	if err := door.Serve(ctx); err != nil {
		t.Fatal(err)
	}
	if cam.i != 7 {
		t.Fatalf("read %d frames, want 7", cam.i)
	}
}

// fillingStore records until full is set, then fails as a full disk does.
type fillingStore struct {
	kiosk.Store
	full *bool
}

func (s fillingStore) Record(ctx context.Context, e *kiosk.Entry) error {
	if *s.full {
		return fmt.Errorf("record entry: %w", kiosk.ErrDiskFull)
	}
	return s.Store.Record(ctx, e)
}

// TestDoorDiskFullOnePerScanFewLogs: a disk that fills while the door runs
// refuses each scan once (a badge held up for several frames is one
// refusal), logs the failure when it starts and then once a minute (not
// once per scan: 300 scans in 90 s make 2 lines), shows it as a standing
// fault and in Health, and clears all of it at the next recorded entry.
func TestDoorDiskFullOnePerScanFewLogs(t *testing.T) {
	_, db := seeded(t, kiosk.RawSettings{})
	const scans, framesPerScan = 300, 3
	var texts [][]string
	for i := range scans {
		// Each badge is held up for 3 frames; a different one follows.
		s := secret(byte(10 + i%200))
		s[1] = byte(i / 200)
		for range framesPerScan {
			texts = append(texts, []string{s.Text()})
		}
		texts = append(texts, nil)
	}
	texts = append(texts, []string{secret(5).Text()}) // after the disk is freed
	cam := &script{texts: texts, step: 75 * time.Millisecond, t0: t0}
	full := true
	var logs bytes.Buffer
	ind := &indicator{}
	var decided []kiosk.Decided
	var health kiosk.Health
	door := &kiosk.Door{Camera: cam, Decoder: cam, Store: fillingStore{db, &full}, Indicator: ind, ExitAtEOF: true,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Now:    func() time.Time { return t0.Add(time.Duration(cam.i) * cam.step) },
		OnDecision: func(d kiosk.Decided) {
			decided = append(decided, d)
		}}
	cam.errs = nil
	// Free the disk before the last frame.
	last := len(texts) - 1
	door.Decoder = decoderFunc(func(f *kiosk.Frame) ([]string, error) {
		if f.Width-1 == last {
			health = door.Health()
			full = false
		}
		return cam.Decode(f)
	})
	if err := door.Serve(ctx); err != nil {
		t.Fatal(err)
	}
	refusals := 0
	for _, o := range ind.shown {
		if o.Reason == kiosk.ReasonStorageError {
			refusals++
		}
	}
	if refusals != scans {
		t.Errorf("%d storage refusals shown for %d scans of %d frames each, want one per scan", refusals, scans, framesPerScan)
	}
	if len(decided) != 1 || decided[0].Entry.Decision.Reason != access.OKUnlimited {
		t.Errorf("after the disk was freed: decisions %+v, want the staff badge accepted", decided)
	}
	errorLines := strings.Count(logs.String(), "level=ERROR")
	// 300 scans × 4 frames × 75 ms = 90 s: the first failure, and one
	// reminder a minute later.
	if errorLines < 1 || errorLines > 2 {
		t.Errorf("%d ERROR lines for %d refused scans, want 2 (the start, then once a minute):\n%s", errorLines, scans, logs.String())
	}
	if !strings.Contains(logs.String(), "refused=") || !strings.Contains(logs.String(), "recording again") {
		t.Errorf("logs do not count refused scans or say the recovery:\n%s", logs.String())
	}
	if !errors.Is(health.StorageErr, kiosk.ErrDiskFull) || health.Refused != scans || !health.Since.Equal(t0.Add(cam.step)) {
		t.Errorf("Health while full = %+v, want the disk full error, %d refused since the first scan", health, scans)
	}
	if h := door.Health(); h.StorageErr != nil || h.Refused != 0 {
		t.Errorf("Health after recovery = %+v", h)
	}
	if len(ind.faults) != 2 || !errors.Is(ind.faults[0], kiosk.ErrDiskFull) || ind.faults[1] != nil {
		t.Errorf("faults = %v, want the full disk once, then cleared", ind.faults)
	}
}

type decoderFunc func(*kiosk.Frame) ([]string, error)

func (f decoderFunc) Decode(fr *kiosk.Frame) ([]string, error) { return f(fr) }

// TestDoorExitAtEOFOnUnreadableSource: with ExitAtEOF, a file or folder
// that cannot be read ends Serve with its error at once (it used to be
// retried forever with backoff); without it, it is retried like any camera
// failure.
func TestDoorExitAtEOFOnUnreadableSource(t *testing.T) {
	_, db := seeded(t, kiosk.RawSettings{})
	unreadable := fmt.Errorf("camera video file x.avi: cannot be read as a video (%w)", kiosk.ErrUnreadable)
	cam := &script{texts: [][]string{nil, nil}, errs: map[int]error{0: unreadable}, t0: t0}
	ind := &indicator{}
	door := &kiosk.Door{Camera: cam, Decoder: cam, Store: db, Indicator: ind, ExitAtEOF: true}
	// A retry would now wait an hour: Serve would end at the context's
	// deadline with the context's error instead.
	restore := kiosk.SlowCameraRetry()
	waiting, cancel := context.WithTimeout(ctx, 30*time.Second)
	err := door.Serve(waiting)
	cancel()
	restore()
	if !errors.Is(err, kiosk.ErrUnreadable) || cam.i != 1 {
		t.Fatalf("Serve = %v after %d reads, want the camera's error after 1 and no wait to retry", err, cam.i)
	}
	cam = &script{texts: [][]string{nil, nil}, errs: map[int]error{0: unreadable}, t0: t0}
	door = &kiosk.Door{Camera: cam, Decoder: cam, Store: db, Indicator: ind, MaxFrames: 1}
	if err := door.Serve(ctx); err != nil || cam.i != 2 {
		t.Fatalf("without ExitAtEOF: Serve = %v after %d reads, want a retry", err, cam.i)
	}
}

// TestDoorReport: the door's part of the health report: a camera that
// failed is not OK and says its error; one that delivers is OK, with its
// frame rate since the previous report and the last decision's time; one
// silent for CameraStaleAfter is not OK, even without an error.
func TestDoorReport(t *testing.T) {
	_, db := seeded(t, kiosk.RawSettings{})
	texts := [][]string{nil, {secret(5).Text()}}
	for range 8 {
		texts = append(texts, nil)
	}
	cam := &script{texts: texts, errs: map[int]error{0: errors.New("unplugged")}, t0: t0}
	door := &kiosk.Door{Camera: cam, Decoder: cam, Store: db, Indicator: &indicator{}, ExitAtEOF: true, MaxFrames: 1}
	before := time.Now()
	if r := door.Report(before); r.CameraOK || r.CameraError != "" || !r.LastFrame.IsZero() {
		t.Fatalf("before any frame: %+v", r)
	}
	if err := door.Serve(ctx); err != nil { // an error, then one frame: the badge
		t.Fatal(err)
	}
	// The camera recovered: no error, a fresh frame, a decision.
	now := time.Now()
	r := door.Report(now)
	if !r.CameraOK || r.CameraError != "" || r.LastFrame.Before(before) || r.LastDecision.IsZero() {
		t.Fatalf("after a frame and a decision: %+v", r)
	}
	door.MaxFrames = 0
	if err := door.Serve(ctx); err != nil { // 8 more frames, then the end
		t.Fatal(err)
	}
	later := now.Add(2 * time.Second)
	if r := door.Report(later); r.CameraFPS < 3.9 || r.CameraFPS > 4.1 {
		t.Fatalf("8 frames in 2 s: %v frames per second", r.CameraFPS)
	}
	if r := door.Report(door.LastFrame().Add(kiosk.CameraStaleAfter)); r.CameraOK || r.CameraFPS != 0 {
		t.Fatalf("no frame for %v: %+v", kiosk.CameraStaleAfter, r)
	}
	// A camera failing now says so.
	cam.i, cam.errs = 0, map[int]error{0: errors.New("no such device")}
	door.MaxFrames = 1
	door.ExitAtEOF = true
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	door.Serve(cctx)
	if r := door.Report(time.Now()); r.CameraOK || r.CameraError != "no such device" {
		t.Fatalf("failing camera: %+v", r)
	}
}
