package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/sqlite"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

var ctx = context.Background()

func mustOpen(tb testing.TB, dir string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func hashOf(b byte) badge.Hash {
	var s badge.Secret
	s[0] = b
	return s.Hash()
}

var now = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func member(id int64, b byte, ents ...access.Entitlement) kiosk.Member {
	return kiosk.Member{ID: id, Status: access.MemberActive, Badges: []kiosk.Badge{{Hash: hashOf(b)}}, Entitlements: ents}
}

func apply(tb testing.TB, db *sqlite.DB, first bool, r kiosk.Changes) {
	tb.Helper()
	if err := db.ApplyPull(ctx, first, r, now); err != nil {
		tb.Fatal(err)
	}
}

func lookup(tb testing.TB, db *sqlite.DB, b byte) kiosk.Holder {
	tb.Helper()
	h, err := db.Lookup(ctx, hashOf(b), access.Paris)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

func record(tb testing.TB, db *sqlite.DB, memberID int64, b byte, d access.Decision, at time.Time) kiosk.Entry {
	tb.Helper()
	e := kiosk.Entry{Time: at, Badge: hashOf(b), Member: memberID, Decision: d}
	if err := db.Record(ctx, &e); err != nil {
		tb.Fatal(err)
	}
	return e
}

func TestLookup(t *testing.T) {
	db := mustOpen(t, t.TempDir())
	apply(t, db, true, kiosk.Changes{Snapshot: true, Cursor: 10, Members: []kiosk.Member{
		member(1, 1, access.Entitlement{ID: 7, Kind: access.Pack, Start: access.MustDay("2026-11-01"), Entries: 3}),
		{ID: 2, Status: access.MemberSuspended, LastVisit: access.MustDay("2026-11-20"), Badges: []kiosk.Badge{{Hash: hashOf(2)}, {Hash: hashOf(3), Revoked: true}}},
	}})
	t.Run("Active", func(t *testing.T) {
		h := lookup(t, db, 1)
		if h.Badge != access.BadgeActive || h.Member != 1 || h.Status != access.MemberActive {
			t.Fatalf("got %+v", h)
		}
		if len(h.Entitlements) != 1 || h.Entitlements[0].Entries != 3 || h.Entitlements[0].Start != access.MustDay("2026-11-01") {
			t.Fatalf("entitlements %+v", h.Entitlements)
		}
	})
	t.Run("Unknown", func(t *testing.T) {
		if h := lookup(t, db, 9); h.Badge != access.BadgeUnknown || h.Member != 0 {
			t.Fatalf("got %+v", h)
		}
	})
	t.Run("Revoked", func(t *testing.T) {
		if h := lookup(t, db, 3); h.Badge != access.BadgeRevoked || h.Member != 2 {
			t.Fatalf("got %+v", h)
		}
	})
	t.Run("CentralLastVisit", func(t *testing.T) {
		if h := lookup(t, db, 2); h.LastVisit != access.MustDay("2026-11-20") || h.Status != access.MemberSuspended {
			t.Fatalf("got %+v", h)
		}
	})
}

// TestPendingConsumptionDeducted: entries this kiosk recorded above the
// acknowledgement central's balances include are deducted at lookup, and
// stop being deducted once central counts them.
func TestPendingConsumptionDeducted(t *testing.T) {
	db := mustOpen(t, t.TempDir())
	apply(t, db, true, kiosk.Changes{Snapshot: true, Cursor: 1, Members: []kiosk.Member{
		member(1, 1, access.Entitlement{ID: 7, Kind: access.Pack, Entries: 3}),
	}})
	e := record(t, db, 1, 1, access.Decision{Accept: true, Reason: access.OKPack, Consume: 7}, now)
	record(t, db, 0, 9, access.Decision{Reason: access.UnknownBadge}, now.Add(time.Second))
	h := lookup(t, db, 1)
	if got := h.Entitlements[0].Entries; got != 2 {
		t.Fatalf("entries left = %d, want 2 (one pending)", got)
	}
	if h.LastVisit != access.DayOf(now, access.Paris) {
		t.Fatalf("LastVisit = %v, want today from the local entry", h.LastVisit)
	}
	// Central acknowledges and sends the balance that includes it.
	apply(t, db, true, kiosk.Changes{Cursor: 2, Acked: e.Seq, Members: []kiosk.Member{
		member(1, 1, access.Entitlement{ID: 7, Kind: access.Pack, Entries: 2}),
	}})
	if got := lookup(t, db, 1).Entitlements[0].Entries; got != 2 {
		t.Fatalf("entries left after sync = %d, want 2", got)
	}
}

func TestRecordSequenceAndPending(t *testing.T) {
	dir := t.TempDir()
	db := mustOpen(t, dir)
	var seqs []int64
	for i := range 5 {
		e := record(t, db, 0, byte(i), access.Decision{Reason: access.UnknownBadge}, now.Add(time.Duration(i)*time.Second))
		if e.ID == "" || uuid.Validate(e.ID) != nil {
			t.Fatalf("entry id %q", e.ID)
		}
		seqs = append(seqs, e.Seq)
	}
	for i, s := range seqs {
		if s != int64(i+1) {
			t.Fatalf("seqs = %v, want 1..5", seqs)
		}
	}
	p, err := db.Pending(ctx, 3)
	if err != nil || len(p) != 3 || p[0].Seq != 1 || p[2].Seq != 3 {
		t.Fatalf("Pending = %+v, %v", p, err)
	}
	if p[0].Badge != hashOf(0) || p[0].Decision != (access.Decision{Reason: access.UnknownBadge}) || !p[0].Time.Equal(now) {
		t.Fatalf("pending entry = %+v", p[0])
	}
	if err := db.MarkSynced(ctx, 3, now); err != nil {
		t.Fatal(err)
	}
	p, _ = db.Pending(ctx, 10)
	if len(p) != 2 || p[0].Seq != 4 {
		t.Fatalf("after ack: %+v", p)
	}
	// Purge only synced entries; sequence numbers are never reused.
	if n, err := db.Purge(ctx, now.Add(time.Hour)); err != nil || n != 3 {
		t.Fatalf("Purge = %d, %v; want 3", n, err)
	}
	db.Close()
	db = mustOpen(t, dir)
	if e := record(t, db, 0, 1, access.Decision{Reason: access.NotABadge}, now); e.Seq != 6 {
		t.Fatalf("seq after reopen = %d, want 6", e.Seq)
	}
	st, err := db.Status(ctx)
	if err != nil || st.Pending != 3 || st.LastSeq != 6 || st.Enrolled || st.LastSync != nil || st.LastPush == nil {
		t.Fatalf("Status = %+v, %v", st, err)
	}
}

// TestAcknowledgeRenumbersConflicts: central refused sequences 3 and 4
// (it holds other entries there: this database came from a backup); they
// move after central's next sequence, in order, and new entries follow.
func TestAcknowledgeRenumbersConflicts(t *testing.T) {
	dir := t.TempDir()
	db := mustOpen(t, dir)
	var ids []string
	for i := range 5 {
		ids = append(ids, record(t, db, 0, byte(i), access.Decision{Reason: access.UnknownBadge}, now).ID)
	}
	if err := db.Acknowledge(ctx, 5, []int64{4, 3}, 10, now); err != nil {
		t.Fatal(err)
	}
	p, err := db.Pending(ctx, 10)
	if err != nil || len(p) != 2 || p[0].Seq != 10 || p[0].ID != ids[2] || p[1].Seq != 11 || p[1].ID != ids[3] {
		t.Fatalf("pending after renumbering = %+v, %v; want entries 3 and 4 at 10 and 11", p, err)
	}
	db.Close()
	db = mustOpen(t, dir)
	if e := record(t, db, 0, 9, access.Decision{Reason: access.NotABadge}, now); e.Seq != 12 {
		t.Fatalf("next seq = %d, want 12", e.Seq)
	}
	// Central holds more than this database numbered: no conflict, but
	// new entries start after central's.
	if err := db.Acknowledge(ctx, 12, nil, 40, now); err != nil {
		t.Fatal(err)
	}
	if e := record(t, db, 0, 9, access.Decision{Reason: access.NotABadge}, now); e.Seq != 40 {
		t.Fatalf("next seq = %d, want 40", e.Seq)
	}
	// A central that does not say (version 1) changes no number.
	if err := db.Acknowledge(ctx, 40, nil, 0, now); err != nil {
		t.Fatal(err)
	}
	if e := record(t, db, 0, 9, access.Decision{Reason: access.NotABadge}, now); e.Seq != 41 {
		t.Fatalf("next seq = %d, want 41", e.Seq)
	}
}

func TestSnapshotReplacesAndIncrementalUpdates(t *testing.T) {
	db := mustOpen(t, t.TempDir())
	apply(t, db, true, kiosk.Changes{Snapshot: true, Cursor: 5, Members: []kiosk.Member{member(1, 1), member(2, 2), member(3, 3)}})
	// A snapshot in two pages that no longer has member 2.
	apply(t, db, true, kiosk.Changes{Snapshot: true, More: true, Members: []kiosk.Member{member(1, 1)}})
	if h := lookup(t, db, 2); h.Badge != access.BadgeActive {
		t.Fatal("member 2 dropped before the snapshot's last page")
	}
	apply(t, db, false, kiosk.Changes{Snapshot: true, Cursor: 9, Members: []kiosk.Member{member(3, 4)}})
	if h := lookup(t, db, 2); h.Badge != access.BadgeUnknown {
		t.Fatal("member 2 still known after a snapshot without it")
	}
	if h := lookup(t, db, 3); h.Badge != access.BadgeUnknown {
		t.Fatal("member 3's old badge survived its replacement")
	}
	if h := lookup(t, db, 4); h.Member != 3 {
		t.Fatal("member 3's new badge unknown")
	}
	if c, _ := db.PullCursor(ctx); c != 9 {
		t.Fatalf("cursor = %d, want 9", c)
	}
	// Incremental: a revocation and an erasure.
	m1 := member(1, 1)
	m1.Badges[0].Revoked = true
	apply(t, db, true, kiosk.Changes{Cursor: 10, Members: []kiosk.Member{m1}, Deleted: []int64{3}})
	if h := lookup(t, db, 1); h.Badge != access.BadgeRevoked {
		t.Fatal("revocation not applied")
	}
	if h := lookup(t, db, 4); h.Badge != access.BadgeUnknown {
		t.Fatal("erased member still known")
	}
}

func TestStateSettings(t *testing.T) {
	db := mustOpen(t, t.TempDir())
	st, err := db.State(ctx)
	if err != nil || st.Settings.Location != access.Paris || !st.LastPull.IsZero() {
		t.Fatalf("fresh State = %+v, %v", st, err)
	}
	apply(t, db, true, kiosk.Changes{ServerTime: now.Add(time.Hour), Settings: kiosk.RawSettings{
		Space: "Lyon", Timezone: "America/Montreal", Hours: "mon-fri 08:00-18:00", StaleAfter: "72h", StalePolicy: "refuse"}})
	st, _ = db.State(ctx)
	s := st.Settings
	if s.Space != "Lyon" || s.Location.String() != "America/Montreal" || s.StaleAfter != 72*time.Hour ||
		s.StalePolicy != kiosk.StaleRefuse || s.Hours.String() == "" || !st.LastPull.Equal(now) || !st.KnownGood.Equal(now.Add(time.Hour)) {
		t.Fatalf("State = %+v", st)
	}
	// Bad values from central never stop the door: safe defaults.
	apply(t, db, true, kiosk.Changes{Settings: kiosk.RawSettings{Timezone: "Mars/Olympus", Hours: "whenever", StaleAfter: "soon"}})
	st, _ = db.State(ctx)
	if st.Settings.Location != access.Paris || st.Settings.StaleAfter != 0 || st.Settings.StalePolicy != kiosk.StaleWarn {
		t.Fatalf("State with bad settings = %+v", st.Settings)
	}
	// Record raises KnownGood, but never back.
	record(t, db, 0, 1, access.Decision{Reason: access.NotABadge}, now.Add(2*time.Hour))
	record(t, db, 0, 1, access.Decision{Reason: access.NotABadge}, now)
	st, _ = db.State(ctx)
	if !st.KnownGood.Equal(now.Add(2 * time.Hour)) {
		t.Fatalf("KnownGood = %v", st.KnownGood)
	}
}

func TestEnrollment(t *testing.T) {
	db := mustOpen(t, t.TempDir())
	if _, err := db.Enrollment(ctx); err != kiosk.ErrNotEnrolled {
		t.Fatalf("Enrollment before enroll = %v", err)
	}
	want := kiosk.Enrollment{Central: "https://c.example", KioskID: 4, KioskName: "Entrée", Space: "main", Token: "secret"}
	if err := db.SetEnrollment(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Enrollment(ctx); err != nil || got != want {
		t.Fatalf("Enrollment = %+v, %v", got, err)
	}
	fi, err := os.Stat(db.Path())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("database mode = %v, %v; want 0600 (it holds the token)", fi.Mode(), err)
	}
}

func TestDamagedDatabaseRefused(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, sqlite.FileName), []byte("this is not a database, just text long enough"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Open(dir); err == nil {
		t.Fatal("opened a damaged database")
	}
}

// BenchmarkRecord measures a durable (synchronous=FULL) entry commit.
func BenchmarkRecord(b *testing.B) {
	db := mustOpen(b, b.TempDir())
	for i := 0; b.Loop(); i++ {
		record(b, db, 1, 1, access.Decision{Reason: access.UnknownBadge}, now)
	}
}

func TestOddDataFolderName(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a#b?c%d é")
	db := mustOpen(t, dir)
	record(t, db, 0, 1, access.Decision{Reason: access.NotABadge}, now)
	if _, err := os.Stat(filepath.Join(dir, sqlite.FileName)); err != nil {
		t.Fatalf("database not where asked: %v", err)
	}
}
