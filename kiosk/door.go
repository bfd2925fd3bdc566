package kiosk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/backoff"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// Defaults for Door fields left zero.
const (
	DefaultDebounce = 2 * time.Second
	// ClockSlack is how far behind the last known good time the clock may
	// be before entries are flagged as recorded with an unsure clock.
	ClockSlack = 2 * time.Minute
)

// StorageLogEvery is how often a store that keeps failing (a full disk) is
// logged again, with the count of scans refused meanwhile: once per scan
// would flood the journal of a busy door, and fill the disk more.
const StorageLogEvery = time.Minute

// cameraRetry paces the retries of a failing camera: 250 ms doubling to
// 30 s, exact (one door, nobody to fall in step with).
var cameraRetry = backoff.Policy{Min: 250 * time.Millisecond, Max: 30 * time.Second}

// ReasonStorageError is shown (never recorded) when an entry could not be
// written: the door stays closed, since an accepted entry must be on disk
// before the light turns green.
const ReasonStorageError access.Reason = "storage_error"

// Decided is one committed decision, with the time from frame capture to
// the indicator call.
type Decided struct {
	Entry   Entry
	Latency time.Duration
	// Left is what her cards hold after this decision (entries usable
	// today), and Until the last day of the subscription that let her in;
	// for the door screen. Left is -1 when no card applies.
	Left  int
	Until access.Day
	// Name is the first name the door screen greets an accepted member
	// by ("Bonjour Alice !"); "" when the kiosk holds none (names off,
	// or a guest: a pass holds no name).
	Name string
	// Lang is "en" when the badge's holder speaks English: the door screen
	// says its message in English first.
	Lang string
}

// balance says what an accepted member holds after decision d on day:
// the entries left on her cards usable that day (-1 when she has none),
// and the end of the subscription that let her in.
func balance(ents []access.Entitlement, d access.Decision, day access.Day) (left int, until access.Day) {
	left = -1
	for _, e := range ents {
		if !e.ValidOn(day) {
			continue
		}
		switch e.Kind {
		case access.Pack:
			left = max(left, 0) + max(e.Entries, 0)
		case access.Subscription:
			if d.Reason == access.OKSubscription && e.End.After(until) {
				until = e.End
			}
		}
	}
	if d.Consume != 0 && left > 0 {
		left--
	}
	return left, until
}

// Door is the kiosk's main loop: camera → QR decoder → badge lookup →
// access rules → durable entry → indicator. Set the fields, then call Serve.
type Door struct {
	Camera    Camera
	Decoder   Decoder
	Store     Store
	Indicator Indicator
	Logger    *slog.Logger

	// Now returns the wall clock; nil means time.Now.
	Now func() time.Time
	// BootID identifies this boot of the machine; Mono returns the
	// monotonic time since boot. Both travel with entries so that central
	// can correct a wrong clock.
	BootID string
	Mono   func() time.Duration
	// Debounce is how long a code must be out of sight before it counts as
	// a new scan (0: DefaultDebounce). Holding a badge in front of the
	// camera is one scan.
	Debounce time.Duration
	// ExitAtEOF makes Serve return at the end of a video file or folder
	// instead of starting it again, and return the camera's error when the
	// file or folder cannot be read at all (ErrUnreadable) instead of
	// retrying it.
	ExitAtEOF bool
	// MaxFrames, when positive, makes Serve return after that many frames
	// (checking a camera, benchmarks).
	MaxFrames int
	// OnDecision, if set, is called after each entry is committed.
	OnDecision func(Decided)
	// OnFrame, if set, is called with each frame read, before it is
	// decoded (the door screen's preview). It must return quickly and not
	// keep the frame.
	OnFrame func(*Frame)

	seen         map[string]time.Time // text → last capture time it was seen
	lastFrame    atomic.Int64         // unix nanoseconds of the last frame read
	lastTurn     atomic.Int64         // unix nanoseconds of the last turn of the loop
	frames       atomic.Int64         // frames read since Serve started
	lastDecision atomic.Int64         // unix nanoseconds of the last decision's time

	// Standing problems shown with Indicator.Fault: the camera's and the
	// store's. mu guards them and the storage counters, which Health reads
	// from another goroutine.
	mu        sync.Mutex
	cameraErr error
	storage   storageTrouble
	// The previous Report's frame count and time, for the frame rate.
	reportFrames int64
	reportAt     time.Time
}

// storageTrouble is a store that fails (full disk, damaged card): every
// scan is refused, once per scan, and the failure is logged when it starts,
// once per StorageLogEvery while it lasts, and when it ends.
type storageTrouble struct {
	err      error     // the last failure; nil when the store works
	since    time.Time // when it started failing
	refused  int       // scans refused since then
	lastLog  time.Time
	unlogged int // scans refused since the last log line
}

