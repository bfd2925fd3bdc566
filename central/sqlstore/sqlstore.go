// Package sqlstore implements central's services (members, ledger, sync,
// outbox, billing, admin...) once, in SQL over database/sql, for every
// engine central runs on: SQLite (central/sqlite, the embedded default)
// and PostgreSQL (central/postgres). An engine package opens its database,
// migrates its schema and supplies a Dialect; everything else is here.
//
// # Why one store
//
// The two engines' stores were once two copies of the same 6,000 lines,
// differing in a few dozen: every change had to be written twice, and
// nothing proved the copies still agreed but the conformance suite
// (central/storetest). Now a change is written once, and the suite, run on
// both engines, proves it on each. What truly differs between the engines
// goes through Dialect and nothing else: placeholders, case-insensitive
// comparison, a list of ids as a query parameter, how a write transaction
// takes the writer's lock, how outbox claims lock rows and release dead
// processes' claims, and how a unique violation is recognized. Where both
// engines accept the same SQL (RETURNING id, "end" quoted, ON CONFLICT, an
// alias on every subquery), that SQL is written, not a dialect method.
//
// # Schema and values
//
// Both engines have the same schema, table for table and column for
// column, with their own migration files at the same version numbers.
// Values are stored alike: times as fixed-width UTC text (they sort as
// text), days as "YYYY-MM-DD", booleans as 0/1, money as integer cents.
// Queries are written with SQLite's placeholders (? and ?N); Dialect.Rebind
// rewrites them for an engine that wants others.
//
// # Transactions
//
// Every change runs in one write transaction (DB.begin), at most one at a
// time across every process on the database: SQLite's BEGIN IMMEDIATE, a
// transaction-level advisory lock on PostgreSQL (see each engine's package
// doc). The store's read-then-write steps (is this e-mail taken? does this
// member have a visit today?) are therefore correct without retries. Read
// transactions (DB.read) see one consistent snapshot and take no lock. The
// outbox's claims (DB.beginClaim) lock only the rows they take, where the
// engine can (Dialect.SkipLocked). A kiosk's call (KioskService.KioskSeen)
// is one statement outside any transaction: it only raises its kiosk's
// last_seen, correct in any order.
//
// Where the engine's waiting for the writer's lock is not fair (SQLite's
// busy handler: sleep and try again, and the unlucky fail after
// busy_timeout), this process's writers first take their turn in Go
// (Dialect.QueueWriters; DB.writers): a channel of one place whose blocked
// senders Go serves in order. A write transaction, and a claim where it
// takes the writer's lock, waits there before it begins (holding no
// pooled connection) and gives the turn back when it commits or rolls
// back (Tx.Commit, Tx.Rollback: every transaction is rolled back by a
// defer, so the turn is never kept). The wait lasts as long as the
// caller's context: one that ends first gets the context's error
// (wrapping context.Canceled or DeadlineExceeded), having changed
// nothing; the sync API and the admin answer it 503 with Retry-After, as
// for any busy moment, and a kiosk sends the same entries again. Reads
// never wait for the turn; a kiosk's last call (KioskSeen), one statement
// that needs SQLite's write lock all the same, does. A transaction must
// not begin another write transaction while it runs (it would wait for its
// own turn): none does, as none could on SQLite before (BEGIN IMMEDIATE
// would wait for itself).
// PostgreSQL queues its advisory lock's waiters itself and takes no turn.
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
// (ledgerTx), deciding nothing.
//
// # Sync versions
//
// A global counter (table counter) gives every change a kiosk needs to know
// about a member the next version, stored on the member (index
// members_version) or on her tombstone once erased. It is taken only by
// write transactions, one at a time, so versions become visible in order:
// a pull reads the counter and the changes above the kiosk's cursor in one
// snapshot and never skips a change committed after it. An incremental
// pull reads only the rows above the kiosk's cursor, by index: its cost
// grows with the number of changes, not of members.
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// Dialect is what an engine does its own way. Each method returns SQL
// text (built once per query shape, never from outside values) or runs
// the engine's step.
type Dialect interface {
	// Rebind rewrites a query written with SQLite's placeholders (? and
	// ?N) into the engine's.
	Rebind(query string) string
	// PrepareInTx says whether a transaction should prepare its
	// statements and keep them (SQLite: parsing cost more than running;
	// PostgreSQL's driver caches prepared statements per connection).
	PrepareInTx() bool

	// BeginWrite starts a transaction that holds the writer's lock: no
	// other write transaction, of any process, runs until it ends.
	BeginWrite(ctx context.Context, db *sql.DB) (*sql.Tx, error)
	// BeginRead starts a read-only transaction on one snapshot, without
	// the writer's lock.
	BeginRead(ctx context.Context, db *sql.DB) (*sql.Tx, error)
	// BeginClaim starts a transaction for the outbox's claims and
	// outcomes, which change only the outbox's rows they lock
	// (ForUpdate, SkipLocked).
	BeginClaim(ctx context.Context, db *sql.DB) (*sql.Tx, error)
	// QueueWriters says whether this process's transactions that take
	// the writer's lock (BeginWrite, and BeginClaim where a claim takes
	// it too) first wait their turn in the process, in a queue in Go
	// (DB.begin): an engine whose own waiting is unfair (SQLite's busy
	// handler) then arbitrates only between processes.
	QueueWriters() bool
	// ForUpdate locks the rows a SELECT returns until commit ("" where
	// the transaction's lock already covers them).
	ForUpdate() string
	// SkipLocked locks the rows a SELECT returns and skips those another
	// transaction locked ("" where the transaction's lock covers them).
	SkipLocked() string
	// Owner is this process's claim owner, recorded with each outbox
	// claim (claimed_by), and whether the engine records it (several
	// processes on one database).
	Owner() (int64, bool)
	// ClaimGone is a condition on the outbox's column claimed_by, true
	// when the process that made the claim is gone (used only when Owner
	// says claims are recorded).
	ClaimGone() string

	// EqualFold is a condition: column equals the next parameter, with
	// case folded, by the engine's case-insensitive index.
	EqualFold(column string) string
	// Fold is expr as sorted and grouped with case folded.
	Fold(expr string) string
	// FoldKey is the ON CONFLICT target of a unique index on column with
	// case folded.
	FoldKey(column string) string
	// ILike is the operator of a case-insensitive LIKE.
	ILike() string
	// InIDs is a condition: column is one of the ids in the JSON list of
	// parameter param (idList), searched by column's index whatever the
	// planner's statistics (a pull's page of members must not read every
	// member).
	InIDs(column, param string) string
	// Greatest is the larger of two values.
	Greatest(a, b string) string
	// IndexedBy forces a query to read the named index where the engine
	// lets it ("" elsewhere).
	IndexedBy(index string) string

	// IsUniqueViolation reports whether err is a UNIQUE or primary key
	// violation, by the engine's error code.
	IsUniqueViolation(err error) bool
}

