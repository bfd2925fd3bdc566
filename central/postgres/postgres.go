// Package postgres is central's database on a PostgreSQL server
// (github.com/jackc/pgx/v5 through database/sql), for associations that
// want a managed, replicated database or several centrald behind one
// database. It connects (the URL, which may hold a password, is never
// logged), migrates its schema (migration/NNNN_name.sql), holds this
// process's owner lock, copies a SQLite database in (import.go: centrald
// migrate --from-sqlite) and supplies PostgreSQL's Dialect; central's
// services are central/sqlstore's, written once for every engine and proven
// on both by the conformance suite (central/storetest).
//
// # One schema, two engines
//
// The schema is central/sqlite's, table for table and column for column,
// with its own migration/NNNN_name.sql files at the same version numbers
// (centrald version and the admin show one schema version whatever the
// engine). Values are stored as SQLite stores them: times as fixed-width
// UTC text, days as "YYYY-MM-DD", booleans as 0/1, every text column
// compared by bytes (COLLATE "C"). The queries are central/sqlstore's,
// written with SQLite's placeholders (? and ?N) and rewritten once to
// PostgreSQL's ($N) by rebind; the few that differ (case-insensitive
// e-mails, id lists, row locks) come from Dialect. centrald migrate copies
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
// processes take different messages, and write the lease and the claiming
// process before committing (sqlstore.OutboxService). A message is claimed by one process at a
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
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/badgeuse/badgeuse/central/sqlstore"
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

// DB is central's database on PostgreSQL: sqlstore's, opened by Open.
// Set the exported fields before Open.
type DB struct {
	*sqlstore.DB // Now, Reactions; the services are built on it
	// URL is the database's URL (postgres://user@host/db?...) or a
	// key=value connection string. It may hold a password: never log it.
	URL string

	// MaxConns bounds the connections this process opens for its
	// transactions (0: 8); one more holds its owner lock.
	MaxConns int

	// dialect holds this process's owner: a random key whose session
	// advisory lock ownerConn holds while the process lives
	// (sqlstore.OutboxService.ReleaseOutbox).
	dialect   *Dialect
	ownerConn *sql.Conn
}

// NewDB returns a DB for the database at url.
func NewDB(url string) *DB {
	return &DB{DB: &sqlstore.DB{Now: time.Now}, URL: url}
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
	if db.DB == nil {
		db.DB = &sqlstore.DB{Now: time.Now}
	}
	db.dialect = &Dialect{}
	db.Attach(sdb, db.dialect)
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
	if err := db.EnsureCodeKey(ctx); err != nil {
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
	conn, err := db.SQL().Conn(ctx)
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
			db.dialect.owner, db.ownerConn = owner, conn
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
	if db.DB == nil {
		return nil
	}
	if db.ownerConn != nil {
		db.ownerConn.Close()
	}
	return db.DB.Close()
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

// OpenReadOnlyStore connects to the database as the store's DB, for a
// program that reads through the services and must change nothing
// (centrald doctor): no migration, and every transaction of its sessions
// is read only (default_transaction_read_only: the server refuses a
// write). Its errors never hold the URL. The caller closes it.
func OpenReadOnlyStore(url string) (*sqlstore.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, scrub(err)
	}
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	sdb := stdlib.OpenDB(*cfg)
	sdb.SetMaxOpenConns(2)
	db := &sqlstore.DB{Now: time.Now}
	db.Attach(sdb, &Dialect{})
	return db, nil
}

// Count returns the number of rows of a table (of the schema: never a
// name from outside), with an optional WHERE after it.
func (db *DB) Count(ctx context.Context, table string) (int64, error) {
	var n int64
	err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n)
	return n, err
}

