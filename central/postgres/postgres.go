// Package postgres implements central's services on a PostgreSQL database
// (github.com/jackc/pgx/v5 through database/sql), for associations that
// want a managed, replicated database or several centrald behind one
// database. It implements the same interfaces as central/sqlite, the
// embedded default, and passes the same conformance suite
// (central/storetest); the ledger's use cases are the domain's
// (central/ledger.go), run in this package's transactions.
//
// # One schema, two engines
//
// The schema is central/sqlite's, table for table and column for column,
// with its own migration/NNNN_name.sql files at the same version numbers
// (centrald version and the admin show one schema version whatever the
// engine). Values are stored as SQLite stores them: times as fixed-width
// UTC text, days as "YYYY-MM-DD", booleans as 0/1, every text column
// compared by bytes (COLLATE "C"). The queries are SQLite's, written with
// SQLite's placeholders (? and ?N) and rewritten once to PostgreSQL's ($N)
// by rebind; the few that differ (case-insensitive e-mails, id lists,
// statistics by month) are written for PostgreSQL. centrald migrate copies
// a SQLite database row for row.
//
// # Several centrald on one database
//
// Write transactions are serialized across every process by one
// transaction-level advisory lock (writeLock), taken first by each write
// transaction, at READ COMMITTED: each statement then sees everything
// committed before the lock was granted, and nothing else writes until
// commit. This is SQLite's model (one writer, BEGIN IMMEDIATE), so the
// store's read-then-write steps (is this e-mail taken? does this member
// have a visit today?) stay correct with several centrald, without
// serialization failures to retry. Reads take no lock: a read transaction
// is one REPEATABLE READ snapshot, read-only, and runs beside the writer.
// Several centrald give availability (one can die or be upgraded while the
// doors keep syncing) and read capacity, not more write throughput:
// central writes little (a batched push every few seconds per kiosk).
//
// The outbox's claims do not take that lock: they select due messages
// with FOR UPDATE SKIP LOCKED, so that concurrent claims of several
// processes take different messages, and write the lease before
// committing (OutboxService). A message is claimed by one process at a
// time; see central.Outbox for leases and what a crash does.
//
// # Sync versions: a pull never misses a change
//
// The counter of sync versions (table counter) is taken only by write
// transactions, hence one at a time, under writeLock: a transaction that
// took versions v+1..w commits (or rolls back, giving them back) before
// the next writer can take w+1. Versions therefore become visible in
// order: in any snapshot, every change at a version up to the counter is
// committed and visible, and none above it exists. A pull reads the
// counter and the changes above the kiosk's cursor in one REPEATABLE READ
// snapshot and hands the counter to the kiosk as its next cursor: a change
// committed by another process after that snapshot has a version above the
// counter it read, so the kiosk's next pull receives it. No gap can be
// skipped, and a rolled-back transaction leaves none.
//
// Settings are read from the database by every transaction that needs
// them (no cache), so a setting changed through one centrald is used by
// every other at its next transaction.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// migrations are the schema's migration/NNNN_name.sql files.
var migrations fs.FS = migrationFS

// Advisory lock keys (pg_advisory_xact_lock): writeLock serializes write
// transactions; migrateLock lets one centrald migrate while others wait.
const (
	writeLock   int64 = 0x6261646765 // "badge"
	migrateLock       = writeLock + 1
)

// DB is central's database. Set the exported fields before Open.
type DB struct {
	db *pool
	// URL is the database's URL (postgres://user@host/db?...) or a
	// key=value connection string. It may hold a password: never log it.
	URL string

	// Now returns the current time; tests replace it.
	Now func() time.Time

	// Reactions turn the domain's events into outbox messages, stored in
	// the transaction of the change that made the event (as
	// central/sqlite's DB.Reactions).
	Reactions []central.Reaction

	// MaxConns bounds the connections this process opens for its
	// transactions (0: 8); one more holds its owner lock.
	MaxConns int

	// owner identifies this process's outbox claims: a random key whose
	// session advisory lock ownerConn holds while the process lives
	// (OutboxService.ReleaseOutbox).
	owner     int64
	ownerConn *sql.Conn
}