// Health is the door's state, for the service manager's status line.
type Health struct {
	CameraErr  error     // the camera's failure, nil when it delivers
	StorageErr error     // the store's last failure, nil when it records
	Since      time.Time // when the store started failing
	Refused    int       // scans refused since the store failed
}

// Health reports the door's standing problems. It is safe to call from any
// goroutine.
func (d *Door) Health() Health {
	d.mu.Lock()
	defer d.mu.Unlock()
	return Health{CameraErr: d.cameraErr, StorageErr: d.storage.err, Since: d.storage.since, Refused: d.storage.refused}
}

// CameraStaleAfter is how long a camera may go without delivering a frame
// and still be reported working: a live camera gives several a second.
const CameraStaleAfter = 10 * time.Second

// Report returns the door's part of its health report at now (the wall
// clock): the camera's state, with the frames per second read since the
// previous Report (since Serve started, for the first), and the time of the
// last decision. Safe to call from any goroutine.
func (d *Door) Report(now time.Time) Report {
	frames := d.frames.Load()
	r := Report{Time: now, LastFrame: d.LastFrame(), LastDecision: unixNano(d.lastDecision.Load())}
	d.mu.Lock()
	if d.cameraErr != nil {
		r.CameraError = d.cameraErr.Error()
	}
	if !d.reportAt.IsZero() {
		if elapsed := now.Sub(d.reportAt).Seconds(); elapsed > 0 {
			r.CameraFPS = float64(frames-d.reportFrames) / elapsed
		}
	}
	d.reportFrames, d.reportAt = frames, now
	d.mu.Unlock()
	r.CameraOK = r.CameraError == "" && !r.LastFrame.IsZero() && now.Sub(r.LastFrame) < CameraStaleAfter
	return r
}

// setFault records a standing problem (nil clears it) and shows what is
// left of both on the indicator.
func (d *Door) setFault(camera bool, err error) {
	d.mu.Lock()
	if camera {
		d.cameraErr = err
	} else {
		d.storage.err = err
	}
	shown := errors.Join(d.cameraErr, d.storage.err)
	d.mu.Unlock()
	d.Indicator.Fault(shown)
}

// LastFrame returns when the door last got a frame from the camera.
func (d *Door) LastFrame() time.Time { return unixNano(d.lastFrame.Load()) }

// LastTurn returns when the loop last went round, with a frame or a camera
// failure: the watchdog's sign of life (a camera stuck in a read stops it).
func (d *Door) LastTurn() time.Time { return unixNano(d.lastTurn.Load()) }

func unixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func (d *Door) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Door) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.Default()
}

// Serve reads frames until ctx is done (or the source ends, with
// ExitAtEOF). Camera failures are reported on the indicator and retried
// with a capped exponential backoff; they never end Serve, except a file or
// folder that cannot be read (ErrUnreadable) with ExitAtEOF: Serve then
// returns that error.
func (d *Door) Serve(ctx context.Context) error {
	var f Frame
	failures := 0 // in a row
	faulty := false
	for frames := 0; ctx.Err() == nil && (d.MaxFrames <= 0 || frames < d.MaxFrames); {
		err := d.Camera.Read(ctx, &f)
		d.lastTurn.Store(time.Now().UnixNano())
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, io.EOF):
			if d.ExitAtEOF {
				return nil
			}
			continue // the camera starts the file again
		case d.ExitAtEOF && errors.Is(err, ErrUnreadable):
			return err
		default:
			wait := cameraRetry.Delay(failures)
			failures++
			d.logger().Error("camera", "err", err, "retry_in", wait)
			if !faulty {
				d.setFault(true, err)
				faulty = true
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(wait):
			}
			continue
		}
		if faulty {
			d.logger().Info("camera recovered")
			d.setFault(true, nil)
			faulty = false
		}
		failures = 0
		frames++
		d.frames.Add(1)
		d.lastFrame.Store(time.Now().UnixNano())
		if d.OnFrame != nil {
			d.OnFrame(&f)
		}
		if err := d.HandleFrame(ctx, &f); err != nil && !errors.Is(err, errStorageLogged) {
			d.logger().Error("frame", "err", err)
		}
	}
	return nil
}

