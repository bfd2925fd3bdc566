package main

import (
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"
)

// TestGPIOFailure: a GPIO that does not work is the boot still under way
// (exit 1: systemd starts kioskd again, and the new process looks for the
// pins again) only within --gpio-wait of the machine's start; later, or
// when the time since the start is unknown, it is a settings error (exit
// 78: said once, and systemd leaves kioskd stopped).
func TestGPIOFailure(t *testing.T) {
	cause := errors.New("--pin-green GPIO17: no such GPIO pin on this machine")
	for _, tc := range []struct {
		name     string
		up, wait time.Duration
		exit     int
		says     []string // in the error and its advice
	}{
		{name: "JustBooted", up: 8 * time.Second, wait: 2 * time.Minute, exit: 1,
			says: []string{"waiting for the GPIO, 8s after the machine started", "la machine a démarré il y a 8 s", "the machine started 8 s ago",
				"S’il manque encore 2 min après le démarrage", "If it is still missing 2 min after the start", "systemd starts kioskd again in 2 s"}},
		{name: "AlmostSettled", up: 2*time.Minute - time.Second, wait: 2 * time.Minute, exit: 1,
			says: []string{"il y a 1 min 59 s", "1 min 59 s ago"}},
		{name: "LongerWait", up: 3 * time.Minute, wait: 5 * time.Minute, exit: 1, says: []string{"3 min ago", "5 min after the start"}},
		{name: "Settled", up: 2 * time.Minute, wait: 2 * time.Minute, exit: exitConfig, says: []string{"kioskd ne peut pas fonctionner", "KIOSKD_LED=console"}},
		{name: "UpForDays", up: 72 * time.Hour, wait: 2 * time.Minute, exit: exitConfig},
		{name: "NoWait", up: time.Second, wait: 0, exit: exitConfig},
		{name: "UptimeUnknown", up: 0, wait: 2 * time.Minute, exit: exitConfig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fr, en := consoleFix("FR.", "EN.")
			err := gpioFailure(cause, fr, en, tc.up, tc.wait)
			if got := exitCode(err); got != tc.exit {
				t.Errorf("exit %d, want %d (%v)", got, tc.exit, err)
			}
			if !errors.Is(err, cause) {
				t.Errorf("%v does not wrap the GPIO's error", err)
			}
			a, ok := err.(interface{ advice() string })
			if !ok {
				t.Fatalf("%T has no advice for the journal", err)
			}
			said := err.Error() + "\n" + a.advice()
			for _, s := range tc.says {
				if !strings.Contains(said, s) {
					t.Errorf("does not say %q:\n%s", s, said)
				}
			}
		})
	}
}

// TestIndicatorGPIOAfterBoot builds kioskd run's GPIO indicator on a
// machine without the pins (this one) with the time since the machine
// started replaced: a minute after the start it waits for the GPIO (exit
// 1), ten minutes after it is a settings error (exit 78); --gpio-wait
// moves the limit; pins not given at all are a settings error whenever.
func TestIndicatorGPIOAfterBoot(t *testing.T) {
	if _, err := os.Stat("/dev/gpiochip0"); err == nil {
		t.Skip("this machine has a GPIO chip: GPIO17 may exist here")
	}
	saved := uptime
	t.Cleanup(func() { uptime = saved })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		name string
		up   time.Duration
		args []string
		exit int
	}{
		{name: "FreshBoot", up: time.Minute, exit: 1},
		{name: "Settled", up: 10 * time.Minute, exit: exitConfig},
		{name: "SettledLongerWait", up: 10 * time.Minute, args: []string{"--gpio-wait", "15m"}, exit: 1},
		{name: "FreshBootNoWait", up: time.Minute, args: []string{"--gpio-wait", "0"}, exit: exitConfig},
		{name: "FreshBootNoPinGiven", up: time.Minute, args: []string{"--pin-green", "", "--pin-red", ""}, exit: exitConfig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, e := range os.Environ() {
				if k, _, _ := strings.Cut(e, "="); strings.HasPrefix(k, "KIOSKD_") {
					t.Setenv(k, "")
					os.Unsetenv(k)
				}
			}
			cfg, err := parseRun(append([]string{"--led", "gpio"}, tc.args...), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			uptime = func() time.Duration { return tc.up }
			_, _, err = indicator(cfg, io.Discard, log, time.Now)
			if err == nil {
				t.Fatal("a GPIO indicator on a machine without GPIO17")
			}
			if got := exitCode(err); got != tc.exit {
				t.Errorf("exit %d, want %d: %v", got, tc.exit, err)
			}
		})
	}
}
