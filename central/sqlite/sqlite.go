// Package sqlite is central's embedded database: one SQLite file
// (modernc.org/sqlite, pure Go: centrald cross-compiles without cgo) in the
// data folder, the default, right for one association. It opens the file,
// migrates its schema (migration/NNNN_name.sql), keeps it safe (file.go:
// integrity check, backup, restore) and supplies SQLite's Dialect; central's
// services are central/sqlstore's, written once for every engine.
//
// # Durability
//
// The database runs in WAL mode with synchronous=FULL. Central acknowledges
// kiosk entries only after they are committed, and a kiosk forgets its
// copy some time after the ack: with synchronous=NORMAL a power cut could
// roll back the last commits, losing entries a kiosk was told were safe, and
// sales typed in by the bureau. Central writes rarely (a push every few
// seconds per kiosk, batched), so one fsync per commit costs nothing worth
// that risk.
//
// # One writer
//
// Write transactions begin IMMEDIATE (_txlock), so two writers wait for
// each other instead of failing on a lock upgrade: the writer's lock
// sqlstore's transactions rely on. Read transactions begin DEFERRED and
// see one consistent snapshot. The outbox's claims need no row locks and
// record no owner: the claim transaction holds the writer's lock.
//
// # The writers' turn
//
// SQLite's own waiting is not a queue: a writer that finds the lock taken
// sleeps (1 ms, then longer, up to 100 ms) and tries again, and whoever
// tries at the right moment wins. With many writers on a loaded machine
// one can lose for longer than busy_timeout and fail with SQLITE_BUSY: 3
// of 3,000 webhook notifications were answered 500 so at a load average of
// 20 on 2 cores. So this process's writers take their turn in Go before
// BEGIN IMMEDIATE (Dialect.QueueWriters, sqlstore's DB.begin): first come,
// first served, one at a time, each for as long as its context lasts (a
// request whose client is gone stops waiting and changes nothing), and
// without holding a pooled connection while it waits, so readers keep
// theirs. busy_timeout (DefaultBusyTimeout, 10 s) then only arbitrates
// between processes on the file: centrald serve and a command such as
// centrald sell or settings set, at most one writer each, or two centrald
// for the moments a restart overlaps. A kiosk's last call
// (KioskService.KioskSeen), one statement outside any transaction, still
// needs the file's write lock: it takes its turn too, or a stream of
// writers could make it lose until busy_timeout.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/sqlconnector"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// migrations are the schema's migration/NNNN_name.sql files; a test
// replaces them to try a migration that fails.
var migrations fs.FS = migrationFS

// FileName is the database file's name in the data folder.
const FileName = "central.db"

// DefaultBusyTimeout is how long a write transaction waits for another
// process's writer (SQLite's busy_timeout) before it fails with
// SQLITE_BUSY. This process's own writers never wait on it: they take
// their turn first (see the package doc).
const DefaultBusyTimeout = 10 * time.Second

// dsnOptions are applied to every pooled connection (pragmas are per
// connection). busy_timeout is applied first by the driver.
func dsnOptions(busy time.Duration) string {
	return fmt.Sprintf("?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_txlock=immediate",
		busy.Milliseconds())
}

// DB is central's database in one SQLite file: sqlstore's, opened by
// Open. Set the exported fields before Open.
type DB struct {
	*sqlstore.DB        // Now, Reactions; the services are built on it
	Path         string // the database file

	// CheckTime bounds the integrity check Open runs before anything else
	// (PRAGMA quick_check reads the whole file: a few seconds per GB on an
	// SD card). 0 means DefaultCheckTime; a negative value skips it.
	CheckTime time.Duration
	// CheckUnfinished is set by Open when the check ran out of CheckTime:
	// the part it read was sound, the rest was not checked.
	CheckUnfinished bool
	// MigrationCopy is set by Open to the copy of the database it kept
	// before applying migrations ("" when none were pending).
	MigrationCopy string
	// BusyTimeout is how long a write transaction waits for another
	// process's writer; 0 means DefaultBusyTimeout (tests shorten it).
	BusyTimeout time.Duration
}

// NewDB returns a DB for the database file in the data folder dir.
func NewDB(dir string) *DB {
	return &DB{DB: &sqlstore.DB{Now: time.Now}, Path: filepath.Join(dir, FileName)}
}

