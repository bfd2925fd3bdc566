// Command badgevideo writes a video clip of badges held up in front of a
// camera, for the end-to-end tests and the demo (`make demo`):
//
//	badgevideo -o OUT.avi [-fps 15] [-seconds-per-badge 2] [-gap 1] [-size 640x480] [-seed 1] TEXT...
//
// Each TEXT (a badge text such as "BG1:…", or anything else) is shown as a
// QR code on a printed card, moving a little, with empty frames between
// badges. The clip is an MJPG AVI that `kioskd run --camera OUT.avi` reads.
// The same arguments always give the same clip.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/kiosk/camera/badgeclip"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "badgevideo:", err)
		}
		os.Exit(2)
	}
}

// run parses args and writes the clip; tests call it directly.
func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("badgevideo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: badgevideo -o OUT.avi [options] TEXT...")
		fmt.Fprintln(stderr, "Writes an MJPG video showing each TEXT as a QR badge held up to a camera.")
		fs.PrintDefaults()
	}
	out := fs.String("o", "", "the video file to write (.avi)")
	fps := fs.Float64("fps", badgeclip.DefaultFPS, "frames per second")
	per := fs.Float64("seconds-per-badge", badgeclip.DefaultPerBadge.Seconds(), "how long each badge is shown, in seconds")
	gap := fs.Float64("gap", badgeclip.DefaultGap.Seconds(), "seconds of empty frames before, between and after badges")
	size := fs.String("size", fmt.Sprintf("%dx%d", badgeclip.DefaultWidth, badgeclip.DefaultHeight), "frame size, WIDTHxHEIGHT")
	seed := fs.Uint64("seed", 1, "seed of the random movements and noise")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		fs.Usage()
		return errors.New("need -o OUT.avi and at least one TEXT")
	}
	if *per <= 0 || *gap < 0 {
		return errors.New("-seconds-per-badge must be more than 0 and -gap 0 or more")
	}
	w, h, err := parseSize(*size)
	if err != nil {
		return err
	}
	o := badgeclip.Options{
		FPS:      *fps,
		PerBadge: seconds(*per),
		Gap:      seconds(*gap),
		Width:    w,
		Height:   h,
		Seed:     *seed,
	}
	n, err := badgeclip.Write(*out, fs.Args(), o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d badges, %d frames at %g fps (%dx%d)\n", *out, fs.NArg(), n, *fps, w, h)
	return nil
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// parseSize parses "640x480".
func parseSize(s string) (w, h int, err error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	if ok {
		w, err = strconv.Atoi(ws)
		if err == nil {
			h, err = strconv.Atoi(hs)
		}
	}
	if !ok || err != nil || w <= 0 || h <= 0 {
		return 0, 0, fmt.Errorf("-size %q: want WIDTHxHEIGHT, like 640x480", s)
	}
	return w, h, nil
}
