package main

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestMigrateGeneratedAssociation: a generated association (members with
// a badge and a card or a subscription, three kiosks, a year of entries
// with their visits, some charged to the cards) copied from SQLite into
// an empty PostgreSQL database: the command's own checks pass (row counts,
// sync counter, every member's balance derived by each engine), and the
// copy reads the same as the source for a few members' balances and
// entries and the kiosks.
//
// Its size: BADGEUSE_MIGRATE_MEMBERS and BADGEUSE_MIGRATE_ENTRIES; make
// test runs 300 members and 5,000 entries (under -race; 1,000 and 20,000
// without), make bench the issue's
// 10,000 members and 1,000,000 entries (minutes on 2 cores).
func TestMigrateGeneratedAssociation(t *testing.T) {
	members, entries := 1000, 20000
	if raceEnabled { // SQLite's pure Go driver is ~10 times slower under the race detector
		members, entries = 300, 5000
	}
	members, entries = envInt(t, "BADGEUSE_MIGRATE_MEMBERS", members), envInt(t, "BADGEUSE_MIGRATE_ENTRIES", entries)
	lite := newCLI(t)
	lite.ok("settings", "set", "space.name", "La Ruche") // creates the database
	start := time.Now()
	generateAssociation(t, lite.dir, members, entries)
	t.Logf("generated %d members and %d entries in %v", members, entries, time.Since(start).Round(time.Millisecond))

	url := pgtest.DB(t)
	start = time.Now()
	out := lite.ok("migrate", "--from-sqlite", lite.dir, "--to", url)
	t.Logf("migrated in %v", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(out, fmt.Sprintf("same balances for %d members", members)) {
		t.Fatalf("migrate printed:\n%s", out)
	}
	for table, want := range map[string]int{"members": members, "entries": entries, "sales": members, "badges": members, "kiosks": 3} {
		m := regexp.MustCompile(`(?m)^` + table + `\s+(\d+)\s*$`).FindStringSubmatch(out)
		if m == nil || m[1] != strconv.Itoa(want) {
			t.Errorf("migrate's count of %s: %v, want %d", table, m, want)
		}
	}
	pg := &pgCLI{t: t, url: url}
	for _, m := range []int{1, members / 2, members} {
		id := strconv.Itoa(m)
		for _, cmd := range [][]string{{"balance", "--member", id, "--json"}, {"entries", "--member", id, "--json"}} {
			if a, b := lite.ok(cmd...), pg.ok(cmd...); a != b || a == "" {
				t.Fatalf("centrald %s differs:\nSQLite:\n%.2000s\nPostgreSQL:\n%.2000s", strings.Join(cmd, " "), a, b)
			}
		}
	}
	if a, b := lite.ok("kiosk", "list", "--json"), pg.ok("kiosk", "list", "--json"); a != b {
		t.Fatalf("kiosk list differs:\n%s\n%s", a, b)
	}
	if id := pg.ok("member", "add", "--name", "Nouvelle"); id != strconv.Itoa(members+1) {
		t.Fatalf("new member id %s, want %d", id, members+1)
	}
}

func envInt(t *testing.T, name string, def int) int {
	if s := os.Getenv(name); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 10 {
			t.Fatalf("%s=%q: want a number of at least 10", name, s)
		}
		return n
	}
	return def
}

// generateAssociation fills the SQLite database of dir with SQL (the
// store's services would take minutes), as central/admin's page bench
// does: n members, each with a badge and a sale (a 10-entry card for
// even ids, a running monthly subscription for odd ones), three enrolled
// kiosks, and entries over a year from ~500 members a day, 1 in 50
// refused, with one visit per member and day from the first accepted
// entry, charged to the card for card holders.
func generateAssociation(t *testing.T, dir string, n, entries int) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, sqlite.FileName)+
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := tx.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
	now := time.Now()
	created := ts(now.AddDate(-1, 0, -1))
	today := access.DayOf(now, access.Paris)
	exec(`INSERT INTO products (id, name, kind, entries, days, price, active, created) VALUES
		(1, 'Carnet 10 entrées', 'pack', 10, 0, 8000, 1, ?), (2, 'Abonnement mensuel', 'subscription', 0, 30, 12000, 1, ?)`, created, created)
	for k := 1; k <= 3; k++ {
		exec(`INSERT INTO kiosks (id, name, space, created, token_hash, enroll_hash, enroll_expires, enrolled, last_seen, acked)
			VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, 0)`, k, fmt.Sprintf("Porte %d", k), created, fmt.Sprintf("%064x", k),
			fmt.Sprintf("%064x", 100+k), created, created, ts(now.Add(-time.Duration(k)*time.Minute)))
	}
	first := []string{"Alice", "Bastien", "Chloé", "Dario", "Émilie", "Farid", "Gaëlle", "Hugo", "Inès", "Jules", "Karim", "Léa"}
	last := []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"}
	members := &rowBatch{t: t, tx: tx, head: `INSERT INTO members (id, name, email, status, created, updated, version) VALUES `,
		params: 6, row: "(?, ?, ?, 'active', ?, ?, ?)"}
	badges := &rowBatch{t: t, tx: tx, head: `INSERT INTO badges (member_id, hash, created) VALUES `, params: 3, row: "(?, ?, ?)"}
	sales := &rowBatch{t: t, tx: tx, head: `INSERT INTO sales (id, member_id, product_id, kind, entries, amount, source, created, start_day, end_day, entries_left) VALUES `,
		params: 10, row: "(?, ?, ?, ?, ?, ?, 'admin', ?, ?, ?, ?)"}
	for i := 1; i <= n; i++ {
		members.add(i, fmt.Sprintf("%s %s %d", first[i%len(first)], last[(i/len(first))%len(last)], i), fmt.Sprintf("m%d@example.org", i), created, created, i)
		badges.add(i, fmt.Sprintf("%064x", 1000+i), created)
		if i%2 == 0 {
			sales.add(i, i, 1, "pack", 10, 8000, created, today.AddDays(-365).String(), "", 10)
		} else {
			sales.add(i, i, 2, "subscription", 0, 12000, created, today.AddDays(-10).String(), today.AddDays(19).String(), 0)
		}
	}
	members.flush()
	badges.flush()
	sales.flush()
	exec(`UPDATE counter SET version = ?`, n)

	rows := &rowBatch{t: t, tx: tx, head: `INSERT INTO entries (id, kiosk_id, seq, member_id, badge_hash, kiosk_time, time, accept, reason, received) VALUES `,
		params: 9, row: "(?, ?, ?, ?, '', ?, ?, ?, ?, ?)"}
	visits := &rowBatch{t: t, tx: tx, head: `INSERT INTO visits (member_id, space, day, entry_id, first_time, charge, sale_id) VALUES `,
		params: 6, row: "(?, '', ?, ?, ?, ?, ?)"}
	rng := rand.New(rand.NewPCG(1, 2))
	seq := [4]int64{}
	perDay := entries/365 + 1
	made := 0
	for d := 364; d >= 0 && made < entries; d-- {
		day := today.AddDays(-d)
		open := day.Start(access.Paris).Add(8 * time.Hour)
		type visit struct {
			id string
			at time.Time
		}
		firsts := map[int]visit{}
		for j := 0; j < perDay && made < entries; j++ {
			member := 1 + (rng.IntN(500)*20+d*37)%n
			k := 1 + rng.IntN(3)
			seq[k]++
			at := open.Add(time.Duration(rng.IntN(12*3600)) * time.Second)
			if d == 0 && at.After(now) {
				at = now.Add(-time.Duration(1+rng.IntN(3600)) * time.Second)
			}
			accept, reason := 1, string(access.OKPack)
			if member%2 == 1 {
				reason = string(access.OKSubscription)
			}
			if rng.IntN(50) == 0 {
				accept, reason = 0, string(access.NoEntriesLeft)
			}
			id := fmt.Sprintf("0190b2a0-%04x-7000-8000-%012x", k, made)
			rows.add(id, k, seq[k], member, ts(at), ts(at), accept, reason, ts(at))
			if v, ok := firsts[member]; accept == 1 && (!ok || at.Before(v.at)) {
				firsts[member] = visit{id, at}
			}
			made++
		}
		rows.flush()
		for member, v := range firsts {
			if member%2 == 0 {
				visits.add(member, day.String(), v.id, ts(v.at), "pack", member)
			} else {
				visits.add(member, day.String(), v.id, ts(v.at), "covered", nil)
			}
		}
	}
	rows.flush()
	visits.flush()
	for k := 1; k <= 3; k++ {
		exec(`UPDATE kiosks SET acked = ? WHERE id = ?`, seq[k], k)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// rowBatch inserts rows with multi-row INSERT statements.
type rowBatch struct {
	t      *testing.T
	tx     *sql.Tx
	head   string
	params int
	row    string
	args   []any
}

func (b *rowBatch) add(args ...any) {
	b.args = append(b.args, args...)
	if len(b.args) >= 500*b.params {
		b.flush()
	}
}

func (b *rowBatch) flush() {
	b.t.Helper()
	n := len(b.args) / b.params
	if n == 0 {
		return
	}
	if _, err := b.tx.Exec(b.head+strings.Repeat(b.row+",", n-1)+b.row, b.args...); err != nil {
		b.t.Fatalf("%.40s: %v", b.head, err)
	}
	b.args = b.args[:0]
}
