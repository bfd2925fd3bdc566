package qr

import (
	"fmt"
	"math"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// trueOutline returns the frame positions of the corners of a wild scene's
// code and its dimension.
func trueOutline(t *testing.T, s qrtest.WildScene) ([4]point, int) {
	t.Helper()
	corners, err := s.CodeCorners()
	if err != nil {
		t.Fatal(err)
	}
	dim, err := s.Dimension()
	if err != nil {
		t.Fatal(err)
	}
	var c [4]point
	for i, p := range corners {
		c[i] = point{p[0], p[1]}
	}
	return c, dim
}

// TestSharpestCornerReadsBlurredCards is wild seed 17's cards 7 and 13,
// which zxing-cpp reads: codes of 5.5 and 4.8 px modules blurred by the
// card's motion (5.9 and 4.3 px). The patterns' edges put the code's
// fourth corner 8 and 5 px from where it is, the grid does not decode
// there, and no deep pass read them. Moved where the modules are
// sharpest, the corner comes within a quarter of a module of the true one
// and the first pass reads the code.
func TestSharpestCornerReadsBlurredCards(t *testing.T) {
	d := slowTestDecoder(t)
	eachWildCard(t, 17, []int{7, 13}, func(i int, s qrtest.WildScene, f *kiosk.Frame, text string) {
		src := frameGray(t, f)
		without := scanImage(newHybridBinarizer(src), allTries)
		if len(without.texts) > 0 || !without.hasOutline {
			t.Fatalf("card %d: read %q (outline %v) without the corner moved: not a frame for this test", i, without.texts, without.hasOutline)
		}
		truth, dim := trueOutline(t, s)
		module := math.Sqrt(dist2(truth[0], truth[1])) / float64(dim)
		if off := math.Sqrt(dist2(without.outline[2], truth[2])); off < module/2 {
			t.Fatalf("card %d: outline's corner %.1f px off, under half a module (%.1f px): not a frame for this test", i, off, module/2)
		}
		moved, ok := sharpestCorner(src, without.outline, dim)
		if off := math.Sqrt(dist2(moved[2], truth[2])); !ok || off > module/4 {
			t.Errorf("card %d: corner moved (%v) to %.1f px from the true one, want at most a quarter module (%.1f px)", i, ok, off, module/4)
		}
		if got := scanImage(newHybridBinarizer(src), firstTries).texts; len(got) != 1 || got[0] != text {
			t.Errorf("card %d: first pass read %q, want %q", i, got, text)
		}
		checkRead(t, d, f, text, fmt.Sprintf("card %d: decoder", i))
	})
}

// TestSharpestCornerClimbsBack starts the climb from corners put a module
// off the true one of a sharp, tilted code, in twelve directions (from
// most of which the code does not decode): it must come back within a
// quarter of a module, and the code decode there. (From
// 1.5 modules off it comes back in 10 of the 12 directions, from 2 in 5:
// a grid two whole modules off near the corner samples module centers
// too, as sharp as the right one; corner.go.)
func TestSharpestCornerClimbsBack(t *testing.T) {
	s := qrtest.WildScene{Kind: qrtest.WildCard, Text: "https://badgeuse.example/b/5e1f2a9c", Level: 'M',
		Module: 5, Roll: 17, Tilt: 35, TiltDir: 40, X: 0.5, Y: 0.5, Ambient: 1, Seed: 3}
	f, err := qrtest.RenderWild(s)
	if err != nil {
		t.Fatal(err)
	}
	src, bits := frameGray(t, f), hybridBits(t, f)
	truth, dim := trueOutline(t, s)
	module := math.Sqrt(dist2(truth[2], truth[1])) / float64(dim)
	unread := 0 // starts from which the code does not decode
	for a := 0; a < 360; a += 30 {
		off := [2]float64{math.Cos(float64(a) * math.Pi / 180), math.Sin(float64(a) * math.Pi / 180)}
		start := truth
		start[2].x += off[0] * module
		start[2].y += off[1] * module
		if _, read, _ := decodeSampled(bits, outlineTransform(start, dim), dim); !read {
			unread++
		}
		moved, ok := sharpestCorner(src, start, dim)
		if d := math.Sqrt(dist2(moved[2], truth[2])); !ok || d > module/4 {
			t.Errorf("off by %.2f modules: climbed (%v) to %.2f modules from the corner, want at most a quarter", off, ok, d/module)
		}
		if text, read := sampleSharpest(bits, src, start, dim); !read || text != s.Text {
			t.Errorf("off by %.2f modules: read %v %q, want %q", off, read, text, s.Text)
		}
	}
	if unread < 8 {
		t.Errorf("the code decodes from %d of the 12 starts without the climb: not a case for this test", 12-unread)
	}
}

// TestSharpestCornerBadOutlines: outlines partly outside the image,
// degenerate, or not numbers are left as they are; outlines inside it may
// move, and stay numbers. None panics.
func TestSharpestCornerBadOutlines(t *testing.T) {
	pix := make([]byte, 64*48)
	for i := range pix {
		pix[i] = byte(i * 7)
	}
	src, err := newGrayLuminance(pix, 64, 48, 64)
	if err != nil {
		t.Fatal(err)
	}
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range [][4]point{
		{{-10, -10}, {40, -10}, {40, 40}, {-10, 40}},     // partly outside
		{{0, 0}, {1e300, 0}, {1e300, 1e300}, {0, 1e300}}, // far outside
		{{5, 5}, {5, 5}, {5, 5}, {5, 5}},                 // a point
		{{nan, 5}, {30, 5}, {30, 30}, {5, 30}},           // not a number
		{{5, 5}, {inf, 5}, {30, 30}, {5, 30}},            // infinite
		{{10, 10}, {30, 10}, {30, 30}, {10, 30}},         // modules under a pixel
		{{2, 2}, {60, 2}, {-1e18, 1e18}, {2, 46}},        // a corner thrown far away
	} {
		if moved, ok := sharpestCorner(src, c, 21); ok || moved != c && !hasNaN(c) {
			t.Errorf("outline %v: moved (%v) to %v, want it left as it is", c, ok, moved)
		}
	}
	for _, c := range [][4]point{
		{{2, 2}, {46, 2}, {46, 46}, {2, 46}},                     // inside
		{{40, 40}, {2, 40}, {2, 2}, {40, 2}},                     // turned half a turn
		{{0.5, 0.5}, {62.4, 0.5}, {62.4, 46.4}, {0.5, 46.4}},     // to the last pixel centers
		{{-0.4, -0.4}, {63.9, -0.4}, {63.9, 47.9}, {-0.4, 47.9}}, // corners just outside, module centers inside
	} {
		moved, _ := sharpestCorner(src, c, 21)
		for _, p := range moved {
			if math.IsNaN(p.x) || math.IsNaN(p.y) || math.IsInf(p.x, 0) || math.IsInf(p.y, 0) {
				t.Errorf("outline %v: moved to %v", c, moved)
			}
		}
	}
}

func hasNaN(c [4]point) bool {
	for _, p := range c {
		if math.IsNaN(p.x) || math.IsNaN(p.y) {
			return true
		}
	}
	return false
}

// TestGrayLevels checks the interpolation between pixel centers and the
// image's bounds.
func TestGrayLevels(t *testing.T) {
	// 3x2 pixels: 0 100 200 / 50 150 250
	src, err := newGrayLuminance([]byte{0, 100, 200, 9, 50, 150, 250, 9}, 3, 2, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		x, y float64
		want float64
		ok   bool
	}{
		{0.5, 0.5, 0, true},   // the first pixel's center
		{1.5, 0.5, 100, true}, // the second's
		{1, 0.5, 50, true},    // between them
		{1, 1, 75, true},      // between four
		{2.25, 1.25, 212.5, true},
		{0.4, 0.5, 0, false}, // left of the first center
		{2.5, 0.5, 0, false}, // on the last column: no pixel beyond to interpolate with
		{0.5, 1.5, 0, false}, // on the last row
		{math.NaN(), 1, 0, false},
		{1, math.Inf(1), 0, false},
		{1e300, 1, 0, false},
	} {
		levels := []float64{-1}
		ok := grayLevels(src, []float64{c.x, c.y}, levels)
		if v := levels[0]; ok != c.ok || ok && math.Abs(v-c.want) > 1e-9 {
			t.Errorf("grayLevels at (%v, %v) = %v, %v; want %v, %v", c.x, c.y, v, ok, c.want, c.ok)
		}
	}
}