// NewDB returns a DB for the database at url.
func NewDB(url string) *DB {
	return &DB{URL: url, Now: time.Now}
}

// IsURL reports whether s names a PostgreSQL database (postgres:// or
// postgresql://) rather than a folder.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database and applies the migrations. Its errors
// never hold the URL (it may carry a password).
func (db *DB) Open() error {
	if db.URL == "" {
		return errors.New("postgres: database URL required")
	}
	sdb, err := sql.Open("pgx", db.URL)
	if err != nil {
		return fmt.Errorf("postgres: open: %w", scrub(err))
	}
	n := db.MaxConns
	if n <= 0 {
		n = 8
	}
	sdb.SetMaxOpenConns(n + 1)
	sdb.SetMaxIdleConns(n + 1)
	sdb.SetConnMaxIdleTime(5 * time.Minute)
	db.db = &pool{DB: sdb}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return fmt.Errorf("postgres: connect: %w", scrub(err))
	}
	if err := db.migrate(ctx); err != nil {
		sdb.Close()
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	if err := db.ensureCodeKey(ctx); err != nil {
		sdb.Close()
		return fmt.Errorf("postgres: %w", err)
	}
	if err := db.lockOwner(ctx); err != nil {
		sdb.Close()
		return fmt.Errorf("postgres: owner lock: %w", err)
	}
	return nil
}

// lockOwner picks this process's owner key and holds its lock on a
// connection of its own until Close (or the process's death, which ends
// the connection and frees the lock).
func (db *DB) lockOwner(ctx context.Context) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return err
	}
	for {
		owner := rand.Int64N(1<<62) + 1<<40 // far from writeLock and migrateLock
		var ok bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, owner).Scan(&ok); err != nil {
			conn.Close()
			return err
		}
		if ok {
			db.owner, db.ownerConn = owner, conn
			return nil
		}
	}
}

// scrub keeps a connection error from carrying the URL: pgconn's errors
// name the host and user, not the password, but a parse error of the URL
// quotes it.
func scrub(err error) error {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) {
		return errors.New("the database URL could not be parsed")
	}
	return err
}

// Close closes the database.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
	}
	if db.ownerConn != nil {
		db.ownerConn.Close()
	}
	return db.db.Close()
}

// Ping checks that the database answers a query (for the watchdog).
func (db *DB) Ping(ctx context.Context) error {
	var n int
	return db.db.QueryRowContext(ctx, `SELECT 1`).Scan(&n)
}

func (db *DB) now() time.Time {
	if db.Now != nil {
		return db.Now()
	}
	return time.Now()
}

// CheckURL connects to the database at url and returns its schema
// version (0: none yet), changing nothing (centrald doctor).
func CheckURL(ctx context.Context, url string) (int, error) {
	sdb, err := sql.Open("pgx", url)
	if err != nil {
		return 0, scrub(err)
	}
	defer sdb.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var exists bool
	if err := sdb.QueryRowContext(ctx, `SELECT to_regclass('migrations') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return 0, scrub(err)
	}
	var v int
	err = sdb.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM migrations`).Scan(&v)
	return v, scrub(err)
}

// Count returns the number of rows of a table (of the schema: never a
// name from outside), with an optional WHERE after it.
func (db *DB) Count(ctx context.Context, table string) (int64, error) {
	var n int64
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n)
	return n, err
}

// SchemaVersion returns the newest migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM migrations`).Scan(&v)
	return v, err
}

