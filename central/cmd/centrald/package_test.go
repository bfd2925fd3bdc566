package main

import (
	"path/filepath"
	"testing"

	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestPostinstMessages: the badgeuse-central package's postinst prints
// the next steps on a first install only, with the paths it installs, and
// one line on an upgrade (bintest.CheckPostinstMessages).
func TestPostinstMessages(t *testing.T) {
	pkg := filepath.Join("..", "..", "..", "deploy", "package")
	bintest.CheckPostinstMessages(t, bintest.PostinstPackage{Name: "badgeuse-central", User: "centrald",
		Script: filepath.Join(pkg, "central-postinst.sh"), YAML: filepath.Join(pkg, "central.yaml"),
		Steps: []string{"/etc/badgeuse/centrald.env", "/usr/share/doc/badgeuse-central/examples/Caddyfile", "sudo centrald admin add --data /var/lib/centrald", "sudo centrald doctor --data /var/lib/centrald"}})
}
