package camera_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/camera"
)

// readN reads n frames from c, going through io.EOF and damaged images
// (each counts as a read).
func readN(t testing.TB, c *camera.Camera, f *kiosk.Frame, n int) {
	t.Helper()
	for i := range n {
		err := c.Read(context.Background(), f)
		if err != nil && !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "damaged.png") {
			t.Fatalf("read %d: %v", i, err)
		}
	}
}

// leakSources makes a video file and a folder (with a damaged image), so
// that the steady state, the end of file, reopening and the folder's
// per-image IMRead are all exercised.
func leakSources(t testing.TB) (file, dir string) {
	t.Helper()
	tmp := t.TempDir()
	file = filepath.Join(tmp, "clip.avi")
	writeClip(t, file, 40, 30, 320, 240)
	dir = filepath.Join(tmp, "frames")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 9 {
		writePNG(t, filepath.Join(dir, fmt.Sprintf("%02d.png", i)), 320, 240, level(i))
	}
	if err := os.WriteFile(filepath.Join(dir, "05-damaged.png"), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	return file, dir
}

// rss is the resident memory of this process in bytes.
func rss(t testing.TB) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skipf("no /proc/self/statm: %v", err)
	}
	fields := strings.Fields(string(b))
	pages, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return pages * int64(os.Getpagesize())
}

// TestMemoryFlat reads thousands of frames and checks that resident memory
// does not grow: a Mat leaked per frame would add about 230 kB a frame here
// (300 MB over the run).
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads thousands of frames")
	}
	file, dir := leakSources(t)
	for _, src := range []string{file, dir} {
		t.Run(filepath.Base(src), func(t *testing.T) {
			c := mustNew(t, src, camera.Options{Fast: true})
			var f kiosk.Frame
			readN(t, c, &f, 300) // warm up: buffers, decoder, allocator arenas
			runtime.GC()
			before := rss(t)
			readN(t, c, &f, 1500)
			runtime.GC()
			grown := rss(t) - before
			t.Logf("resident memory grew by %d kB over 1500 frames", grown/1024)
			if grown > 40<<20 {
				t.Errorf("resident memory grew by %d MB over 1500 frames", grown>>20)
			}
		})
	}
}
