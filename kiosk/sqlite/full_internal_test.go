package sqlite

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestRecordOnFullDatabase fills a real database file to its page limit
// (PRAGMA max_page_count: SQLite's SQLITE_FULL, as on a full disk): Record
// fails with kiosk.ErrDiskFull and a message that says "disk full" in French
// and English and what to free; nothing is half written, and recording works
// again once there is room.
func TestRecordOnFullDatabase(t *testing.T) {
	ctx := context.Background()
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.db.SetMaxOpenConns(1) // the page limit is per connection
	var pages int
	if err := db.db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec(`PRAGMA max_page_count = ` + strconv.Itoa(pages+2)); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	var recorded int
	var full error
	for i := range 10000 {
		e := kiosk.Entry{Time: at.Add(time.Duration(i) * time.Second), BootID: strings.Repeat("b", 60),
			Decision: access.Decision{Reason: access.NotABadge}}
		if full = db.Record(ctx, &e); full != nil {
			break
		}
		recorded++
	}
	if full == nil {
		t.Fatal("10000 entries fit in two pages")
	}
	if !errors.Is(full, kiosk.ErrDiskFull) {
		t.Fatalf("err = %v, want kiosk.ErrDiskFull", full)
	}
	for _, want := range []string{"disk full", "disque plein", "journalctl", "apt-get clean", FileName} {
		if !strings.Contains(full.Error(), want) {
			t.Errorf("message does not say %q: %v", want, full)
		}
	}
	st, err := db.Status(ctx)
	if err != nil || st.LastSeq != int64(recorded) || st.Pending != recorded {
		t.Fatalf("Status = %+v, %v; want %d entries, none half written", st, err, recorded)
	}
	if _, err := db.db.Exec(`PRAGMA max_page_count = 1000000`); err != nil {
		t.Fatal(err)
	}
	e := kiosk.Entry{Time: at, Decision: access.Decision{Reason: access.NotABadge}}
	if err := db.Record(ctx, &e); err != nil || e.Seq != int64(recorded+1) {
		t.Fatalf("after room was made: seq %d, %v", e.Seq, err)
	}
}