// Open creates the data folder if needed (mode 0700: it holds personal
// data), opens the database and applies the migrations.
func (db *DB) Open() error {
	if db.Path == "" {
		return errors.New("sqlite: database path required")
	}
	if strings.ContainsAny(db.Path, "?#") {
		return fmt.Errorf("sqlite: database path %q must not contain ? or #", db.Path)
	}
	if err := os.MkdirAll(filepath.Dir(db.Path), 0o700); err != nil {
		return fmt.Errorf("sqlite: data folder: %w", err)
	}
	// SQLite makes the -wal and -shm files (recent changes, personal
	// data) with the mode of the database file: it is 0600 before SQLite
	// opens it, and an older file is made so.
	f, err := os.OpenFile(db.Path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	f.Close()
	if err := os.Chmod(db.Path, 0o600); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	busy := db.BusyTimeout
	if busy <= 0 {
		busy = DefaultBusyTimeout
	}
	sdb, err := openPool(db.Path + dsnOptions(busy))
	if err != nil {
		return fmt.Errorf("sqlite: open: %w", err)
	}
	sdb.SetMaxOpenConns(8)
	if db.DB == nil {
		db.DB = &sqlstore.DB{Now: time.Now}
	}
	db.Attach(sdb, Dialect{})
	if err := db.check(); err != nil {
		sdb.Close()
		return err
	}
	if err := db.migrate(context.Background()); err != nil {
		sdb.Close()
		if d := damaged(db.Path, err); d != nil {
			return d
		}
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	if err := db.EnsureCodeKey(context.Background()); err != nil {
		sdb.Close()
		return fmt.Errorf("sqlite: %w", err)
	}
	for _, p := range []string{db.Path + "-wal", db.Path + "-shm"} { // left by an older centrald
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			sdb.Close()
			return fmt.Errorf("sqlite: %w", err)
		}
	}
	return nil
}

// openPool returns a pool of connections to the database named by dsn
// that opens none once closed (shared/sqlconnector: database/sql may
// otherwise open one after Close, and SQLite create the file again).
func openPool(dsn string) (*sql.DB, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(sqlconnector.New(c)), nil
}

// Close closes the database (nothing when it was never opened).
func (db *DB) Close() error {
	if db.DB == nil {
		return nil
	}
	return db.DB.Close()
}

func (db *DB) now() time.Time {
	if db.Now != nil {
		return db.Now()
	}
	return time.Now()
}

// migrate applies the embedded migration/NNNN_name.sql files not applied
// yet, in order, with their versions recorded, and refuses a database
// written by a newer centrald.
//
// An upgrade must never leave a half-migrated database: the pending
// migrations run in one transaction (SQLite's schema changes are
// transactional), so one that fails leaves the database as it was. Before
// them, a copy of the database is kept beside it (MigrationCopy): the way
// back if the new version misbehaves after the upgrade.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.SQL().ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		version INTEGER PRIMARY KEY,
		name    TEXT NOT NULL,
		applied TEXT NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	pending, appliedAny, err := sqlstore.PendingMigrations(ctx, db.SQL(), migrations)
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		return nil
	}
	if appliedAny { // a new database has nothing worth a copy
		copyPath := fmt.Sprintf("%s.before-%04d-%s", db.Path, pending[len(pending)-1].Version, db.now().UTC().Format("20060102T150405"))
		if err := db.VacuumInto(ctx, copyPath); err != nil {
			return fmt.Errorf("copy before migrating: %w (nothing was changed)", err)
		}
		db.MigrationCopy = copyPath
	}
	// Foreign keys are off while migrating, on one connection, so that a
	// migration can make a table again (SQLite cannot change a CHECK
	// constraint in place: see "Making Other Kinds Of Table Schema Changes"
	// in its documentation); the PRAGMA has no effect inside a
	// transaction. They are checked before the commit instead.
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, m := range pending {
		script, err := fs.ReadFile(migrations, m.Path)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(script)); err != nil {
			return &MigrationError{Name: m.Name, Err: err, Copy: db.MigrationCopy}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (version, name, applied) VALUES (?, ?, ?)`,
			m.Version, m.Name, sqlstore.FormatTime(db.now())); err != nil {
			return &MigrationError{Name: m.Name, Err: err, Copy: db.MigrationCopy}
		}
	}
	last := pending[len(pending)-1].Name
	var table string
	switch err := tx.QueryRowContext(ctx, `SELECT "table" FROM pragma_foreign_key_check LIMIT 1`).Scan(&table); {
	case err == nil:
		return &MigrationError{Name: last, Err: fmt.Errorf("foreign key broken in table %s", table), Copy: db.MigrationCopy}
	case !errors.Is(err, sql.ErrNoRows):
		return &MigrationError{Name: last, Err: fmt.Errorf("foreign key check: %w", err), Copy: db.MigrationCopy}
	}
	if err := tx.Commit(); err != nil {
		return &MigrationError{Name: last, Err: err, Copy: db.MigrationCopy}
	}
	return nil
}

// MigrationError is a migration that failed: its transaction was rolled
// back, the database is as it was before the upgrade.
type MigrationError struct {
	Name string // the migration's file name
	Err  error
	Copy string // the copy kept before migrating, if any
}

func (e *MigrationError) Error() string {
	msg := fmt.Sprintf("migration %s failed: %v; the database was left unchanged (every migration of this upgrade was rolled back)", e.Name, e.Err)
	if e.Copy != "" {
		msg += "; a copy made before the upgrade is in " + e.Copy
	}
	return msg
}

func (e *MigrationError) Unwrap() error { return e.Err }

// Dialect is SQLite's sqlstore.Dialect.
type Dialect struct{}

var _ sqlstore.Dialect = Dialect{}

// Rebind implements sqlstore.Dialect: the queries are written for SQLite.
func (Dialect) Rebind(query string) string { return query }

// PrepareInTx implements sqlstore.Dialect: a push of 500 entries runs the
// same few statements thousands of times, and parsing SQL each time cost
// more than running it.
func (Dialect) PrepareInTx() bool { return true }

// BeginWrite implements sqlstore.Dialect: BEGIN IMMEDIATE (_txlock) takes
// the database's one writer's lock.
func (Dialect) BeginWrite(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	return db.BeginTx(ctx, nil)
}

// BeginRead implements sqlstore.Dialect: a deferred transaction reads one
// snapshot (WAL) without the writer's lock.
func (Dialect) BeginRead(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	return db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

// BeginClaim implements sqlstore.Dialect: SQLite locks no rows, so a claim
// takes the writer's lock: one claim at a time, across processes.
func (d Dialect) BeginClaim(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	return d.BeginWrite(ctx, db)
}

// QueueWriters implements sqlstore.Dialect: SQLite's busy handler sleeps
// and retries, and a writer that is unlucky for busy_timeout fails with
// SQLITE_BUSY however fair its wait would have been; this process's
// writers take their turn in Go first (see the package doc).
func (Dialect) QueueWriters() bool { return true }

// ForUpdate implements sqlstore.Dialect: the writer's lock covers the rows.
func (Dialect) ForUpdate() string { return "" }

// SkipLocked implements sqlstore.Dialect: the writer's lock covers the rows.
func (Dialect) SkipLocked() string { return "" }

// Owner implements sqlstore.Dialect: one process uses the file, claims
// record no owner.
func (Dialect) Owner() (int64, bool) { return 0, false }

// ClaimGone implements sqlstore.Dialect (unused: no owner).
func (Dialect) ClaimGone() string { return "1 = 1" }

// EqualFold implements sqlstore.Dialect with COLLATE NOCASE, which the
// NOCASE indexes (members_email, admin_users_email...) serve.
func (Dialect) EqualFold(column string) string { return column + " = ? COLLATE NOCASE" }

// Fold implements sqlstore.Dialect.
func (Dialect) Fold(expr string) string { return expr + " COLLATE NOCASE" }

// FoldKey implements sqlstore.Dialect: the column's unique index is
// declared NOCASE, and the conflict target names the column.
func (Dialect) FoldKey(column string) string { return column }

// ILike implements sqlstore.Dialect: SQLite's LIKE ignores the case of
// ASCII letters.
func (Dialect) ILike() string { return "LIKE" }

// InIDs implements sqlstore.Dialect.
func (Dialect) InIDs(column, param string) string {
	return column + " IN (SELECT value FROM json_each(" + param + "))"
}

// Greatest implements sqlstore.Dialect with SQLite's two-argument MAX.
func (Dialect) Greatest(a, b string) string { return "MAX(" + a + ", " + b + ")" }

// IndexedBy implements sqlstore.Dialect: SQLite's planner is told which
// index a statistics query reads (TestStatsQueriesUseIndexes).
func (Dialect) IndexedBy(index string) string { return " INDEXED BY " + index }

// IsUniqueViolation implements sqlstore.Dialect by SQLite's error codes,
// never error strings.
func (Dialect) IsUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}
