package sqlite_test

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// newDatabase makes a real central database with n members in dir and
// closes it.
func newDatabase(t *testing.T, dir string, n int) {
	t.Helper()
	db := sqlite.NewDB(dir)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms := sqlstore.NewMemberService(db.DB)
	for i := range n {
		if err := ms.CreateMember(context.Background(), &central.Member{Name: fmt.Sprintf("Membre %d %s", i, strings.Repeat("x", 150))}); err != nil {
			t.Fatal(err)
		}
	}
}

// Corrupt overwrites the pages of a database file after the first few with
// garbage, as a failing SD card does, keeping its header valid.
func corrupt(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 16*4096 {
		t.Fatalf("database too small to corrupt (%d bytes)", len(data))
	}
	for i := 8 * 4096; i < len(data)-4096; i++ {
		data[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func members(t *testing.T, dir string) int {
	t.Helper()
	db := sqlite.NewDB(dir)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	for i := int64(1); ; i++ {
		if _, err := sqlstore.NewMemberService(db.DB).FindMemberByID(context.Background(), i); err != nil {
			return n
		}
		n++
	}
}

func TestOpenRefusesDamagedDatabase(t *testing.T) {
	t.Run("DamagedPages", func(t *testing.T) {
		dir := t.TempDir()
		newDatabase(t, dir, 400)
		corrupt(t, filepath.Join(dir, sqlite.FileName))
		db := sqlite.NewDB(dir)
		err := db.Open()
		var d *sqlite.DamagedError
		if !errors.As(err, &d) {
			db.Close()
			t.Fatalf("Open of a damaged database: %v, want a *DamagedError", err)
		}
		if d.Path != filepath.Join(dir, sqlite.FileName) || d.Detail == "" {
			t.Errorf("DamagedError %+v", d)
		}
	})
	t.Run("NotADatabase", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, sqlite.FileName), []byte(strings.Repeat("not sqlite ", 1000)), 0o600); err != nil {
			t.Fatal(err)
		}
		db := sqlite.NewDB(dir)
		err := db.Open()
		var d *sqlite.DamagedError
		if !errors.As(err, &d) {
			db.Close()
			t.Fatalf("Open of a random file: %v, want a *DamagedError", err)
		}
	})
	t.Run("SoundDatabase", func(t *testing.T) {
		dir := t.TempDir()
		newDatabase(t, dir, 10)
		db := sqlite.NewDB(dir)
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if db.CheckUnfinished || db.MigrationCopy != "" {
			t.Errorf("CheckUnfinished %v, MigrationCopy %q on a sound, migrated database", db.CheckUnfinished, db.MigrationCopy)
		}
	})
}

func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	newDatabase(t, dir, 5)

	// A backup while the database is open and written to.
	db := sqlite.NewDB(dir)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "central-backup.db")
	if err := sqlite.Backup(ctx, dir, backup); err != nil {
		t.Fatal(err)
	}
	if err := sqlite.Backup(ctx, dir, backup); err == nil {
		t.Error("a second backup overwrote the first")
	}
	if info, err := os.Stat(backup); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v, want mode 600", info, err)
	}
	if err := sqlstore.NewMemberService(db.DB).CreateMember(ctx, &central.Member{Name: "After the backup"}); err != nil {
		t.Fatal(err)
	}
	// An unclean stop: the -wal holds the last member (never checkpointed
	// since the database is still open when we look).
	if _, err := os.Stat(filepath.Join(dir, sqlite.FileName+"-wal")); err != nil {
		t.Fatalf("no -wal beside an open database: %v", err)
	}

	// A damaged backup is refused and changes nothing.
	bad := filepath.Join(t.TempDir(), "bad.db")
	big := t.TempDir()
	newDatabase(t, big, 400)
	corrupt(t, filepath.Join(big, sqlite.FileName))
	if err := os.Rename(filepath.Join(big, sqlite.FileName), bad); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Restore(ctx, dir, bad); err == nil || !strings.Contains(err.Error(), "cannot be used") {
		t.Fatalf("restore of a damaged backup: %v", err)
	}

	// The -wal of the running database is copied aside with it: simulate
	// the process gone without closing by copying the files as they are.
	db.Close()
	if got := members(t, dir); got != 6 {
		t.Fatalf("%d members before the restore, want 6", got)
	}
	// A gzip'd backup, as deploy/backup-central.sh makes them.
	gz := backup + ".gz"
	compress(t, backup, gz)
	aside, err := sqlite.Restore(ctx, dir, gz)
	if err != nil {
		t.Fatal(err)
	}
	if aside == "" {
		t.Fatal("the replaced database was not kept")
	}
	if got := members(t, dir); got != 5 {
		t.Errorf("%d members after restoring the backup, want 5", got)
	}
	if _, err := os.Stat(filepath.Join(dir, sqlite.FileName+".restoring")); err == nil {
		t.Error("a .restoring file was left")
	}
	// The replaced database opens, with its last member.
	kept := t.TempDir()
	if err := os.Rename(aside, filepath.Join(kept, sqlite.FileName)); err != nil {
		t.Fatal(err)
	}
	if got := members(t, kept); got != 6 {
		t.Errorf("%d members in the database kept aside, want 6", got)
	}
}

// TestRestoreRemovesStaleWAL is the README's old procedure that failed: a
// backup copied over central.db after an unclean stop, with the old -wal
// and -shm still beside it.
func TestRestoreRemovesStaleWAL(t *testing.T) {
	ctx := context.Background()
	src, dir := t.TempDir(), t.TempDir()
	newDatabase(t, src, 3)
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := sqlite.Backup(ctx, src, backup); err != nil {
		t.Fatal(err)
	}
	newDatabase(t, dir, 50)
	db := sqlite.NewDB(dir)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if err := sqlstore.NewMemberService(db.DB).CreateMember(ctx, &central.Member{Name: fmt.Sprint("late ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	// Copy the live files as a kill -9 leaves them.
	crashed := t.TempDir()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(filepath.Join(dir, sqlite.FileName+suffix))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(crashed, sqlite.FileName+suffix), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if _, err := sqlite.Restore(ctx, crashed, backup); err != nil {
		t.Fatal(err)
	}
	if got := members(t, crashed); got != 3 {
		t.Errorf("%d members after restore, want the backup's 3", got)
	}
}

func compress(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
