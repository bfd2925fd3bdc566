package uplink_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/sqlite"
	"github.com/badgeuse/badgeuse/kiosk/uplink"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
	"github.com/badgeuse/badgeuse/shared/wire"
)

var ctx = context.Background()

// fakeCentral follows the wire contract: gzip bodies, bearer token,
// idempotent push with contiguous ack, paged pull. chaos drops requests
// before or answers after processing, at random.
type fakeCentral struct {
	mu       sync.Mutex
	token    string
	entries  map[int64]wire.Entry
	received int // push requests seen
	members  []wire.Member
	cursor   int64
	// chaos loses requests: of every three, one is lost before central
	// processes it, one after (central did the work; the answer is lost).
	chaos    bool
	requests int
	replayed int // entries received again
}

func newFake() *fakeCentral {
	return &fakeCentral{token: "kiosk-token", entries: map[int64]wire.Entry{}}
}

func (f *fakeCentral) ack() int64 {
	var a int64
	for {
		if _, ok := f.entries[a+1]; !ok {
			return a
		}
		a++
	}
}

func (f *fakeCentral) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fail := func(status int, code string) {
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(wire.Error{Code: code, Message: code})
	}
	f.requests++
	if f.chaos && f.requests%3 == 1 {
		fail(http.StatusBadGateway, wire.CodeInternal) // lost before central saw it
		return
	}
	if r.Header.Get("Content-Encoding") != "gzip" {
		fail(400, wire.CodeBadRequest)
		return
	}
	zr, err := gzip.NewReader(r.Body)
	if err != nil {
		fail(400, wire.CodeBadRequest)
		return
	}
	if r.URL.Path != wire.PathEnroll && r.Header.Get("Authorization") != "Bearer "+f.token {
		fail(401, wire.CodeUnauthorized)
		return
	}
	var out any
	switch r.URL.Path {
	case wire.PathEnroll:
		req, err := wire.DecodeEnroll(zr)
		if err != nil || req.Token != "one-time" {
			fail(403, wire.CodeTokenUsed)
			return
		}
		out = wire.EnrollResponse{KioskID: 3, KioskName: "Entrée", KioskToken: f.token, Space: "main"}
	case wire.PathPush:
		req, err := wire.DecodePush(zr)
		if err != nil {
			fail(400, wire.CodeBadRequest)
			return
		}
		f.received++
		for _, e := range req.Entries {
			if old, ok := f.entries[e.Seq]; ok {
				if old.ID != e.ID {
					panic("two entries with one sequence")
				}
				f.replayed++
			}
			f.entries[e.Seq] = e
		}
		out = wire.PushResponse{Ack: f.ack(), ServerTime: time.Now()}
	case wire.PathPull:
		req, err := wire.DecodePull(zr)
		if err != nil {
			fail(400, wire.CodeBadRequest)
			return
		}
		start, _ := strconv.Atoi(req.Page)
		end := min(start+2, len(f.members))
		resp := wire.PullResponse{Snapshot: req.Cursor == 0, Cursor: f.cursor, Members: f.members[start:end], Acked: f.ack(), ServerTime: time.Now()}
		if end < len(f.members) {
			resp.More, resp.Page = true, strconv.Itoa(end)
		}
		out = resp
	}
	if f.chaos && f.requests%3 == 2 {
		fail(http.StatusGatewayTimeout, wire.CodeInternal) // done, but the answer is lost
		return
	}
	json.NewEncoder(w).Encode(out)
}

