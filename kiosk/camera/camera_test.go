package camera_test

import (
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/camera"
)

// level is the gray level of frame i in the test clips: far enough apart
// that MJPG compression cannot confuse two frames.
func level(i int) uint8 { return uint8(30 + (i*25)%200) }

// writeClip writes an MJPG AVI of n frames, frame i a flat BGR color whose
// gray level is level(i), with a white square that moves.
func writeClip(t testing.TB, path string, n int, fps float64, w, h int) {
	t.Helper()
	vw, err := gocv.VideoWriterFile(path, "MJPG", fps, w, h, true)
	if err != nil {
		t.Fatal(err)
	}
	defer vw.Close()
	if !vw.IsOpened() {
		t.Fatalf("cannot write %s: OpenCV has no MJPG writer", path)
	}
	m := gocv.NewMatWithSize(h, w, gocv.MatTypeCV8UC3)
	defer m.Close()
	for i := range n {
		v := float64(level(i))
		m.SetTo(gocv.NewScalar(v, v, v, 0))
		if err := vw.Write(m); err != nil {
			t.Fatal(err)
		}
	}
}

// writePNG writes a w×h gray PNG of level v.
func writePNG(t testing.TB, path string, w, h int, v uint8) {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = v
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// mean is the average gray level of f.
func mean(f *kiosk.Frame) float64 {
	var sum int
	for y := range f.Height {
		for _, p := range f.Pix[y*f.Stride : y*f.Stride+f.Width] {
			sum += int(p)
		}
	}
	return float64(sum) / float64(f.Width*f.Height)
}

// near reports whether got is within 6 gray levels of want.
func near(got float64, want uint8) bool { return got > float64(want)-6 && got < float64(want)+6 }

func mustNew(t testing.TB, src string, opt camera.Options) *camera.Camera {
	t.Helper()
	c, err := camera.New(src, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestFileReadsEveryFrameThenLoops(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clip.avi")
	const n, w, h = 8, 160, 120
	writeClip(t, path, n, 25, w, h)
	c := mustNew(t, path, camera.Options{Fast: true})
	ctx := context.Background()

	var f kiosk.Frame
	for i := range n {
		before := time.Now()
		if err := c.Read(ctx, &f); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if f.Width != w || f.Height != h || f.Stride != w || len(f.Pix) != w*h {
			t.Fatalf("frame %d: got %dx%d stride %d len %d, want %dx%d", i, f.Width, f.Height, f.Stride, len(f.Pix), w, h)
		}
		if got := mean(&f); !near(got, level(i)) {
			t.Errorf("frame %d: mean gray %.1f, want about %d", i, got, level(i))
		}
		if f.Captured.Before(before) || f.Captured.After(time.Now()) {
			t.Errorf("frame %d: Captured %v not set at the read", i, f.Captured)
		}
	}
	if err := c.Read(ctx, &f); !errors.Is(err, io.EOF) {
		t.Fatalf("after %d frames: got %v, want io.EOF", n, err)
	}
	// A Read after io.EOF starts again from the first frame.
	pix := &f.Pix[0]
	if err := c.Read(ctx, &f); err != nil {
		t.Fatalf("read after EOF: %v", err)
	}
	if got := mean(&f); !near(got, level(0)) {
		t.Errorf("read after EOF: mean gray %.1f, want the first frame's %d", got, level(0))
	}
	if &f.Pix[0] != pix {
		t.Error("the frame buffer was reallocated between two frames of the same size")
	}
}

func TestFilePacedAtItsFrameRate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clip.avi")
	const n, fps = 6, 20 // 5 intervals of 50 ms between 6 frames
	writeClip(t, path, n, fps, 64, 48)

	readAll := func(opt camera.Options) time.Duration {
		c := mustNew(t, path, opt)
		var f kiosk.Frame
		start := time.Now()
		for i := range n {
			if err := c.Read(context.Background(), &f); err != nil {
				t.Fatalf("frame %d: %v", i, err)
			}
		}
		return time.Since(start)
	}
	paced := readAll(camera.Options{})
	if paced < 240*time.Millisecond {
		t.Errorf("paced: %d frames at %d fps read in %v, want at least 250 ms", n, fps, paced)
	}
	fast := readAll(camera.Options{Fast: true})
	if fast > paced/2 {
		t.Errorf("fast: read in %v, not much faster than paced (%v)", fast, paced)
	}
}

func TestPacingStopsWithContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "slow.avi")
	writeClip(t, path, 3, 4, 64, 48) // a frame every 250 ms
	c := mustNew(t, path, camera.Options{})
	var f kiosk.Frame
	if err := c.Read(context.Background(), &f); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := c.Read(ctx, &f)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("Read returned %v after the context ended", d)
	}
	// The next frame is still the second one.
	if err := c.Read(context.Background(), &f); err != nil {
		t.Fatal(err)
	}
	if got := mean(&f); !near(got, level(1)) {
		t.Errorf("after a cancelled Read: mean gray %.1f, want the second frame's %d", got, level(1))
	}
}

