package sqlite

// The database file as a whole: its integrity check at open, online
// backups, and the checks and moves of a restore.

import (
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// DefaultCheckTime bounds Open's integrity check when CheckTime is 0. A
// quick_check reads every page: about a second for 100 MB on a Pi's SD
// card, so a usual central database is checked whole; a very big one is
// checked as far as this bound allows rather than delaying every start.
const DefaultCheckTime = 20 * time.Second

// DamagedError is a database file that SQLite found damaged (or that is
// not an SQLite database): centrald must not run on it.
type DamagedError struct {
	Path   string
	Detail string // what SQLite said
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("database %s is damaged: %s", e.Path, e.Detail)
}

// damaged returns a *DamagedError when err is SQLite saying the file is
// corrupt or not a database, nil otherwise.
func damaged(path string, err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return nil
	}
	switch e.Code() & 0xff { // the primary code of an extended one
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return &DamagedError{Path: path, Detail: e.Error()}
	}
	return nil
}

// check runs PRAGMA quick_check for at most CheckTime (see DefaultCheckTime).
func (db *DB) check() error {
	limit := db.CheckTime
	if limit < 0 {
		return nil
	}
	if limit == 0 {
		limit = DefaultCheckTime
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	err := quickCheck(ctx, db.SQL(), db.Path, "quick_check")
	if errors.Is(err, context.DeadlineExceeded) || (err != nil && ctx.Err() != nil) {
		db.CheckUnfinished = true
		return nil
	}
	return err
}

// quickCheck runs PRAGMA quick_check or integrity_check on sdb and returns a
// *DamagedError for any problem it reports.
func quickCheck(ctx context.Context, sdb *sql.DB, path, pragma string) error {
	rows, err := sdb.QueryContext(ctx, `PRAGMA `+pragma+`(20)`)
	if err != nil {
		if d := damaged(path, err); d != nil {
			return d
		}
		return fmt.Errorf("sqlite: check %s: %w", path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("sqlite: check %s: %w", path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		if d := damaged(path, err); d != nil {
			return d
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("sqlite: check %s: %w", path, err)
	}
	if len(problems) > 0 {
		return &DamagedError{Path: path, Detail: strings.Join(problems, "; ")}
	}
	return nil
}

// VacuumInto writes a consistent copy of the open database to dst (which
// must not exist), as SQLite's VACUUM INTO does: one read transaction, so
// writers go on meanwhile, and a compact file with no -wal beside it.
func (db *DB) VacuumInto(ctx context.Context, dst string) error {
	return vacuumInto(ctx, db.SQL(), dst)
}

func vacuumInto(ctx context.Context, sdb *sql.DB, dst string) error {
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("%s already exists", dst)
	}
	tmp := dst + ".partial"
	os.Remove(tmp) // left by a copy that was interrupted
	if _, err := sdb.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("vacuum into %s: %w", dst, err)
	}
	if err := syncFile(tmp, 0o600); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(dst))
}

// Backup writes a consistent copy of the database in the data folder dir
// to dst while centrald may be running (see VacuumInto), then checks the
// copy. It opens the database without applying migrations: a backup made
// by a newer centrald before an upgrade leaves the file as it was.
func Backup(ctx context.Context, dir, dst string) error {
	src := filepath.Join(dir, FileName)
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	sdb, err := sql.Open("sqlite", "file:"+uriPath(src)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	defer sdb.Close()
	if err := vacuumInto(ctx, sdb, dst); err != nil {
		if d := damaged(src, err); d != nil {
			return d
		}
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if _, err := CheckFile(ctx, dst); err != nil {
		return fmt.Errorf("sqlite: backup %s failed its check: %w", dst, err)
	}
	return nil
}

// CheckFile checks that path is a sound central database (PRAGMA
// integrity_check, and a schema this centrald knows) and returns its schema
// version. It opens the file read-only and never migrates it.
func CheckFile(ctx context.Context, path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	sdb, err := sql.Open("sqlite", "file:"+uriPath(path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, err
	}
	defer sdb.Close()
	if err := quickCheck(ctx, sdb, path, "integrity_check"); err != nil {
		return 0, err
	}
	var version int
	if err := sdb.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM migrations`).Scan(&version); err != nil {
		if d := damaged(path, err); d != nil {
			return 0, d
		}
		return 0, fmt.Errorf("%s is not a centrald database (%v)", path, err)
	}
	known, err := knownVersion()
	if err != nil {
		return 0, err
	}
	if version > known {
		return 0, fmt.Errorf("%s has schema version %d, newer than this centrald (%d): restore it with the centrald that made it", path, version, known)
	}
	return version, nil
}

// knownVersion returns the version of the newest embedded migration.
func knownVersion() (int, error) {
	all, err := sqlstore.Migrations(migrations)
	if err != nil || len(all) == 0 {
		return 0, err
	}
	return all[len(all)-1].Version, nil
}

// uriPath escapes the characters that would end or change the path part of
// an SQLite URI filename.
func uriPath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// Restore replaces the database of the data folder dir with the backup
// src (a database file, or one compressed with gzip when its name ends in
// .gz). centrald must not be running: the caller makes sure of it.
//
// The backup is copied into the data folder and checked first; only then
// is the current database moved aside, with its -wal and -shm files (they
// belong to it: left beside the restored file, SQLite would replay the old
// database's recent changes into it and find it "malformed"). It returns
// the path the replaced database was moved to ("" when there was none).
func Restore(ctx context.Context, dir, src string) (aside string, err error) {
	dst := filepath.Join(dir, FileName)
	tmp := dst + ".restoring"
	os.Remove(tmp)
	if err := copyBackup(src, tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("sqlite: restore: %w", err)
	}
	defer os.Remove(tmp) // after a failure; renamed away on success
	if _, err := CheckFile(ctx, tmp); err != nil {
		return "", fmt.Errorf("sqlite: restore: the backup %s cannot be used: %w", src, err)
	}
	// The check opened tmp: a file made in WAL mode may have left its own
	// -wal/-shm (empty, checkpointed); they must not follow it.
	for _, p := range []string{tmp + "-wal", tmp + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("sqlite: restore: %w", err)
		}
	}
	if _, err := os.Stat(dst); err == nil {
		aside = fmt.Sprintf("%s.replaced-%s", dst, time.Now().UTC().Format("20060102T150405"))
		if err := os.Rename(dst, aside); err != nil {
			return "", fmt.Errorf("sqlite: restore: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("sqlite: restore: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		old := dst + suffix
		var err error
		if aside != "" {
			err = os.Rename(old, aside+suffix)
		} else {
			err = os.Remove(old)
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return aside, fmt.Errorf("sqlite: restore: %w", err)
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return aside, fmt.Errorf("sqlite: restore: %w", err)
	}
	return aside, syncDir(dir)
}

// copyBackup copies src to dst (mode 0600), decompressing a .gz, and syncs it.
func copyBackup(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	var r io.Reader = in
	if strings.HasSuffix(src, ".gz") {
		zr, err := gzip.NewReader(in)
		if err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		defer zr.Close()
		r = zr
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// syncFile sets path's mode and flushes it to disk.
func syncFile(path string, mode os.FileMode) error {
	if err := os.Chmod(path, mode); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir flushes a folder's entries (a rename) to disk.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// OpenReadOnlyStore opens the database of the data folder dir read only
// as the store's DB, for a program that reads through the services and
// must change nothing (centrald doctor, maybe while centrald serves): no
// integrity check, no migration, nothing written. The caller closes it.
func OpenReadOnlyStore(dir string) (*sqlstore.DB, error) {
	dsn, err := readOnlyDSN(dir)
	if err != nil {
		return nil, err
	}
	sdb, err := openPool(dsn)
	if err != nil {
		return nil, err
	}
	db := &sqlstore.DB{Now: time.Now}
	db.Attach(sdb, Dialect{})
	return db, nil
}

// OpenReadOnly opens the database of the data folder dir read only, for a
// program that copies it elsewhere (centrald migrate --from-sqlite): no
// migration, nothing written; a read transaction on it is one consistent
// snapshot, even while centrald serves. The caller closes it.
func OpenReadOnly(dir string) (*sql.DB, error) {
	dsn, err := readOnlyDSN(dir)
	if err != nil {
		return nil, err
	}
	return sql.Open("sqlite", dsn)
}

// readOnlyDSN names the database of the data folder dir, which must
// exist (read only, a new file is never made), opened read only.
func readOnlyDSN(dir string) (string, error) {
	path := filepath.Join(dir, FileName)
	if _, err := os.Stat(path); err != nil {
		return "", err
	}
	return "file:" + uriPath(path) + "?mode=ro&_pragma=busy_timeout(10000)", nil
}
