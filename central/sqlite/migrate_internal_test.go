package sqlite

import (
	"context"
	"errors"
	"fmt"
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
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO settings (key, value, updated) VALUES ('space.name', 'Avant', '')`); err != nil {
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
	if err := db.SQL().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'space.name'`).Scan(&name); err != nil || name != "Avant" {
		t.Errorf("space.name %q %v after the failed upgrade, want Avant", name, err)
	}
	var n int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE name = 'upgraded'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the first migration of the failed upgrade stayed (%d, %v)", n, err)
	}
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE version >= 9000`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d migrations of the failed upgrade recorded (%v)", n, err)
	}
}

// TestMembershipMigrationKeepsLedger: 0050 makes products and sales again
// (to allow the kind 'membership'); a database of 0040 keeps every row, the
// references to them (visits, invoices) and its indexes, and then takes
// dues. Before the runner turned foreign keys off, dropping the old tables
// failed on the visits that reference sales.
func TestMembershipMigrationKeepsLedger(t *testing.T) {
	ctx := context.Background()
	db := upgradeFrom(t, t.TempDir(), 40, func(db *DB) error {
		for _, q := range []string{
			`INSERT INTO members (id, name, email, status, created, updated, version) VALUES (1, 'Alice', '', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1)`,
			`INSERT INTO products (id, name, kind, entries, days, price, created) VALUES (7, 'Carte', 'pack', 10, 0, 8000, '2026-01-01T00:00:00Z')`,
			`INSERT INTO sales (id, member_id, product_id, kind, entries, amount, source, created, start_day, entries_left)
			VALUES (3, 1, 7, 'pack', 10, 8000, 'cli', '2026-01-02T00:00:00Z', '2026-01-02', 9)`,
			`INSERT INTO visits (member_id, space, day, first_time, charge, sale_id) VALUES (1, '', '2026-01-03', '2026-01-03T09:00:00Z', 'pack', 3)`,
		} {
			if _, err := db.SQL().ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	})
	var left, visits int
	if err := db.SQL().QueryRowContext(ctx, `SELECT entries_left, (SELECT COUNT(*) FROM visits WHERE sale_id = 3) FROM sales WHERE id = 3 AND product_id = 7`).Scan(&left, &visits); err != nil || left != 9 || visits != 1 {
		t.Fatalf("after 0050: sale 3 entries_left %d, visits %d (%v)", left, visits, err)
	}
	var parent string
	if err := db.SQL().QueryRowContext(ctx, `SELECT "table" FROM pragma_foreign_key_list('visits') WHERE "from" = 'sale_id'`).Scan(&parent); err != nil || parent != "sales" {
		t.Errorf("visits.sale_id references %q (%v), want sales", parent, err)
	}
	var fk int
	if err := db.SQL().QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys %d after migrating (%v), want 1", fk, err)
	}
	for _, index := range []string{"sales_member", "sales_external_ref", "sales_created", "sales_membership"} {
		var n int
		if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name = ?`, index).Scan(&n); err != nil || n != 1 {
			t.Errorf("index %s: %d (%v)", index, n, err)
		}
	}
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO products (name, kind, entries, days, price, created) VALUES ('Adhésion', 'membership', 0, 0, 2000, '2026-01-01T00:00:00Z')`); err != nil {
		t.Errorf("a membership product after 0050: %v", err)
	}
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO sales (member_id, product_id, kind, entries, amount, source, created, start_day)
		VALUES (1, 999, 'pack', 1, 0, 'cli', '2026-01-02T00:00:00Z', '2026-01-02')`); err == nil {
		t.Errorf("a sale of no product was accepted: foreign keys are off after migrating")
	}
}

// TestMigrationBreakingForeignKeysRefused: with foreign keys off while
// migrating, a migration leaving a dangling reference is refused before
// its commit.
func TestMigrationBreakingForeignKeysRefused(t *testing.T) {
	dir := t.TempDir()
	upgrade := migrationsUpTo(t, 1<<30)
	upgrade["migration/9000_dangling.sql"] = &fstest.MapFile{Data: []byte(`INSERT INTO badges (member_id, hash, created) VALUES (4242, 'ab', '')`)}
	migrations = upgrade
	defer func() { migrations = migrationFS }()
	db := NewDB(dir)
	err := db.Open()
	var me *MigrationError
	if !errors.As(err, &me) || me.Name != "9000_dangling.sql" || !strings.Contains(err.Error(), "badges") {
		if err == nil {
			db.Close()
		}
		t.Fatalf("Open with a migration breaking a foreign key: %v, want a *MigrationError naming badges", err)
	}
}
