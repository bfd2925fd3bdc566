// Command qrbench compares QR decoders on the same images in the same run:
// kiosk/qr (the kiosk's decoder) and, when built with the qrbaseline tag,
// zbar and zxing-cpp called in process through cgo. It prints markdown
// tables: exact reads, wrong reads, time per frame, and the cost of a
// 640x480 frame with no code.
//
// Image sets: the real photos of ../shared/qr-photos (qrcode-1..6 with their
// expected texts, falsepositives-2 with no code) and a seeded set of
// camera-like 640x480 frames generated with OpenCV (kiosk/qr/qrtest):
// badges at varied size, angle, tilt, blur, noise, glare and light on
// cluttered backgrounds, and frames without a code. Last, a door's usual
// sight: successive frames of one still wall without a code, whose texture
// makes kiosk/qr look hard at every frame, decoded in order (kiosk/qr
// remembers such a scene; it is also timed with that memory cleared before
// every frame).
//
// The frames kiosk/qr was not tuned on come from a second generator,
// written apart (qrtest.RenderWild, seed -wildseed): printed cards, phone
// screens and rooms without a code, with their own geometry, optics and
// sensor; and videos of a badge brought in front of the camera at each
// -fps, for the time from the first frame where the code is in full view
// to the first read (video.go). Every table gives kiosk/qr's and zbar's
// figures also as ratios to zxing-cpp's.
//
// Usage (from the repository root):
//
//	go run -tags qrbaseline ./kiosk/cmd/qrbench [-photos DIR] [-gen N] [-empty N] [-static N] [-seed S] [-repeat R] [-zbarimg]
//		[-wild N] [-screens N] [-wildempty N] [-wildseed S] [-videos N] [-fps 15,30] [-misses] [-cpuprofile FILE]
//
// -cpuprofile writes a CPU profile of the decoding (every set, every
// decoder; the Go side of kiosk/qr by function) for go tool pprof: where
// the slow frames spend their time.
//
// Without the tag, only kiosk/qr runs (no libzbar-dev, libzxing-dev needed).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr"
)

// decoder is one decoder under test.
type decoder interface {
	Name() string
	Decode(f *kiosk.Frame) ([]string, error)
	Close()
}

// baselines are the other decoders, registered by the files built with the
// qrbaseline tag.
var baselines []func() (decoder, error)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "qrbench:", err)
		}
		os.Exit(1)
	}
}

// config is what the flags set.
type config struct {
	photos  string
	gen     int
	empty   int
	seed    uint64
	repeat  int
	zbarimg bool
	misses  bool
	static  int

	wild, screens, wildEmpty int    // frames of the wild generator
	wildSeed                 uint64 // its seed
	videos                   int    // presentations per frame rate
	fps                      []float64
	cpuProfile               string // file for a CPU profile of the run, or ""
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("qrbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.photos, "photos", "../shared/qr-photos", "folder of the real photos (qrcode-1..6, falsepositives-2); empty to skip")
	fs.IntVar(&c.gen, "gen", 300, "generated 640x480 frames with a badge")
	fs.IntVar(&c.empty, "empty", 100, "generated 640x480 frames without a code")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the generated frames")
	fs.IntVar(&c.repeat, "repeat", 3, "decode each frame this many times and keep the fastest (less noise from other processes)")
	fs.BoolVar(&c.zbarimg, "zbarimg", false, "also count the reads of the zbarimg command (subprocess: its times include process start)")
	fs.BoolVar(&c.misses, "misses", false, "list the images each decoder misses, and those kiosk/qr misses that another decoder reads")
	fs.IntVar(&c.static, "static", 300, "frames of one still textured scene without a code, decoded in order (0: skip)")
	fs.IntVar(&c.wild, "wild", 200, "frames of printed cards from the wild generator (never tuned on)")
	fs.IntVar(&c.screens, "screens", 100, "frames of phone screens from the wild generator")
	fs.IntVar(&c.wildEmpty, "wildempty", 50, "frames without a code from the wild generator")
	fs.Uint64Var(&c.wildSeed, "wildseed", 1, "seed of the wild generator's frames and videos")
	fs.IntVar(&c.videos, "videos", 40, "videos of a badge brought in front of the camera, per frame rate (time to first read; 0: skip)")
	fps := fs.String("fps", "15,30", "frame rates of the videos")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the decoding to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, f := range strings.Split(*fps, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || v < 1 || v > 240 {
			return c, fmt.Errorf("bad frame rate %q in -fps", f)
		}
		c.fps = append(c.fps, v)
	}
	if c.repeat < 1 {
		c.repeat = 1
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	decoders, err := openDecoders(c)
	if err != nil {
		return err
	}
	defer func() {
		for _, d := range decoders {
			d.Close()
		}
	}()
	sets, err := loadSets(c)
	if err != nil {
		return err
	}
	if c.cpuProfile != "" {
		stopProfile, err := startCPUProfile(c.cpuProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	start := time.Now()
	var results []setResult
	for _, s := range sets {
		r, err := measure(ctx, s, decoders, c.repeat)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	if c.static > 0 {
		s, err := staticScene(c)
		if err != nil {
			return err
		}
		// kiosk/qr as the kiosk runs it, then with its scene memory
		// cleared before every frame (as it was before it had one).
		noMemory := kioskQR{qr.New(), "kiosk/qr, scene memory off"}
		defer noMemory.Close()
		ds := append([]decoder{decoders[0], noMemory}, decoders[1:]...)
		forgetEach := make([]bool, len(ds))
		forgetEach[1] = true
		r, err := measureStatic(ctx, s, ds, forgetEach, c.repeat)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	var videos []videoResult
	if c.videos > 0 {
		if videos, err = measureVideos(ctx, c, decoders); err != nil {
			return err
		}
	}
	report(stdout, c, results, time.Since(start))
	reportVideos(stdout, videos)
	return nil
}

// startCPUProfile profiles the process into the file path until the
// returned function is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// openDecoders returns kiosk/qr first, then the baselines compiled in.
func openDecoders(c config) ([]decoder, error) {
	ds := []decoder{newKioskQR()}
	for _, open := range baselines {
		d, err := open()
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	if c.zbarimg {
		d, err := newZbarimg()
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// kioskQR is the decoder of kiosk/qr.
type kioskQR struct {
	*qr.Decoder
	name string
}

func newKioskQR() kioskQR      { return kioskQR{qr.New(), "kiosk/qr"} }
func (k kioskQR) Name() string { return k.name }
func (k kioskQR) Close()       { k.Decoder.Close() }
