package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The Find methods share one shape: conditions from a filter, a count of
// the matching rows, a page of them. conds, listQuery and collect are that
// shape; the SQL around them stays in each method.

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// conds are the conditions of a WHERE clause and their parameters. Values
// always travel as parameters, never in the SQL text.
type conds struct {
	list []string
	args []any
}

// add appends a condition and the parameters of its placeholders.
func (c *conds) add(cond string, args ...any) {
	c.list = append(c.list, cond)
	c.args = append(c.args, args...)
}

// timeRange adds column >= since and column < until, for each bound that
// is not zero.
func (c *conds) timeRange(column string, since, until time.Time) {
	if !since.IsZero() {
		c.add(column+" >= ?", formatTime(since))
	}
	if !until.IsZero() {
		c.add(column+" < ?", formatTime(until))
	}
}

// sql joins the conditions with AND ("1 = 1" when there are none).
func (c conds) sql() string {
	if len(c.list) == 0 {
		return "1 = 1"
	}
	return strings.Join(c.list, " AND ")
}

// listQuery is the query of a Find method: a page of the rows of a table
// that match conditions, in order, and how many match without the page.
type listQuery struct {
	what    string // in errors: "count entries", "find entries"
	columns string // SELECT columns
	table   string // FROM table and its alias: what is counted
	joins   string // joins of the columns only; they must not change the count
	where   conds  // on the table's columns
	order   string // ORDER BY
	offset  int
	limit   int // 0: no limit
	// maxCount stops counting at this many rows (0: count them all):
	// counting a million entries takes longer than showing a page.
	maxCount int
	// pageKey, when set (a unique column of table, e.g. "m.id"), chooses
	// a page after the first on the table alone, then reads the columns
	// of its rows only: PostgreSQL computed costly columns (a member's
	// balance) for every row OFFSET skips, 1 s for page 100 of the
	// members at 10,000 members (syncbench), where SQLite took 8 ms.
	pageKey string
}

// find runs q and scans each row of the page with scan.
func find[T any](ctx context.Context, tx *Tx, q listQuery, scan func(scanner) (T, error)) ([]T, int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, q.countSQL(), q.where.args...).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count %s: %w", q.what, err)
	}
	rows, err := tx.QueryContext(ctx, q.selectSQL(), q.where.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find %s: %w", q.what, err)
	}
	out, err := collect(rows, scan)
	if err != nil {
		return nil, 0, err
	}
	return out, n, nil
}

// selectSQL is the query of q's page.
func (q listQuery) selectSQL() string {
	from := q.table
	if q.joins != "" {
		from += " " + q.joins
	}
	if q.pageKey != "" && q.offset > 0 {
		ids := page(`SELECT `+q.pageKey+` FROM `+q.table+` WHERE `+q.where.sql()+` ORDER BY `+q.order, q.offset, q.limit)
		return `SELECT ` + q.columns + ` FROM ` + from + ` WHERE ` + q.pageKey + ` IN (` + ids + `) ORDER BY ` + q.order
	}
	return page(`SELECT `+q.columns+` FROM `+from+` WHERE `+q.where.sql()+` ORDER BY `+q.order, q.offset, q.limit)
}

// countSQL is the query of how many rows match q.
func (q listQuery) countSQL() string {
	from := q.table + " WHERE " + q.where.sql()
	if q.maxCount > 0 {
		return `SELECT COUNT(*) FROM (SELECT 1 FROM ` + from + ` LIMIT ` + strconv.Itoa(q.maxCount) + `) AS n`
	}
	return `SELECT COUNT(*) FROM ` + from
}

// noLimit is a LIMIT that bounds nothing, for an OFFSET without a limit:
// SQLite wants a LIMIT before OFFSET and PostgreSQL refuses SQLite's -1;
// both take the largest 64-bit integer.
const noLimit = "9223372036854775807"

// page appends LIMIT and OFFSET clauses.
func page(q string, offset, limit int) string {
	if limit > 0 {
		q += " LIMIT " + strconv.Itoa(limit)
		if offset > 0 {
			q += " OFFSET " + strconv.Itoa(offset)
		}
	} else if offset > 0 {
		q += " LIMIT " + noLimit + " OFFSET " + strconv.Itoa(offset)
	}
	return q
}

// eachRow calls fn for every row, then closes rows (also when fn fails).
func eachRow(rows *sql.Rows, fn func(scanner) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// collect scans every row with scan, then closes rows.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	var out []T
	err := eachRow(rows, func(sc scanner) error {
		v, err := scan(sc)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// first returns the first result of a list query (its count left), or nil
// when there is none.
func first[T any](list []*T, _ int, err error) (*T, error) {
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}
