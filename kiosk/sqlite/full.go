package sqlite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/badgeuse/badgeuse/kiosk"
)

// lowSpace is the free space under which a data folder's disk reads as
// full in the status, and under which an I/O error of SQLite is taken for
// a full disk: SQLite reports a full disk as SQLITE_FULL when a write does
// not fit, but as an I/O error (SQLITE_IOERR_SHMSIZE, 4874) when it cannot
// grow the WAL index file at open.
const lowSpace = 1 << 20

// diskFullError is a write refused for lack of space on the data folder's
// disk. It reads as kiosk.ErrDiskFull, and says what to free in French and
// English.
type diskFullError struct {
	dir  string
	free int64 // bytes free for kioskd, -1 when unknown
	err  error
}

func (e *diskFullError) Error() string {
	free := "no space left"
	if e.free >= 0 {
		free = fmt.Sprintf("%d bytes free", e.free)
	}
	return fmt.Sprintf("disque plein / disk full: the disk of %s has %s (%v). "+
		"Libérez de la place : anciens journaux (journalctl --vacuum-size=50M), paquets téléchargés (apt-get clean), fichiers oubliés dans /tmp ou /home ; "+
		"n'effacez pas %s. / Free space: old logs (journalctl --vacuum-size=50M), downloaded packages (apt-get clean), files left in /tmp or /home; "+
		"do not delete %s. The door records again as soon as there is room",
		e.dir, free, e.err, FileName, FileName)
}

func (e *diskFullError) Unwrap() []error { return []error{kiosk.ErrDiskFull, e.err} }

// freeBytes returns the bytes an unprivileged writer may still use on the
// disk holding dir, or -1 if it cannot tell.
func freeBytes(dir string) int64 {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize)
}

// Storage states of Status.
const (
	StorageOK       = "ok"
	StorageDiskFull = "disk_full"
)

// DiskState says whether the disk holding the data folder dir has room to
// record (StorageOK) or not (StorageDiskFull), and its free bytes (-1 when
// unknown, which reads as StorageOK).
func DiskState(dir string) (state string, free int64) {
	free = freeBytes(dir)
	if free >= 0 && free < lowSpace {
		return StorageDiskFull, free
	}
	return StorageOK, free
}

// checkFull turns an error caused by a full disk into a diskFullError, and
// returns other errors (and nil) as they are.
func (db *DB) checkFull(err error) error {
	if err == nil || errors.Is(err, kiosk.ErrDiskFull) {
		return err
	}
	dir := filepath.Dir(db.path)
	free := freeBytes(dir)
	var serr *sqlite.Error
	full := errors.Is(err, syscall.ENOSPC)
	if errors.As(err, &serr) {
		switch serr.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			full = true
		case sqlite3.SQLITE_IOERR:
			full = full || (free >= 0 && free < lowSpace)
		}
	}
	if !full {
		return err
	}
	return &diskFullError{dir: dir, free: free, err: err}
}

// DiskSpace returns the bytes an unprivileged writer may still use on the
// disk holding dir and the disk's size, or -1 for both if it cannot tell.
func DiskSpace(dir string) (free, total int64) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return -1, -1
	}
	return int64(st.Bavail) * int64(st.Bsize), int64(st.Blocks) * int64(st.Bsize)
}

// Size returns the bytes of the database's files (with its write-ahead
// log), or -1 if it cannot tell.
func (db *DB) Size() int64 {
	var n int64
	for i, suffix := range []string{"", "-wal", "-shm"} {
		info, err := os.Stat(db.path + suffix)
		switch {
		case err == nil:
			n += info.Size()
		case i == 0:
			return -1
		}
	}
	return n
}