// DB is central's database on an engine: its services are built on it
// (NewMemberService...). An engine package makes it, sets the fields, and
// attaches its opened connection pool (Attach) before using the services.
type DB struct {
	db      *pool
	dialect Dialect
	pulls   pullQueries // as dialect writes them
	// writers is the writers' turn (Dialect.QueueWriters; nil when the
	// engine queues its writers itself): a write transaction sends to it
	// before it begins and receives from it once committed or rolled
	// back. Go queues a channel's blocked senders in order, so this
	// process's writers take the lock first come, first served.
	writers chan struct{}

	// Now returns the current time; tests replace it.
	Now func() time.Time

	// Reactions turn the domain's events (an arrival, a sale, an
	// unmatched payment...) into outbox messages, stored in the
	// transaction of the change that made the event (centrald registers
	// the adapters'). None: no side effect is queued.
	Reactions []central.Reaction
}

// Attach makes db use the connection pool sdb, whose queries d writes.
func (db *DB) Attach(sdb *sql.DB, d Dialect) {
	db.db = &pool{DB: sdb, d: d}
	db.dialect = d
	db.pulls = newPullQueries(d)
	db.writers = nil
	if d.QueueWriters() {
		db.writers = make(chan struct{}, 1)
	}
}

// SQL returns the connection pool (for the engine's own statements:
// migrations, backups, imports).
func (db *DB) SQL() *sql.DB {
	if db.db == nil {
		return nil
	}
	return db.db.DB
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

// SchemaVersion returns the newest migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM migrations`).Scan(&v)
	return v, err
}

