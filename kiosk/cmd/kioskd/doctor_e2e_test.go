package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestDoctor runs kioskd doctor, the real binary, on an enrolled kiosk
// with a video file as its camera: the camera's size and rate, central
// answering; then with GPIO asked on a machine without it (a clear line,
// exit 1), and on a folder that is not enrolled.
func TestDoctor(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	c.start()
	k := newKiosk(t, c, "Entrée")
	clip := video(t, a.aliceB, a.brunoB)
	doctor := func(args ...string) (string, int) {
		cmd := exec.Command(k.bin, append([]string{"doctor", "--data", k.data, "--camera", clip}, args...)...)
		cmd.Env = append(os.Environ(), "KIOSKD_ENV_FILE=/nonexistent")
		out, err := cmd.Output()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return string(out), exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), 0
	}
	line := func(out, status, check string) bool {
		return regexp.MustCompile(`(?m)^` + status + ` +` + check + ` `).MatchString(out)
	}
	out, code := doctor("--led", "console")
	for _, check := range []string{"folder", "database", "central", "https", "camera", "gpio", "disk"} {
		if !line(out, "OK", check) {
			t.Errorf("no OK line for %s:\n%s", check, out)
		}
	}
	if !regexp.MustCompile(`(?m)^OK +camera .* gives \d+x\d+ at [0-9.]+ frames/s`).MatchString(out) {
		t.Errorf("camera line without size and rate:\n%s", out)
	}
	clockOK := line(out, "OK", "clock")
	if want := map[bool]int{true: 0, false: 1}[clockOK]; code != want {
		t.Errorf("exit %d with the clock synchronised %v, want %d:\n%s", code, clockOK, want, out)
	}

	// GPIO asked where there is none (this machine, a container): the
	// line says what to do, and the doctor fails.
	if _, err := os.Stat("/dev/gpiochip0"); err == nil {
		t.Log("this machine has a GPIO chip: the missing-GPIO case is not checked")
	} else {
		out, code = doctor("--led", "gpio", "--pin-green", "GPIO17")
		if code != 1 || !line(out, "FAIL", "gpio") || !strings.Contains(out, "KIOSKD_LED=console") {
			t.Errorf("GPIO on a machine without: exit %d\n%s", code, out)
		}
	}

	// A missing camera and a kiosk not enrolled.
	k2 := &kioskProc{t: t, bin: k.bin, data: t.TempDir()}
	k2.must("status", "--data", k.data) // the binary works
	cmd := exec.Command(k.bin, "doctor", "--data", k2.data, "--camera", "/nonexistent/video.avi", "--led", "console")
	cmd.Env = append(os.Environ(), "KIOSKD_ENV_FILE=/nonexistent")
	b, _ := cmd.Output()
	out = string(b)
	if cmd.ProcessState.ExitCode() != 1 || !line(out, "FAIL", "camera") || !line(out, "FAIL", "database") {
		t.Errorf("no camera, no database: exit %d\n%s", cmd.ProcessState.ExitCode(), out)
	}
}

// TestDoctorSettingsFile: the doctor, reading the service's settings file
// (no KIOSKD_ENV_FILE), checks that it is there: the service does not
// start without it, and the doctor's other lines would take kioskd's own
// defaults. The real binary, on a machine without that file (this one).
func TestDoctorSettingsFile(t *testing.T) {
	if _, err := os.Stat(envFile); err == nil {
		t.Skipf("this machine has %s", envFile)
	}
	kioskd := bintest.Build(t, ".")
	cmd := exec.Command(kioskd, "doctor", "--data", t.TempDir(), "--camera", "/nonexistent/video.avi", "--led", "console")
	cmd.Env = withoutKioskdEnv(os.Environ())
	b, _ := cmd.Output()
	out := string(b)
	if cmd.ProcessState.ExitCode() != 1 || !regexp.MustCompile(`(?m)^FAIL +settings .*`+regexp.QuoteMeta(envFile)).MatchString(out) {
		t.Errorf("no settings file: exit %d\n%s", cmd.ProcessState.ExitCode(), out)
	}
	for _, s := range []string{"Sans ce fichier, le service ne démarre pas", "Without this file the service does not start", "sudo dpkg -i --force-confmiss"} {
		if !strings.Contains(out, s) {
			t.Errorf("does not say %q:\n%s", s, out)
		}
	}
}

// TestCheckSettings: the settings line is OK when the file is there, and
// says how to put it back when it is not.
func TestCheckSettings(t *testing.T) {
	dir := t.TempDir()
	there := filepath.Join(dir, "kioskd.env")
	if err := os.WriteFile(there, []byte("KIOSKD_LED=gpio\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		ok   bool
	}{{there, true}, {filepath.Join(dir, "missing.env"), false}} {
		r := checkSettings(tc.path)
		if r.Name != "settings" || r.OK != tc.ok || !strings.Contains(r.Found, tc.path) {
			t.Errorf("%s: %+v, want OK %v", tc.path, r, tc.ok)
		}
		if !tc.ok && (!strings.Contains(r.FixFR, "--force-confmiss") || !strings.Contains(r.FixEN, "--force-confmiss")) {
			t.Errorf("%s: %+v does not say how to put it back", tc.path, r)
		}
	}
}
