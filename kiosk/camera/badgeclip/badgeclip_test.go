package badgeclip_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/camera"
	"github.com/badgeuse/badgeuse/kiosk/camera/badgeclip"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// texts are two badges and a QR code that is not a badge.
func texts(t *testing.T) []string {
	t.Helper()
	var ts []string
	for range 2 {
		s, err := badge.New()
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, s.Text())
	}
	return append(ts, "https://example.org/not-a-badge")
}

// readAll reads a clip through the kiosk's camera, as fast as possible,
// calling fn for each frame until io.EOF.
func readAll(t *testing.T, path string, fn func(i int, f *kiosk.Frame)) int {
	t.Helper()
	c, err := camera.New(path, camera.Options{Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var f kiosk.Frame
	for i := 0; ; i++ {
		err := c.Read(context.Background(), &f)
		if errors.Is(err, io.EOF) {
			return i
		}
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		fn(i, &f)
	}
}

// decode reads the QR code in f with gozxing, "" if none.
func decode(f *kiosk.Frame) string {
	img := &image.Gray{Pix: f.Pix, Stride: f.Stride, Rect: image.Rect(0, 0, f.Width, f.Height)}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return ""
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return ""
	}
	return res.GetText()
}

func TestClipReadsBackAndDecodes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "badges.avi")
	ts := texts(t)
	o := badgeclip.Options{Seed: 7}
	n, err := badgeclip.Write(path, ts, o)
	if err != nil {
		t.Fatal(err)
	}
	want, err := badgeclip.FrameCount(len(ts), o)
	if err != nil {
		t.Fatal(err)
	}
	if n != want || want != 15+3*(30+15) {
		t.Fatalf("wrote %d frames, FrameCount says %d, want 150 (15 fps: 1 s gap + 3 × (2 s + 1 s))", n, want)
	}

	// Which frames hold which text: gap (15), badge (30), gap (15), …
	shown := func(i int) string {
		i -= 15
		if i < 0 || i%45 >= 30 {
			return ""
		}
		return ts[i/45]
	}
	decoded := map[string]int{}
	got := readAll(t, path, func(i int, f *kiosk.Frame) {
		if f.Width != badgeclip.DefaultWidth || f.Height != badgeclip.DefaultHeight {
			t.Fatalf("frame %d: %dx%d, want 640x480", i, f.Width, f.Height)
		}
		if i%3 != 0 { // decoding every third frame is enough, and faster
			return
		}
		text := decode(f)
		if text != "" && text != shown(i) {
			t.Errorf("frame %d: decoded %q, want %q", i, text, shown(i))
		}
		decoded[text]++
	})
	if got != n {
		t.Errorf("the camera read %d frames, want %d", got, n)
	}
	t.Logf("decoded (of every third frame): %v", decoded)
	for _, text := range ts {
		// 10 frames of each badge are tried; the clip is meant to be
		// readable, with a little blur and movement.
		if decoded[text] < 5 {
			t.Errorf("%q decoded in %d of its 10 frames tried, want at least 5", text, decoded[text])
		}
	}
}

func TestSameSeedSameClip(t *testing.T) {
	dir := t.TempDir()
	o := badgeclip.Options{Width: 320, Height: 240, FPS: 10, Seed: 3}
	write := func(name string, o badgeclip.Options) []byte {
		path := filepath.Join(dir, name)
		if _, err := badgeclip.Write(path, []string{"BG1:HELLO"}, o); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := write("a.avi", o), write("b.avi", o)
	if !bytes.Equal(a, b) {
		t.Error("two clips with the same seed differ")
	}
	o.Seed = 4
	if c := write("c.avi", o); bytes.Equal(a, c) {
		t.Error("two clips with different seeds are the same")
	}
}

func TestBadOptions(t *testing.T) {
	dir := t.TempDir()
	for name, o := range map[string]badgeclip.Options{
		"tiny":     {Width: 100, Height: 80},
		"slow fps": {FPS: 0.5},
	} {
		if _, err := badgeclip.Write(filepath.Join(dir, name+".avi"), []string{"x"}, o); err == nil {
			t.Errorf("%s: Write accepted %+v", name, o)
		}
	}
	if _, err := badgeclip.Write(filepath.Join(dir, "no-such-folder", "x.avi"), []string{"x"}, badgeclip.Options{}); err == nil {
		t.Error("Write into a missing folder succeeded")
	}
}
