package main

import (
	"path/filepath"
	"testing"

	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestPostinstMessages: the badgeuse-kiosk package's postinst prints the
// next steps on a first install only, with the paths it installs, and one
// line on an upgrade (bintest.CheckPostinstMessages).
func TestPostinstMessages(t *testing.T) {
	pkg := filepath.Join("..", "..", "..", "deploy", "package")
	bintest.CheckPostinstMessages(t, bintest.PostinstPackage{Name: "badgeuse-kiosk", User: "kioskd",
		Script: filepath.Join(pkg, "kiosk-postinst.sh"), YAML: filepath.Join(pkg, "kiosk.yaml"),
		Steps: []string{"/etc/badgeuse/kioskd.env", "/usr/share/doc/badgeuse-kiosk/pi-setup.md", "sudo kioskd enroll --data /var/lib/kioskd", "sudo kioskd doctor --data /var/lib/kioskd"}})
}
