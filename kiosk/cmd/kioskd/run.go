package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/host/v3"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/camera"
	"github.com/badgeuse/badgeuse/kiosk/led"
	"github.com/badgeuse/badgeuse/kiosk/qr"
	"github.com/badgeuse/badgeuse/kiosk/screen"
	"github.com/badgeuse/badgeuse/kiosk/sqlite"
	"github.com/badgeuse/badgeuse/kiosk/uplink"
	"github.com/badgeuse/badgeuse/shared/sdnotify"
)

// runConfig is the configuration of `kioskd run`. Every flag can also be set
// with an environment variable KIOSKD_<FLAG> (e.g. KIOSKD_CAMERA=0), which
// is how deploy/kioskd.env configures the systemd service.
type runConfig struct {
	Data      string
	Camera    string
	Width     int
	Height    int
	FPS       float64
	FourCC    string
	Fast      bool
	ExitAtEOF bool
	LED       string
	PinGreen  string
	PinRed    string
	PinBuzzer string
	PinRelay  string
	RelayLow  bool
	BuzzLow   bool
	AcceptFor time.Duration
	RelayFor  time.Duration
	Debounce  time.Duration
	Frames    int
	Sync      bool
	Every     time.Duration
	Retention time.Duration
	LogLevel  string
	JSON      bool
	Screen    string
	GPIOWait  time.Duration
}

// runUsage heads kioskd run --help: where the settings come from, and why
// the service's differ from the defaults listed below it.
const runUsage = `Usage: kioskd run [flags]

Every flag can also be set in the environment as KIOSKD_<FLAG> (--pin-green
is KIOSKD_PIN_GREEN); a flag on the command line wins. The service reads
them from ` + envFile + `, which it needs (the package installs it;
without it the service does not start): that file sets KIOSKD_LED=gpio and
a 640x480 webcam, for a Raspberry Pi. The defaults below are kioskd's own,
for kioskd run by hand on any computer (--led console).

Flags:
`

func parseRun(args []string, stderr io.Writer) (runConfig, error) {
	var c runConfig
	fs := newFlags("run", stderr)
	fs.StringVar(&c.Data, "data", defaultData, "data folder holding kiosk.db")
	fs.StringVar(&c.Camera, "camera", "0", "camera: device number or path (0, /dev/video0), video file, folder of images, or GStreamer pipeline")
	fs.IntVar(&c.Width, "width", 0, "frame width to ask a device for (0: its default)")
	fs.IntVar(&c.Height, "height", 0, "frame height to ask a device for (0: its default)")
	fs.Float64Var(&c.FPS, "fps", 0, "frame rate to ask a device for; rate of a folder of images")
	fs.StringVar(&c.FourCC, "fourcc", "", "pixel format to ask a device for, e.g. MJPG")
	fs.BoolVar(&c.Fast, "fast", false, "read video files and folders as fast as possible instead of at their frame rate")
	fs.BoolVar(&c.ExitAtEOF, "exit-at-eof", false, "stop at the end of a video file or folder instead of starting again")
	fs.StringVar(&c.LED, "led", "console", "indicator: console (lines on stderr) or gpio (LEDs, buzzer, relay on the Pi's pins; "+envFile+" sets gpio)")
	fs.StringVar(&c.PinGreen, "pin-green", "GPIO17", "GPIO pin of the green LED (--led gpio; empty: none)")
	fs.StringVar(&c.PinRed, "pin-red", "GPIO27", "GPIO pin of the red LED (empty: none)")
	fs.StringVar(&c.PinBuzzer, "pin-buzzer", "", "GPIO pin of an active buzzer (empty: none)")
	fs.StringVar(&c.PinRelay, "pin-relay", "", "GPIO pin of the door relay module (empty: none)")
	fs.BoolVar(&c.RelayLow, "relay-active-low", false, "the relay module switches on when its input is low (low-trigger module)")
	fs.BoolVar(&c.BuzzLow, "buzzer-active-low", false, "the buzzer sounds when its pin is low")
	fs.DurationVar(&c.AcceptFor, "accept-time", led.DefaultAcceptTime, "how long the green LED stays on")
	fs.DurationVar(&c.RelayFor, "relay-time", led.DefaultRelayTime, "how long the door relay releases the strike")
	fs.DurationVar(&c.Debounce, "debounce", kiosk.DefaultDebounce, "a badge out of sight this long counts as a new scan")
	fs.IntVar(&c.Frames, "frames", 0, "stop after this many frames (0: never; to check a camera)")
	fs.BoolVar(&c.Sync, "sync", true, "sync with central in the background when enrolled")
	fs.DurationVar(&c.Every, "sync-interval", uplink.DefaultInterval, "time between syncs when central answers")
	fs.DurationVar(&c.Retention, "retention", 90*24*time.Hour, "delete entries central holds after this long (personal data; CNIL: 3 months)")
	fs.StringVar(&c.LogLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&c.Screen, "screen", "", "serve the door screen for a local browser on this loopback address, e.g. 127.0.0.1:8081 (empty: none)")
	fs.DurationVar(&c.GPIOWait, "gpio-wait", defaultGPIOWait, "with --led gpio: this soon after the machine started, a GPIO or pin not found is the boot still under way (exit 1: systemd starts kioskd again), later a settings error (exit 78)")
	fs.BoolVar(&c.JSON, "json", false, "print the JSON line of each decision on stdout even when it is a terminal (it always does otherwise)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), runUsage)
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return c, err
	}
	if c.LED != "console" && c.LED != "gpio" {
		return c, fmt.Errorf("--led %q: want console or gpio", c.LED)
	}
	return c, nil
}

