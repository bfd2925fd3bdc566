package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

// testLoginThrottleStore: UpdateLoginThrottles reads and writes in one
// transaction (zero rows delete), and PurgeLoginThrottles deletes what is
// forgotten and trims the table to its newest and locked rows.
func testLoginThrottleStore(t *testing.T) {
	f := newFixture(t)
	s := f.store.Admin
	now := f.clock.Now()
	set := func(key string, failures int, last, locked time.Time) {
		t.Helper()
		err := s.UpdateLoginThrottles(f.ctx, []string{key}, func(rows []adminstore.LoginThrottle) []adminstore.LoginThrottle {
			if rows[0].Key != key {
				t.Fatalf("row for key %q, want %q", rows[0].Key, key)
			}
			rows[0].Failures, rows[0].LastFailure, rows[0].LockedUntil = failures, last, locked
			return rows
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	get := func(keys ...string) []adminstore.LoginThrottle {
		t.Helper()
		var got []adminstore.LoginThrottle
		err := s.UpdateLoginThrottles(f.ctx, keys, func(rows []adminstore.LoginThrottle) []adminstore.LoginThrottle {
			got = append(got, rows...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	set("old", 3, now.Add(-25*time.Hour), time.Time{})
	set("old-locked", 50, now.Add(-25*time.Hour), now.Add(time.Hour))
	set("gone", 0, now, time.Time{})
	for i := 0; i < 10; i++ {
		set(fmt.Sprintf("recent-%d", i), 1, now.Add(-time.Duration(10-i)*time.Minute), time.Time{})
	}
	set("recent-locked", 12, now.Add(-time.Hour), now.Add(10*time.Minute))
	rows := get("old", "gone", "recent-9")
	if rows[0].Failures != 3 || rows[1].Failures != 0 || rows[1].Key != "gone" || rows[2].Failures != 1 {
		t.Fatalf("rows %+v", rows)
	}
	n, err := s.PurgeLoginThrottles(f.ctx, now, now.Add(-24*time.Hour), 5)
	if err != nil {
		t.Fatal(err)
	}
	// "old" is forgotten; 12 remain, trimmed to 5: the 2 locked ones stay,
	// with the 3 newest others.
	if n != 8 {
		t.Errorf("purged %d rows, want 8", n)
	}
	for _, r := range get("old", "old-locked", "recent-locked", "recent-6", "recent-7", "recent-8", "recent-9", "recent-0") {
		kept := r.Failures > 0
		want := r.Key != "old" && r.Key != "recent-6" && r.Key != "recent-0"
		if kept != want {
			t.Errorf("%s: kept %v, want %v", r.Key, kept, want)
		}
	}
}
