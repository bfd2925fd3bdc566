// Command kioskd is the Badgeuse door program: it reads badges from a
// camera, decides offline, lights the LEDs, records entries and syncs them
// with central.
//
// Usage:
//
//	kioskd decode [--json] FILE...      decode QR codes in image files
//	kioskd run --data DIR --camera SRC  run the door
//	kioskd status --data DIR            print the sync status as JSON
//	kioskd enroll --data DIR --central URL --token TOKEN
//	kioskd sync --data DIR              sync once now
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	buildversion "github.com/badgeuse/badgeuse/shared/version"
)

// version is stamped by make (deploy/version.sh) with -ldflags
// "-X main.version=1.2.3"; unstamped, it is the development version from
// the build information (shared/version). It is sent to central, which
// shows it in the admin.
var version = ""

func init() { version = buildversion.String(version) }

const usage = `kioskd — Badgeuse door kiosk (version %s)

Usage:
  kioskd decode [--json] FILE...        decode the QR codes in image files
  kioskd run --data DIR --camera SRC    run the door (see kioskd run --help)
  kioskd status --data DIR              print the sync status as JSON
  kioskd enroll --data DIR --central URL --token TOKEN
                                        join a central server
  kioskd sync --data DIR                sync with central once, now
  kioskd doctor --data DIR              check settings file, data, central, camera,
                                        GPIO, clock, disk (takes kioskd run's flags;
                                        exit 1 if a check fails)
  kioskd version                        print the version
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) && !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "kioskd:", err)
		}
		// What to do about it: what to correct (a configError), or that
		// kioskd waits for the GPIO after a boot (a gpioWaitError).
		var a interface{ advice() string }
		if errors.As(err, &a) {
			fmt.Fprint(os.Stderr, a.advice())
		}
		os.Exit(exitCode(err))
	}
}

// errReported is returned by a command that already printed its errors.
var errReported = errors.New("errors reported")

func exitCode(err error) int {
	var ce *configError
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 2
	case errors.As(err, &ce):
		return exitConfig
	}
	return 1
}

// exitConfig is kioskd's exit status when its settings cannot work on
// this machine (EX_CONFIG of sysexits.h): a pin this machine does not
// have (not a Raspberry Pi), a setting that is not valid. The unit
// (deploy/systemd/kioskd.service) lists it in RestartPreventExitStatus=:
// systemd then leaves kioskd stopped, after one clear message, instead
// of starting it again every 2 s until kioskd.env is edited. Any other
// failure (a camera lost, a full disk, a crash) still restarts it, and so
// does a GPIO not found in the first minutes after the machine started
// (--gpio-wait, gpioFailure): at a boot, it may just not be ready yet.
const exitConfig = 78

// configError is a setting kioskd cannot work with on this machine; fr
// and en say what to change.
type configError struct {
	err    error
	fr, en string
}

func (e *configError) Error() string { return e.err.Error() }
func (e *configError) Unwrap() error { return e.err }

// advice is what kioskd prints after the error: what to change, where,
// and how to start it again, in French then English.
func (e *configError) advice() string {
	return fmt.Sprintf("kioskd ne peut pas fonctionner avec ces réglages. %s Puis : sudo systemctl restart kioskd (vérification : sudo kioskd doctor --data /var/lib/kioskd).\n"+
		"kioskd cannot work with these settings. %s Then: sudo systemctl restart kioskd (check: sudo kioskd doctor --data /var/lib/kioskd).\n", e.fr, e.en)
}

// settingsError makes err a configError saying to correct the setting in
// the service's settings file.
func settingsError(err error) error {
	return &configError{err: err,
		fr: "Corrigez le réglage ci-dessus dans " + envFile + " (KIOSKD_…) ou sur la ligne de commande.",
		en: "Correct the setting above in " + envFile + " (KIOSKD_…) or on the command line."}
}

// run dispatches to a command; tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintf(stderr, usage, version)
		return flag.ErrHelp
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "decode":
		return runDecode(ctx, rest, stdout, stderr)
	case "run":
		return runRun(ctx, rest, stdout, stderr)
	case "status":
		return runStatus(ctx, rest, stdout, stderr)
	case "enroll":
		return runEnroll(ctx, rest, stdout, stderr)
	case "sync":
		return runSync(ctx, rest, stdout, stderr)
	case "doctor":
		return runDoctor(ctx, rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprintf(stdout, usage, version)
		return nil
	}
	fmt.Fprintf(stderr, usage, version)
	return fmt.Errorf("unknown command %q", cmd)
}
