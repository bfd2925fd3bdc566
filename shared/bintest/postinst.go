package bintest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Postinst runs a package's maintainer script (deploy/package/*-postinst.sh)
// with sh and args, as dpkg does ("configure", and the version configured
// before, "" on a first install), without touching the machine: the
// commands it calls (useradd, install, systemctl, …) are stubs that only
// write their arguments to calls; dpkg-query answers version, the
// package's new version. Only cat is the real one: a command the script
// calls that is not stubbed here fails it (not found), it never reaches
// the system.
func Postinst(t testing.TB, script, version string, args ...string) (stdout, stderr string, calls []string) {
	t.Helper()
	stubs := t.TempDir()
	log := filepath.Join(stubs, "calls.log")
	stub := func(name, body string) {
		if err := os.WriteFile(filepath.Join(stubs, name), []byte("#!/bin/sh\necho \""+name+" $*\" >>"+log+"\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"getent", "useradd", "groupadd", "usermod", "install", "find", "chown", "systemctl"} {
		stub(name, "exit 0")
	}
	stub("dpkg-query", "printf '%s' '"+version+"'")
	for _, name := range []string{"cat"} {
		real, err := exec.LookPath(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(real, filepath.Join(stubs, name)); err != nil {
			t.Fatal(err)
		}
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(sh, append([]string{script}, args...)...)
	cmd.Env = []string{"PATH=" + stubs, "LANG=C.UTF-8"}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("sh %s %q: %v\n%s%s", script, args, err, out.String(), errOut.String())
	}
	if b, err := os.ReadFile(log); err == nil {
		calls = strings.Split(strings.TrimSpace(string(b)), "\n")
	}
	return out.String(), errOut.String(), calls
}

// PackagePaths returns the paths a package installs: the dst lines of its
// nfpm configuration (deploy/package/*.yaml).
func PackagePaths(t testing.TB, yaml string) []string {
	t.Helper()
	b, err := os.ReadFile(yaml)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, m := range regexp.MustCompile(`(?m)^\s*dst:\s*(\S+)\s*$`).FindAllStringSubmatch(string(b), -1) {
		paths = append(paths, m[1])
	}
	if len(paths) == 0 {
		t.Fatalf("%s: no dst lines", yaml)
	}
	return paths
}
