package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

func testPush(t *testing.T) {
	t.Run("ReplayInsertsNothingAndAcksTheSame", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		m := f.member("Alice")
		f.sell(m, f.product(access.Pack, 10, 0))
		now := f.clock.Now()
		batch := []*central.Entry{entry(1, m, now), entry(2, 0, now), entry(3, m, now)}
		first := f.push(k, batch...)
		if first.Ack != 3 || first.Inserted != 3 || first.Duplicates != 0 {
			t.Fatalf("first push %+v, want ack 3, 3 inserted", first)
		}
		again := f.push(k, batch...)
		if again.Ack != 3 || again.Inserted != 0 || again.Duplicates != 3 || again.Conflicts != 0 {
			t.Fatalf("replay %+v, want ack 3, 0 inserted, 3 duplicates", again)
		}
		if n := len(f.allEntries()); n != 3 {
			t.Fatalf("%d entries stored, want 3", n)
		}
		if got := f.balance(m).EntriesLeft; got != 9 {
			t.Fatalf("entries left %d, want 9", got)
		}
	})
	t.Run("OverlappingBatchesInsertOnlyTheNew", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		now := f.clock.Now()
		var es []*central.Entry
		for i := int64(1); i <= 5; i++ {
			es = append(es, entry(i, 0, now))
		}
		f.push(k, es[:3]...)
		res := f.push(k, es[1:]...)
		if res.Ack != 5 || res.Inserted != 2 || res.Duplicates != 2 {
			t.Fatalf("overlapping push %+v, want ack 5, 2 inserted, 2 duplicates", res)
		}
	})
	t.Run("ConcurrentDuplicateRequestsStoreOnce", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		m := f.member("Alice")
		f.sell(m, f.product(access.Pack, 10, 0))
		now := f.clock.Now()
		var es []*central.Entry
		for i := int64(1); i <= 20; i++ {
			es = append(es, entry(i, m, now.Add(time.Duration(i)*time.Minute)))
		}
		var wg sync.WaitGroup
		results := make([]central.PushResult, 4)
		errs := make([]error, 4)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = f.sync.Push(f.ctx, &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: clone(es...)})
			}()
		}
		wg.Wait()
		inserted := 0
		for i, r := range results {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if r.Ack != 20 {
				t.Fatalf("request %d: ack %d, want 20", i, r.Ack)
			}
			inserted += r.Inserted
		}
		if inserted != 20 || len(f.allEntries()) != 20 {
			t.Fatalf("%d inserted, %d stored; want 20 and 20", inserted, len(f.allEntries()))
		}
		if got := f.balance(m).EntriesLeft; got != 9 {
			t.Fatalf("entries left %d, want 9 (one visit)", got)
		}
	})
	t.Run("GapStoredButAckStaysBelowIt", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		now := f.clock.Now()
		es := []*central.Entry{entry(1, 0, now), entry(2, 0, now), entry(3, 0, now), entry(4, 0, now), entry(5, 0, now)}
		if res := f.push(k, es[0], es[1]); res.Ack != 2 {
			t.Fatalf("ack %d, want 2", res.Ack)
		}
		res := f.push(k, es[3], es[4])
		if res.Ack != 2 || res.Inserted != 2 {
			t.Fatalf("push after a gap %+v, want ack 2 and 2 inserted", res)
		}
		if res := f.push(k, es[2]); res.Ack != 5 || res.Inserted != 1 {
			t.Fatalf("filling the gap %+v, want ack 5, 1 inserted", res)
		}
		got, err := f.kiosks.FindKioskByID(f.ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Acked != 5 {
			t.Fatalf("kiosk acked %d, want 5", got.Acked)
		}
	})
	t.Run("SameSequenceOtherIDIsAConflict", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		now := f.clock.Now()
		f.push(k, entry(1, 0, now), entry(2, 0, now))
		res := f.push(k, entry(3, 0, now))
		if res.Ack != 3 {
			t.Fatalf("ack %d", res.Ack)
		}
		// A kiosk whose database was reset sends seq 4 twice with new ids.
		f.push(k, entry(4, 0, now))
		res = f.push(k, entry(4, 0, now))
		if res.Conflicts != 1 || res.Inserted != 0 || res.Ack != 4 {
			t.Fatalf("reused sequence %+v, want 1 conflict, ack 4", res)
		}
	})
	t.Run("RestoredKioskGetsItsReusedSequencesBack", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		now := f.clock.Now()
		var es []*central.Entry
		for i := int64(1); i <= 5; i++ {
			es = append(es, entry(i, 0, now))
		}
		f.push(k, es...)
		// Restored from a backup taken after seq 3: 4 and 5 come again
		// with new ids, then 6, new.
		res := f.push(k, es[2], entry(4, 0, now), entry(5, 0, now), entry(6, 0, now))
		if res.Ack != 6 || res.Inserted != 1 || res.Duplicates != 1 || res.Conflicts != 2 ||
			!slices.Equal(res.Resend, []int64{4, 5}) || res.NextSeq != 7 {
			t.Fatalf("%+v: want ack 6, 1 inserted, 1 duplicate, 4 and 5 to resend, next 7", res)
		}
		// The kiosk renumbers them; a replay of the renumbered one at its
		// new sequence, or at its old one, is a duplicate.
		a := entry(7, 0, now)
		if res := f.push(k, a); res.Inserted != 1 || res.Ack != 7 || res.NextSeq != 8 {
			t.Fatalf("renumbered: %+v", res)
		}
		b := *a
		b.Seq = 4
		if res := f.push(k, &b); res.Duplicates != 1 || len(res.Resend) != 0 {
			t.Fatalf("an entry held at another sequence: %+v, want a duplicate", res)
		}
		if n := len(f.allEntries()); n != 7 {
			t.Fatalf("%d entries, want 7", n)
		}
	})
	t.Run("NextSeqCountsEntriesAboveAGap", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		now := f.clock.Now()
		if res := f.push(k, entry(1, 0, now), entry(5, 0, now)); res.Ack != 1 || res.NextSeq != 6 {
			t.Fatalf("%+v, want ack 1, next 6", res)
		}
	})
	t.Run("NewEntryAtAPurgedSequenceIsResent", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		old := entry(1, 0, paris("2026-01-05 09:00"))
		f.push(k, old, entry(2, 0, f.clock.Now()))
		if n, err := f.entries.PurgeEntries(f.ctx, paris("2026-02-01 00:00")); err != nil || n != 1 {
			t.Fatalf("purged %d (%v), want 1", n, err)
		}
		// The purged entry sent again is a replay; a new entry at its
		// sequence (a kiosk restored from an old backup) is not.
		if res := f.push(k, old); res.Duplicates != 1 || len(res.Resend) != 0 {
			t.Fatalf("replay of a purged entry %+v, want a duplicate", res)
		}
		if res := f.push(k, entry(1, 0, f.clock.Now())); res.Conflicts != 1 || !slices.Equal(res.Resend, []int64{1}) || res.NextSeq != 3 {
			t.Fatalf("new entry at a purged sequence %+v, want it to resend, next 3", res)
		}
	})
	t.Run("SameIDFromAnotherKioskIsNotStoredTwice", func(t *testing.T) {
		f := newFixture(t)
		a, b := f.kiosk("a", ""), f.kiosk("b", "")
		e := entry(1, 0, f.clock.Now())
		f.push(a, e)
		res := f.push(b, e)
		if res.Inserted != 0 || res.Conflicts != 1 || res.Ack != 0 {
			t.Fatalf("%+v: want nothing stored, 1 conflict, ack 0", res)
		}
		if n := len(f.allEntries()); n != 1 {
			t.Fatalf("%d entries, want 1", n)
		}
	})
	t.Run("UnknownMemberKeptAnonymous", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		res := f.push(k, entry(1, 999, f.clock.Now()))
		if res.Inserted != 1 || res.Ack != 1 {
			t.Fatalf("%+v", res)
		}
		if es := f.allEntries(); es[0].Member != 0 {
			t.Fatalf("member %d kept for an unknown member", es[0].Member)
		}
	})
	t.Run("ExtremeDatesNeverFailNorDebitAhead", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		m := f.member("Alice")
		f.sell(m, f.product(access.Pack, 10, 0))
		now := f.clock.Now()
		res := f.push(k, entry(1, m, time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)),
			entry(2, m, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)), entry(3, 0, now))
		if res.Ack != 3 || res.Inserted != 3 {
			t.Fatalf("%+v, want ack 3, 3 inserted", res)
		}
		vs, _, err := f.entries.FindVisits(f.ctx, central.VisitFilter{Member: &m})
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 1 || vs[0].Day != access.DayOf(now, access.Paris) {
			t.Fatalf("visits %+v, want one today", vs)
		}
		for _, e := range f.allEntries() {
			if e.Time.After(now) || (e.Member != 0 && !e.ClockUnsure) {
				t.Errorf("entry %d: time %v unsure %v", e.Seq, e.Time, e.ClockUnsure)
			}
		}
	})
	t.Run("ErrUnknownKiosk", func(t *testing.T) {
		f := newFixture(t)
		_, err := f.sync.Push(f.ctx, &central.Push{Kiosk: 42})
		wantCode(t, err, central.ENOTFOUND)
	})
	t.Run("UpdatesKioskPendingAndSoftware", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		now := f.clock.Now()
		if _, err := f.sync.Push(f.ctx, &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Software: "kioskd 1.2",
			Pending: 7, Entries: []*central.Entry{entry(1, 0, now)}}); err != nil {
			t.Fatal(err)
		}
		got, _ := f.kiosks.FindKioskByID(f.ctx, k.ID)
		if got.Pending != 7 || got.Software != "kioskd 1.2" || !got.LastSeen.Equal(now) {
			t.Fatalf("kiosk %+v", got)
		}
	})
}

