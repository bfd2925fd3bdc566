// Package sqlite implements central's services on one SQLite file
// (modernc.org/sqlite, pure Go: centrald cross-compiles without cgo).
//
// # Durability
//
// The database runs in WAL mode with synchronous=FULL. Central acknowledges
// kiosk entries only after they are committed, and a kiosk forgets its
// copy some time after the ack: with synchronous=NORMAL a power cut could
// roll back the last commits, losing entries a kiosk was told were safe, and
// sales typed in by the bureau. Central writes rarely (a push every few
// seconds per kiosk, batched), so one fsync per commit costs nothing worth
// that risk. Write transactions begin IMMEDIATE (_txlock), so two writers
// wait for each other (busy_timeout) instead of failing on a lock upgrade;
// read transactions begin DEFERRED and see one consistent snapshot.
//
// # Ledger and caches
//
// Sales credit, visits debit; balances are derived with central.Settle and
// never edited by hand. Two derived values are cached so that lists of
// thousands of members stay fast: sales.entries_left (per pack) and
// members.overdraft, with visits.charge and visits.sale_id. They are
// recomputed in the same transaction as any change of the member's sales or
// visits (central.SettleMember), so they are never stale.
//
// The ledger's use cases (push, pull, settling a member) are the domain's
// (central/ledger.go): this package runs them in its transactions
// (DB.UpdateLedger, DB.ViewLedger) and implements their reads and writes
// (ledgerTx), deciding nothing. A second store implements the same
// interfaces.
//
// # Sync versions
//
// A global counter (table counter) gives every change a kiosk needs to know
// about a member the next version, stored on the member (index
// members_version) or on her tombstone once erased. An incremental pull reads
// only the rows above the kiosk's cursor, by index: its cost grows with the
// number of changes, not of members.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// migrations are the schema's migration/NNNN_name.sql files; a test
// replaces them to try a migration that fails.
var migrations fs.FS = migrationFS

// FileName is the database file's name in the data folder.
const FileName = "central.db"

// dsnOptions are applied to every pooled connection (pragmas are per
// connection). busy_timeout is applied first by the driver.
const dsnOptions = "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_txlock=immediate"

// DB is central's database. Set the exported fields before Open.
type DB struct {
	db   *sql.DB
	Path string // the database file

	// Now returns the current time; tests replace it.
	Now func() time.Time

	// Reactions turn the domain's events (an arrival, a sale, an
	// unmatched payment...) into outbox messages, stored in the
	// transaction of the change that made the event (centrald registers
	// the adapters'). None: no side effect is queued.
	Reactions []central.Reaction

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
}

// NewDB returns a DB for the database file in the data folder dir.
func NewDB(dir string) *DB {
	return &DB{Path: filepath.Join(dir, FileName), Now: time.Now}
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
	sdb, err := sql.Open("sqlite", db.Path+dsnOptions)
	if err != nil {
		return fmt.Errorf("sqlite: open: %w", err)
	}
	sdb.SetMaxOpenConns(8)
	db.db = sdb
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
	if err := db.ensureCodeKey(context.Background()); err != nil {
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

// Close closes the database.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
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
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		version INTEGER PRIMARY KEY,
		name    TEXT NOT NULL,
		applied TEXT NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	applied := map[int]bool{}
	newest := 0
	rows, err := db.db.QueryContext(ctx, `SELECT version FROM migrations`)
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
	type migration struct {
		name    string
		version int
	}
	var pending []migration
	known := 0
	for _, name := range names {
		v, err := migrationVersion(name)
		if err != nil {
			return err
		}
		// Versions increase; gaps are allowed so that features developed
		// side by side (admin 0010-, slack 0020-, billing 0030-) never collide.
		if v <= known {
			return fmt.Errorf("migration %s: version %d after %d", name, v, known)
		}
		known = v
		if !applied[v] {
			pending = append(pending, migration{name, v})
		}
	}
	if newest > known {
		return fmt.Errorf("database schema version %d is newer than this centrald (%d): upgrade centrald", newest, known)
	}
	if len(pending) == 0 {
		return nil
	}
	if len(applied) > 0 { // a new database has nothing worth a copy
		copyPath := fmt.Sprintf("%s.before-%04d-%s", db.Path, pending[len(pending)-1].version, db.now().UTC().Format("20060102T150405"))
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
	conn, err := db.db.Conn(ctx)
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
		script, err := fs.ReadFile(migrations, m.name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(script)); err != nil {
			return &MigrationError{Name: filepath.Base(m.name), Err: err, Copy: db.MigrationCopy}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (version, name, applied) VALUES (?, ?, ?)`,
			m.version, filepath.Base(m.name), formatTime(db.now())); err != nil {
			return &MigrationError{Name: filepath.Base(m.name), Err: err, Copy: db.MigrationCopy}
		}
	}
	last := filepath.Base(pending[len(pending)-1].name)
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

func migrationVersion(name string) (int, error) {
	base := filepath.Base(name)
	num, _, ok := strings.Cut(base, "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || v <= 0 {
		return 0, fmt.Errorf("migration %s: name must start with a number and _", name)
	}
	return v, nil
}

// Tx is a transaction with the time it started: every row it writes carries
// that same time.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
	// stmts caches the transaction's prepared statements by query text:
	// a push of 500 entries runs the same few statements thousands of
	// times, and parsing SQL each time cost more than running it. They
	// close with the transaction.
	stmts map[string]*sql.Stmt
}

// stmt returns the transaction's prepared statement for query.
func (tx *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := tx.stmts[query]; ok {
		return st, nil
	}
	st, err := tx.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if tx.stmts == nil {
		tx.stmts = make(map[string]*sql.Stmt)
	}
	tx.stmts[query] = st
	return st, nil
}

// Statements run without the caller's cancellation: the transaction as a
// whole is rolled back if ctx ends (database/sql watches it), and the
// driver would otherwise start a goroutine per statement to watch ctx.

// ExecContext runs query with a cached prepared statement.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(context.WithoutCancel(ctx), args...)
}

// QueryContext runs query with a cached prepared statement.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(context.WithoutCancel(ctx), args...)
}

// QueryRowContext runs query with a cached prepared statement.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return tx.Tx.QueryRowContext(ctx, query, args...) // reports the same error
	}
	return st.QueryRowContext(context.WithoutCancel(ctx), args...)
}

// begin starts a write transaction (BEGIN IMMEDIATE).
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, db: db, now: db.now()}, nil
}

// read starts a read transaction: one consistent snapshot, no write lock.
func (db *DB) read(ctx context.Context) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
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

// Times are stored as fixed-width UTC text so that they sort as text.
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

// isUniqueViolation reports whether err is a UNIQUE or primary key violation.
// SQLite error codes, never error strings.
func isUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
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

// idList encodes ids for "IN (SELECT value FROM json_each(?))": one query
// for a page of members instead of one per member.
func idList(ids []int64) string {
	b, _ := json.Marshal(ids)
	return string(b)
}