// HandleFrame decodes one frame and handles each new scan in it.
func (d *Door) HandleFrame(ctx context.Context, f *Frame) error {
	texts, err := d.Decoder.Decode(f)
	if err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	var errs []error
	at := f.Time
	if at.IsZero() {
		at = f.Captured
	}
	for _, text := range texts {
		if !d.fresh(text, at) {
			continue
		}
		if _, err := d.Scan(ctx, text, f.Captured); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// fresh reports whether text starts a new scan at capture time t, and
// remembers it as seen.
func (d *Door) fresh(text string, t time.Time) bool {
	window := d.Debounce
	if window <= 0 {
		window = DefaultDebounce
	}
	if d.seen == nil {
		d.seen = make(map[string]time.Time)
	}
	last, ok := d.seen[text]
	d.seen[text] = t
	if t.Before(last) { // the stream went back (a video starting again)
		return true
	}
	if len(d.seen) > 64 { // forget codes long gone; the map stays small
		for k, v := range d.seen {
			if t.Sub(v) > window {
				delete(d.seen, k)
			}
		}
	}
	return !ok || t.Sub(last) > window
}

// Scan decides on one scanned text captured at captured, records the entry
// and shows the outcome. It returns the committed decision.
func (d *Door) Scan(ctx context.Context, text string, captured time.Time) (Decided, error) {
	st, err := d.Store.State(ctx)
	if err != nil {
		return d.fail(err)
	}
	now := d.now()
	e := Entry{Time: now, BootID: d.BootID}
	if d.Mono != nil {
		e.Mono = d.Mono()
	}
	// A clock behind the last time known to be right (no RTC, not yet set
	// after a power cut) is flagged; decisions then use the known time.
	decideAt := now
	if now.Before(st.KnownGood.Add(-ClockSlack)) {
		e.ClockUnsure = true
		decideAt = st.KnownGood
	}
	var holder Holder
	secret, err := badge.Parse(text)
	switch {
	case badge.IsCode(text):
		if holder, err = d.scanCode(ctx, text, &e, st, decideAt); err != nil {
			return d.fail(err)
		}
	case errors.Is(err, badge.ErrNotBadge):
		e.Decision = access.Decision{Reason: access.NotABadge}
	case err != nil:
		e.Decision = access.Decision{Reason: access.MalformedBadge}
	default:
		e.Badge = secret.Hash()
		h, err := d.Store.Lookup(ctx, e.Badge, st.Settings.Location)
		if err != nil {
			return d.fail(err)
		}
		holder = h
		e.Member = h.Member
		e.Decision = access.Decide(access.Request{
			Badge: h.Badge, Member: h.Status, Entitlements: h.Entitlements, LastVisit: h.LastVisit,
			Now: decideAt, Location: st.Settings.Location, Hours: st.Settings.Hours,
			Passback: st.Settings.Passback, LastAccepted: h.LastAccepted,
			RequireMembership: st.Settings.RequireMembership, Space: st.Settings.SpaceID, Events: h.Events,
		})
		if h.Elsewhere && e.Decision.Reason == access.UnknownBadge {
			// Unknown here, a member of another space of the network.
			e.Decision = access.Decision{Reason: access.NotValidHere}
		}
	}
	if e.Decision.Accept && e.Decision.Reason != access.OKUnlimited && stale(st, now) {
		e.Decision = access.Decision{Reason: access.StaleState}
	}
	if err := d.Store.Record(ctx, &e); err != nil {
		return d.fail(err)
	}
	d.storageWorks()
	d.lastDecision.Store(e.Time.UnixNano())
	dec := Decided{Entry: e, Latency: time.Since(captured), Left: -1, Lang: holder.Lang}
	if e.Decision.Accept {
		dec.Left, dec.Until = balance(holder.Entitlements, e.Decision, access.DayOf(decideAt, st.Settings.Location))
		dec.Name = holder.Name
	}
	d.Indicator.Show(Outcome{Accept: e.Decision.Accept, Reason: e.Decision.Reason})
	if d.OnDecision != nil {
		d.OnDecision(dec)
	}
	return dec, nil
}

// scanCode decides on a signed code ("BG2:"): a phone badge's code for a
// 30-second window, a guest pass for a day at this space, or an event
// ticket for its event's hours at its space. All are
// verified offline with central's public key; a code that does not verify
// (forged, for another space or another central, or no key received yet)
// is an unknown badge; one shown outside its validity, plus the clock
// tolerance for a phone code, is expired. It returns the phone badge's
// holder, for the door screen (her name, what she has left); a guest's is
// the zero Holder: the screen says nothing of her host.
func (d *Door) scanCode(ctx context.Context, text string, e *Entry, st State, at time.Time) (Holder, error) {
	s := st.Settings
	c, err := badge.ParseCode(text)
	if err != nil {
		e.Decision = access.Decision{Reason: access.MalformedBadge}
		return Holder{}, nil
	}
	// A guest pass is signed for its space's name: the name now, or, mailed
	// before the space was renamed, its first name (its key, which central
	// sends when it has one).
	if !c.Verify(s.CodeKey, s.Space) && (c.Kind != badge.KindGuest || s.SpaceKey == "" || !c.Verify(s.CodeKey, s.SpaceKey)) {
		e.Decision = access.Decision{Reason: access.UnknownBadge}
		return Holder{}, nil
	}
	e.Badge = c.Hash()
	from, until := c.Valid(s.Location)
	req := access.Request{Now: at, Location: s.Location, Hours: s.Hours, Passback: s.Passback, Space: s.SpaceID,
		Code: access.Window{From: from, Until: until, Tolerance: s.CodeTolerance}}
	var h Holder
	if c.Kind == badge.KindEvent {
		// An event ticket: no member, its event's hours and space in it.
		if h, err = d.Store.LookupTicket(ctx, int64(c.ID), e.Badge); err != nil {
			return Holder{}, err
		}
		e.Decision = access.Decide(access.Request{Ticket: true, Badge: h.Badge, Now: at, Location: s.Location,
			Space: s.SpaceID, Passback: s.Passback, LastAccepted: h.LastAccepted,
			Events: []access.Event{{ID: int64(c.ID), Space: int64(c.Space), Start: from, End: until}}})
		return Holder{}, nil // no member: the screen greets no one by name
	}
	if c.Kind == badge.KindGuest {
		// A pass holds its day, no more: the tolerance is for a phone
		// code's 30 seconds.
		req.Code.Tolerance = 0
		req.Guest, req.GuestConsumes = true, s.GuestConsumes
		if h, err = d.Store.LookupMember(ctx, int64(c.Host), e.Badge, s.Location); err != nil {
			return Holder{}, err
		}
		h.Badge = access.BadgeActive // the signature vouches for the pass
	} else if h, err = d.Store.Lookup(ctx, e.Badge, s.Location); err != nil {
		return Holder{}, err
	}
	e.Member = h.Member
	req.Badge, req.Member, req.Entitlements, req.LastVisit, req.LastAccepted = h.Badge, h.Status, h.Entitlements, h.LastVisit, h.LastAccepted
	if !req.Guest {
		req.Events = h.Events // a phone badge is hers: her events too
	}
	e.Decision = access.Decide(req)
	if h.Elsewhere && e.Decision.Reason == access.UnknownBadge {
		e.Decision = access.Decision{Reason: access.NotValidHere}
	}
	if c.Kind == badge.KindGuest {
		return Holder{}, nil // her host's name and balance are not hers to see
	}
	return h, nil
}

// stale reports whether the state is too old to trust under policy refuse.
func stale(st State, now time.Time) bool {
	s := st.Settings
	return s.StalePolicy == StaleRefuse && s.StaleAfter > 0 && now.Sub(st.LastPull) > s.StaleAfter
}

// errStorageLogged marks the errors of scans refused because the store
// failed: the door logged them already, at its own pace.
var errStorageLogged = errors.New("store failing")

// storageError is a scan refused because the store failed.
type storageError struct{ err error }

func (e *storageError) Error() string   { return e.err.Error() }
func (e *storageError) Unwrap() []error { return []error{e.err, errStorageLogged} }

// fail keeps the door closed when the kiosk cannot decide or record: one
// refusal for the scan, and a log line when the failure starts, then once
// per StorageLogEvery with the count of scans refused meanwhile.
func (d *Door) fail(err error) (Decided, error) {
	d.Indicator.Show(Outcome{Reason: ReasonStorageError})
	now := d.now()
	d.mu.Lock()
	t := &d.storage
	first := t.err == nil
	if first {
		t.since, t.refused, t.unlogged = now, 0, 0
	}
	t.refused++
	t.unlogged++
	logNow := first || now.Sub(t.lastLog) >= StorageLogEvery || now.Before(t.lastLog)
	refused, unlogged, since := t.refused, t.unlogged, t.since
	if logNow {
		t.lastLog, t.unlogged = now, 0
	}
	d.mu.Unlock()
	if first {
		d.setFault(false, err)
	} else {
		d.mu.Lock()
		d.storage.err = err
		d.mu.Unlock()
	}
	switch {
	case first:
		d.logger().Error("cannot record: scans are refused until the store works again", "err", err)
	case logNow:
		d.logger().Error("still cannot record; scans refused", "err", err, "refused", refused,
			"since_last_log", unlogged, "since", since)
	}
	return Decided{}, fmt.Errorf("scan: %w", &storageError{err})
}

// storageWorks ends a storage failure after an entry was recorded.
func (d *Door) storageWorks() {
	d.mu.Lock()
	t := d.storage
	if t.err != nil {
		d.storage = storageTrouble{}
	}
	d.mu.Unlock()
	if t.err != nil {
		d.logger().Info("recording again", "refused_meanwhile", t.refused, "failing_for", d.now().Sub(t.since))
		d.setFault(false, nil)
	}
}