// runRun runs the door until interrupted (or the end of a file, with
// --exit-at-eof). It prints one JSON line per committed decision on stdout.
func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	started := time.Now()
	cfg, err := parseRun(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return err
	} else if err != nil {
		return settingsError(err)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return settingsError(fmt.Errorf("--log-level: %w", err))
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	done, err := prepareData(cfg.Data)
	if err != nil {
		return err
	}
	defer done()
	db, err := sqlite.Open(cfg.Data)
	if err != nil {
		return err
	}
	defer db.Close()
	cam, err := camera.New(cfg.Camera, camera.Options{Width: cfg.Width, Height: cfg.Height, FPS: cfg.FPS, FourCC: cfg.FourCC, Fast: cfg.Fast})
	if err != nil {
		// The source as written cannot be a camera (a missing device is
		// not this: the door loop waits for it, as for one unplugged).
		return &configError{err: err,
			fr: "Corrigez KIOSKD_CAMERA (et KIOSKD_WIDTH, HEIGHT, FPS, FOURCC) dans " + envFile + " (" + setupDoc + ").",
			en: "Correct KIOSKD_CAMERA (and KIOSKD_WIDTH, HEIGHT, FPS, FOURCC) in " + envFile + " (" + setupDoc + ")."}
	}
	defer cam.Close()
	zone := spaceZone(ctx, db)
	ind, halt, err := indicator(cfg, stderr, log, zone)
	if err != nil {
		return err
	}
	defer halt()
	printDecision := decisionPrinter(cfg, stdout, zone, log)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel() // runs before wg.Wait: stops the background loops

	var loop *uplink.Loop
	if enr, err := db.Enrollment(ctx); err == nil && cfg.Sync {
		loop = newLoop(db, log)
		loop.Interval = cfg.Every
		log.Info("syncing with central", "central", enr.Central, "kiosk", enr.KioskName)
	} else if errors.Is(err, kiosk.ErrNotEnrolled) {
		log.Info("not enrolled: deciding on the local state only (run kioskd enroll to join central)")
	} else if err != nil {
		return err
	}

	var show *screen.Server
	if cfg.Screen != "" {
		if show, err = serveScreen(ctx, &wg, cfg.Screen, db, log); err != nil {
			return err
		}
	}

	dec := qr.New()
	defer dec.Close()
	door := &kiosk.Door{
		Camera: cam, Decoder: dec, Store: db, Indicator: ind, Logger: log,
		BootID: bootID(), Mono: sinceBoot, Debounce: cfg.Debounce, ExitAtEOF: cfg.ExitAtEOF, MaxFrames: cfg.Frames,
		OnDecision: func(d kiosk.Decided) {
			printDecision(d)
			if show != nil {
				show.Show(ctx, screenMessage(d, cfg.AcceptFor))
			}
			if loop != nil {
				loop.Kick()
			}
		},
	}
	if show != nil {
		door.OnFrame = show.Frame
	}
	if loop != nil {
		loop.Report = healthReport(door, db, started)
		wg.Go(func() { loop.Serve(ctx) })
	}
	wg.Go(func() { watchdog(ctx, door, log, zone) })
	wg.Go(func() { purge(ctx, db, cfg.Retention, log) })
	sdnotify.Ready()
	log.Info("door ready", "camera", cfg.Camera, "led", cfg.LED, "data", cfg.Data, "version", version)
	err = door.Serve(ctx)
	sdnotify.Stopping()
	if loop != nil && ctx.Err() == nil {
		// At the end of a file: send what was just recorded, briefly.
		sctx, scancel := context.WithTimeout(ctx, 5*time.Second)
		if _, err := loop.Sync(sctx); err != nil {
			log.Warn("final sync failed; entries stay queued for the next run", "err", err)
		}
		scancel()
	}
	return err
}

