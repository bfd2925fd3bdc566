package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/badgeuse/badgeuse/central/sqlite"
)

// backupsDir is where deploy/backup-central.sh keeps the daily backups
// (/var/backups/badgeuse, or $BADGEUSE_BACKUPS): messages and the doctor
// look there.
func backupsDir() string { return envOr("BADGEUSE_BACKUPS", "/var/backups/badgeuse") }

// lockName is the file serve holds an exclusive flock(2) on for as long as
// it runs, and restore takes to be sure that no centrald serves the folder
// (the kernel drops the lock when the process ends, even by kill -9).
const lockName = "centrald.lock"

// errLocked is a data folder another centrald holds.
var errLocked = errors.New("locked")

// lockData takes the data folder's lock, without waiting; the lock lasts
// until the returned file is closed or the process ends.
func lockData(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, fmt.Errorf("lock: %w", err)
	}
	return f, nil
}

// damagedText is what centrald says when its database is damaged: what
// happened and the commands that bring the last backup back.
func damagedText(dir string, d *sqlite.DamagedError) string {
	backup := newestBackup(backupsDir())
	if backup == "" {
		backup = backupsDir() + "/central-AAAAMMJJ-HHMMSS-N.db.gz"
	}
	return fmt.Sprintf(`the database %s is damaged (%s).
La base de données est endommagée : centrald refuse de démarrer dessus. Restaurez la dernière sauvegarde :
The database is damaged: centrald will not start on it. Restore the latest backup:
  sudo systemctl stop centrald
  sudo centrald restore --data %s %s
  sudo systemctl start centrald
Les bornes renvoient les passages que la sauvegarde n'a pas. Kiosks send again the entries the backup lacks.`, d.Path, d.Detail, dir, backup)
}

// newestBackup returns the newest central-*.db.gz in dir ("" if none or
// unreadable).
func newestBackup(dir string) string {
	names, _ := filepath.Glob(filepath.Join(dir, "central-*.db*"))
	newest, when := "", int64(0)
	for _, n := range names {
		if info, err := os.Stat(n); err == nil && info.ModTime().UnixNano() > when {
			newest, when = n, info.ModTime().UnixNano()
		}
	}
	return newest
}

// notOnPostgres refuses a command on the SQLite file when the command
// line names a PostgreSQL database.
func (e *env) notOnPostgres() error {
	if u, err := e.databaseURL(); err != nil || u == "" {
		return err
	}
	return fmt.Errorf("%s works on the SQLite file of --data; back up a PostgreSQL database with its own tools (pg_dump and pg_restore, or your host's backups)", e.fs.Name())
}

func cmdBackup(e *env, args []string) error {
	pos, err := e.parse(args, 1)
	if err != nil {
		return err
	}
	if err := e.notOnPostgres(); err != nil {
		return err
	}
	dir, err := e.dataDir()
	if err != nil {
		return err
	}
	dst, err := filepath.Abs(pos[0])
	if err != nil {
		return err
	}
	if err := sqlite.Backup(e.ctx, dir, dst); err != nil {
		var d *sqlite.DamagedError
		if errors.As(err, &d) {
			return errors.New(damagedText(dir, d))
		}
		return err
	}
	fmt.Fprintln(e.stdout, dst)
	return nil
}

func cmdRestore(e *env, args []string) error {
	pos, err := e.parse(args, 1)
	if err != nil {
		return err
	}
	if err := e.notOnPostgres(); err != nil {
		return err
	}
	dir, err := e.dataDir()
	if err != nil {
		return err
	}
	lock, err := lockData(dir)
	if errors.Is(err, errLocked) {
		return fmt.Errorf(`centrald is running on %s: stop it first.
centrald tourne sur ce dossier : arrêtez-le d'abord.
  sudo systemctl stop centrald`, dir)
	}
	if err != nil {
		return err
	}
	defer lock.Close()
	aside, err := sqlite.Restore(e.ctx, dir, pos[0])
	if err != nil {
		return err
	}
	if err := chownLikeFolder(dir, filepath.Join(dir, sqlite.FileName)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s into %s\n", pos[0], filepath.Join(dir, sqlite.FileName))
	if aside != "" {
		fmt.Fprintf(e.stdout, "the replaced database is kept in %s\n", aside)
	}
	fmt.Fprintln(e.stdout, "start centrald: sudo systemctl start centrald (kiosks send again the entries the backup lacks)")
	return nil
}

// chownLikeFolder gives path the owner of the folder dir, when run as root:
// a file restored by root must stay readable by the centrald service.
func chownLikeFolder(dir, path string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	return os.Chown(path, int(st.Uid), int(st.Gid))
}
