package qr

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// TestFindPatternsMatchesGozxing checks that findPatterns, under gozxing's
// rule on a pattern's vertical size, finds what gozxing's
// FinderPatternFinder.Find finds, on generated frames with and without
// codes, and that it gives up on texture where Find stalls.
func TestFindPatternsMatchesGozxing(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	for i := 0; i < 60; i++ {
		var texts []string
		if i%3 != 0 {
			texts = []string{qrtest.BadgeText(rng)}
		}
		f, err := qrtest.Render(qrtest.Random(rng, texts, float64(i)/60))
		if err != nil {
			t.Fatal(err)
		}
		bits := hybridBits(t, f)
		info, candidates, _ := findPatterns(bits, gozxingRule)
		finder := detector.NewFinderPatternFinder(bits, nil)
		want, notFound := finder.Find(nil)
		if len(candidates) != len(finder.GetPossibleCenters()) {
			t.Fatalf("frame %d: %d candidates, gozxing %d", i, len(candidates), len(finder.GetPossibleCenters()))
		}
		if (info == nil) != (notFound != nil) {
			t.Fatalf("frame %d: found %v, gozxing's error %v", i, info != nil, notFound)
		}
		if info != nil && (info.GetTopLeft() != want.GetTopLeft() && *info.GetTopLeft() != *want.GetTopLeft()) {
			t.Fatalf("frame %d: top left %v, gozxing %v", i, info.GetTopLeft(), want.GetTopLeft())
		}
	}
}

// TestFindPatternsMatchesPixelLoop checks that findPatterns, which walks
// rows run by run, finds exactly what the pixel-by-pixel loop it replaced
// found (the same candidates at the same places, with the same counts, and
// the same chosen three): on generated frames with and without codes,
// finder-like marks, at several sizes, and on random bits of every density.
func TestFindPatternsMatchesPixelLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	var matrices []*gozxing.BitMatrix
	for i := 0; i < 80; i++ {
		var texts []string
		if i%4 != 0 {
			texts = []string{qrtest.BadgeText(rng)}
		}
		s := qrtest.Random(rng, texts, float64(i%20)/20)
		s.Marks = i % 3
		if i%5 == 0 {
			s.Width, s.Height = 200+rng.IntN(500), 100+rng.IntN(400)
			s.ModulePx = min(s.ModulePx, 4)
		}
		f, err := qrtest.Render(s)
		if err != nil {
			t.Fatal(err)
		}
		src, err := newGrayLuminance(f.Pix, f.Width, f.Height, f.Stride)
		if err != nil {
			t.Fatal(err)
		}
		m, err := newHybridBinarizer(src).GetBlackMatrix()
		if err != nil {
			t.Fatal(err)
		}
		matrices = append(matrices, m)
	}
	for i := 0; i < 200; i++ {
		w, h := 1+rng.IntN(300), 1+rng.IntN(300)
		density, run := rng.Float64(), 1+rng.IntN(6)
		m, _ := gozxing.NewBitMatrix(w, h)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x += run {
				if rng.Float64() < density {
					for k := x; k < min(x+run, w); k++ {
						m.Set(k, y)
					}
				}
			}
		}
		matrices = append(matrices, m)
	}
	for i := 0; i < 300; i++ { // finder-like squares, a few bits flipped
		w, h := 30+rng.IntN(400), 30+rng.IntN(400)
		m, _ := gozxing.NewBitMatrix(w, h)
		for k := 1 + rng.IntN(8); k > 0; k-- {
			u := 1 + rng.IntN(6)
			x0, y0 := rng.IntN(max(1, w-7*u)), rng.IntN(max(1, h-7*u))
			for y := y0; y < min(y0+7*u, h); y++ {
				for x := x0; x < min(x0+7*u, w); x++ {
					ring := max(abs((x-x0)/u-3), abs((y-y0)/u-3)) // 0 at the centre, 3 outside
					if ring != 2 {
						m.Set(x, y)
					}
				}
			}
		}
		for k := rng.IntN(w*h/50 + 1); k > 0; k-- {
			m.Flip(rng.IntN(w), rng.IntN(h))
		}
		matrices = append(matrices, m)
	}
	withCandidates, withInfo := 0, 0
	for i, m := range matrices {
		info, cands, _ := findPatterns(m, frameRule)
		wantInfo, wantCands := findPatternsPixels(m)
		if got, want := describe(info, cands), describe(wantInfo, wantCands); got != want {
			t.Fatalf("matrix %d (%dx%d):\nrun by run:     %s\npixel by pixel: %s", i, m.GetWidth(), m.GetHeight(), got, want)
		}
		if len(cands) > 0 {
			withCandidates++
		}
		if info != nil {
			withInfo++
		}
	}
	// The comparison means something only if patterns were found.
	if withCandidates < 300 || withInfo < 80 {
		t.Errorf("only %d matrices with candidates, %d with three patterns", withCandidates, withInfo)
	}
	t.Logf("%d matrices, %d with candidates, %d with three patterns", len(matrices), withCandidates, withInfo)
}

// TestCrossRatios compares the integer ratio test with gozxing's float one
// on all run lengths up to 30.
func TestCrossRatios(t *testing.T) {
	c := make([]int, 5)
	var walk func(k int)
	walk = func(k int) {
		if k == 5 {
			if got, want := crossRatios(c), detector.FinderPatternFinder_foundPatternCross(c); got != want {
				t.Fatalf("%v: %v, gozxing %v", c, got, want)
			}
			return
		}
		for c[k] = 0; c[k] <= 30; c[k]++ {
			walk(k + 1)
		}
	}
	walk(0)
}

