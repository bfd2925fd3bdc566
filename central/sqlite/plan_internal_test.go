package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestPullQueriesUseIndexes checks the query plans of an incremental pull:
// every table is searched through an index, none is scanned, so the rows
// read grow with the number of changes and never with the number of
// members.
func TestPullQueriesUseIndexes(t *testing.T) {
	// Statistics as with many members, so the planner has no excuse.
	db := planDB(t, `('members', 'members_version', '10000 1'), ('members', 'members_email', '10000 1'),
		('sales', 'sales_member', '30000 3'), ('badges', 'badges_member', '12000 2'),
		('visits', 'sqlite_autoindex_visits_1', '500000 50 50 1'), ('tombstones', 'tombstones_version', '100 1')`)
	queries := sqlstore.Queries(Dialect{})
	for _, name := range []string{"pull changes", "pull snapshot", "pull members", "pull badges", "pull sales",
		"pull visits", "pull ack", "kiosk", "visit"} {
		q := queries[name]
		if q == "" {
			t.Fatalf("no query %q", name)
		}
		t.Run(name, func(t *testing.T) {
			plan := queryPlan(t, db, q, "[1,2,3]", "2026-11-26", "x")
			t.Logf("%s: %q", name, plan)
			for _, step := range plan {
				// json_each is the list of ids of the page, not a table.
				if strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, "json_each") {
					t.Errorf("plan scans a table: %q\nplan: %q", step, plan)
				}
			}
		})
	}
}

// TestCaseFoldedLookupsUseIndexes checks that the case-insensitive
// e-mail lookups (COLLATE NOCASE) are searched through their NOCASE
// indexes, not by scanning every member or admin user.
func TestCaseFoldedLookupsUseIndexes(t *testing.T) {
	db := planDB(t, `('members', 'members_email', '10000 1'), ('admin_users', 'admin_users_email', '50 1')`)
	queries := sqlstore.Queries(Dialect{})
	for name, want := range map[string]string{
		"member email": "INDEX members_email (email=?)",
		"admin email":  "INDEX admin_users_email (email=?)",
	} {
		t.Run(name, func(t *testing.T) {
			plan := queryPlan(t, db, queries[name], "Alice@Example.org", 7)
			found := false
			for _, step := range plan {
				if strings.HasPrefix(step, "SCAN ") {
					t.Errorf("plan scans a table: %q", plan)
				}
				found = found || strings.HasPrefix(step, "SEARCH ") && strings.Contains(step, want)
			}
			if !found {
				t.Errorf("plan %q, want a search by %q", plan, want)
			}
		})
	}
}

// planDB opens a database in a temporary folder whose planner statistics
// say the given sqlite_stat1 rows (tbl, idx, stat), as in a large space.
func planDB(t *testing.T, stats string) *DB {
	t.Helper()
	db := NewDB(t.TempDir())
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.SQL().ExecContext(context.Background(), `ANALYZE; INSERT OR REPLACE INTO sqlite_stat1 (tbl, idx, stat) VALUES
		`+stats+`; ANALYZE sqlite_schema`); err != nil {
		t.Fatal(err)
	}
	return db
}

// queryPlan returns the steps of SQLite's plan for q with args.
func queryPlan(t *testing.T, db *DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.SQL().QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestOpenRefusesNewerSchema checks that an older centrald does not run on
// a database migrated by a newer one.
func TestOpenRefusesNewerSchema(t *testing.T) {
	dir := t.TempDir()
	db := NewDB(dir)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO migrations (version, name, applied) VALUES (999, 'future.sql', '')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = NewDB(dir)
	if err := db.Open(); err == nil || !strings.Contains(err.Error(), "newer") {
		db.Close()
		t.Fatalf("opened a newer schema: %v", err)
	}
}

// TestPragmas checks the settings every pooled connection gets.
func TestPragmas(t *testing.T) {
	db := NewDB(t.TempDir())
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for pragma, want := range map[string]string{
		"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "10000",
	} {
		var got string
		if err := db.SQL().QueryRow("PRAGMA " + pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
}
