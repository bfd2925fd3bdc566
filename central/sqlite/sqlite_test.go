package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// The store's behaviour is tested once for both engines by the conformance
// suite (central/storetest, run by conformance_test.go); the tests here are
// SQLite's own: its file, pragmas, migrations, backups and query plans.

func TestOpen(t *testing.T) {
	t.Run("PragmasFromDSN", func(t *testing.T) {
		db := sqlite.NewDB(t.TempDir())
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		// Read the file directly for its journal mode: WAL is persistent
		// in the file.
		data, err := os.ReadFile(db.Path)
		if err != nil {
			t.Fatal(err)
		}
		// Header bytes 18 and 19 are 2 in WAL mode.
		if data[18] != 2 || data[19] != 2 {
			t.Fatalf("file format bytes %d %d, want 2 2 (WAL)", data[18], data[19])
		}
		info, err := os.Stat(db.Path)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Fatalf("database mode %o, want 600", mode)
		}
	})
	t.Run("ReopenKeepsData", func(t *testing.T) {
		dir := t.TempDir()
		db := sqlite.NewDB(dir)
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		m := &central.Member{Name: "Alice"}
		if err := sqlstore.NewMemberService(db.DB).CreateMember(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		db.Close()
		db = sqlite.NewDB(dir)
		if err := db.Open(); err != nil {
			t.Fatalf("second open (migrations again): %v", err)
		}
		defer db.Close()
		if _, err := sqlstore.NewMemberService(db.DB).FindMemberByID(context.Background(), m.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrPathWithQuestionMark", func(t *testing.T) {
		db := sqlite.NewDB(filepath.Join(t.TempDir(), "a?b"))
		if err := db.Open(); err == nil {
			db.Close()
			t.Fatal("opened a path with ?")
		}
	})
}