func describe(info *detector.FinderPatternInfo, cands []*detector.FinderPattern) string {
	s := ""
	for _, c := range cands {
		s += fmt.Sprintf("(%v,%v %v x%d) ", c.GetX(), c.GetY(), c.GetEstimatedModuleSize(), c.GetCount())
	}
	if info != nil {
		s += fmt.Sprintf("best %v %v %v", *info.GetTopLeft(), *info.GetTopRight(), *info.GetBottomLeft())
	}
	return s
}

// findPatternsPixels is the pixel-by-pixel loop findPatterns replaced, as
// it was when TestFindPatternsMatchesGozxing was written (gozxing's loop),
// on the same patternFinder with the frames' rule: the reference.
func findPatternsPixels(bits *gozxing.BitMatrix) (info *detector.FinderPatternInfo, candidates []*detector.FinderPattern) {
	f := newPatternFinder(bits, patternRule{fits: stretchedFits})
	maxI, maxJ := bits.GetHeight(), bits.GetWidth()
	iSkip := max((3*maxI)/(4*detector.FinderPatternFinder_MAX_MODULES), detector.FinderPatternFinder_MIN_SKIP)
	done := false
	stateCount := make([]int, 5)
	for i := iSkip - 1; i < maxI && !done; i += iSkip {
		if len(f.possibleCenters) > maxCandidates {
			return nil, f.possibleCenters
		}
		detector.FinderPatternFinder_ClearCounts(stateCount)
		state := 0
		for j := 0; j < maxJ; j++ {
			if bits.Get(j, i) { // black
				if state&1 == 1 {
					state++
				}
				stateCount[state]++
				continue
			}
			if state&1 == 1 { // white after white
				stateCount[state]++
				continue
			}
			if state != 4 {
				state++
				stateCount[state]++
				continue
			}
			// End of a black-white-black-white-black run: a finder pattern?
			if !detector.FinderPatternFinder_foundPatternCross(stateCount) || !f.handlePossibleCenter(stateCount, i, j) {
				detector.FinderPatternFinder_ShiftCounts2(stateCount)
				state = 3
				continue
			}
			iSkip = 2
			if f.hasSkipped {
				done = f.haveMultiplyConfirmedCenters()
			} else {
				rowSkip := f.findRowSkip()
				if rowSkip > stateCount[2] {
					i += rowSkip - stateCount[2] - iSkip
					j = maxJ - 1
				}
			}
			state = 0
			detector.FinderPatternFinder_ClearCounts(stateCount)
		}
		if detector.FinderPatternFinder_foundPatternCross(stateCount) && f.handlePossibleCenter(stateCount, i, maxJ) {
			iSkip = stateCount[0]
			if f.hasSkipped {
				done = f.haveMultiplyConfirmedCenters()
			}
		}
	}
	candidates = f.possibleCenters
	if len(candidates) > maxCandidates {
		return nil, candidates
	}
	best, ok := bestTriple(f.possibleCenters)
	if !ok {
		return nil, candidates
	}
	bl, tl, tr := gozxing.ResultPoint_OrderBestPatterns(best[0], best[1], best[2])
	return detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), tr.(*detector.FinderPattern)), candidates
}

// TestFindPatternsStretched checks that a code seen on a card tilted
// steeply about an upright or a level axis, its modules up to twice as
// tall as wide or the other way round, has its three finder patterns
// found and is read, where gozxing's rule (the vertical size within 40%
// of the row's) finds none of them (wild seed 97's card 183, read by zbar
// and zxing-cpp, was such a code).
func TestFindPatternsStretched(t *testing.T) {
	text := "BG1:" + strings.Repeat("K", 30)
	code, err := qrtest.Code(text)
	if err != nil {
		t.Fatal(err)
	}
	d := New()
	defer d.Close()
	for _, m := range []struct{ w, h float64 }{{3, 5.4}, {5.4, 3}, {2.5, 4.8}, {4, 6}} {
		const width, height = 640, 480
		f := &kiosk.Frame{Pix: make([]byte, width*height), Width: width, Height: height, Stride: width}
		x0, y0 := 100.0, 60.0
		for y := range height {
			for x := range width {
				u, v := int((float64(x)-x0)/m.w), int((float64(y)-y0)/m.h)
				dark := float64(x) >= x0 && float64(y) >= y0 && v < len(code) && u < len(code) && code[v][u]
				f.Pix[y*width+x] = 215
				if dark {
					f.Pix[y*width+x] = 35
				}
			}
		}
		bits := hybridBits(t, f)
		_, strict, _ := findPatterns(bits, gozxingRule)
		info, cands, _ := findPatterns(bits, frameRule)
		if len(strict) != 0 || info == nil || confirmedCount(cands) != 3 {
			t.Errorf("modules %vx%v px: %d patterns under gozxing's rule (want 0), %d confirmed here (want 3): %s",
				m.w, m.h, len(strict), confirmedCount(cands), describe(info, cands))
		}
		texts := decodeOnce(t, d, f)
		if len(texts) != 1 || texts[0] != text {
			t.Errorf("modules %vx%v px: read %q", m.w, m.h, texts)
		}
	}
}

// frameGray returns frame f's gray levels as the passes read them.
func frameGray(t *testing.T, f *kiosk.Frame) *grayLuminance {
	t.Helper()
	src, err := newGrayLuminance(f.Pix, f.Width, f.Height, f.Stride)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// hybridBits binarizes frame f as the first pass does.
func hybridBits(t *testing.T, f *kiosk.Frame) *gozxing.BitMatrix {
	t.Helper()
	bits, err := newHybridBinarizer(frameGray(t, f)).GetBlackMatrix()
	if err != nil {
		t.Fatal(err)
	}
	return bits
}