// migrate applies the embedded migrations not applied yet, in order, in
// one transaction (PostgreSQL's schema changes are transactional: one that
// fails leaves the database as it was), and refuses a database written by
// a newer centrald. Several centrald starting at once wait for each other
// (migrateLock).
func (db *DB) migrate(ctx context.Context) error {
	tx, err := db.SQL().BeginTx(ctx, nil)
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
	pending, _, err := sqlstore.PendingMigrations(ctx, tx, migrations)
	if err != nil {
		return err
	}
	for _, m := range pending {
		script, err := fs.ReadFile(migrations, m.Path)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(script)); err != nil {
			return fmt.Errorf("migration %s failed: %w; the database was left unchanged", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (version, name, applied) VALUES ($1, $2, $3)`,
			m.Version, m.Name, sqlstore.FormatTime(db.now())); err != nil {
			return err
		}
	}
	return tx.Commit()
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

// Dialect is PostgreSQL's sqlstore.Dialect.
type Dialect struct {
	owner int64 // this process's owner key (DB.lockOwner)
}

var _ sqlstore.Dialect = (*Dialect)(nil)

// Rebind implements sqlstore.Dialect (rebind).
func (*Dialect) Rebind(query string) string { return rebind(query) }

// PrepareInTx implements sqlstore.Dialect: pgx caches prepared statements
// per connection already; preparing again in each transaction would cost a
// round trip per statement.
func (*Dialect) PrepareInTx() bool { return false }

// BeginWrite implements sqlstore.Dialect: it waits for writeLock (see the
// package doc).
func (*Dialect) BeginWrite(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("write lock: %w", err)
	}
	return tx, nil
}

// BeginRead implements sqlstore.Dialect: one REPEATABLE READ snapshot,
// read-only, beside the writer.
func (*Dialect) BeginRead(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	return db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
}

// BeginClaim implements sqlstore.Dialect: without writeLock, for the
// outbox's claims and outcomes, which lock the rows they change (FOR
// UPDATE SKIP LOCKED) and touch nothing else.
func (*Dialect) BeginClaim(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	return db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
}

// QueueWriters implements sqlstore.Dialect: PostgreSQL queues the waiters
// of writeLock itself, in order, across every process.
func (*Dialect) QueueWriters() bool { return false }

// ForUpdate implements sqlstore.Dialect.
func (*Dialect) ForUpdate() string { return " FOR UPDATE" }

// SkipLocked implements sqlstore.Dialect.
func (*Dialect) SkipLocked() string { return " FOR UPDATE SKIP LOCKED" }

// Owner implements sqlstore.Dialect: several centrald share the database,
// each claim records its process.
func (d *Dialect) Owner() (int64, bool) { return d.owner, true }

// ClaimGone implements sqlstore.Dialect: the owner's session lock can be
// taken only when its process, and so its connection, is gone.
func (*Dialect) ClaimGone() string { return "pg_try_advisory_xact_lock(claimed_by)" }

// EqualFold implements sqlstore.Dialect, by the lower(email) indexes.
func (*Dialect) EqualFold(column string) string { return "lower(" + column + ") = lower(?)" }

// Fold implements sqlstore.Dialect.
func (*Dialect) Fold(expr string) string { return "lower(" + expr + ")" }

// FoldKey implements sqlstore.Dialect: the unique indexes are on lower().
func (*Dialect) FoldKey(column string) string { return "lower(" + column + ")" }

// ILike implements sqlstore.Dialect.
func (*Dialect) ILike() string { return "ILIKE" }

// InIDs implements sqlstore.Dialect with = ANY of an array, not IN of a
// subquery: the planner takes a set-returning function for 100 rows and,
// for IN, joins them to a sequential scan of the whole table (a pull of 10
// members read all 10,000 of members, badges and sales, with statistics
// or without); an array from an InitPlan is searched by the column's
// index.
func (*Dialect) InIDs(column, param string) string {
	return column + " = ANY (ARRAY(SELECT value::bigint FROM json_array_elements_text(" + param + "::json)))"
}

// Greatest implements sqlstore.Dialect.
func (*Dialect) Greatest(a, b string) string { return "GREATEST(" + a + ", " + b + ")" }

// IndexedBy implements sqlstore.Dialect: PostgreSQL chooses its plans
// itself.
func (*Dialect) IndexedBy(string) string { return "" }

// IsUniqueViolation implements sqlstore.Dialect: SQLSTATE 23505, never the
// error's text.
func (*Dialect) IsUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}
