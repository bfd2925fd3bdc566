package qrtest_test

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// TestWildTexts checks that the wild texts cover QR versions 1 to 10 at
// every error correction level.
func TestWildTexts(t *testing.T) {
	if raceEnabled {
		t.Skip("too slow under the race detector: make test runs it without")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	dims, levels := map[int]bool{}, map[byte]bool{}
	for i := 0; i < 300; i++ {
		text, level := qrtest.WildText(rng)
		levels[level] = true
		s := qrtest.WildScene{Text: text, Level: level, Module: 4, X: 0.5, Y: 0.5}
		c, err := s.CodeCorners()
		if err != nil {
			t.Fatalf("%q at %c: %v", text, level, err)
		}
		side := math.Round(math.Hypot(c[1][0]-c[0][0], c[1][1]-c[0][1]) / 4)
		dims[int(side)] = true
	}
	for v := 1; v <= 10; v++ {
		if !dims[17+4*v] {
			t.Errorf("no code of version %d (%d modules) among %v", v, 17+4*v, dims)
		}
	}
	if len(dims) != 10 || len(levels) != 4 {
		t.Errorf("dimensions %v, levels %v: want versions 1-10 only, 4 levels", dims, levels)
	}
}

// TestWildRender checks that a wild scene is drawn the same from the same
// seeds, that a new noise seed changes the pixels and little else, that a
// fitted scene holds its whole code, and that the frames have the light
// asked for.
func TestWildRender(t *testing.T) {
	if raceEnabled {
		t.Skip("too slow under the race detector: make test runs it without")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 6; i++ {
		text, level := qrtest.WildText(rng)
		kind := qrtest.WildKind(i % 2)
		s := qrtest.DrawWild(rng, kind, text, level, 1).Fit()
		if !s.Visible() {
			t.Fatalf("scene %d: fitted code not inside the frame", i)
		}
		a, err := qrtest.RenderWild(s)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := qrtest.RenderWild(s)
		if !bytes.Equal(a.Pix, b.Pix) || a.Width != 640 || a.Height != 480 {
			t.Fatalf("scene %d: two renders differ", i)
		}
		s.NoiseSeed = 99
		c, _ := qrtest.RenderWild(s)
		if bytes.Equal(a.Pix, c.Pix) {
			t.Errorf("scene %d: a new noise seed gave the same pixels", i)
		}
	}
	// A frame without a code, and an inverted code: light modules on dark.
	if _, err := qrtest.RenderWild(qrtest.WildScene{Seed: 5}); err != nil {
		t.Fatal(err)
	}
	s := qrtest.WildScene{Text: "hello", Level: 'M', Module: 8, X: 0.5, Y: 0.5, Seed: 6, Noise: 1}
	plain, _ := qrtest.RenderWild(s)
	s.Inverted = true
	inv, _ := qrtest.RenderWild(s)
	c, _ := s.CodeCorners()
	// The top-left module (8 px, upright) is dark in a QR code: a finder
	// pattern's corner.
	x, y := int(c[0][0]+4), int(c[0][1]+4)
	if p, q := plain.Pix[y*640+x], inv.Pix[y*640+x]; p >= q {
		t.Errorf("finder corner: %d plain, %d inverted; want it darker when plain", p, q)
	}
}

// TestPresentation checks a video of a badge brought in: it starts with
// the code out of view, becomes visible, and ends held still, blurred by
// its speed on the way in only.
func TestPresentation(t *testing.T) {
	if raceEnabled {
		t.Skip("too slow under the race detector: make test runs it without")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 4; i++ {
		p := qrtest.DrawPresentation(rng, qrtest.WildKind(i%2), 15, 2*time.Second)
		n := len(p.Frames)
		if n < 30 || p.Visible <= 0 || p.Visible >= n {
			t.Fatalf("video %d: %d frames, visible from %d", i, n, p.Visible)
		}
		if p.Frames[0].Scene.Visible() || !p.Frames[p.Visible].Scene.Visible() || p.Frames[p.Visible-1].Scene.Visible() {
			t.Errorf("video %d: visibility does not start at frame %d", i, p.Visible)
		}
		if p.Frames[1].Scene.Motion < 5 || p.Frames[n-1].Scene.Motion > 0.5 {
			t.Errorf("video %d: motion blur %.1f px coming in, %.1f px held", i, p.Frames[1].Scene.Motion, p.Frames[n-1].Scene.Motion)
		}
		if got := p.Frames[n-1].At; got < 2*time.Second || got > 3500*time.Millisecond {
			t.Errorf("video %d lasts %v", i, got)
		}
		if _, err := qrtest.RenderWildOn(p.Background, p.Frames[n-1].Scene); err != nil {
			t.Fatal(err)
		}
	}
}