func TestFolderSkipsDamagedImageAndLoops(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "01.png"), 40, 30, 50)
	if err := os.WriteFile(filepath.Join(dir, "02-damaged.png"), []byte("\x89PNG\r\n\x1a\nnot really"), 0o644); err != nil {
		t.Fatal(err)
	}
	writePNG(t, filepath.Join(dir, "03.png"), 40, 30, 150)
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	jpg := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(200, 200, 200, 0), 30, 40, gocv.MatTypeCV8UC3)
	ok := gocv.IMWrite(filepath.Join(dir, "04.jpg"), jpg)
	jpg.Close()
	if !ok {
		t.Fatal("cannot write 04.jpg")
	}

	c := mustNew(t, dir, camera.Options{Fast: true})
	ctx := context.Background()
	var f kiosk.Frame
	want := []struct {
		level   uint8
		errPart string
	}{{50, ""}, {0, "02-damaged.png"}, {150, ""}, {200, ""}, {0, "EOF"}, {50, ""}}
	for i, w := range want {
		err := c.Read(ctx, &f)
		switch {
		case w.errPart == "EOF":
			if !errors.Is(err, io.EOF) {
				t.Fatalf("read %d: got %v, want io.EOF", i, err)
			}
		case w.errPart != "":
			if err == nil || !strings.Contains(err.Error(), w.errPart) {
				t.Fatalf("read %d: got %v, want an error naming %s", i, err, w.errPart)
			}
		case err != nil:
			t.Fatalf("read %d: %v", i, err)
		case !near(mean(&f), w.level):
			t.Errorf("read %d: mean gray %.1f, want about %d", i, mean(&f), w.level)
		}
	}
}

func TestFolderPacedAtOptionsFPS(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.png", "b.png", "c.png", "d.png"} {
		writePNG(t, filepath.Join(dir, name), 8, 8, 100)
	}
	c := mustNew(t, dir, camera.Options{FPS: 25}) // 40 ms apart
	var f kiosk.Frame
	start := time.Now()
	for i := range 4 {
		if err := c.Read(context.Background(), &f); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
	if d := time.Since(start); d < 110*time.Millisecond {
		t.Errorf("4 images at 25 fps read in %v, want at least 120 ms", d)
	}
}

func TestEmptyFolderIsAnError(t *testing.T) {
	c := mustNew(t, t.TempDir(), camera.Options{Fast: true})
	var f kiosk.Frame
	err := c.Read(context.Background(), &f)
	if err == nil || errors.Is(err, io.EOF) || !strings.Contains(err.Error(), "no .jpg or .png") || !errors.Is(err, kiosk.ErrUnreadable) {
		t.Fatalf("got %v, want an error saying the folder has no images, as kiosk.ErrUnreadable", err)
	}
}

func TestMissingDevice(t *testing.T) {
	for _, src := range []string{"/dev/video-badgeuse-test", "97"} {
		t.Run(src, func(t *testing.T) {
			c := mustNew(t, src, camera.Options{Width: 640, Height: 480})
			var f kiosk.Frame
			for range 2 { // the second Read tries again, with the same answer
				err := c.Read(context.Background(), &f)
				if !errors.Is(err, fs.ErrNotExist) {
					t.Fatalf("got %v, want fs.ErrNotExist", err)
				}
				if errors.Is(err, kiosk.ErrUnreadable) {
					t.Fatalf("got %v: a missing device may be plugged in later, it must not read as kiosk.ErrUnreadable", err)
				}
				msg := err.Error()
				for _, part := range []string{"/dev/video", "plugged", "v4l2-ctl"} {
					if !strings.Contains(msg, part) {
						t.Errorf("error %q does not mention %q", msg, part)
					}
				}
			}
		})
	}
}

func TestMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.avi")
	c := mustNew(t, path, camera.Options{})
	var f kiosk.Frame
	err := c.Read(context.Background(), &f)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) || !errors.Is(err, kiosk.ErrUnreadable) {
		t.Fatalf("got %v, want fs.ErrNotExist naming %s, as kiosk.ErrUnreadable", err, path)
	}
}

