// Package datadir keeps a program's data folder usable by its service
// user whoever runs a command on it.
//
// The packages install kioskd and centrald as services running as the
// system users kioskd and centrald, owning /var/lib/kioskd and
// /var/lib/centrald (mode 0700). A volunteer types commands there with
// sudo, or forgets to: a command run as root used to leave kiosk.db owned
// by root and the service then failed with "unable to open database file";
// one run as a normal user failed with a bare "permission denied".
//
// Prepare is called before a command touches the folder. Run as root, the
// command does the right thing: a missing folder is created for the
// service user (when that user exists), and every file in the folder that
// root owns is given to the folder's owner, before and after the command
// (SQLite's -wal and -shm files are made while it runs). Run as a user
// who cannot write the folder, it refuses with the exact command to type.
package datadir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Prepare makes dir ready for a command run by the current user (see the
// package doc); serviceUser is the system user the service runs as. The
// returned function gives the files the command made as root to the
// folder's owner: call it when the command ends.
func Prepare(dir, serviceUser string) (done func(), err error) {
	noop := func() {}
	if os.Geteuid() != 0 {
		return noop, checkWritable(dir, serviceUser)
	}
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		uid, gid, ok := lookup(serviceUser)
		if !ok { // no service user here (a developer's machine): root's folder
			return noop, nil
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return noop, err
		}
		if err := os.Chown(dir, uid, gid); err != nil {
			return noop, err
		}
		info, err = os.Stat(dir)
	}
	if err != nil {
		return noop, err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok || st.Uid == 0 {
		return noop, nil
	}
	uid, gid := int(st.Uid), int(st.Gid)
	if err := GiveRootFiles(dir, uid, gid); err != nil {
		return noop, err
	}
	return func() { GiveRootFiles(dir, uid, gid) }, nil
}

// GiveRootFiles gives the files directly in dir that root owns to uid:gid.
func GiveRootFiles(dir string, uid, gid int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok && st.Uid == 0 {
			if err := os.Lchown(filepath.Join(dir, e.Name()), uid, gid); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// lookup returns the uid and gid of a user, if it exists.
func lookup(name string) (uid, gid int, ok bool) {
	u, err := user.Lookup(name)
	if err != nil {
		return 0, 0, false
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	return uid, gid, err1 == nil && err2 == nil
}

// checkWritable refuses, with the command to type, a folder (or a file in
// it, left by root) the current user cannot write, or a missing folder it
// cannot create.
func checkWritable(dir, serviceUser string) error {
	target := dir
	for {
		if _, err := os.Stat(target); err == nil {
			break
		}
		parent := filepath.Dir(target)
		if parent == target {
			return nil
		}
		target = parent
	}
	if writable(target) {
		if target != dir {
			return nil // the command creates it
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return refusal(dir, serviceUser)
		}
		for _, e := range entries {
			if e.Type().IsRegular() && !writable(filepath.Join(dir, e.Name())) {
				return refusal(dir, serviceUser)
			}
		}
		return nil
	}
	return refusal(dir, serviceUser)
}

func writable(path string) bool {
	return syscall.Access(path, 2 /* W_OK */) == nil
}

// refusal says who owns dir and what to type.
func refusal(dir, serviceUser string) error {
	owner := serviceUser
	if info, err := os.Stat(dir); err == nil {
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			owner = strconv.Itoa(int(st.Uid))
			if u, err := user.LookupId(owner); err == nil {
				owner = u.Username
			}
		}
	}
	me := strconv.Itoa(os.Geteuid())
	if u, err := user.Current(); err == nil {
		me = u.Username
	}
	cmd := "sudo " + Command()
	return fmt.Errorf(`%s belongs to %s and this command runs as %s, who cannot write it.
Ce dossier appartient à %s : relancez la commande avec sudo (elle garde le dossier à %s) :
Run the command again with sudo (it keeps the folder %s's):
  %s`, dir, owner, me, owner, owner, owner, cmd)
}

// Command returns the command line of this process, quoted for a shell,
// with the program by its base name (as found on PATH once installed).
func Command() string {
	args := append([]string{filepath.Base(os.Args[0])}, os.Args[1:]...)
	for i, a := range args {
		args[i] = quote(a)
	}
	return strings.Join(args, " ")
}

func quote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,+%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
