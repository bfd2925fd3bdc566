package qr_test

import (
	"errors"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// TestLoadFrameRefusesImageBomb: a PNG of a few hundred KiB that claims
// 20000×20000 pixels is refused from its header, without decoding it (it
// took kioskd decode to 990 MB); an image at the limit still loads.
func TestLoadFrameRefusesImageBomb(t *testing.T) {
	dir := t.TempDir()
	bomb := filepath.Join(dir, "bomb.png")
	if err := qrtest.WriteBombPNG(bomb, 20000, 20000); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := qr.LoadFrame(bomb)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, kiosk.ErrImageTooLarge) || !strings.Contains(err.Error(), bomb) || !strings.Contains(err.Error(), "4096×4096") {
		t.Fatalf("got %v, want kiosk.ErrImageTooLarge naming the file and the limit", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Errorf("refusing the bomb allocated %d MiB", grew>>20)
	}
	for _, size := range [][2]int{{kiosk.MaxImageSide + 1, 1}, {5000, 4000}} {
		path := filepath.Join(dir, "too-large.png")
		if err := qrtest.WriteBombPNG(path, size[0], size[1]); err != nil {
			t.Fatal(err)
		}
		if _, err := qr.LoadFrame(path); !errors.Is(err, kiosk.ErrImageTooLarge) {
			t.Errorf("%d×%d: got %v, want kiosk.ErrImageTooLarge", size[0], size[1], err)
		}
	}
	atLimit := filepath.Join(dir, "at-limit.png")
	if err := qrtest.WriteBombPNG(atLimit, 4096, 4096); err != nil {
		t.Fatal(err)
	}
	if f, err := qr.LoadFrame(atLimit); err != nil || f.Width != 4096 || f.Height != 4096 {
		t.Fatalf("an image at the limit: %v", err)
	}
}
