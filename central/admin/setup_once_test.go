package admin_test

// What every test's setup would otherwise redo: migrating a new database
// and hashing the same passwords. Under -race on a loaded 2-core machine
// (make test runs the packages side by side) the thirty-odd migrations
// took 2.5 to 4 s per test and an argon2id hash 0.2 to 0.4 s; the
// package's tests took more than 10 minutes.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/sqlite"
)

// codeKeyMeta is the meta row of a database's code signing key
// (central/sqlstore code.go): random, made by Open when it is missing.
const codeKeyMeta = "code_signing_key"

// migrated is a new database, as sqlite's Open makes it (every migration
// applied, applied at start), without its code signing key: made once per
// test binary, copied into each test's own folder (copyMigrated).
var migrated = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "admin-migrated-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db := sqlite.NewDB(dir)
	db.Now = func() time.Time { return start } // as newEnv's clock did
	if err := db.Open(); err != nil {
		return nil, err
	}
	defer db.Close()
	// Each test's database makes its own key when Open finds none.
	res, err := db.SQL().Exec(`DELETE FROM meta WHERE key = ?`, codeKeyMeta)
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, fmt.Errorf("the new database has no %s row to remove (renamed in central/sqlstore code.go?): %d rows, %v", codeKeyMeta, n, err)
	}
	// One file, no -wal beside it.
	copyPath := filepath.Join(dir, "migrated.db")
	if err := db.VacuumInto(context.Background(), copyPath); err != nil {
		return nil, err
	}
	return os.ReadFile(copyPath)
})

// copyMigrated writes the migrated database into dir as the database file
// of sqlite.NewDB(dir): a file of this test's own, which Open checks,
// finds migrated and gives a code signing key of its own.
func copyMigrated(t testing.TB, dir string) {
	t.Helper()
	b, err := migrated()
	if err != nil {
		t.Fatalf("migrated database: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, sqlite.FileName), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// hashes are the argon2id hashes of the tests' passwords, one per
// password (a test that needs two hashes of one password to differ calls
// admin.HashPassword itself).
var hashes sync.Map // password → func() (string, error)

// passwordHash is admin.HashPassword(pw), computed once per password.
func passwordHash(t testing.TB, pw string) string {
	t.Helper()
	f, _ := hashes.LoadOrStore(pw, sync.OnceValues(func() (string, error) { return admin.HashPassword(pw) }))
	hash, err := f.(func() (string, error))()
	if err != nil {
		t.Fatal(err)
	}
	return hash
}

// TestMigratedCopyIsNew: the database newEnv copies is the one Open makes
// in an empty folder (the same tables, indexes and rows), but for its
// code signing key, each test's own.
func TestMigratedCopyIsNew(t *testing.T) {
	fresh := sqlite.NewDB(t.TempDir())
	fresh.Now = func() time.Time { return start }
	if err := fresh.Open(); err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	var dbs []*sqlite.DB
	for range 2 {
		dir := t.TempDir()
		copyMigrated(t, dir)
		db := sqlite.NewDB(dir)
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if db.MigrationCopy != "" {
			t.Errorf("the copy had migrations pending: %s", db.MigrationCopy)
		}
		dbs = append(dbs, db)
	}
	want := dump(t, fresh.SQL())
	for i, db := range dbs {
		if got := dump(t, db.SQL()); got != want {
			t.Errorf("copy %d differs from a new database:\n%s\nwant:\n%s", i, got, want)
		}
	}
	keys := map[string]bool{}
	for _, db := range append(dbs, fresh) {
		var k string
		if err := db.SQL().QueryRow(`SELECT value FROM meta WHERE key = ?`, codeKeyMeta).Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys[k] = true
	}
	if len(keys) != 3 {
		t.Errorf("%d code signing keys for 3 databases: each must make its own", len(keys))
	}
}

// dump is a database's schema and rows, in order (the code signing key
// left out).
func dump(t *testing.T, db *sql.DB) string {
	t.Helper()
	var out string
	rows, err := db.Query(`SELECT type, name, COALESCE(sql, '') FROM sqlite_schema ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var typ, name, def string
		if err := rows.Scan(&typ, &name, &def); err != nil {
			t.Fatal(err)
		}
		out += typ + " " + name + ": " + def + "\n"
		if typ == "table" {
			tables = append(tables, name)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + table + `" ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			if table == "meta" && fmt.Sprint(vals[0]) == codeKeyMeta {
				continue
			}
			out += table + fmt.Sprintf(" %v\n", vals)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestServersShareTemplates: every Server renders with the templates
// parsed once (admin.New), so two of them, each with its own database,
// show their pages at the same time, each its own data (-race checks
// that rendering changes nothing shared).
func TestServersShareTemplates(t *testing.T) {
	type site struct {
		e     *env
		name  string
		token string
	}
	var sites []site
	for _, name := range []string{"Alice Martin", "Bruno Petit"} {
		e := newEnv(t)
		m := &central.Member{Name: name, Email: strings.ToLower(strings.Fields(name)[0]) + "@example.org"}
		if err := e.members.CreateMember(e.ctx(), m); err != nil {
			t.Fatal(err)
		}
		_, token, err := e.store.CreateMemberLink(e.ctx(), m.ID)
		if err != nil {
			t.Fatal(err)
		}
		sites = append(sites, site{e, name, token})
	}
	var wg sync.WaitGroup
	for i := range 8 {
		s, other := sites[i%2], sites[(i+1)%2]
		wg.Go(func() {
			for _, path := range []string{"/login", "/m/" + s.token, "/m", "/m/" + s.token + "/book"} {
				resp, err := http.Get(s.e.ts.URL + path)
				if err != nil {
					t.Error(err)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s: status %d", path, resp.StatusCode)
				}
				if body := string(b); path == "/m/"+s.token && (!strings.Contains(body, s.name) || strings.Contains(body, other.name)) {
					t.Errorf("GET %s: the page of %s is not hers:\n%s", path, s.name, body)
				}
			}
		})
	}
	wg.Wait()
}
