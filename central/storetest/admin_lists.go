package storetest

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

// testEntryRows: the admin's entry list (/entries, a member's page, Today)
// is newest first, filters, counts, and pages without losing or repeating
// an entry when several share a time (the order is total on every
// engine). It failed on PostgreSQL, whose query ordered by SQLite's rowid.
func testEntryRows(t *testing.T) {
	f := newFixture(t)
	k := f.kiosk("Porte", "")
	alice := f.member("Alice")
	t0 := f.clock.Now().Add(-time.Hour)
	var es []*central.Entry
	for i := range 9 {
		at := t0.Add(time.Duration(i/4) * time.Minute) // four entries share each minute
		member := alice
		if i%3 == 2 {
			member = 0 // refused: unknown badge
		}
		es = append(es, entry(int64(i+1), member, at))
	}
	f.push(k, es...)

	seen := map[string]int{}
	var last time.Time
	for offset := 0; offset < 12; offset += 2 {
		rows, n, err := f.store.Admin.EntryRows(f.ctx, adminstore.EntryRowFilter{Offset: offset, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if n != 9 {
			t.Fatalf("count %d, want 9", n)
		}
		for _, r := range rows {
			seen[r.ID]++
			if !last.IsZero() && r.Time.After(last) {
				t.Fatalf("entry at %v after one at %v: not newest first", r.Time, last)
			}
			last = r.Time
			if r.KioskName != "Porte" || (r.Member == alice) != (r.MemberName == "Alice") {
				t.Fatalf("row %+v", r)
			}
		}
	}
	for _, e := range es {
		if seen[e.ID] != 1 {
			t.Fatalf("entry %d listed %d times over the pages", e.Seq, seen[e.ID])
		}
	}
	accepted := true
	rows, n, err := f.store.Admin.EntryRows(f.ctx, adminstore.EntryRowFilter{Member: &alice, Accept: &accepted, Limit: 50})
	if err != nil || n != 6 || len(rows) != 6 {
		t.Fatalf("Alice's accepted entries: %d rows, count %d, %v; want 6", len(rows), n, err)
	}
}
