package sqlite

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// TestFailedMigrationLeavesDatabase injects an upgrade of two migrations,
// the second failing: the first is rolled back too, the data is as it
// was, a copy was kept, and the error says so.
func TestFailedMigrationLeavesDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := NewDB(dir)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, `INSERT INTO settings (key, value, updated) VALUES ('space.name', 'Avant', '')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	upgrade := fstest.MapFS{}
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		upgrade[n] = &fstest.MapFile{Data: b}
	}
	upgrade["migration/9000_good.sql"] = &fstest.MapFile{Data: []byte(`CREATE TABLE upgraded (x INTEGER) STRICT; UPDATE settings SET value = 'Après' WHERE key = 'space.name';`)}
	upgrade["migration/9001_bad.sql"] = &fstest.MapFile{Data: []byte(`INSERT INTO no_such_table VALUES (1);`)}
	migrations = upgrade
	defer func() { migrations = migrationFS }()

	db = NewDB(dir)
	err = db.Open()
	var me *MigrationError
	if !errors.As(err, &me) {
		db.Close()
		t.Fatalf("Open with a failing migration: %v, want a *MigrationError", err)
	}
	if me.Name != "9001_bad.sql" || !strings.Contains(err.Error(), "left unchanged") || me.Copy == "" || !strings.Contains(err.Error(), me.Copy) {
		t.Errorf("error %q (%+v)", err, me)
	}
	if _, err := os.Stat(me.Copy); err != nil {
		t.Errorf("copy before migrating: %v", err)
	}

	migrations = migrationFS
	db = NewDB(dir)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var name string
	if err := db.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'space.name'`).Scan(&name); err != nil || name != "Avant" {
		t.Errorf("space.name %q %v after the failed upgrade, want Avant", name, err)
	}
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE name = 'upgraded'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the first migration of the failed upgrade stayed (%d, %v)", n, err)
	}
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE version >= 9000`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d migrations of the failed upgrade recorded (%v)", n, err)
	}
}