func (db *DB) now() time.Time {
	if db.Now != nil {
		return db.Now()
	}
	return time.Now()
}

// pool is the connection pool; its queries are written with SQLite's
// placeholders and rebound.
type pool struct {
	*sql.DB
	d Dialect
}

func (p *pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.DB.ExecContext(ctx, p.d.Rebind(query), intBools(args)...)
}

func (p *pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.DB.QueryContext(ctx, p.d.Rebind(query), intBools(args)...)
}

func (p *pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.DB.QueryRowContext(ctx, p.d.Rebind(query), intBools(args)...)
}

// intBools passes Go booleans as 0 and 1: the schema's booleans are
// integer 0/1 columns on every engine.
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

// Tx is a transaction with the time it started: every row it writes carries
// that same time.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
	// stmts caches the transaction's prepared statements by query text
	// (Dialect.PrepareInTx): a push of 500 entries runs the same few
	// statements thousands of times, and parsing SQL each time cost more
	// than running it. They close with the transaction.
	stmts map[string]*sql.Stmt
	// turn is the writers' turn the transaction holds (DB.writers), given
	// back when it commits or rolls back; nil once given back or when it
	// holds none.
	turn chan struct{}
}

// Commit commits the transaction and gives back the writers' turn.
func (tx *Tx) Commit() error {
	defer tx.endTurn()
	return tx.Tx.Commit()
}

// Rollback rolls the transaction back (nothing after a commit) and gives
// back the writers' turn. Every transaction is rolled back when its
// function returns (defer tx.Rollback()), committed or not: the turn is
// always given back, also when database/sql rolled the transaction back
// itself because its context ended.
func (tx *Tx) Rollback() error {
	defer tx.endTurn()
	return tx.Tx.Rollback()
}

func (tx *Tx) endTurn() {
	if tx.turn != nil {
		<-tx.turn
		tx.turn = nil
	}
}

// stmt returns the transaction's prepared statement for query (nil when
// the engine does not prepare in transactions).
func (tx *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if !tx.db.dialect.PrepareInTx() {
		return nil, nil
	}
	if st, ok := tx.stmts[query]; ok {
		return st, nil
	}
	st, err := tx.Tx.PrepareContext(ctx, tx.db.dialect.Rebind(query))
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
// whole is rolled back if ctx ends (database/sql watches it), and a driver
// would otherwise start a goroutine per statement to watch ctx.

// ExecContext runs query (SQLite's placeholders).
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return tx.Tx.ExecContext(context.WithoutCancel(ctx), tx.db.dialect.Rebind(query), intBools(args)...)
	}
	return st.ExecContext(context.WithoutCancel(ctx), intBools(args)...)
}

// QueryContext runs query (SQLite's placeholders).
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return tx.Tx.QueryContext(context.WithoutCancel(ctx), tx.db.dialect.Rebind(query), intBools(args)...)
	}
	return st.QueryContext(context.WithoutCancel(ctx), intBools(args)...)
}

// QueryRowContext runs query (SQLite's placeholders).
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := tx.stmt(ctx, query)
	if err != nil || st == nil { // without a statement, reports the same error
		return tx.Tx.QueryRowContext(context.WithoutCancel(ctx), tx.db.dialect.Rebind(query), intBools(args)...)
	}
	return st.QueryRowContext(context.WithoutCancel(ctx), intBools(args)...)
}

// begin starts a write transaction: it holds the writer's lock
// (Dialect.BeginWrite), after its turn among this process's writers
// (takeTurn).
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	return db.beginTurn(ctx, db.dialect.BeginWrite)
}

