package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// ImportSQLite copies a whole central SQLite database (read through src,
// opened read only by central/sqlite.OpenReadOnly) into db, which must
// hold no data yet: every table of the schema (members, tombstones,
// products, sales, badges, kiosks and their token hashes, entries,
// visits, audit, outbox, settings, meta, the sync counter, the admin's
// users, sessions and links, payments, invoices...), row for row with
// the same ids, in one transaction of db and one read snapshot of src. It
// returns the number of rows copied per table.
//
// Both databases must be at the same schema version (upgrade the SQLite
// one by running this centrald on it once). The tables are those of db's
// schema, copied in the order of their foreign keys, so that a table
// added by a later migration is copied without a change here. The
// identity sequences continue after the highest id, or after SQLite's
// AUTOINCREMENT counter (sqlite_sequence) when it is higher: an erased
// member's id is never given again. The copy's tables are analyzed
// (their planner statistics) before it returns.
//
// Kiosks continue with their cursors: the sync counter, every member's
// and tombstone's version, the tombstone horizon and each kiosk's ack are
// copied as they are, so a kiosk's next incremental pull through the new
// database returns what changed after its cursor, and its token hash
// still authenticates it.
func (db *DB) ImportSQLite(ctx context.Context, src *sql.DB) (map[string]int64, error) {
	stx, err := src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("import: source: %w", err)
	}
	defer stx.Rollback()
	var from, to int
	if err := stx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM migrations`).Scan(&from); err != nil {
		return nil, fmt.Errorf("import: source is not a central database: %w", err)
	}
	if to, err = db.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	if from != to {
		return nil, fmt.Errorf("import: the SQLite database has schema version %d, this centrald %d: open it once with this centrald (centrald settings list --data DIR) to upgrade it, then copy it", from, to)
	}
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	counts := map[string]int64{}
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock); err != nil {
			return err
		}
		tables, err := tablesInOrder(ctx, tx)
		if err != nil {
			return err
		}
		for _, t := range []string{"members", "sales", "entries", "kiosks", "audit", "admin_users"} {
			var n int64
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("import: the PostgreSQL database is not empty (%d rows in %s): copy into a new database", n, t)
			}
		}
		// Rows a migration seeded (the counter's) give way to the source's.
		for _, t := range slices.Backward(tables) {
			if _, err := tx.Exec(ctx, `DELETE FROM `+t); err != nil {
				return err
			}
		}
		for _, t := range tables {
			n, err := copyTable(ctx, stx, tx, t)
			if err != nil {
				return fmt.Errorf("import: %s: %w", t, err)
			}
			counts[t] = n
		}
		if err := continueSequences(ctx, stx, tx, tables); err != nil {
			return fmt.Errorf("import: sequences: %w", err)
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
		// The planner's statistics of the copy, now rather than at
		// autovacuum's next round: until then PostgreSQL plans for tables
		// of unknown size, and the pulls' changes by version read every
		// member (TestPullQueriesUseIndexes).
		if _, err := pc.Exec(ctx, `ANALYZE`); err != nil {
			return fmt.Errorf("import: statistics: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// tablesInOrder lists the schema's tables (but migrations) so that each
// comes after the tables its foreign keys reference.
func tablesInOrder(ctx context.Context, tx pgx.Tx) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'migrations' ORDER BY tablename`)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
		WHERE contype = 'f' AND conrelid <> confrelid`)
	if err != nil {
		return nil, err
	}
	deps := map[string][]string{}
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			return nil, err
		}
		deps[from] = append(deps[from], to)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var order []string
	placed := map[string]bool{}
	for len(order) < len(names) {
		progress := false
		for _, n := range names {
			if placed[n] {
				continue
			}
			ready := true
			for _, d := range deps[n] {
				if !placed[d] && slices.Contains(names, d) {
					ready = false
				}
			}
			if ready {
				order, placed[n], progress = append(order, n), true, true
			}
		}
		if !progress {
			return nil, errors.New("foreign keys form a cycle")
		}
	}
	return order, nil
}

// copyTable copies every row of table from the source, with the columns
// of the PostgreSQL table (the same names in both schemas), by COPY.
func copyTable(ctx context.Context, stx *sql.Tx, tx pgx.Tx, table string) (int64, error) {
	rows, err := tx.Query(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		return 0, err
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, err
	}
	// PostgreSQL-only columns (the outbox's claimed_by) keep their default.
	scols, err := sourceColumns(ctx, stx, table)
	if err != nil {
		return 0, err
	}
	cols = slices.DeleteFunc(cols, func(c string) bool { return !scols[c] })
	src, err := stx.QueryContext(ctx, `SELECT "`+strings.Join(cols, `", "`)+`" FROM "`+table+`"`)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	return tx.CopyFrom(ctx, pgx.Identifier{table}, cols, &sqlRows{rows: src, n: len(cols)})
}

// sourceColumns are the columns of table in the SQLite database.
func sourceColumns(ctx context.Context, stx *sql.Tx, table string) (map[string]bool, error) {
	rows, err := stx.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols[c] = true
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("table %s missing in the SQLite database", table)
	}
	return cols, rows.Err()
}

// sqlRows feeds database/sql rows to COPY (pgx.CopyFromSource).
type sqlRows struct {
	rows *sql.Rows
	n    int
	vals []any
	err  error
}

func (r *sqlRows) Next() bool {
	if !r.rows.Next() {
		return false
	}
	r.vals = make([]any, r.n)
	ptrs := make([]any, r.n)
	for i := range ptrs {
		ptrs[i] = &r.vals[i]
	}
	if r.err = r.rows.Scan(ptrs...); r.err != nil {
		return false
	}
	for i, v := range r.vals { // SQLite may hand TEXT as bytes
		if b, ok := v.([]byte); ok {
			r.vals[i] = string(b)
		}
	}
	return true
}

func (r *sqlRows) Values() ([]any, error) { return r.vals, nil }

func (r *sqlRows) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.rows.Err()
}

// continueSequences sets each identity sequence after the highest id
// copied, or SQLite's AUTOINCREMENT counter when higher.
func continueSequences(ctx context.Context, stx *sql.Tx, tx pgx.Tx, tables []string) error {
	autoinc := map[string]int64{}
	if rows, err := stx.QueryContext(ctx, `SELECT name, seq FROM sqlite_sequence`); err == nil {
		for rows.Next() {
			var name string
			var seq int64
			if err := rows.Scan(&name, &seq); err != nil {
				rows.Close()
				return err
			}
			autoinc[name] = seq
		}
		rows.Close()
	} // no sqlite_sequence: no AUTOINCREMENT table has had a row
	rows, err := tx.Query(ctx, `SELECT table_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'`)
	if err != nil {
		return err
	}
	identity, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, t := range tables {
		if !slices.Contains(identity, t) {
			continue
		}
		var top int64
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+t).Scan(&top); err != nil {
			return err
		}
		top = max(top, autoinc[t])
		if top == 0 {
			continue
		}
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), $2)`, t, top); err != nil {
			return err
		}
	}
	return nil
}
