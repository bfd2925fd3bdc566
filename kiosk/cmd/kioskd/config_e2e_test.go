package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRunConfigExit runs kioskd run, the real binary, as the service does
// (its settings in the environment, from kioskd.env): settings that cannot
// work on this machine (kioskd.env as the package installs it on a machine
// that is not a Raspberry Pi, a pin-less GPIO, a setting not valid) end it
// with exitConfig, which the unit's RestartPreventExitStatus= lists, after
// saying once, in French and English, what to change in which file; a
// failure at run time (a data folder it cannot make, a camera file that
// cannot be read) still exits 1, which systemd restarts.
func TestRunConfigExit(t *testing.T) {
	installed := envFileSettings(t, filepath.Join("..", "..", "..", "deploy", "kioskd.env"))
	_, gpioErr := os.Stat("/dev/gpiochip0")
	junk := filepath.Join(t.TempDir(), "junk.avi")
	if err := os.WriteFile(junk, bytes.Repeat([]byte("not a video "), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		env   []string // on top of the installed kioskd.env
		args  []string // on top of run --data DIR
		skip  bool
		exit  int
		saids []string // on stderr
	}{
		// Long after the machine started (KIOSKD_GPIO_WAIT=0: not waited
		// for at all), whenever the test runs.
		{name: "InstalledSettingsNotAPi", skip: gpioErr == nil, env: []string{"KIOSKD_GPIO_WAIT=0"}, exit: exitConfig,
			saids: []string{"Pas de broche GPIO17 (KIOSKD_PIN_GREEN), GPIO27 (KIOSKD_PIN_RED) sur cette machine", "No pin GPIO17 (KIOSKD_PIN_GREEN), GPIO27 (KIOSKD_PIN_RED) on this machine",
				"mettez KIOSKD_LED=console dans /etc/badgeuse/kioskd.env", "set KIOSKD_LED=console in /etc/badgeuse/kioskd.env", setupDoc}},
		{name: "GPIOWithoutPins", env: []string{"KIOSKD_PIN_GREEN=", "KIOSKD_PIN_RED="}, exit: exitConfig,
			saids: []string{"Ni KIOSKD_PIN_GREEN ni KIOSKD_PIN_RED", "Neither KIOSKD_PIN_GREEN nor KIOSKD_PIN_RED", "KIOSKD_LED=console"}},
		// No pin given is not the boot: a settings error at once.
		{name: "GPIOWithoutPinsJustBooted", env: []string{"KIOSKD_PIN_GREEN=", "KIOSKD_PIN_RED=", "KIOSKD_GPIO_WAIT=8760h"}, exit: exitConfig,
			saids: []string{"Ni KIOSKD_PIN_GREEN ni KIOSKD_PIN_RED"}},
		{name: "LEDMisspelt", env: []string{"KIOSKD_LED=gpoi"}, exit: exitConfig,
			saids: []string{`--led "gpoi"`, "Corrigez le réglage ci-dessus dans /etc/badgeuse/kioskd.env", "Correct the setting above in /etc/badgeuse/kioskd.env"}},
		{name: "WidthNotANumber", env: []string{"KIOSKD_LED=console", "KIOSKD_WIDTH=640px"}, exit: exitConfig,
			saids: []string{`KIOSKD_WIDTH="640px"`, "Corrigez le réglage ci-dessus"}},
		{name: "LogLevelUnknown", env: []string{"KIOSKD_LED=console", "KIOSKD_LOG_LEVEL=loud"}, exit: exitConfig,
			saids: []string{"--log-level", "Correct the setting above"}},
		{name: "NoCamera", env: []string{"KIOSKD_LED=console", "KIOSKD_CAMERA="}, exit: exitConfig,
			saids: []string{"no source given", "Corrigez KIOSKD_CAMERA", "Correct KIOSKD_CAMERA"}},
		{name: "FourCCTooLong", env: []string{"KIOSKD_LED=console", "KIOSKD_FOURCC=MJPEG"}, exit: exitConfig,
			saids: []string{"4 letters", "Corrigez KIOSKD_CAMERA"}},
		{name: "FlagMisspelt", env: []string{"KIOSKD_LED=console"}, args: []string{"--pin-gren", "GPIO17"}, exit: exitConfig,
			saids: []string{"-pin-gren", "Corrigez le réglage ci-dessus"}},
		// Failures at run time: systemd must restart kioskd.
		// Pins not found just after the machine started (any time since
		// the start is under a wait of a year): the boot may not have
		// made them ready yet; the next start looks again.
		{name: "InstalledSettingsJustBooted", skip: gpioErr == nil, env: []string{"KIOSKD_GPIO_WAIT=8760h"}, exit: 1,
			saids: []string{"kioskd: waiting for the GPIO", "no such GPIO pin", "Le GPIO n’est peut-être pas encore prêt", "systemd relance kioskd dans 2 s",
				"The GPIO may not be ready yet", "systemd starts kioskd again in 2 s", "525600 min after the start"}},
		{name: "DataFolderUnusable", env: []string{"KIOSKD_LED=console", "KIOSKD_DATA=" + junk}, exit: 1,
			saids: []string{"not a directory"}},
		{name: "CameraFileUnreadable", env: []string{"KIOSKD_LED=console", "KIOSKD_CAMERA=" + junk}, args: []string{"--exit-at-eof"}, exit: 1,
			saids: []string{"kioskd: camera"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.skip {
				t.Skip("this machine has a GPIO chip: kioskd.env's pins may exist here")
			}
			kioskd, _, _ := binaries(t)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			args := []string{"run"}
			if !strings.Contains(strings.Join(tc.env, " "), "KIOSKD_DATA=") {
				args = append(args, "--data", t.TempDir())
			}
			cmd := exec.CommandContext(ctx, kioskd, append(args, tc.args...)...)
			cmd.Env = append(append(withoutKioskdEnv(os.Environ()), installed...), tc.env...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			if ctx.Err() != nil {
				t.Fatalf("kioskd run still running after 30 s:\n%s", stderr.String())
			}
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			out := stderr.String()
			if code != tc.exit {
				t.Errorf("exit %d, want %d:\n%s", code, tc.exit, out)
			}
			for _, s := range tc.saids {
				if !strings.Contains(out, s) {
					t.Errorf("stderr does not say %q:\n%s", s, out)
				}
			}
			advice := strings.Contains(out, "kioskd ne peut pas fonctionner avec ces réglages.") &&
				strings.Contains(out, "kioskd cannot work with these settings.") && strings.Contains(out, "sudo systemctl restart kioskd")
			if advice != (tc.exit == exitConfig) {
				t.Errorf("the advice (French, English, the restart line) said %v, want %v:\n%s", advice, tc.exit == exitConfig, out)
			}
			if n := strings.Count(out, "kioskd ne peut pas fonctionner"); n > 1 {
				t.Errorf("the advice said %d times:\n%s", n, out)
			}
		})
	}
}

// TestUnitStopsOnConfigError: the unit restarts kioskd after any failure
// but the one kioskd exits with when its settings cannot work here
// (TestRunConfigExit), so a kiosk not configured yet, or a machine that is
// not a Raspberry Pi, does not fill the journal every 2 s.
func TestUnitStopsOnConfigError(t *testing.T) {
	unit := unitSettings(t, filepath.Join("..", "..", "..", "deploy", "systemd", "kioskd.service"))
	if got := unit["Service.Restart"]; len(got) != 1 || got[0] != "always" {
		t.Errorf("Restart=%v, want always (a camera lost, a crash: kioskd comes back)", got)
	}
	var prevented []string
	for _, v := range unit["Service.RestartPreventExitStatus"] {
		prevented = append(prevented, strings.Fields(v)...)
	}
	found := false
	for _, v := range prevented {
		found = found || v == strconv.Itoa(exitConfig)
	}
	if !found {
		t.Errorf("RestartPreventExitStatus=%v does not list %d (kioskd's exit when its settings cannot work here)", prevented, exitConfig)
	}
	if len(prevented) != 1 {
		t.Errorf("RestartPreventExitStatus=%v: only %d should stop the restarts", prevented, exitConfig)
	}
}

// TestUnitNeedsSettingsFile: the service's settings file is the one
// kioskd's messages name (envFile) and the package installs from
// deploy/kioskd.env as a conffile; the unit needs it (EnvironmentFile=
// without '-') and, when it is missing, fails its start once
// (AssertPathExists=) instead of trying every 2 s. That file sets what a
// door on a Pi needs where kioskd's own defaults are for a run by hand
// (KIOSKD_LED=gpio there, console here), which kioskd run --help says.
func TestUnitNeedsSettingsFile(t *testing.T) {
	unit := unitSettings(t, filepath.Join("..", "..", "..", "deploy", "systemd", "kioskd.service"))
	if got := unit["Service.EnvironmentFile"]; len(got) != 1 || got[0] != envFile {
		t.Errorf("EnvironmentFile=%v, want %s, required (no '-')", got, envFile)
	}
	if got := unit["Unit.AssertPathExists"]; len(got) != 1 || got[0] != envFile {
		t.Errorf("AssertPathExists=%v, want %s: without it, systemd tries every 2 s forever", got, envFile)
	}
	pkg, err := os.ReadFile(filepath.Join("..", "..", "..", "deploy", "package", "kiosk.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^  - src: deploy/kioskd\.env\n    dst: ` + regexp.QuoteMeta(envFile) + `\n    type: config\|noreplace\n`).Match(pkg) {
		t.Errorf("kiosk.yaml does not install deploy/kioskd.env as %s, a conffile (config|noreplace)", envFile)
	}
	installed := envFileSettings(t, filepath.Join("..", "..", "..", "deploy", "kioskd.env"))
	if !slices.Contains(installed, "KIOSKD_LED=gpio") {
		t.Errorf("deploy/kioskd.env does not set KIOSKD_LED=gpio: %v", installed)
	}
	var help bytes.Buffer
	cfg, err := parseRun([]string{"-h"}, &help)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("kioskd run -h: %v", err)
	}
	if cfg, err = parseRun(nil, io.Discard); err != nil || cfg.LED != "console" {
		t.Errorf("kioskd run's own --led is %q (%v), want console (a run by hand, any computer)", cfg.LED, err)
	}
	said := strings.Join(strings.Fields(help.String()), " ")
	for _, s := range []string{"The service reads them from " + envFile + ", which it needs", "sets KIOSKD_LED=gpio", "(--led console)"} {
		if !strings.Contains(said, s) {
			t.Errorf("kioskd run --help does not say %q:\n%s", s, help.String())
		}
	}
}

// unitSettings reads a systemd unit file: "Section.Key" to its values.
func unitSettings(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "["):
			section = strings.Trim(l, "[]")
		default:
			k, v, _ := strings.Cut(l, "=")
			out[section+"."+strings.TrimSpace(k)] = append(out[section+"."+strings.TrimSpace(k)], strings.TrimSpace(v))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// envFileSettings reads the KEY=VALUE lines of an environment file as
// systemd's EnvironmentFile= does (deploy/kioskd.env has no quotes).
func envFileSettings(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, l := range strings.Split(string(b), "\n") {
		if regexp.MustCompile(`^[A-Z_]+=`).MatchString(l) {
			env = append(env, l)
		}
	}
	if len(env) < 5 {
		t.Fatalf("%s: %d settings", path, len(env))
	}
	return env
}

// withoutKioskdEnv drops the KIOSKD_ settings of the test's own
// environment.
func withoutKioskdEnv(env []string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, "KIOSKD_") {
			out = append(out, e)
		}
	}
	return out
}