// beginClaim starts a transaction for the outbox's claims and outcomes
// (Dialect.BeginClaim), after its turn among this process's writers
// where the engine queues them (a claim takes SQLite's writer's lock).
func (db *DB) beginClaim(ctx context.Context) (*Tx, error) {
	return db.beginTurn(ctx, db.dialect.BeginClaim)
}

func (db *DB) beginTurn(ctx context.Context, begin func(context.Context, *sql.DB) (*sql.Tx, error)) (*Tx, error) {
	turn, err := db.takeTurn(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := begin(ctx, db.db.DB)
	if err != nil {
		if turn != nil {
			<-turn
		}
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, db: db, now: db.now(), turn: turn}, nil
}

// takeTurn waits for this process's writers' turn (DB.writers), first
// come, first served, for as long as ctx lasts: nil when the engine
// queues its writers itself. A writer whose ctx ends while it waits gets
// ctx's error (an HTTP layer answers it 503, and the client retries): it
// changed nothing.
func (db *DB) takeTurn(ctx context.Context) (chan struct{}, error) {
	if db.writers == nil {
		return nil, nil
	}
	select {
	case db.writers <- struct{}{}:
		return db.writers, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("begin: waiting for the writers' turn: %w", ctx.Err())
	}
}

// read starts a read transaction: one consistent snapshot, no write lock.
func (db *DB) read(ctx context.Context) (*Tx, error) {
	tx, err := db.dialect.BeginRead(ctx, db.db.DB)
	if err != nil {
		return nil, fmt.Errorf("begin read: %w", err)
	}
	return &Tx{Tx: tx, db: db, now: db.now()}, nil
}

// The services' transaction shapes, once: a read in one snapshot, a write
// committed when it succeeds (rolled back otherwise, and always released).

// view returns fn's result, read in one read transaction.
func view[T any](ctx context.Context, db *DB, fn func(*Tx) (T, error)) (T, error) {
	tx, err := db.read(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	defer tx.Rollback()
	return fn(tx)
}

// viewPage returns fn's page of results and their count, read in one read
// transaction.
func viewPage[T any](ctx context.Context, db *DB, fn func(*Tx) ([]T, int, error)) ([]T, int, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	return fn(tx)
}

// update runs fn in one write transaction, committed when fn returns nil.
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	_, err := updated(ctx, db, func(tx *Tx) (struct{}, error) { return struct{}{}, fn(tx) })
	return err
}

// updated returns fn's result, made in one write transaction committed
// when fn returns no error.
func updated[T any](ctx context.Context, db *DB, fn func(*Tx) (T, error)) (T, error) {
	var zero T
	tx, err := db.begin(ctx)
	if err != nil {
		return zero, err
	}
	defer tx.Rollback()
	v, err := fn(tx)
	if err != nil {
		return zero, err
	}
	if err := tx.Commit(); err != nil {
		return zero, err
	}
	return v, nil
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

// settings reads the settings in the transaction. Every transaction that
// needs them reads them (no cache), so a setting changed through one
// centrald is used by every other at its next transaction.
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

// FormatTime is t as stored ("" for the zero time), for the engines'
// own statements (migrations).
func FormatTime(t time.Time) string { return formatTime(t) }

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
// violation (the engine's error codes, never error strings).
func (tx *Tx) isUniqueViolation(err error) bool { return tx.db.dialect.IsUniqueViolation(err) }

// Lengths texts from outside are cut to, in bytes.
const (
	maxNote     = 1000 // an outbox message's error or note
	maxSoftware = 100  // a kiosk's software version
)

// clip cuts s to at most n bytes, between characters, and drops what is
// not UTF-8 and the control characters but line breaks and tabs: such
// texts are shown in the admin and mailed, and PostgreSQL refuses a NUL
// in a text.
func clip(n int, s string) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// idList encodes ids for Dialect.InIDs: one query for a page of
// members instead of one per member.
func idList(ids []int64) string {
	b, _ := json.Marshal(ids)
	return string(b)
}
