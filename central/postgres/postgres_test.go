package postgres

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRebind: SQLite's placeholders become PostgreSQL's, numbered as
// SQLite numbers them; quoted text is left alone.
func TestRebind(t *testing.T) {
	for in, want := range map[string]string{
		`SELECT ? , ?`:                      `SELECT $1 , $2`,
		`WHERE a = ?2 AND b = ?1 AND c = ?`: `WHERE a = $2 AND b = $1 AND c = $3`,
		`WHERE a = ?1 OR ?1 = ''`:           `WHERE a = $1 OR $1 = ''`,
		`WHERE a = '?' AND "b?" = ?`:        `WHERE a = '?' AND "b?" = $1`,
		`LIKE ? ESCAPE '\'`:                 `LIKE $1 ESCAPE '\'`,
	} {
		if got := rebind(in); got != want {
			t.Errorf("rebind(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMigrationsMirrorSQLite: every schema version of central/sqlite has
// its PostgreSQL counterpart with the same number and name, and no other,
// so that both engines report one schema version.
func TestMigrationsMirrorSQLite(t *testing.T) {
	names := func(dir string) []string {
		files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range files {
			files[i] = filepath.Base(f)
		}
		slices.Sort(files)
		return files
	}
	lite, pg := names("../sqlite/migration"), names("migration")
	if len(lite) == 0 || !slices.Equal(lite, pg) {
		t.Fatalf("central/sqlite migrations %v, central/postgres %v: every sqlite migration needs its PostgreSQL counterpart (same file name)", lite, pg)
	}
}

// TestOpenErrorHidesPassword: a URL that cannot be used is reported
// without the password it carries.
func TestOpenErrorHidesPassword(t *testing.T) {
	for _, url := range []string{
		"postgres://alice:s3cr3tpw@127.0.0.1:1/central?sslmode=disable&connect_timeout=2",
		"postgres://alice:s3cr3tpw@[::1:1/central",
		"postgres://alice:s3cr3tpw@host/central?sslmode=nonsense",
	} {
		db := NewDB(url)
		err := db.Open()
		if err == nil {
			db.Close()
			t.Fatalf("opened %s", url)
		}
		if strings.Contains(err.Error(), "s3cr3tpw") {
			t.Errorf("error shows the password: %v", err)
		}
	}
}
