package sqlite_test

import (
	"context"
	"os"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestDatabaseFilesPrivate: the database and its -wal and -shm files
// (which hold recent changes: members' names and e-mails) are readable by
// their owner only, even in a folder others can read.
func TestDatabaseFilesPrivate(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	db := sqlite.NewDB(dir)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := sqlstore.NewMemberService(db.DB).CreateMember(context.Background(), &central.Member{Name: "Alice"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{db.Path, db.Path + "-wal", db.Path + "-shm"} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode&0o077 != 0 {
			t.Errorf("%s: mode %o, want no access for group and others", p, mode)
		}
	}
}
