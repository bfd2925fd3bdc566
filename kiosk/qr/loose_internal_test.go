package qr

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// TestHalfPixelCross: runs within half a module of 1:1:3:1:1 pass both
// tests; runs off by up to half a pixel more pass only halfPixelCross,
// as the column through the blurred pattern of wild seed 17's card 190
// (an outer ring 1 px wide where its 20 px make 2.9 px modules); runs
// further off pass neither.
func TestHalfPixelCross(t *testing.T) {
	for _, c := range []struct {
		runs          []int
		strict, loose bool
	}{
		{[]int{2, 4, 8, 3, 3}, true, true},    // card 190's row
		{[]int{3, 3, 9, 4, 1}, false, true},   // card 190's column
		{[]int{1, 2, 3, 1, 1}, false, true},   // 1.1 px modules, one run of 2
		{[]int{4, 4, 12, 4, 4}, true, true},   // exact
		{[]int{2, 5, 7, 4, 2}, false, false},  // a ring 2.1 px too wide
		{[]int{6, 2, 6, 2, 2}, false, false},  // not a pattern
		{[]int{1, 1, 3, 1, 0}, false, false},  // a missing run
		{[]int{1, 1, 1, 1, 1}, false, false},  // under 7 px
		{[]int{3, 3, 13, 3, 3}, true, true},   // middle run within 1.5 modules
		{[]int{3, 3, 22, 3, 3}, false, true},  // middle run half a pixel longer
		{[]int{3, 3, 24, 3, 3}, false, false}, // middle run too long for both
	} {
		if got := detector.FinderPatternFinder_foundPatternCross(c.runs); got != c.strict {
			t.Errorf("%v: gozxing's test says %v, want %v", c.runs, got, c.strict)
		}
		if got := halfPixelCross(c.runs); got != c.loose {
			t.Errorf("%v: halfPixelCross says %v, want %v", c.runs, got, c.loose)
		}
	}
	// Every run gozxing takes, halfPixelCross takes: a loose pattern is
	// one gozxing's test alone rejects.
	runs := make([]int, 5)
	var walk func(k int)
	walk = func(k int) {
		if k == 5 {
			if detector.FinderPatternFinder_foundPatternCross(runs) && !halfPixelCross(runs) {
				t.Fatalf("%v: gozxing's test passes, halfPixelCross fails", runs)
			}
			return
		}
		for v := 0; v <= 12; v++ {
			runs[k] = v
			walk(k + 1)
		}
	}
	walk(0)
}

// TestLoosePatternsLeaveTheSearch: keeping the loose patterns changes
// nothing in the finder's search, whose row skips and confirmations decide
// what the passes after it do: on generated frames and wild cards, the
// candidates and the chosen triple are those of the same rule without
// them, and some frames do have loose patterns.
func TestLoosePatternsLeaveTheSearch(t *testing.T) {
	skipUnderRace(t)
	var frames []*kiosk.Frame
	rng := rand.New(rand.NewPCG(33, 1))
	for i := range 30 {
		f, err := qrtest.Render(qrtest.Random(rng, []string{qrtest.BadgeText(rng)}, float64(i)/30))
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, f)
	}
	cards := make([]int, 40)
	for i := range cards {
		cards[i] = i
	}
	eachWildCard(t, 17, cards, func(_ int, _ qrtest.WildScene, f *kiosk.Frame, _ string) {
		frames = append(frames, f)
	})
	withLoose := 0
	for i, f := range frames {
		bits := hybridBits(t, f)
		info, cands, loose := findPatterns(bits, frameRule)
		strictInfo, strictCands, none := findPatterns(bits, patternRule{fits: frameRule.fits})
		if got, want := describe(info, cands), describe(strictInfo, strictCands); got != want {
			t.Errorf("frame %d: with the loose patterns kept %s, without %s", i, got, want)
		}
		if none != nil {
			t.Errorf("frame %d: %d loose patterns kept by a rule that does not keep them", i, len(none))
		}
		if len(loose) > 0 {
			withLoose++
		}
	}
	if withLoose == 0 {
		t.Errorf("no loose pattern on %d frames: the test shows nothing", len(frames))
	}
}