// migrate applies the embedded migrations not applied yet, in order, in
// one transaction (PostgreSQL's schema changes are transactional: one that
// fails leaves the database as it was), and refuses a database written by
// a newer centrald. Several centrald starting at once wait for each other
// (migrateLock).
func (db *DB) migrate(ctx context.Context) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		version BIGINT PRIMARY KEY,
		name    TEXT NOT NULL,
		applied TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	applied := map[int]bool{}
	newest := 0
	rows, err := tx.QueryContext(ctx, `SELECT version FROM migrations`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
		newest = max(newest, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	known := 0
	for _, name := range names {
		v, err := migrationVersion(name)
		if err != nil {
			return err
		}
		if v <= known {
			return fmt.Errorf("migration %s: version %d after %d", name, v, known)
		}
		known = v
		if applied[v] {
			continue
		}
		script, err := fs.ReadFile(migrations, name)
		if err != nil {
			return err
		}
		base := name[strings.LastIndex(name, "/")+1:]
		if _, err := tx.ExecContext(ctx, string(script)); err != nil {
			return fmt.Errorf("migration %s failed: %w; the database was left unchanged", base, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (version, name, applied) VALUES ($1, $2, $3)`,
			v, base, formatTime(db.now())); err != nil {
			return err
		}
	}
	if newest > known {
		return fmt.Errorf("database schema version %d is newer than this centrald (%d): upgrade centrald", newest, known)
	}
	return tx.Commit()
}

func migrationVersion(name string) (int, error) {
	base := name[strings.LastIndex(name, "/")+1:]
	num, _, ok := strings.Cut(base, "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || v <= 0 {
		return 0, fmt.Errorf("migration %s: name must start with a number and _", name)
	}
	return v, nil
}

// pool is the connection pool; its queries are written with SQLite's
// placeholders and rebound.
type pool struct{ *sql.DB }

func (p *pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.DB.ExecContext(ctx, rebind(query), intBools(args)...)
}

func (p *pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.DB.QueryContext(ctx, rebind(query), intBools(args)...)
}

func (p *pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.DB.QueryRowContext(ctx, rebind(query), intBools(args)...)
}

// intBools passes Go booleans as 0 and 1, as SQLite's driver does: the
// schema's booleans are BIGINT 0/1 columns.
func intBools(args []any) []any {
	copied := false
	for i, a := range args {
		if b, ok := a.(bool); ok {
			if !copied { // never change the caller's slice
				args, copied = append([]any(nil), args...), true
			}
			args[i] = boolInt(b)
		}
	}
	return args
}

// rebound caches rebind's results by query text: the queries are
// constants, or built from a few shapes.
var rebound sync.Map

// rebind rewrites SQLite's placeholders as PostgreSQL's: ?N is $N, and a
// bare ? is one more than the largest number before it (SQLite's rule).
// Quoted text and identifiers are left as they are.
func rebind(q string) string {
	if r, ok := rebound.Load(q); ok {
		return r.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	highest := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
			b.WriteByte(c)
		case c == '\'' || c == '"':
			quote = c
			b.WriteByte(c)
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			n := highest + 1
			if j > i+1 {
				n, _ = strconv.Atoi(q[i+1 : j])
			}
			highest = max(highest, n)
			b.WriteString("$" + strconv.Itoa(n))
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	r := b.String()
	rebound.Store(q, r)
	return r
}

// Tx is a transaction with the time it started: every row it writes carries
// that same time.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
}

// Statements run without the caller's cancellation, as central/sqlite's:
// database/sql rolls the transaction back if ctx ends.

// ExecContext runs query (SQLite's placeholders).
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.Tx.ExecContext(context.WithoutCancel(ctx), rebind(query), intBools(args)...)
}

// QueryContext runs query (SQLite's placeholders).
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.Tx.QueryContext(context.WithoutCancel(ctx), rebind(query), intBools(args)...)
}

// QueryRowContext runs query (SQLite's placeholders).
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.Tx.QueryRowContext(context.WithoutCancel(ctx), rebind(query), intBools(args)...)
}

// begin starts a write transaction: it waits for writeLock (see the
// package doc).
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("begin: write lock: %w", err)
	}
	return &Tx{Tx: tx, db: db, now: db.now()}, nil
}

// beginUnlocked starts a write transaction without writeLock, for the
// outbox's claims and outcomes, which lock the rows they change (FOR
// UPDATE SKIP LOCKED) and touch nothing else.
func (db *DB) beginUnlocked(ctx context.Context) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, db: db, now: db.now()}, nil
}

// read starts a read transaction: one consistent snapshot, no lock.
func (db *DB) read(ctx context.Context) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("begin read: %w", err)
	}
	return &Tx{Tx: tx, db: db, now: db.now()}, nil
}

// nextVersion takes the next value of the global sync counter.
func (tx *Tx) nextVersion(ctx context.Context) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `UPDATE counter SET version = version + 1 WHERE id = 1 RETURNING version`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("next version: %w", err)
	}
	return v, nil
}

// bump gives a member the next sync version: kiosks will receive her again.
func (tx *Tx) bump(ctx context.Context, member int64) error {
	v, err := tx.nextVersion(ctx)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE members SET version = ?, updated = ? WHERE id = ?`,
		v, formatTime(tx.now), member); err != nil {
		return fmt.Errorf("bump member %d: %w", member, err)
	}
	return nil
}

// audit records a change made with ctx's actor. details is marshalled to
// JSON; it must hold no secret.
func (tx *Tx) audit(ctx context.Context, action, object string, details any) error {
	d := []byte("{}")
	if details != nil {
		var err error
		if d, err = json.Marshal(details); err != nil {
			return fmt.Errorf("audit details: %w", err)
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (time, actor, action, object, details) VALUES (?, ?, ?, ?, ?)`,
		formatTime(tx.now), central.ActorFromContext(ctx), action, object, string(d))
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// settings reads the settings in the transaction.
func (tx *Tx) settings(ctx context.Context) (central.Settings, error) {
	rows, err := tx.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	s := central.Settings{}
	err = eachRow(rows, func(sc scanner) error {
		var k, v string
		if err := sc.Scan(&k, &v); err != nil {
			return fmt.Errorf("settings: %w", err)
		}
		s[k] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// today returns the current day in the space's time zone.
func (tx *Tx) today(ctx context.Context) (access.Day, *time.Location, error) {
	s, err := tx.settings(ctx)
	if err != nil {
		return access.Day{}, nil, err
	}
	loc := s.Location()
	return access.DayOf(tx.now, loc), loc, nil
}

// Times are stored as fixed-width UTC text so that they sort as text
// (central/sqlite's format: a copied database reads the same).
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// timeCol scans a stored time ("" is the zero time).
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	s, err := columnText(src, "time")
	if err != nil || s == "" {
		*c.t = time.Time{}
		return err
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return fmt.Errorf("time column: %w", err)
	}
	*c.t = t
	return nil
}

// dayCol scans a stored day ("" is the zero day).
type dayCol struct{ d *access.Day }

func (c dayCol) Scan(src any) error {
	s, err := columnText(src, "day")
	if err != nil {
		return err
	}
	d, err := access.ParseDay(s)
	if err != nil {
		return fmt.Errorf("day column: %w", err)
	}
	*c.d = d
	return nil
}

// columnText returns the value of a TEXT column as the driver gives it
// ("" for NULL).
func columnText(src any, column string) (string, error) {
	switch v := src.(type) {
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("%s column: unexpected %T", column, src)
}

// isUniqueViolation reports whether err is a UNIQUE or primary key
// violation (SQLSTATE 23505), never by the error's text.
func isUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// Lengths texts from outside are cut to, in bytes.
const (
	maxNote     = 1000 // an outbox message's error or note
	maxSoftware = 100  // a kiosk's software version
)

// clip cuts s to at most n bytes, between characters, and drops what is
// not UTF-8: such texts are shown in the admin.
func clip(n int, s string) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// idList encodes ids for "IN (SELECT value::bigint FROM
// json_array_elements_text(?::json))": one query for a page of members
// instead of one per member.
func idList(ids []int64) string {
	b, _ := json.Marshal(ids)
	return string(b)
}
