package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestEnrollAsRootKeepsFolderOwner is the admin's enrolment line (sudo
// kioskd enroll …) on a Pi installed from the package: the data folder
// belongs to the service user, and stays so, kiosk.db included.
func TestEnrollAsRootKeepsFolderOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	c := newCentral(t)
	c.start()
	bin, _, _ := binaries(t)
	k := &kioskProc{t: t, bin: bin, data: filepath.Join(t.TempDir(), "kioskd")}
	if err := os.Mkdir(k.data, 0o700); err != nil {
		t.Fatal(err)
	}
	const owner = 4242
	if err := os.Chown(k.data, owner, owner); err != nil {
		t.Fatal(err)
	}
	k.must("enroll", "--data", k.data, "--central", c.URL(), "--token", c.run("kiosk", "add", "--name", "Entrée"))
	k.sync()
	entries, err := os.ReadDir(k.data)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		info, _ := e.Info()
		if uid := info.Sys().(*syscall.Stat_t).Uid; uid != owner {
			t.Errorf("%s owned by %d after sudo kioskd enroll, want the service user %d", e.Name(), uid, owner)
		}
		found = found || e.Name() == "kiosk.db"
	}
	if !found {
		t.Fatal("no kiosk.db")
	}
}