func TestNotAVideo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junk.avi")
	if err := os.WriteFile(path, []byte("this is not a video"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := mustNew(t, path, camera.Options{Fast: true})
	var f kiosk.Frame
	err := c.Read(context.Background(), &f)
	if err == nil || errors.Is(err, io.EOF) || !strings.Contains(err.Error(), path) || !errors.Is(err, kiosk.ErrUnreadable) {
		t.Fatalf("got %v, want kiosk.ErrUnreadable naming %s (not io.EOF, which would make the caller spin)", err, path)
	}
}

func TestNewRejectsNonsense(t *testing.T) {
	for name, tc := range map[string]struct {
		src string
		opt camera.Options
	}{
		"empty":          {"", camera.Options{}},
		"negative width": {"0", camera.Options{Width: -1}},
		"negative fps":   {"0", camera.Options{FPS: -5}},
		"short fourcc":   {"0", camera.Options{FourCC: "MJP"}},
		"negative index": {"-1", camera.Options{}},
	} {
		t.Run(name, func(t *testing.T) {
			if c, err := camera.New(tc.src, tc.opt); err == nil {
				c.Close()
				t.Fatal("New accepted it")
			}
		})
	}
}

func TestString(t *testing.T) {
	dir := t.TempDir()
	for src, want := range map[string]string{
		"0":                                     "V4L2 device /dev/video0",
		"/dev/video2":                           "V4L2 device /dev/video2",
		"demo.avi":                              "video file demo.avi",
		dir:                                     "folder " + dir,
		"videotestsrc ! videoconvert ! appsink": `GStreamer pipeline "videotestsrc ! videoconvert ! appsink"`,
	} {
		c := mustNew(t, src, camera.Options{})
		if got := c.String(); got != want {
			t.Errorf("String(%q) = %q, want %q", src, got, want)
		}
	}
}

func TestReadAfterClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clip.avi")
	writeClip(t, path, 2, 10, 32, 24)
	c, err := camera.New(path, camera.Options{Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	var f kiosk.Frame
	if err := c.Read(context.Background(), &f); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := c.Read(context.Background(), &f); err == nil {
		t.Fatal("Read after Close succeeded")
	}
}

// TestPipelineGray8 reads a pipeline that delivers gray frames already
// (format=GRAY8 saves a colour conversion on the Pi).
func TestPipelineGray8(t *testing.T) {
	const src = "videotestsrc num-buffers=2 pattern=white ! video/x-raw,width=64,height=48 ! videoconvert ! video/x-raw,format=GRAY8 ! appsink"
	c := mustNew(t, src, camera.Options{})
	var f kiosk.Frame
	if err := c.Read(context.Background(), &f); err != nil {
		if strings.Contains(err.Error(), "cannot start") {
			t.Skipf("GStreamer's videotestsrc is not installed here: %v", err)
		}
		t.Fatal(err)
	}
	if f.Width != 64 || f.Height != 48 || !near(mean(&f), 235) && !near(mean(&f), 255) {
		t.Errorf("got %dx%d of mean %.1f, want 64x48 white", f.Width, f.Height, mean(&f))
	}
}

// TestPipeline runs a GStreamer test source that ends after 3 frames: a
// pipeline is live, so its end is an error, and the next Read starts it
// again.
func TestPipeline(t *testing.T) {
	const src = "videotestsrc num-buffers=3 ! video/x-raw,width=64,height=48 ! videoconvert ! appsink"
	c := mustNew(t, src, camera.Options{})
	ctx := context.Background()
	var f kiosk.Frame
	if err := c.Read(ctx, &f); err != nil {
		if strings.Contains(err.Error(), "cannot start") {
			t.Skipf("GStreamer's videotestsrc is not installed here: %v", err)
		}
		t.Fatal(err)
	}
	if f.Width != 64 || f.Height != 48 {
		t.Fatalf("got %dx%d, want 64x48", f.Width, f.Height)
	}
	var err error
	for i := 0; i < 5 && err == nil; i++ {
		err = c.Read(ctx, &f)
	}
	if err == nil || errors.Is(err, io.EOF) {
		t.Fatalf("got %v after the pipeline ended, want an error other than io.EOF", err)
	}
	if err := c.Read(ctx, &f); err != nil {
		t.Fatalf("Read after the pipeline ended did not start it again: %v", err)
	}
}

// TestStreamTime: frames of a file read fast carry the times they would
// have at the file's frame rate, so that debouncing sees real durations;
// a second pass continues after the first.
func TestStreamTime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clip.avi")
	writeClip(t, path, 5, 10, 64, 48)
	cam, err := camera.New(path, camera.Options{Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cam.Close()
	var f kiosk.Frame
	var times []time.Time
	for {
		err := cam.Read(context.Background(), &f)
		if err == io.EOF {
			if len(times) > 5 {
				break
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		times = append(times, f.Time)
		if len(times) == 10 {
			break
		}
	}
	for i := 1; i < len(times); i++ {
		if d := times[i].Sub(times[i-1]); d < 99*time.Millisecond || d > 101*time.Millisecond {
			t.Fatalf("frame %d: stream time step %v, want 100ms at 10 fps", i, d)
		}
	}
}
