package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/postgres"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/shared/access"
)

// Moving an association from SQLite to PostgreSQL: "centrald migrate
// --from-sqlite DIR --to URL".

func init() {
	commands = append(commands, command{"migrate", "--from-sqlite DIR --to postgres://... [--db-password-file FILE]",
		"copy the whole SQLite database of DIR into an empty PostgreSQL database, then check counts and balances; DIR is left untouched", cmdMigrate})
}

// cmdMigrate copies a consistent snapshot of the SQLite database (made as
// centrald backup makes it, so centrald may keep serving during the copy;
// stop it before, so that nothing is written after the snapshot) into the
// PostgreSQL database, then checks that every table has as many rows on
// both sides, the sync counter is the same, and every member's balance
// (derived again from her sales and visits by each engine) is the same.
// The source folder is only read (its database file stays byte for byte
// the same; SQLite may leave an empty -wal and -shm beside it, as centrald
// backup does): the snapshot goes to a temporary folder, where an older
// schema is upgraded before the copy.
//
// Kiosks continue with their cursors and tokens (postgres.ImportSQLite):
// point them, or the reverse proxy, at the centrald that serves the
// PostgreSQL database; no new enrollment and no snapshot is needed.
func cmdMigrate(e *env, args []string) error {
	from := e.fs.String("from-sqlite", "", "the data folder of the SQLite database to copy")
	to := e.fs.String("to", "", "the PostgreSQL database to fill: postgres://... (empty)")
	if err := e.flags(args, "from-sqlite", "to"); err != nil {
		return err
	}
	*e.dbURL = *to
	u, err := e.databaseURL()
	if err != nil {
		return err
	}
	// The folder's owner keeps it: what SQLite makes beside the file when
	// reading it (an empty -wal and -shm) is given back to the owner when
	// run as root, as for centrald backup (shared/datadir).
	*e.data = *from
	dir, err := e.dataDir()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "centrald-migrate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := sqlite.Backup(e.ctx, dir, filepath.Join(tmp, sqlite.FileName)); err != nil {
		return fmt.Errorf("snapshot of %s: %w", dir, err)
	}
	sdb := sqlite.NewDB(tmp)
	sdb.CheckTime = -1 // Backup checked it
	if err := sdb.Open(); err != nil {
		return err
	}
	defer sdb.Close()
	src, err := sqlite.OpenReadOnly(tmp)
	if err != nil {
		return err
	}
	defer src.Close()
	pdb := postgres.NewDB(u)
	if err := pdb.Open(); err != nil {
		return err
	}
	defer pdb.Close()
	counts, err := pdb.ImportSQLite(e.ctx, src)
	if err != nil {
		return err
	}

	// Counts: the source's rows, the destination's after commit.
	tables := make([]string, 0, len(counts))
	for t := range counts {
		tables = append(tables, t)
	}
	slices.Sort(tables)
	var check postgresCheck
	for _, t := range tables {
		var want, got int64
		if err := src.QueryRowContext(e.ctx, `SELECT count(*) FROM "`+t+`"`).Scan(&want); err != nil {
			return err
		}
		if got, err = pdb.Count(e.ctx, t); err != nil {
			return err
		}
		if got != want {
			check.fail("%s: %d rows in SQLite, %d in PostgreSQL", t, want, got)
		}
	}
	var wantVersion int64
	if err := src.QueryRowContext(e.ctx, `SELECT version FROM counter`).Scan(&wantVersion); err != nil {
		return err
	}
	if got, err := pdb.Count(e.ctx, "counter WHERE version = "+fmt.Sprint(wantVersion)); err != nil || got != 1 {
		check.fail("sync counter differs (SQLite %d): %v", wantVersion, err)
	}

	// Balances, derived by each engine's store from sales and visits.
	lite, pg := onSQLite(sdb), onPostgres(pdb)
	members := 0
	for offset := 0; ; offset += 500 {
		ms, _, err := lite.Member.FindMembers(e.ctx, central.MemberFilter{Offset: offset, Limit: 500})
		if err != nil {
			return err
		}
		for _, m := range ms {
			a, err := lite.Ledger.MemberBalance(e.ctx, m.ID, access.Day{})
			if err != nil {
				return err
			}
			b, err := pg.Ledger.MemberBalance(e.ctx, m.ID, access.Day{})
			if err != nil {
				return err
			}
			if a.EntriesLeft != b.EntriesLeft || a.Overdraft != b.Overdraft || a.SubscriptionUntil != b.SubscriptionUntil || a.Unlimited != b.Unlimited {
				check.fail("member %d: balance %+v in SQLite, %+v in PostgreSQL", m.ID, *a, *b)
			}
			members++
		}
		if len(ms) < 500 {
			break
		}
	}
	if check.err != nil {
		return check.err
	}
	w := newListWriter(e.stdout, false, "TABLE\tROWS")
	for _, t := range tables {
		w.line(nil, "%s\t%d\n", t, counts[t])
	}
	if err := w.flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "copied into %s: same row counts, sync counter %d, same balances for %d members; %s was not changed\n",
		describeURL(u), wantVersion, members, dir)
	return nil
}

// postgresCheck collects the differences found after the copy.
type postgresCheck struct{ err error }

func (c *postgresCheck) fail(format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("the copy differs from the source (the PostgreSQL database keeps it; drop it and copy again): "+format, args...)
	}
}
