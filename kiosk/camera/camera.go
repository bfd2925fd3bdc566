package camera

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"gocv.io/x/gocv"

	"github.com/badgeuse/badgeuse/kiosk"
)

// DefaultFolderFPS is the rate at which a folder of images is paced when
// Options.FPS is not set.
const DefaultFolderFPS = 10

// Options tune a Camera. The zero value is valid: the device's own size and
// rate, files and folders paced like a live camera.
type Options struct {
	// Width and Height ask a device for a frame size (0: its default). The
	// device may pick the nearest size it supports. Ignored for files,
	// folders and pipelines (a pipeline says its size in its caps).
	Width, Height int
	// FPS asks a device for a frame rate; for a folder it is the rate
	// frames are delivered at (default DefaultFolderFPS); for a video file
	// without a frame rate of its own, the rate it is paced at.
	FPS float64
	// FourCC asks a device for a pixel format, e.g. "MJPG", which many USB
	// webcams need for 720p at 30 fps. Empty: the driver's default.
	FourCC string
	// Fast reads files and folders as fast as possible instead of at their
	// frame rate (tests, benchmarks). Devices and pipelines are never paced.
	Fast bool
}

// Camera reads frames from one source. It implements kiosk.Camera. Read and
// Close may be called from different goroutines; Close waits for a Read in
// progress to return.
type Camera struct {
	src source
	opt Options

	mu     sync.Mutex
	closed bool
	in     input // nil until opened, and after a failure or the end
	raw    gocv.Mat
	gray   gocv.Mat
	pace   pacer
	// Stream times of file and folder frames (kiosk.Frame.Time): a pass
	// starts at passStart, never before the last frame of the previous one.
	passStart  time.Time
	passFrames int
	lastTime   time.Time
}

var _ kiosk.Camera = (*Camera)(nil)

// input is an opened source: a VideoCapture or a folder.
type input interface {
	// next reads the next frame into raw, or returns io.EOF at the end, or
	// another error. A folder may hand back its own Mat (an IMRead result)
	// with a release function; a capture fills raw and returns a no-op.
	next(raw *gocv.Mat) (m *gocv.Mat, release func(), err error)
	// fps is the source's own frame rate, 0 if unknown or live.
	fps() float64
	close()
}

// New returns a Camera for src (see the package documentation for the forms
// it takes). The source is opened by the first Read, and opened again by a
// Read after a failure: a missing camera shows as an error from Read, the
// same way as a camera unplugged later. New fails only if src or opt make no
// sense.
func New(src string, opt Options) (*Camera, error) {
	s, err := parseSource(src)
	if err != nil {
		return nil, err
	}
	if opt.Width < 0 || opt.Height < 0 || opt.FPS < 0 {
		return nil, fmt.Errorf("camera %s: width, height and fps must not be negative", s)
	}
	if opt.FourCC != "" && len(opt.FourCC) != 4 {
		return nil, fmt.Errorf("camera %s: pixel format %q must have 4 letters, like MJPG or YUYV", s, opt.FourCC)
	}
	return &Camera{
		src:  s,
		opt:  opt,
		raw:  gocv.NewMat(),
		gray: gocv.NewMat(),
	}, nil
}

// String describes the source, for logs: "V4L2 device /dev/video0",
// "video file demo.avi", …
func (c *Camera) String() string { return c.src.String() }

// Read waits for the next frame and stores it, in 8-bit gray, in f (reusing
// f.Pix). It returns io.EOF at the end of a file or folder (the next Read
// starts again from the beginning), ctx.Err() if ctx ends while it waits to
// pace a file, and another error when the source cannot be opened or stops
// delivering frames (the next Read opens it again). A damaged image in a
// folder gives an error naming it; the next Read goes on with the next
// image. A device read itself cannot be interrupted: it returns within a
// frame interval, or OpenCV's timeout (about 10 s) when the device hangs.
func (c *Camera) Read(ctx context.Context, f *kiosk.Frame) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return fmt.Errorf("camera %s: read after close", c.src)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.in == nil {
		in, err := c.open()
		if err != nil {
			return err
		}
		c.in = in
		c.pace.start(c.interval())
		c.passFrames = 0
		c.passStart = time.Now()
		if !c.lastTime.IsZero() && !c.passStart.After(c.lastTime) {
			c.passStart = c.lastTime.Add(c.frameInterval())
		}
	}
	if err := c.pace.wait(ctx); err != nil {
		return err
	}
	m, release, err := c.in.next(&c.raw)
	captured := time.Now()
	if err != nil {
		if endsPass(err) {
			c.in.close()
			c.in = nil
		}
		return err
	}
	defer release()
	if err := c.store(m, f); err != nil {
		return err
	}
	f.Captured = captured
	f.Time = captured
	if !c.src.live() {
		f.Time = c.passStart.Add(time.Duration(c.passFrames) * c.frameInterval())
		c.passFrames++
	}
	c.lastTime = f.Time
	return nil
}

// endsPass reports whether err ends the current pass over the source, so
// that the next Read opens it again: the end of a file or folder, or a
// failed device. A damaged folder image does not.
func endsPass(err error) bool {
	var bad *badImageError
	return !errors.As(err, &bad)
}

// interval is the pacing interval of the opened source, 0 for none.
func (c *Camera) interval() time.Duration {
	if c.opt.Fast || c.src.live() {
		return 0
	}
	return c.frameInterval()
}

// frameInterval is the time between two frames of a file or folder at its
// frame rate (whether or not reads are paced).
func (c *Camera) frameInterval() time.Duration {
	fps := c.in.fps()
	if fps <= 0 || fps > 1000 {
		fps = c.opt.FPS
	}
	if fps <= 0 {
		fps = DefaultFolderFPS
	}
	return time.Duration(float64(time.Second) / fps)
}

// open opens the source according to its kind.
func (c *Camera) open() (input, error) {
	switch c.src.kind {
	case kindFolder:
		return openFolder(c.src)
	default:
		return openCapture(c.src, c.opt)
	}
}

// store converts m to gray into f.Pix.
func (c *Camera) store(m *gocv.Mat, f *kiosk.Frame) error {
	src := m
	switch m.Type() {
	case gocv.MatTypeCV8UC1:
	case gocv.MatTypeCV8UC3:
		gocv.CvtColor(*m, &c.gray, gocv.ColorBGRToGray)
		src = &c.gray
	case gocv.MatTypeCV8UC4:
		gocv.CvtColor(*m, &c.gray, gocv.ColorBGRAToGray)
		src = &c.gray
	default:
		return fmt.Errorf("camera %s: unsupported pixel type %v (want 8-bit gray, BGR or BGRA)", c.src, m.Type())
	}
	data, err := src.DataPtrUint8()
	if err != nil {
		return fmt.Errorf("camera %s: frame data: %w", c.src, err)
	}
	w, h := src.Cols(), src.Rows()
	if len(data) < w*h {
		return fmt.Errorf("camera %s: short frame (%d bytes for %dx%d)", c.src, len(data), w, h)
	}
	f.Pix = append(f.Pix[:0], data[:w*h]...)
	f.Width, f.Height, f.Stride = w, h, w
	return nil
}

// Close releases the source and the OpenCV memory. It waits for a Read in
// progress; later Reads fail.
func (c *Camera) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if c.in != nil {
		c.in.close()
		c.in = nil
	}
	c.pace.stop()
	return errors.Join(c.raw.Close(), c.gray.Close())
}
