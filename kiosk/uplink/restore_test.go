package uplink_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	csqlite "github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/central/syncapi"
	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/sqlite"
	"github.com/badgeuse/badgeuse/kiosk/uplink"
	"github.com/badgeuse/badgeuse/shared/access"
)

// realCentral is central's sync API on a real database in a temporary
// folder; it returns its URL and entry service.
func realCentral(t *testing.T) (string, *csqlite.DB) {
	t.Helper()
	db := csqlite.NewDB(t.TempDir())
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := &syncapi.Handler{Kiosks: sqlstore.NewKioskService(db.DB), Sync: sqlstore.NewSyncService(db.DB),
		Spaces: sqlstore.NewSpaceService(db.DB), Logger: slog.New(slog.DiscardHandler)}
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL, db
}

// TestKioskRestoredFromBackup: a kiosk database restored from a backup
// reuses sequence numbers central acknowledged. Central answers them as
// conflicts; the kiosk renumbers them and sends them again, so every
// entry reaches central once, and later entries never reuse a number
// (issue 10, item 7).
func TestKioskRestoredFromBackup(t *testing.T) {
	url, cdb := realCentral(t)
	enrollToken, err := sqlstore.NewKioskService(cdb.DB).CreateKiosk(ctx, &central.Kiosk{Name: "door"})
	if err != nil {
		t.Fatal(err)
	}
	enr, err := uplink.Enroll(ctx, nil, url, enrollToken, "test")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	open := func() *sqlite.DB {
		db, err := sqlite.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open()
	if err := db.SetEnrollment(ctx, kiosk.Enrollment{Central: url, KioskID: enr.KioskID, Token: enr.KioskToken}); err != nil {
		t.Fatal(err)
	}
	var ids []string // every entry the kiosk recorded
	record := func(db *sqlite.DB, n int) {
		for range n {
			e := kiosk.Entry{Time: db.Now(), Decision: access.Decision{Reason: access.NotABadge}}
			if err := db.Record(ctx, &e); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, e.ID)
		}
	}
	sync := func(db *sqlite.DB) {
		t.Helper()
		if _, err := (&uplink.Loop{Store: db}).Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	record(db, 3)
	sync(db)
	record(db, 2) // 4 and 5, not yet synced when the backup is taken
	db.Close()
	backup := copyFile(t, filepath.Join(dir, sqlite.FileName))
	db = open()
	record(db, 4) // 6-9
	sync(db)      // central holds 1-9
	db.Close()

	// The SD card dies; the bureau restores the backup.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(filepath.Join(dir, sqlite.FileName+suffix))
	}
	if err := os.WriteFile(filepath.Join(dir, sqlite.FileName), backup, 0o600); err != nil {
		t.Fatal(err)
	}
	db = open()
	defer db.Close()
	record(db, 3) // numbered 6-8 again, with new ids
	sync(db)
	record(db, 1)
	sync(db)

	st, err := db.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 0 {
		t.Fatalf("%d entries pending after sync", st.Pending)
	}
	es, n, err := sqlstore.NewEntryService(cdb.DB).FindEntries(ctx, central.EntryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	seqs := map[int64]bool{}
	for _, e := range es {
		count[e.ID]++
		seqs[e.Seq] = true
	}
	if n != len(ids) || len(count) != len(ids) {
		t.Fatalf("central holds %d entries (%d ids); the kiosk recorded %d", n, len(count), len(ids))
	}
	for _, id := range ids {
		if count[id] != 1 {
			t.Errorf("entry %s at central %d times, want once", id, count[id])
		}
	}
	k, err := sqlstore.NewKioskService(cdb.DB).FindKioskByID(ctx, enr.KioskID)
	if err != nil {
		t.Fatal(err)
	}
	if k.Acked != int64(len(ids)) || len(seqs) != len(ids) {
		t.Fatalf("central's ack %d, %d sequences; want %d, no gap", k.Acked, len(seqs), len(ids))
	}
}

func copyFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