// TestLoosePatternCards: wild cards on which one finder pattern passed
// gozxing's cross-checks on no row, blurred or rounded to whole pixels
// just past its ratios. In the first pass (seed 17's cards 34 and 190,
// which zxing-cpp reads, and seed 13's card 34, read before only by the
// frame binarized for low contrast after a weak hint), the finder saw two
// patterns and no code; with the half pixel of halfPixelCross the third
// is a loose pattern, the triple is the code's three (each within a
// module of where the generator drew it), and the first pass or the deep
// passes read the code through it. On seed 223's cards 9 and 164, which
// no other decoder reads, the same happens in a later pass's
// binarization (the faint pass, the frame binarized for low contrast).
// None of the five was read without the loose patterns.
func TestLoosePatternCards(t *testing.T) {
	d := slowTestDecoder(t)
	for _, c := range []struct {
		seed      uint64
		cards     []int
		firstPass bool // the loose pattern is found in the first pass
	}{
		{17, []int{34, 190}, true},
		{13, []int{34}, true},
		{223, []int{9, 164}, false},
	} {
		eachWildCard(t, c.seed, c.cards, func(i int, s qrtest.WildScene, f *kiosk.Frame, text string) {
			if c.firstPass {
				checkLooseTriple(t, fmt.Sprintf("seed %d card %d", c.seed, i), s, f)
			}
			checkRead(t, d, f, text, fmt.Sprintf("seed %d card %d", c.seed, i))
		})
	}
}

// checkLooseTriple checks that the first pass's finder sees no triple in
// frame f without the loose patterns, and the code's three with them.
func checkLooseTriple(t *testing.T, name string, s qrtest.WildScene, f *kiosk.Frame) {
	t.Helper()
	bits := hybridBits(t, f)
	_, cands, loose := findPatterns(bits, frameRule)
	if info, _, _ := findPatterns(bits, patternRule{fits: frameRule.fits}); info != nil || tiltedTriple(cands) != nil {
		t.Fatalf("%s: a triple without the loose patterns: not a frame for this test", name)
	}
	info, joined := looseTriple(cands, loose)
	if info == nil {
		t.Fatalf("%s: no triple with the %d loose patterns (candidates %s)", name, len(loose), describe(nil, cands))
	}
	truth, dim := trueOutline(t, s)
	side := float64(dim)
	centers := []float64{3.5, 3.5, side - 3.5, 3.5, 3.5, side - 3.5}
	outlineTransform(truth, dim).TransformPoints(centers)
	module := math.Sqrt(dist2(truth[0], truth[1])) / side
	for _, p := range []*detector.FinderPattern{info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft(), joined} {
		near := false
		for k := 0; k < len(centers); k += 2 {
			near = near || dist2(pt(p), point{centers[k], centers[k+1]}) < module*module
		}
		if !near {
			t.Errorf("%s: pattern at (%.1f, %.1f) is not one of the code's (%v)", name, p.GetX(), p.GetY(), centers)
		}
	}
}

// TestFaintLoosePatternCards: wild seed 7's card 23 and seed 29's card
// 119, which zxing-cpp reads, give the first pass no hint. At half size,
// binarized for low contrast, the faint pass shows no finder-like spot,
// only a loose pattern, and reads nothing; at full size it finds the
// code's three patterns and reads it. The loose pattern sends the frame
// to full size (scanFaint).
func TestFaintLoosePatternCards(t *testing.T) {
	d := slowTestDecoder(t)
	for _, c := range []struct {
		seed uint64
		card int
	}{{7, 23}, {29, 119}} {
		eachWildCard(t, c.seed, []int{c.card}, func(i int, s qrtest.WildScene, f *kiosk.Frame, text string) {
			src := frameGray(t, f)
			if first := scanImage(newHybridBinarizer(src), firstTries); len(first.texts) > 0 || first.hint() != hintNone {
				t.Fatalf("seed %d card %d: first pass read %q with hint %d: not a frame for this test", c.seed, i, first.texts, first.hint())
			}
			half := scanLowContrast(halveGray(src, nil), fewTries)
			if len(half.texts) > 0 || half.hint() != hintNone || half.loose == 0 {
				t.Fatalf("seed %d card %d: half size read %q with hint %d and %d loose patterns: not a frame for this test",
					c.seed, i, half.texts, half.hint(), half.loose)
			}
			checkRead(t, d, f, text, fmt.Sprintf("seed %d card %d", c.seed, i))
		})
	}
}
