package main

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestPostinstMessages runs the badgeuse-kiosk package's postinst as dpkg
// does (its commands stubbed: bintest.Postinst): a first install
// ("configure" with no previous version) prints the next steps, French
// then English, with the paths the package installs, never a checkout's
// deploy/; an upgrade prints one line, from which version to which; a
// reinstall says so; an aborted upgrade prints nothing.
func TestPostinstMessages(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	script := filepath.Join(root, "deploy", "package", "kiosk-postinst.sh")
	installed := bintest.PackagePaths(t, filepath.Join(root, "deploy", "package", "kiosk.yaml"))
	for _, tc := range []struct {
		name  string
		args  []string
		lines []string // stdout, exactly; nil: see first
		first bool
	}{
		{name: "FirstInstall", args: []string{"configure", ""}, first: true},
		{name: "FirstInstallNoVersion", args: []string{"configure"}, first: true},
		{name: "Upgrade", args: []string{"configure", "0.1.0"},
			lines: []string{"badgeuse-kiosk mis à jour de 0.1.0 vers 0.2.0 / upgraded from 0.1.0 to 0.2.0"}},
		{name: "Reinstall", args: []string{"configure", "0.2.0"},
			lines: []string{"badgeuse-kiosk réinstallé (0.2.0) / reinstalled (0.2.0)"}},
		{name: "AbortUpgrade", args: []string{"abort-upgrade", "0.2.0"}, lines: []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, calls := bintest.Postinst(t, script, "0.2.0", tc.args...)
			if !slices.ContainsFunc(calls, func(c string) bool {
				return strings.HasPrefix(c, "install -d -m 0700 -o kioskd -g kioskd /var/lib/kioskd")
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
			fr := strings.Index(out, "badgeuse-kiosk est installé")
			en := strings.Index(out, "badgeuse-kiosk is installed")
			if fr < 0 || en < fr {
				t.Errorf("not French then English:\n%s", out)
			}
			for _, want := range []string{"/etc/badgeuse/kioskd.env", "/usr/share/doc/badgeuse-kiosk/pi-setup.md", "sudo kioskd enroll --data /var/lib/kioskd", "sudo kioskd doctor --data /var/lib/kioskd"} {
				if strings.Count(out, want) != 2 {
					t.Errorf("%q not in both languages:\n%s", want, out)
				}
			}
			if strings.Contains(out, "deploy/") {
				t.Errorf("a checkout's path, not the installed one:\n%s", out)
			}
			for _, p := range regexp.MustCompile(`/(?:usr|etc|var)/[^\s);,]+`).FindAllString(out, -1) {
				if !slices.Contains(installed, p) && p != "/var/lib/kioskd" {
					t.Errorf("the message names %s, which the package does not install (%s)", p, strings.Join(installed, " "))
				}
			}
		})
	}
}
