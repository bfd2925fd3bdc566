package postgres

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestPullQueriesUseIndexes checks PostgreSQL's plans of an incremental
// pull at 10,000 members, as central/sqlite's test of the same name checks
// SQLite's: no table that grows with the association is read whole, so
// the rows a pull reads grow with the number of changes, never with the
// number of members. The plans are checked with the tables' statistics
// (what autovacuum keeps, and what ImportSQLite leaves) and, for the
// queries of a page of members (Dialect.InIDs), without any (just after a
// bulk load): a pull of 10 members once read all of members, badges and
// sales, statistics or not, and the pull grew with the members.
func TestPullQueriesUseIndexes(t *testing.T) {
	ctx := context.Background()
	db := NewDB(pgtest.DB(t))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	big := []string{"members", "badges", "sales", "visits", "entries", "tombstones"}
	for _, table := range big { // no statistics until the test asks for them
		exec(t, db, `ALTER TABLE `+table+` SET (autovacuum_enabled = false)`)
	}
	const now = `'2026-12-01T10:00:00.000000Z'`
	exec(t, db, `INSERT INTO members (name, status, created, updated, version)
		SELECT 'Member ' || i, 'active', `+now+`, `+now+`, i FROM generate_series(1, 10000) AS i`)
	exec(t, db, `UPDATE counter SET version = 10000 WHERE id = 1`)
	exec(t, db, `INSERT INTO tombstones (member_id, version, erased)
		SELECT 20000 + i, i, `+now+` FROM generate_series(1, 5000) AS i`)
	exec(t, db, `INSERT INTO badges (member_id, hash, created)
		SELECT i, md5(i::text) || md5((-i)::text), `+now+` FROM generate_series(1, 10000) AS i`)
	exec(t, db, `INSERT INTO products (name, kind, entries, days, price, created) VALUES ('Carte 10', 'pack', 10, 365, 8000, `+now+`)`)
	exec(t, db, `INSERT INTO sales (member_id, product_id, kind, entries, amount, source, created, start_day, end_day, entries_left)
		SELECT 1 + i % 10000, 1, 'pack', 10, 8000, 'cli', `+now+`, '2026-01-01', '2026-12-31', 10 FROM generate_series(1, 30000) AS i`)
	exec(t, db, `INSERT INTO kiosks (name, created, token_hash, enroll_hash, enroll_expires)
		VALUES ('Porte', `+now+`, 'token', 'enroll', `+now+`)`)
	exec(t, db, `INSERT INTO entries (id, kiosk_id, seq, member_id, badge_hash, kiosk_time, time, accept, reason, received)
		SELECT 'e' || i, 1, i, 1 + i % 10000, md5((1 + i % 10000)::text), `+now+`,
		to_char(timestamp '2026-01-01' + i * interval '5 minutes', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 1, 'ok', `+now+`
		FROM generate_series(1, 50000) AS i`)
	exec(t, db, `INSERT INTO visits (member_id, space, day, first_time)
		SELECT 1 + i % 10000, '', to_char(date '2026-01-01' + i / 10000, 'YYYY-MM-DD'), `+now+` FROM generate_series(1, 50000) AS i`)

	page := "[17,1017,2017,3017,4017,5017,6017,7017,8017,9017]" // 10 changed members
	args := map[string][]any{
		"pull changes":  {int64(9990), 101},
		"pull snapshot": {int64(5000), 500},
		"pull members":  {page},
		"pull badges":   {page},
		"pull sales":    {page},
		"pull visits":   {page, ""},
		"pull accepted": {page, "", "2026-02-01T00:00:00.000000Z"},
		"pull ack":      {int64(1), int64(49990)},
		"kiosk":         {"token"},
		"visit":         {int64(17), "", "2026-01-03"},
	}
	queries := sqlstore.Queries(&Dialect{})
	scan := regexp.MustCompile(`Seq Scan on (\w+)`)
	for _, stats := range []bool{false, true} {
		if stats {
			exec(t, db, `ANALYZE`)
		}
		for name, a := range args {
			if !stats && !strings.HasPrefix(name, "pull ") {
				continue
			}
			if !stats && (name == "pull changes" || name == "pull snapshot" || name == "pull ack") {
				// A range of an index on a table of unknown size: the
				// planner takes a third of the table, and scans it. These
				// need statistics (see ImportSQLite).
				continue
			}
			q := queries[name]
			if q == "" {
				t.Fatalf("no query %q", name)
			}
			rows, err := db.SQL().QueryContext(ctx, `EXPLAIN (COSTS OFF) `+rebind(q), a...)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var plan []string
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, strings.TrimSpace(line))
			}
			rows.Close()
			for _, line := range plan {
				if m := scan.FindStringSubmatch(line); m != nil && strings.Contains(" "+strings.Join(big, " ")+" ", " "+m[1]+" ") {
					t.Errorf("%s (statistics %v) reads all of %s:\n%s", name, stats, m[1], strings.Join(plan, "\n"))
				}
			}
		}
	}
}

func exec(t *testing.T, db *DB, q string) {
	t.Helper()
	if _, err := db.SQL().Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