func testPushClock(t *testing.T) {
	f := newFixture(t)
	k := f.kiosk("door", "")
	m := f.member("Alice")
	f.sell(m, f.product(access.Pack, 10, 0))
	now := f.clock.Now()                                 // 2026-11-26 10:00 Paris
	wrong := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC) // the Pi booted without a clock
	boot := 10 * time.Hour
	// The kiosk recorded entries 3 hours and 1 hour ago by its monotonic
	// clock, in this boot; and one in a previous boot.
	e1 := entry(1, m, wrong.Add(7*time.Hour))
	e1.BootID, e1.Mono = "boot-2", boot-3*time.Hour
	e2 := entry(2, 0, wrong.Add(9*time.Hour))
	e2.BootID, e2.Mono = "boot-2", boot-time.Hour
	e0 := entry(3, 0, wrong.Add(time.Hour))
	e0.BootID, e0.Mono = "boot-1", time.Hour
	_, err := f.sync.Push(f.ctx, &central.Push{Kiosk: k.ID, Received: now, SentAt: wrong.Add(boot), BootID: "boot-2",
		Mono: boot, Entries: clone(e1, e2, e0)})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*central.Entry{}
	for _, e := range f.allEntries() {
		byID[e.ID] = e
	}
	if got := byID[e1.ID]; !got.Time.Equal(now.Add(-3*time.Hour)) || !got.TimeCorrected || got.ClockUnsure {
		t.Errorf("same boot: time %v corrected %v unsure %v, want %v corrected", got.Time, got.TimeCorrected, got.ClockUnsure, now.Add(-3*time.Hour))
	}
	if got := byID[e2.ID]; !got.Time.Equal(now.Add(-time.Hour)) {
		t.Errorf("same boot: time %v, want %v", got.Time, now.Add(-time.Hour))
	}
	if got := byID[e0.ID]; !got.Time.Equal(e0.KioskTime) || !got.ClockUnsure || got.TimeCorrected {
		t.Errorf("other boot: time %v unsure %v, want kiosk time, unsure", got.Time, got.ClockUnsure)
	}
	// The visit is on the corrected day, not in 2001.
	vs, _, err := f.entries.FindVisits(f.ctx, central.VisitFilter{Member: &m})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].Day != day("2026-11-26") {
		t.Fatalf("visits %+v, want one on 2026-11-26", vs)
	}
}

func testPushVisitDayInSpaceTimezone(t *testing.T) {
	f := newFixture(t)
	k := f.kiosk("door", "")
	m := f.member("Alice")
	f.sell(m, f.product(access.Pack, 10, 0))
	// 23:30 UTC on the 26th is 00:30 on the 27th in Paris.
	at := time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC)
	f.clock.Set(at)
	f.push(k, entry(1, m, at))
	vs, _, _ := f.entries.FindVisits(f.ctx, central.VisitFilter{Member: &m})
	if len(vs) != 1 || vs[0].Day != day("2026-11-27") {
		t.Fatalf("visits %+v, want 2026-11-27", vs)
	}
	// In New York it is still the 26th.
	if err := f.set.SetSetting(f.ctx, central.SettingTimezone, "America/New_York"); err != nil {
		t.Fatal(err)
	}
	f.push(k, entry(2, m, at.Add(time.Minute)))
	vs, _, _ = f.entries.FindVisits(f.ctx, central.VisitFilter{Member: &m})
	if len(vs) != 2 || vs[0].Day != day("2026-11-26") {
		t.Fatalf("visits %+v, want one on 2026-11-26 too", vs)
	}
}
