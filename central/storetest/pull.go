package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

func memberIDs(pages ...*central.PullPage) []int64 {
	var ids []int64
	for _, p := range pages {
		for _, m := range p.Members {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

func testPull(t *testing.T) {
	t.Run("FirstPullIsAPagedSnapshot", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		var want []int64
		for i := range 25 {
			want = append(want, f.member(fmt.Sprintf("M%d", i)))
		}
		pages := f.pullAll(k, 0, 10)
		if len(pages) != 3 {
			t.Fatalf("%d pages, want 3", len(pages))
		}
		for i, p := range pages {
			if !p.Snapshot || p.Cursor != pages[0].Cursor || p.More != (i < 2) {
				t.Fatalf("page %d: snapshot %v cursor %d more %v", i, p.Snapshot, p.Cursor, p.More)
			}
		}
		if got := memberIDs(pages...); !slices.Equal(got, want) {
			t.Fatalf("members %v, want %v", got, want)
		}
		if pages[0].Cursor != 25 {
			t.Fatalf("cursor %d, want the counter 25", pages[0].Cursor)
		}
	})
	t.Run("EndedSubscriptionSentForTheRefusalReason", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		m := f.member("Farid")
		f.clock.Set(paris("2026-10-01 10:00"))
		f.sell(m, f.product(access.Subscription, 0, 30)) // 1-30 October
		f.clock.Set(paris("2026-11-26 10:00"))
		got := f.pullAll(k, 0, 0)[0].Members
		if len(got) != 1 || len(got[0].Entitlements) != 1 || got[0].Entitlements[0].End != access.MustDay("2026-10-30") {
			t.Fatalf("members %+v, want Farid with her ended subscription", got)
		}
		d := access.Decide(access.Request{Badge: access.BadgeActive, Member: access.MemberActive,
			Entitlements: got[0].Entitlements, Now: paris("2026-11-26 10:00")})
		if d.Reason != access.SubscriptionExpired {
			t.Fatalf("the door would say %s, want subscription_expired", d.Reason)
		}
	})
	t.Run("IncrementalReturnsOnlyChangedMembers", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		var ids []int64
		for i := range 20 {
			ids = append(ids, f.member(fmt.Sprintf("M%d", i)))
		}
		cursor := f.pullAll(k, 0, 0)[0].Cursor
		suspended := access.MemberSuspended
		if _, err := f.members.UpdateMember(f.ctx, ids[3], central.MemberUpdate{Status: &suspended}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.badges.IssueBadge(f.ctx, ids[7], true); err != nil {
			t.Fatal(err)
		}
		f.sell(ids[11], f.product(access.Pack, 10, 0))
		// A change kiosks do not need (a surname: they hold first names
		// only) is not sent.
		name := "M5 Renamed"
		if _, err := f.members.UpdateMember(f.ctx, ids[5], central.MemberUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		pages := f.pullAll(k, cursor, 0)
		if len(pages) != 1 || pages[0].Snapshot {
			t.Fatalf("%d pages, snapshot %v; want one incremental page", len(pages), pages[0].Snapshot)
		}
		if got, want := memberIDs(pages...), []int64{ids[3], ids[7], ids[11]}; !slices.Equal(got, want) {
			t.Fatalf("changed members %v, want %v", got, want)
		}
		next := f.pull(k, pages[0].Cursor, "", 0)
		if len(next.Members) != 0 || next.Cursor != pages[0].Cursor || next.Snapshot {
			t.Fatalf("pull without changes: %d members, cursor %d", len(next.Members), next.Cursor)
		}
	})
	t.Run("IncrementalPagesByVersion", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		var ids []int64
		for i := range 12 {
			ids = append(ids, f.member(fmt.Sprintf("M%d", i)))
		}
		cursor := f.pullAll(k, 0, 0)[0].Cursor
		var want []int64
		for _, id := range ids[2:12] {
			if _, _, err := f.badges.IssueBadge(f.ctx, id, false); err != nil {
				t.Fatal(err)
			}
			want = append(want, id)
		}
		pages := f.pullAll(k, cursor, 4)
		if len(pages) != 3 {
			t.Fatalf("%d pages, want 3", len(pages))
		}
		for i := 1; i < len(pages); i++ {
			if pages[i].Cursor <= pages[i-1].Cursor {
				t.Fatalf("cursors %d then %d: not increasing", pages[i-1].Cursor, pages[i].Cursor)
			}
		}
		if got := memberIDs(pages...); !slices.Equal(got, want) {
			t.Fatalf("members %v, want %v", got, want)
		}
		// Without the page token, the cursor of a page continues too.
		p := f.pull(k, pages[0].Cursor, "", 4)
		if got := memberIDs(p); !slices.Equal(got, want[4:8]) {
			t.Fatalf("from page 1's cursor: %v, want %v", got, want[4:8])
		}
	})
	t.Run("CursorOfAnotherDatabaseGetsASnapshot", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		f.member("Alice")
		p := f.pull(k, 1000, "", 0)
		if !p.Snapshot || len(p.Members) != 1 || p.Cursor != 1 {
			t.Fatalf("snapshot %v, %d members, cursor %d; want a snapshot of 1 at cursor 1", p.Snapshot, len(p.Members), p.Cursor)
		}
	})
	t.Run("ChangesDuringASnapshotComeInTheNextPull", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		var ids []int64
		for i := range 6 {
			ids = append(ids, f.member(fmt.Sprintf("M%d", i)))
		}
		first := f.pull(k, 0, "", 3)
		// While the kiosk reads the snapshot, member 0 (sent) changes
		// and a member is added.
		f.sell(ids[0], f.product(access.Pack, 10, 0))
		added := f.member("Late")
		second := f.pull(k, 0, first.Page, 3)
		third := f.pull(k, 0, second.Page, 3)
		if third.More || second.Cursor != first.Cursor || third.Cursor != first.Cursor {
			t.Fatalf("snapshot cursors %d %d %d", first.Cursor, second.Cursor, third.Cursor)
		}
		if got := memberIDs(first, second, third); !slices.Contains(got, added) {
			t.Fatalf("snapshot %v lacks the member added while paging", got)
		}
		inc := f.pull(k, first.Cursor, "", 0)
		if got := memberIDs(inc); !slices.Contains(got, ids[0]) || !slices.Contains(got, added) {
			t.Fatalf("next pull %v, want %d and %d", got, ids[0], added)
		}
	})
	t.Run("ErasedMemberSentAsTombstone", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		a, b := f.member("Alice"), f.member("Bob")
		cursor := f.pull(k, 0, "", 0).Cursor
		if err := f.members.EraseMember(f.ctx, a); err != nil {
			t.Fatal(err)
		}
		p := f.pull(k, cursor, "", 0)
		if p.Snapshot || !slices.Equal(p.Deleted, []int64{a}) || len(p.Members) != 0 {
			t.Fatalf("pull after erase: snapshot %v deleted %v members %v", p.Snapshot, p.Deleted, memberIDs(p))
		}
		// Once the tombstone is purged, a cursor from before it gets a
		// snapshot (without Alice); a newer cursor does not.
		f.clock.Add(400 * 24 * 3600e9)
		if n, err := f.entries.PurgeTombstones(f.ctx, f.clock.Now().AddDate(0, 0, -365)); err != nil || n != 1 {
			t.Fatalf("purged %d tombstones, err %v", n, err)
		}
		old := f.pull(k, cursor, "", 0)
		if !old.Snapshot || !slices.Equal(memberIDs(old), []int64{b}) {
			t.Fatalf("old cursor: snapshot %v members %v, want a snapshot of %d", old.Snapshot, memberIDs(old), b)
		}
		if recent := f.pull(k, p.Cursor, "", 0); recent.Snapshot {
			t.Fatal("a cursor after the purged tombstone got a snapshot")
		}
	})
	t.Run("MemberStateForTheKiosk", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		annex := f.kiosk("annex", "Annexe")
		m := f.member("Alice")
		old, _, _ := f.badges.IssueBadge(f.ctx, m, false)
		cur, _, _ := f.badges.IssueBadge(f.ctx, m, true)
		pack := f.sell(m, f.product(access.Pack, 10, 0))
		f.sell(m, f.product(access.Pack, 5, 1)) // expires today
		f.push(k, entry(1, m, paris("2026-11-26 09:00")))
		f.clock.Set(paris("2026-11-28 12:00"))
		f.push(annex, entry(1, m, paris("2026-11-28 09:00")))
		p := f.pull(k, 0, "", 0)
		if len(p.Members) != 1 {
			t.Fatalf("%d members", len(p.Members))
		}
		got := p.Members[0]
		if got.Status != access.MemberActive || got.LastVisit != day("2026-11-26") {
			t.Fatalf("status %s last visit %s, want active, 2026-11-26 (the annex is another space)", got.Status, got.LastVisit)
		}
		wantBadges := []central.KioskBadge{{Hash: old.Hash, Revoked: true}, {Hash: cur.Hash}}
		if !slices.Equal(got.Badges, wantBadges) {
			t.Fatalf("badges %+v, want %+v", got.Badges, wantBadges)
		}
		// Oldest pack first (same start: the first sold), so the 10-entry
		// pack paid both days; the 5-entry one expired on the 26th and is
		// not sent.
		want := []access.Entitlement{{ID: pack.ID, Kind: access.Pack, Start: day("2026-11-26"), Entries: 8}}
		if !slices.Equal(got.Entitlements, want) {
			t.Fatalf("entitlements %+v, want %+v", got.Entitlements, want)
		}
		if p.Settings.Space != "Badgeuse" || p.Settings.Timezone != "Europe/Paris" {
			t.Fatalf("settings %+v", p.Settings)
		}
		if q := f.pull(annex, 0, "", 0); q.Members[0].LastVisit != day("2026-11-28") || q.Settings.Space != "Annexe" {
			t.Fatalf("annex: last visit %s, space %q", q.Members[0].LastVisit, q.Settings.Space)
		}
	})
	t.Run("AckedMatchesWhatBalancesInclude", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		m := f.member("Alice")
		f.sell(m, f.product(access.Pack, 10, 0))
		f.clock.Set(paris("2026-11-30 20:00"))
		f.push(k, entry(1, m, paris("2026-11-27 09:00")), entry(2, m, paris("2026-11-28 09:00")))
		// seq 4 arrives before 3: stored, counted, but above the ack.
		f.push(k, entry(4, m, paris("2026-11-30 09:00")))
		p := f.pull(k, 0, "", 0)
		if p.Acked != 2 {
			t.Fatalf("acked %d, want 2", p.Acked)
		}
		if left := p.Members[0].Entitlements[0].Entries; left != 7 {
			t.Fatalf("entries left %d, want 7", left)
		}
		f.push(k, entry(3, m, paris("2026-11-29 09:00")))
		p = f.pull(k, p.Cursor, "", 0)
		if p.Acked != 4 || p.Members[0].Entitlements[0].Entries != 6 {
			t.Fatalf("acked %d, left %d; want 4 and 6", p.Acked, p.Members[0].Entitlements[0].Entries)
		}
	})
	t.Run("ErrBadPageToken", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		for _, tok := range []string{"!!", "eDox", "czoxOjI6Mw", "aTow"} {
			_, err := f.sync.Pull(f.ctx, central.PullRequest{Kiosk: k.ID, Page: tok})
			wantCode(t, err, central.EINVALID)
		}
	})
	t.Run("PageOfAnotherDatabaseStartsOver", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		for i := range 3 {
			f.member(fmt.Sprintf("M%d", i))
		}
		g := newFixture(t)
		gk := g.kiosk("door", "")
		for i := range 30 {
			g.member(fmt.Sprintf("M%d", i))
		}
		foreign := g.pull(gk, 0, "", 2)
		p := f.pull(k, 0, foreign.Page, 0)
		if !p.Snapshot || len(p.Members) != 3 {
			t.Fatalf("snapshot %v with %d members, want a fresh snapshot of 3", p.Snapshot, len(p.Members))
		}
	})
	t.Run("ErrLimit", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		_, err := f.sync.Pull(f.ctx, central.PullRequest{Kiosk: k.ID, Limit: central.MaxPullLimit + 1})
		wantCode(t, err, central.EINVALID)
	})
}

// testPullCostGrowsWithChanges checks that an incremental pull after 10
// changes answers the same with 100 or 10,000 members. That it also reads
// the same number of rows is checked on the query plans (plan_test.go):
// every pull query goes through an index, none scans a table.
func testPullCostGrowsWithChanges(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 10,000 members")
	}
	for _, n := range []int{100, 10000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			f := newFixture(t)
			k := f.kiosk("door", "")
			ms := make([]*central.Member, n)
			for i := range ms {
				ms[i] = &central.Member{Name: fmt.Sprintf("Member %d", i)}
			}
			if err := f.members.CreateMembers(f.ctx, ms); err != nil {
				t.Fatal(err)
			}
			cursor := f.pull(k, int64(n), "", 1).Cursor
			for i := range 10 {
				if _, _, err := f.badges.IssueBadge(f.ctx, ms[i*n/10].ID, false); err != nil {
					t.Fatal(err)
				}
			}
			p := f.pull(k, cursor, "", 0)
			if p.Snapshot || len(p.Members) != 10 || p.More {
				t.Fatalf("snapshot %v, %d members, more %v; want 10 changed members", p.Snapshot, len(p.Members), p.More)
			}
		})
	}
}