// decisionLine is the JSON line printed for each decision (a contract:
// scripts read it).
type decisionLine struct {
	Time      string  `json:"time"`
	Seq       int64   `json:"seq"`
	ID        string  `json:"id"` // the entry's UUID: its key at central, whatever its seq
	Decision  string  `json:"decision"`
	Reason    string  `json:"reason"`
	Member    string  `json:"member"`
	Consumed  int     `json:"consumed"`
	LatencyMS float64 `json:"latency_ms"`
}

func newDecisionLine(d kiosk.Decided) decisionLine {
	e := d.Entry
	l := decisionLine{Time: e.Time.Format(time.RFC3339), Seq: e.Seq, ID: e.ID, Decision: "refuse", Reason: string(e.Decision.Reason),
		LatencyMS: float64(d.Latency.Microseconds()) / 1000}
	if e.Decision.Accept {
		l.Decision = "accept"
	}
	if e.Member != 0 {
		l.Member = strconv.FormatInt(e.Member, 10)
	}
	if e.Decision.Consume != 0 {
		l.Consumed = 1
	}
	return l
}

// decisionPrinter returns what prints each decision on stdout: its JSON
// line (a contract: scripts read it) when stdout is not a terminal or with
// --json; on a terminal, a line for a person instead: nothing more with
// --led console, whose line on stderr says it already, else that line.
func decisionPrinter(cfg runConfig, stdout io.Writer, zone func() time.Time, log *slog.Logger) func(kiosk.Decided) {
	if cfg.JSON || !isTerminal(stdout) {
		out := json.NewEncoder(stdout)
		return func(d kiosk.Decided) {
			if err := out.Encode(newDecisionLine(d)); err != nil {
				log.Error("print decision", "err", err)
			}
		}
	}
	if cfg.LED == "console" {
		return func(kiosk.Decided) {}
	}
	person := led.NewConsole(stdout)
	person.Now = zone
	return func(d kiosk.Decided) {
		person.Show(kiosk.Outcome{Accept: d.Entry.Decision.Accept, Reason: d.Entry.Decision.Reason})
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && isatty.IsTerminal(f.Fd())
}

// spaceZone returns a clock in the space's time zone (the setting central
// syncs; Europe/Paris until the first sync): the times a person reads on
// the kiosk's terminal are the space's, as in the admin, whatever the
// machine's zone. JSON lines keep RFC 3339 with the machine's offset.
func spaceZone(ctx context.Context, db *sqlite.DB) func() time.Time {
	return func() time.Time {
		now := time.Now()
		if st, err := db.State(ctx); err == nil && st.Settings.Location != nil {
			return now.In(st.Settings.Location)
		}
		return now
	}
}

// indicator builds the console or GPIO indicator, and its stop function.
// zone gives the time a console line starts with.
func indicator(cfg runConfig, stderr io.Writer, log *slog.Logger, zone func() time.Time) (kiosk.Indicator, func(), error) {
	if cfg.LED == "console" {
		c := led.NewConsole(stderr)
		c.Now = zone
		return c, func() {}, nil
	}
	// What this machine cannot do (no GPIO, no such pin: not a Raspberry
	// Pi, or kioskd.env not edited yet) is a configError: kioskd says so
	// once and systemd does not restart it (exitConfig). Unless the
	// machine has just started: see gpioFailure.
	if cfg.PinGreen == "" && cfg.PinRed == "" {
		// Whatever the GPIO, and however soon after the boot.
		fr, en := consoleFix("Ni KIOSKD_PIN_GREEN ni KIOSKD_PIN_RED : indiquez la broche d’au moins une LED.", "Neither KIOSKD_PIN_GREEN nor KIOSKD_PIN_RED: give the pin of at least one LED.")
		return nil, nil, &configError{err: errors.New("--led gpio without --pin-green nor --pin-red"), fr: fr, en: en}
	}
	up := uptime()
	if _, err := host.Init(); err != nil {
		fr, en := noGPIOFix()
		return nil, nil, gpioFailure(fmt.Errorf("GPIO: %w", err), fr, en, up, cfg.GPIOWait)
	}
	var lc led.Config
	var errs []error
	var missing []string
	for _, p := range []struct {
		flag, name string
		dst        *gpio.PinOut
	}{{"pin-green", cfg.PinGreen, &lc.Green}, {"pin-red", cfg.PinRed, &lc.Red}, {"pin-buzzer", cfg.PinBuzzer, &lc.Buzzer}, {"pin-relay", cfg.PinRelay, &lc.Relay}} {
		if p.name == "" {
			continue
		}
		out := gpioreg.ByName(p.name)
		if out == nil {
			errs = append(errs, fmt.Errorf("--%s %s: no such GPIO pin on this machine (names like GPIO17; see %s)", p.flag, p.name, setupDoc))
			missing = append(missing, fmt.Sprintf("%s (%s)", p.name, envName(p.flag)))
			continue
		}
		*p.dst = out
	}
	if err := errors.Join(errs...); err != nil {
		fr, en := noPinFix(missing)
		return nil, nil, gpioFailure(err, fr, en, up, cfg.GPIOWait)
	}
	lc.AcceptTime, lc.RelayTime, lc.Logger = cfg.AcceptFor, cfg.RelayFor, log
	lc.RelayActiveLow, lc.BuzzerActiveLow = cfg.RelayLow, cfg.BuzzLow
	l, err := led.New(lc)
	if err != nil {
		return nil, nil, err
	}
	return l, func() {
		if err := l.Halt(); err != nil {
			log.Error("switch LEDs off", "err", err)
		}
	}, nil
}

// defaultGPIOWait is --gpio-wait's default: how long after the machine
// starts a GPIO not found is waited for. A Pi's udev rules and GPIO drivers
// are ready within seconds of its start; two minutes leave a slow SD card
// room, and a wrong setting then stops kioskd two minutes after a boot.
const defaultGPIOWait = 2 * time.Minute

// uptime is how long ago the machine started (CLOCK_BOOTTIME: what
// /proc/uptime says, suspend included); 0 when unknown. Tests replace it.
var uptime = sinceBoot

// gpioFailure is what kioskd does when the GPIO does not work (host.Init
// failing, a pin not found: err, and fr, en what to change), the machine
// started up ago, with --gpio-wait wait.
//
// At a Pi's boot, kioskd may start before udev has given the GPIO's
// character devices (/dev/gpiochip*, /dev/gpiomem*) to the gpio group, or
// before their driver is loaded: periph then finds no pin. Trying again in
// the same process finds none either: periph's host.Init (driverreg.Init)
// looks for the drivers and registers their pins once per process, and
// returns that first result to every later call. So within wait of the
// start it is a *gpioWaitError: kioskd says it waits for the GPIO and
// exits 1, and systemd starts it again (RestartSec=2s), a new process that
// looks again. Later (or up unknown, 0) it is the configError: exit 78,
// said once, and systemd leaves kioskd stopped until it is corrected.
func gpioFailure(err error, fr, en string, up, wait time.Duration) error {
	if up > 0 && up < wait {
		return &gpioWaitError{err: err, up: up, wait: wait}
	}
	return &configError{err: err, fr: fr, en: en}
}

// gpioWaitError is a GPIO not found shortly after the machine started
// (gpioFailure): kioskd exits 1, and systemd starts it again.
type gpioWaitError struct {
	err      error
	up, wait time.Duration
}

func (e *gpioWaitError) Error() string {
	return fmt.Sprintf("waiting for the GPIO, %s after the machine started: %v", e.up.Round(time.Second), e.err)
}
func (e *gpioWaitError) Unwrap() error { return e.err }

// advice says, in French then English, that kioskd waits for the GPIO and
// until when.
func (e *gpioWaitError) advice() string {
	up, wait := spokenDuration(e.up), spokenDuration(e.wait)
	return fmt.Sprintf("Le GPIO n’est peut-être pas encore prêt, la machine a démarré il y a %s : systemd relance kioskd dans 2 s. "+
		"S’il manque encore %s après le démarrage, kioskd s’arrête et dit quoi corriger dans %s.\n"+
		"The GPIO may not be ready yet, the machine started %s ago: systemd starts kioskd again in 2 s. "+
		"If it is still missing %s after the start, kioskd stops and says what to correct in %s.\n", up, wait, envFile, up, wait, envFile)
}

// spokenDuration writes d for a person, in French and English alike:
// "12 s", "2 min", "2 min 30 s".
func spokenDuration(d time.Duration) string {
	d = d.Round(time.Second)
	m, s := int(d/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case m == 0:
		return fmt.Sprintf("%d s", s)
	case s == 0:
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d min %d s", m, s)
}

// watchdog feeds systemd's watchdog while the door loop goes round, and
// keeps the service's status line (systemctl status kioskd) saying the
// door's standing problems.
func watchdog(ctx context.Context, door *kiosk.Door, log *slog.Logger, zone func() time.Time) {
	every := sdnotify.WatchdogInterval()
	if every == 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	status := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if last := door.LastTurn(); time.Since(last) < 2*every {
				sdnotify.Watchdog()
			} else {
				log.Error("door loop stuck; letting systemd's watchdog restart kioskd", "last_turn", last)
			}
			if s := healthLine(door.Health(), zone().Location()); s != status {
				sdnotify.Status(s)
				status = s
			}
		}
	}
}

// healthLine is the service's status line for the door's health, its
// times in the space's zone loc.
func healthLine(h kiosk.Health, loc *time.Location) string {
	var parts []string
	if h.StorageErr != nil {
		what := "cannot record"
		if errors.Is(h.StorageErr, kiosk.ErrDiskFull) {
			what = "disk full"
		}
		parts = append(parts, fmt.Sprintf("%s since %s: %d scans refused", what, h.Since.In(loc).Format("15:04:05"), h.Refused))
	}
	if h.CameraErr != nil {
		parts = append(parts, "camera: "+h.CameraErr.Error())
	}
	if len(parts) == 0 {
		return "door ready"
	}
	return strings.Join(parts, "; ")
}

// purge deletes old synced entries at start and then every hour.
func purge(ctx context.Context, db *sqlite.DB, keep time.Duration, log *slog.Logger) {
	if keep <= 0 {
		return
	}
	for {
		if n, err := db.Purge(ctx, time.Now().Add(-keep)); err != nil {
			log.Error("purge old entries", "err", err)
		} else if n > 0 {
			log.Info("purged old entries", "count", n, "older_than", keep)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}
