package camera_test

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/camera"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// TestFolderRefusesImageBomb: a small PNG that claims 20000×20000 pixels
// (400 MB to decode, which OpenCV would allocate) is refused from its
// header and skipped; the next image is read.
func TestFolderRefusesImageBomb(t *testing.T) {
	dir := t.TempDir()
	if err := qrtest.WriteBombPNG(filepath.Join(dir, "01-bomb.png"), 20000, 20000); err != nil {
		t.Fatal(err)
	}
	writePNG(t, filepath.Join(dir, "02.png"), 40, 30, 150)
	c := mustNew(t, dir, camera.Options{Fast: true})
	var f kiosk.Frame
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := c.Read(context.Background(), &f)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, kiosk.ErrImageTooLarge) || !strings.Contains(err.Error(), "01-bomb.png") || !strings.Contains(err.Error(), "20000×20000") {
		t.Fatalf("got %v, want kiosk.ErrImageTooLarge naming the file and its size", err)
	}
	if errors.Is(err, kiosk.ErrUnreadable) {
		t.Fatalf("one bad image must not end the folder: %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Errorf("refusing the bomb allocated %d MiB", grew>>20)
	}
	if err := c.Read(context.Background(), &f); err != nil || !near(mean(&f), 150) {
		t.Fatalf("the image after the bomb: %v, mean %.1f", err, mean(&f))
	}
}
