package bintest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
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

// PostinstPackage is one package whose postinst CheckPostinstMessages
// runs: its name (badgeuse-kiosk), service user (kioskd, who owns
// /var/lib/kioskd), deploy/package's script and nfpm configuration, and
// what the first install's next steps must name in both languages.
type PostinstPackage struct {
	Name, User, Script, YAML string
	Steps                    []string
}

// CheckPostinstMessages runs p's postinst as dpkg does (its commands
// stubbed: Postinst): a first install ("configure" with no previous
// version) prints the next steps, French then English, with the paths the
// package installs, never a checkout's deploy/; an upgrade prints one
// line, from which version to which; a reinstall says so; an aborted
// upgrade prints nothing. Each makes the service's data folder.
func CheckPostinstMessages(t *testing.T, p PostinstPackage) {
	t.Helper()
	installed := PackagePaths(t, p.YAML)
	data := "/var/lib/" + p.User
	for _, tc := range []struct {
		name  string
		args  []string
		lines []string // stdout, exactly; nil: see first
		first bool
	}{
		{name: "FirstInstall", args: []string{"configure", ""}, first: true},
		{name: "FirstInstallNoVersion", args: []string{"configure"}, first: true},
		{name: "Upgrade", args: []string{"configure", "0.1.0"},
			lines: []string{p.Name + " mis à jour de 0.1.0 vers 0.2.0 / upgraded from 0.1.0 to 0.2.0"}},
		{name: "Reinstall", args: []string{"configure", "0.2.0"},
			lines: []string{p.Name + " réinstallé (0.2.0) / reinstalled (0.2.0)"}},
		{name: "AbortUpgrade", args: []string{"abort-upgrade", "0.2.0"}, lines: []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, calls := Postinst(t, p.Script, "0.2.0", tc.args...)
			if !slices.ContainsFunc(calls, func(c string) bool {
				return strings.HasPrefix(c, "install -d -m 0700 -o "+p.User+" -g "+p.User+" "+data)
			}) {
				t.Errorf("the data folder is not made: %q", calls)
			}
			got := strings.Split(strings.TrimSpace(out), "\n")
			if strings.TrimSpace(out) == "" {
				got = []string{}
			}
			if !tc.first {
				if !slices.Equal(got, tc.lines) {
					t.Errorf("stdout:\n%s\nwant:\n%s", out, strings.Join(tc.lines, "\n"))
				}
				return
			}
			fr := strings.Index(out, p.Name+" est installé")
			en := strings.Index(out, p.Name+" is installed")
			if fr < 0 || en < fr {
				t.Errorf("not French then English:\n%s", out)
			}
			for _, want := range p.Steps {
				if strings.Count(out, want) != 2 {
					t.Errorf("%q not in both languages:\n%s", want, out)
				}
			}
			if strings.Contains(out, "deploy/") {
				t.Errorf("a checkout's path, not the installed one:\n%s", out)
			}
			for _, path := range regexp.MustCompile(`/(?:usr|etc|var)/[^\s);,]+`).FindAllString(out, -1) {
				if !slices.Contains(installed, path) && path != data {
					t.Errorf("the message names %s, which the package does not install (%s)", path, strings.Join(installed, " "))
				}
			}
		})
	}
}
