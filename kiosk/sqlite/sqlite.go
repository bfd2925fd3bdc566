// Package sqlite is the kiosk's durable state in one SQLite file
// (modernc.org/sqlite, pure Go): the copy of central's members, badges and
// entitlements that decisions read, and the entry log that is also the sync
// outbox.
//
// Durability: the database runs in WAL mode with synchronous=FULL, so a
// commit is on the SD card before Record returns, and the door lights green
// only after that. Members and entries share one file so that recording an
// entry and reading the balances it changes are one consistent view; the
// integrity of the file is checked at open.
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
	"sort"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"

	"github.com/badgeuse/badgeuse/shared/sqlconnector"
)

//go:embed migration/*.sql
var migrations embed.FS

// FileName is the database's name inside the data folder.
const FileName = "kiosk.db"

// DB is the kiosk's database. It is safe for concurrent use.
type DB struct {
	db    *sql.DB
	path  string
	state stateCache
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Open opens (creating if needed) the database in the folder dir, checks
// its integrity and applies the migrations.
func Open(dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	path := filepath.Join(dir, FileName)
	dsn := "file:" + uriPath(path) + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_txlock=immediate"
	sdb, err := openPool(dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	sdb.SetMaxOpenConns(4)
	db := &DB{db: sdb, path: path, Now: time.Now}
	if err := db.check(); err != nil {
		sdb.Close()
		return nil, err
	}
	if err := db.migrate(); err != nil {
		sdb.Close()
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil { // it holds the kiosk token
		sdb.Close()
		return nil, fmt.Errorf("protect %s: %w", path, err)
	}
	return db, nil
}

// uriPath escapes the characters that would end or change the path part of
// an SQLite URI filename.
func uriPath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// Close closes the database.
func (db *DB) Close() error { return db.db.Close() }

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

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

func (db *DB) check() error {
	var res string
	if err := db.db.QueryRow(`PRAGMA quick_check`).Scan(&res); err != nil {
		return fmt.Errorf("check %s: %w", db.path, db.checkFull(err))
	}
	if res != "ok" {
		return fmt.Errorf("database %s is damaged (%s): restore it or remove it and sync again", db.path, res)
	}
	return nil
}

// migrate applies the embedded migrations not applied yet, each in its own
// transaction, recording the version in PRAGMA user_version.
func (db *DB) migrate() error {
	names, err := fs.Glob(migrations, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	var current int
	if err := db.db.QueryRow(`PRAGMA user_version`).Scan(&current); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > len(names) {
		return fmt.Errorf("database schema version %d is newer than this kioskd (%d): upgrade kioskd", current, len(names))
	}
	for i := current; i < len(names); i++ {
		body, err := migrations.ReadFile(names[i])
		if err != nil {
			return err
		}
		err = db.tx(context.Background(), func(tx *sql.Tx) error {
			if _, err := tx.Exec(string(body)); err != nil {
				return err
			}
			_, err := tx.Exec(`PRAGMA user_version = ` + strconv.Itoa(i+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", names[i], db.checkFull(err))
		}
	}
	return nil
}

// tx runs fn in a transaction, committing if it returns nil. A failure
// for lack of disk space reads as kiosk.ErrDiskFull.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return db.checkFull(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return db.checkFull(err)
	}
	return db.checkFull(tx.Commit())
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// getMeta reads a meta value; a missing key gives "".
func getMeta(ctx context.Context, q queryer, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func setMeta(ctx context.Context, q queryer, key, value string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

func getMetaInt(ctx context.Context, q queryer, key string) (int64, error) {
	v, err := getMeta(ctx, q, key)
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

func getMetaTime(ctx context.Context, q queryer, key string) (time.Time, error) {
	v, err := getMeta(ctx, q, key)
	if err != nil || v == "" {
		return time.Time{}, err
	}
	return parseTime(v)
}

func setMetaTime(ctx context.Context, q queryer, key string, t time.Time) error {
	return setMeta(ctx, q, key, formatTime(t))
}

// timeFormat is fixed-width UTC, so that stored times sort as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeFormat, s) }
