package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/sqlite"
	"github.com/badgeuse/badgeuse/kiosk/uplink"
	"github.com/badgeuse/badgeuse/shared/datadir"
)

// defaultData is the data folder when neither --data nor KIOSKD_DATA is set.
const defaultData = "/var/lib/kioskd"

// serviceUser is the user the kioskd service runs as (the package creates
// it): run as root, a command leaves the data folder to its owner (see
// shared/datadir).
const serviceUser = "kioskd"

// prepareData makes the data folder usable by the command and, afterwards,
// by the service; call the returned function when the command ends.
func prepareData(dir string) (func(), error) { return datadir.Prepare(dir, serviceUser) }

// newFlags returns a flag set for a command whose errors go to stderr.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("kioskd "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", defaultData, "data folder holding kiosk.db")
}

// parse parses args, refusing stray arguments. A flag not given on the
// command line takes the value of the environment variable KIOSKD_<FLAG>
// when set (KIOSKD_CAMERA for --camera, KIOSKD_PIN_GREEN for --pin-green):
// that is how deploy/kioskd.env configures the systemd service.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see kioskd %s --help)", fs.Arg(0), strings.TrimPrefix(fs.Name(), "kioskd "))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
		if v, ok := os.LookupEnv(name); ok && !given[f.Name] {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", name, v, err))
			}
		}
	})
	return errors.Join(errs...)
}

// envName is the environment variable of a flag: data → KIOSKD_DATA.
func envName(flag string) string {
	return "KIOSKD_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// runStatus prints the sync status as JSON.
func runStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("status", stderr)
	data := dataFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	done, err := prepareData(*data)
	if err != nil {
		return err
	}
	defer done()
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	db, err := openExisting(*data)
	if errors.Is(err, kiosk.ErrDiskFull) {
		// A full disk can keep SQLite from opening the database at all: the
		// report still says what is wrong, then the command fails.
		state, free := sqlite.DiskState(*data)
		enc.Encode(struct {
			Storage  string `json:"storage"`
			DiskFree int64  `json:"disk_free_bytes"`
			Error    string `json:"error"`
		}{state, free, err.Error()})
		return err
	}
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := db.Status(ctx)
	if err != nil {
		return err
	}
	return enc.Encode(st)
}

// openExisting opens the database of a data folder that must exist.
func openExisting(dir string) (*sqlite.DB, error) {
	if _, err := os.Stat(filepath.Join(dir, sqlite.FileName)); err != nil {
		return nil, fmt.Errorf("no kiosk database in %s (wrong --data? run kioskd enroll or kioskd run first): %w", dir, err)
	}
	return sqlite.Open(dir)
}

// runEnroll joins a central server with a one-time token.
func runEnroll(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("enroll", stderr)
	data := dataFlag(fs)
	central := fs.String("central", "", "central's URL, e.g. https://badgeuse.example.org")
	token := fs.String("token", "", "one-time enrollment token from the admin (Kiosks page) or `centrald kiosk add`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *central == "" || *token == "" {
		return errors.New("enroll needs --central URL and --token TOKEN")
	}
	if !strings.HasPrefix(*central, "http://") && !strings.HasPrefix(*central, "https://") {
		return fmt.Errorf("--central %q must start with https:// (or http:// on a local network)", *central)
	}
	done, err := prepareData(*data)
	if err != nil {
		return err
	}
	defer done()
	db, err := sqlite.Open(*data)
	if err != nil {
		return err
	}
	defer db.Close()
	resp, err := uplink.Enroll(ctx, nil, *central, *token, version)
	if err != nil {
		return fmt.Errorf("enroll at %s: %w", *central, err)
	}
	err = db.SetEnrollment(ctx, kioskEnrollment(*central, resp))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "enrolled as kiosk %q (id %d, space %q); syncing…\n", resp.KioskName, resp.KioskID, enrolledSpace(resp))
	res, err := newLoop(db, slog.New(slog.NewTextHandler(stderr, nil))).Sync(ctx)
	if err != nil {
		return fmt.Errorf("enrolled, but the first sync failed (kioskd run will retry): %w", err)
	}
	fmt.Fprintf(stdout, "synced: %d members\n", res.Pulled)
	return nil
}

// runSync runs one sync round; it succeeds only when fully synced.
func runSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sync", stderr)
	data := dataFlag(fs)
	timeout := fs.Duration("timeout", time.Minute, "give up after this long")
	if err := parse(fs, args); err != nil {
		return err
	}
	done, err := prepareData(*data)
	if err != nil {
		return err
	}
	defer done()
	db, err := openExisting(*data)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	res, err := newLoop(db, slog.New(slog.NewTextHandler(stderr, nil))).Sync(ctx)
	if err != nil {
		return fmt.Errorf("sync: %w (%d entries still pending)", err, res.Pending)
	}
	fmt.Fprintf(stdout, "synced: %d entries sent, %d members updated, state version %d\n", res.Pushed, res.Pulled, res.Cursor)
	return nil
}

func newLoop(db *sqlite.DB, log *slog.Logger) *uplink.Loop {
	return &uplink.Loop{Store: db, Software: version, Logger: log, BootID: bootID(), Mono: sinceBoot}
}

// bootID identifies this boot of the machine (Linux), or "" elsewhere.
func bootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// sinceBoot is the monotonic time since boot, suspend included.
func sinceBoot() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
