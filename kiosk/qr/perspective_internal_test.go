package qr

import (
	"math/rand/v2"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// TestPerspectiveFirstPass: cards tilted 30-45°, modules of 4-6 px, clean
// print, light and focus (qrtest's wild generator at difficulty 0 but for
// the tilt), codes of versions 1 to 10. The first pass read 16 of these 40
// with gozxing's sampler and choice of patterns alone (a parallelogram's
// fourth corner, module sizes within 1.4x); with the sampler that follows
// the finder patterns' edges and the tilted triple it reads 23, right;
// with the bent sampler (bent.go) 26; 32 on 6 December 2026, the floor.
func TestPerspectiveFirstPass(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 0x7e57))
	const n, floor = 40, 32
	read := 0
	for i := 0; i < n; i++ {
		text, level := qrtest.WildText(rng)
		s := qrtest.DrawWild(rng, qrtest.WildCard, text, level, 0)
		s.Tilt, s.TiltDir, s.Module = 30+15*rng.Float64(), 360*rng.Float64(), 4+2*rng.Float64()
		f, err := qrtest.RenderWild(s.Fit())
		if err != nil {
			t.Fatal(err)
		}
		got := scanFrame(f, firstTries)
		if len(got.texts) > 0 {
			if got.texts[0] != text {
				t.Fatalf("frame %d: read %q, want %q", i, got.texts[0], text)
			}
			read++
		}
	}
	t.Logf("first pass read %d of %d cards tilted 30-45°", read, n)
	if read < floor {
		t.Errorf("first pass read %d of %d tilted cards, want at least %d", read, n, floor)
	}
}

// TestTiltedTriple: three confirmed patterns whose module sizes differ by
// more than gozxing allows (1.4x) but less than tiltedModuleRatio make a
// triple, ordered as a code's; a lone unconfirmed spot is not used, and
// sizes too far apart make none.
func TestTiltedTriple(t *testing.T) {
	fp := func(x, y, module float64, count int) *detector.FinderPattern {
		return detector.NewFinderPattern(x, y, module, count)
	}
	info := tiltedTriple([]*detector.FinderPattern{
		fp(100, 100, 6, 3), fp(300, 100, 3.5, 3), fp(100, 300, 5, 2), fp(250, 250, 5, 1),
	})
	if info == nil {
		t.Fatal("no triple from three confirmed patterns 1.7x apart in module size")
	}
	if tl := info.GetTopLeft(); tl.GetX() != 100 || tl.GetY() != 100 {
		t.Errorf("top left at %v,%v, want 100,100", tl.GetX(), tl.GetY())
	}
	if info := tiltedTriple([]*detector.FinderPattern{
		fp(100, 100, 8, 3), fp(300, 100, 3, 3), fp(100, 300, 5, 2),
	}); info != nil {
		t.Error("a triple from module sizes 2.7x apart")
	}
}
