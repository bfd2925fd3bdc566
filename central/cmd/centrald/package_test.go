package main

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestPostinstMessages runs the badgeuse-central package's postinst as dpkg
// does (its commands stubbed: bintest.Postinst): a first install
// ("configure" with no previous version) prints the next steps, French
// then English, with the paths the package installs, never a checkout's
// deploy/; an upgrade prints one line, from which version to which; a
// reinstall says so; an aborted upgrade prints nothing.
func TestPostinstMessages(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	script := filepath.Join(root, "deploy", "package", "central-postinst.sh")
	installed := bintest.PackagePaths(t, filepath.Join(root, "deploy", "package", "central.yaml"))
	for _, tc := range []struct {
		name  string
		args  []string
		lines []string // stdout, exactly; nil: see first
		first bool
	}{
		{name: "FirstInstall", args: []string{"configure", ""}, first: true},
		{name: "FirstInstallNoVersion", args: []string{"configure"}, first: true},
		{name: "Upgrade", args: []string{"configure", "0.1.0"},
			lines: []string{"badgeuse-central mis à jour de 0.1.0 vers 0.2.0 / upgraded from 0.1.0 to 0.2.0"}},
		{name: "Reinstall", args: []string{"configure", "0.2.0"},
			lines: []string{"badgeuse-central réinstallé (0.2.0) / reinstalled (0.2.0)"}},
		{name: "AbortUpgrade", args: []string{"abort-upgrade", "0.2.0"}, lines: []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, calls := bintest.Postinst(t, script, "0.2.0", tc.args...)
			if !slices.ContainsFunc(calls, func(c string) bool {
				return strings.HasPrefix(c, "install -d -m 0700 -o centrald -g centrald /var/lib/centrald")
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
			fr := strings.Index(out, "badgeuse-central est installé")
			en := strings.Index(out, "badgeuse-central is installed")
			if fr < 0 || en < fr {
				t.Errorf("not French then English:\n%s", out)
			}
			for _, want := range []string{"/etc/badgeuse/centrald.env", "/usr/share/doc/badgeuse-central/examples/Caddyfile", "sudo centrald admin add --data /var/lib/centrald", "sudo centrald doctor --data /var/lib/centrald"} {
				if strings.Count(out, want) != 2 {
					t.Errorf("%q not in both languages:\n%s", want, out)
				}
			}
			if strings.Contains(out, "deploy/") {
				t.Errorf("a checkout's path, not the installed one:\n%s", out)
			}
			for _, p := range regexp.MustCompile(`/(?:usr|etc|var)/[^\s);,]+`).FindAllString(out, -1) {
				if !slices.Contains(installed, p) && p != "/var/lib/centrald" {
					t.Errorf("the message names %s, which the package does not install (%s)", p, strings.Join(installed, " "))
				}
			}
		})
	}
}