func kioskDB(t *testing.T, central string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if central != "" {
		if err := db.SetEnrollment(ctx, kiosk.Enrollment{Central: central, KioskID: 3, Token: "kiosk-token"}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func addEntries(t *testing.T, db *sqlite.DB, n int) {
	t.Helper()
	for i := range n {
		e := kiosk.Entry{Time: time.Date(2026, 11, 26, 9, 0, i, 0, time.UTC), Decision: access.Decision{Reason: access.NotABadge}}
		if err := db.Record(ctx, &e); err != nil {
			t.Fatal(err)
		}
	}
}

// TestExactlyOnceThroughChaos: requests lost before or after central
// processes them; retried rounds deliver every entry once.
func TestExactlyOnceThroughChaos(t *testing.T) {
	f := newFake()
	f.chaos = true
	srv := httptest.NewServer(f)
	defer srv.Close()
	db := kioskDB(t, srv.URL)
	addEntries(t, db, 1234)
	loop := &uplink.Loop{Store: db}
	var err error
	failed := 0
	for round := 0; round < 200; round++ {
		if _, err = loop.Sync(ctx); err == nil {
			break
		}
		failed++
	}
	if err != nil {
		t.Fatalf("never synced: %v", err)
	}
	st, _ := db.Status(ctx)
	if st.Pending != 0 {
		t.Fatalf("%d entries still pending", st.Pending)
	}
	if len(f.entries) != 1234 || f.ack() != 1234 {
		t.Fatalf("central holds %d entries, ack %d; want 1234", len(f.entries), f.ack())
	}
	if failed == 0 || f.replayed == 0 {
		t.Fatalf("%d failed rounds, %d entries replayed: chaos did not happen", failed, f.replayed)
	}
}

// syncedThenCentralRestored syncs 10 entries, then makes central lose
// entries 6-10 (restored from an older backup).
func syncedThenCentralRestored(t *testing.T) (*fakeCentral, *sqlite.DB, *uplink.Loop) {
	t.Helper()
	f := newFake()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	db := kioskDB(t, srv.URL)
	addEntries(t, db, 10)
	loop := &uplink.Loop{Store: db}
	if _, err := loop.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	for s := int64(6); s <= 10; s++ {
		delete(f.entries, s)
	}
	f.mu.Unlock()
	return f, db, loop
}

func TestCentralRestoredFromBackup(t *testing.T) {
	f, db, loop := syncedThenCentralRestored(t)
	addEntries(t, db, 2)
	if _, err := loop.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if len(f.entries) != 12 || f.ack() != 12 {
		t.Fatalf("central holds %d entries, ack %d; want 12", len(f.entries), f.ack())
	}
}

// TestCentralRestoredNothingPending: central restored from an older backup
// while this kiosk has nothing left to send learns it from the pull's
// acknowledgement and sends again what central lacks, without waiting for
// a new entry to push (issue 17).
func TestCentralRestoredNothingPending(t *testing.T) {
	f, _, loop := syncedThenCentralRestored(t)
	// One round: the pull finds central behind; the next round's push
	// sends 6-10 again. No new entry is made.
	for range 2 {
		if _, err := loop.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.entries) != 10 || f.ack() != 10 {
		t.Fatalf("central holds %d entries, ack %d; want 10", len(f.entries), f.ack())
	}
}

func TestPullPagesAndSnapshot(t *testing.T) {
	f := newFake()
	f.cursor = 7
	for i := range 5 {
		var s badge.Secret
		s[0] = byte(i)
		f.members = append(f.members, wire.Member{ID: int64(i + 1), Status: "active", Badges: []wire.Badge{{Hash: s.Hash().String()}}})
	}
	srv := httptest.NewServer(f)
	defer srv.Close()
	db := kioskDB(t, srv.URL)
	res, err := (&uplink.Loop{Store: db}).Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pulled != 5 || res.Cursor != 7 {
		t.Fatalf("Result = %+v", res)
	}
	st, _ := db.Status(ctx)
	if st.Members != 5 || st.StateVersion != 7 || st.LastSync == nil {
		t.Fatalf("Status = %+v", st)
	}
}

func TestErrors(t *testing.T) {
	f := newFake()
	srv := httptest.NewServer(f)
	defer srv.Close()
	t.Run("NotEnrolled", func(t *testing.T) {
		if _, err := (&uplink.Loop{Store: kioskDB(t, "")}).Sync(ctx); !errors.Is(err, kiosk.ErrNotEnrolled) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("WrongToken", func(t *testing.T) {
		db := kioskDB(t, srv.URL)
		db.SetEnrollment(ctx, kiosk.Enrollment{Central: srv.URL, Token: "stolen"})
		addEntries(t, db, 1)
		_, err := (&uplink.Loop{Store: db}).Sync(ctx)
		var werr *wire.Error
		if !errors.As(err, &werr) || werr.Code != wire.CodeUnauthorized {
			t.Fatalf("err = %v", err)
		}
		if st, _ := db.Status(ctx); st.Pending != 1 {
			t.Fatal("entry lost after a refused push")
		}
	})
	t.Run("CentralDown", func(t *testing.T) {
		db := kioskDB(t, "http://127.0.0.1:1")
		addEntries(t, db, 1)
		if _, err := (&uplink.Loop{Store: db}).Sync(ctx); err == nil {
			t.Fatal("sync to nowhere succeeded")
		}
	})
	t.Run("Enroll", func(t *testing.T) {
		resp, err := uplink.Enroll(ctx, nil, srv.URL+"/", "one-time", "test")
		if err != nil || resp.KioskToken != "kiosk-token" || resp.KioskID != 3 {
			t.Fatalf("Enroll = %+v, %v", resp, err)
		}
		_, err = uplink.Enroll(ctx, nil, srv.URL, "used", "test")
		var werr *wire.Error
		if !errors.As(err, &werr) || werr.Code != wire.CodeTokenUsed {
			t.Fatalf("Enroll with a bad token = %v", err)
		}
	})
}

// TestServeBacksOffAndRecovers: with central down, Serve keeps the entries
// and retries; once central is back, they arrive.
func TestServeBacksOffAndRecovers(t *testing.T) {
	f := newFake()
	var down sync.Mutex
	isDown := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		down.Lock()
		d := isDown
		down.Unlock()
		if d {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "maintenance")
			return
		}
		f.ServeHTTP(w, r)
	}))
	defer srv.Close()
	db := kioskDB(t, srv.URL)
	addEntries(t, db, 3)
	loop := &uplink.Loop{Store: db, Interval: 20 * time.Millisecond, MaxBackoff: 80 * time.Millisecond}
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- loop.Serve(cctx) }()
	time.Sleep(200 * time.Millisecond)
	down.Lock()
	isDown = false
	down.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.mu.Lock()
		n := len(f.entries)
		f.mu.Unlock()
		if n == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("central got %d entries, want 3", n)
		}
		loop.Kick()
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestProtocolConversion: the store speaks kiosk types and the uplink
// converts. A recorded entry reaches central field for field, and what a
// pull sends (badges, days, packs, settings) reads back the same from the
// store; a page with a malformed badge hash or day is refused whole.
func TestProtocolConversion(t *testing.T) {
	f := newFake()
	f.cursor = 4
	var s1, s2 badge.Secret
	s1[0], s2[0] = 1, 2
	f.members = []wire.Member{{ID: 9, Status: "suspended", LastVisit: "2026-11-20",
		Badges:       []wire.Badge{{Hash: s1.Hash().String()}, {Hash: s2.Hash().String(), Revoked: true}},
		Entitlements: []wire.Entitlement{{ID: 70, Kind: "pack", Start: "2026-11-01", End: "2027-10-31", Entries: 4}}}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	db := kioskDB(t, srv.URL)
	at := time.Date(2026, 11, 26, 9, 12, 0, 123, time.UTC)
	rec := kiosk.Entry{Time: at, ClockUnsure: true, BootID: "boot-1", Mono: 42 * time.Second, Badge: s1.Hash(),
		Member: 9, Decision: access.Decision{Accept: true, Reason: access.OKPack, Consume: 70}}
	if err := db.Record(ctx, &rec); err != nil {
		t.Fatal(err)
	}
	loop := &uplink.Loop{Store: db}
	if _, err := loop.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	want := wire.Entry{ID: rec.ID, Seq: 1, Time: at, ClockUnsure: true, BootID: "boot-1", Mono: int64(42 * time.Second),
		Badge: s1.Hash().String(), Member: 9, Decision: wire.DecisionAccept, Reason: "pack", Consumed: 70}
	got := f.entries[1]
	if !got.Time.Equal(want.Time) {
		t.Fatalf("time at central %v, want %v", got.Time, want.Time)
	}
	got.Time = want.Time
	if got != want {
		t.Fatalf("entry at central:\n got %+v\nwant %+v", got, want)
	}
	if err := got.Validate(); err != nil {
		t.Fatalf("entry at central does not validate: %v", err)
	}

	h, err := db.Lookup(ctx, s1.Hash(), access.Paris)
	if err != nil {
		t.Fatal(err)
	}
	wantEnt := access.Entitlement{ID: 70, Kind: access.Pack, Start: access.MustDay("2026-11-01"), End: access.MustDay("2027-10-31"), Entries: 4}
	if h.Badge != access.BadgeActive || h.Member != 9 || h.Status != access.MemberSuspended ||
		len(h.Entitlements) != 1 || h.Entitlements[0] != wantEnt || h.LastVisit != access.MustDay("2026-11-26") {
		t.Fatalf("holder = %+v", h)
	}
	if h, _ := db.Lookup(ctx, s2.Hash(), access.Paris); h.Badge != access.BadgeRevoked {
		t.Fatalf("revoked badge read as %v", h.Badge)
	}

	for _, bad := range []wire.Member{
		{ID: 10, Status: "active", Badges: []wire.Badge{{Hash: "not-a-hash"}}},
		{ID: 10, Status: "active", LastVisit: "26/11/2026"},
		{ID: 10, Status: "active", Entitlements: []wire.Entitlement{{ID: 71, Kind: "pack", End: "2026-13-01"}}},
	} {
		f.mu.Lock()
		f.cursor++
		f.members = []wire.Member{bad}
		f.mu.Unlock()
		if _, err := loop.Sync(ctx); err == nil || !strings.Contains(err.Error(), "member 10") {
			t.Fatalf("malformed member %+v: err = %v", bad, err)
		}
		if st, _ := db.Status(ctx); st.StateVersion != 4 || st.Members != 1 {
			t.Fatalf("a refused page was applied: %+v", st)
		}
	}
}
