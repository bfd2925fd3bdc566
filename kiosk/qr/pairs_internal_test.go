package qr

import (
	"fmt"
	"math"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// TestGuesses: of any two of a code's three finder patterns, one of the
// six guesses puts the third where it is, at the right corner, and
// measures the code's side between the patterns' centers.
func TestGuesses(t *testing.T) {
	// A code turned 30°, its patterns' centers 100 px apart (module 4 px:
	// 25 modules between centers, dimension 32 + 1 = 33 with 7).
	rad := 30 * math.Pi / 180
	u := point{100 * math.Cos(rad), 100 * math.Sin(rad)} // along the top edge
	v := point{-u.y, u.x}                                // down the left edge (y down)
	tl := point{200, 150}
	tr := point{tl.x + u.x, tl.y + u.y}
	bl := point{tl.x + v.x, tl.y + v.y}
	for _, c := range []struct {
		name   string
		a, b   point
		corner int // where the guessed pattern is: 0 top-left, 1 top-right, 3 bottom-left
	}{
		{"top-left and top-right", tl, tr, 3},
		{"top-right and top-left", tr, tl, 3},
		{"top-left and bottom-left", tl, bl, 1},
		{"bottom-left and top-left", bl, tl, 1},
		{"top-right and bottom-left", tr, bl, 0},
		{"bottom-left and top-right", bl, tr, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			found := 0
			for _, g := range guesses(c.a, c.b, 4) {
				if close2(g.tl, tl) && close2(g.tr, tr) && close2(g.bl, bl) {
					found++
					if g.corner != c.corner {
						t.Errorf("guessed corner %d, want %d", g.corner, c.corner)
					}
					if math.Abs(g.across-25) > 1e-9 {
						t.Errorf("%.3f modules across, want 25", g.across)
					}
				}
			}
			if found != 1 {
				t.Errorf("%d guesses put the patterns where they are, want 1", found)
			}
		})
	}
}

func close2(a, b point) bool { return dist2(a, b) < 1e-9 }

// TestCentersOutline: the outline of a code from its patterns' centers is
// 3.5 modules out from each.
func TestCentersOutline(t *testing.T) {
	// Dimension 21, module 10 px, upright at (100, 100).
	c := centersOutline(point{135, 135}, point{275, 135}, point{135, 275}, 14)
	want := [4]point{{100, 100}, {310, 100}, {310, 310}, {100, 310}}
	for k := range c {
		if !close2(c[k], want[k]) {
			t.Errorf("corner %d at %v, want %v", k, c[k], want[k])
		}
	}
}

// TestPairFrames: wild printed cards whose code shows two finder
// patterns to the finder and not the third (a highlight over it, wild
// seed 223's card 43, or a pattern blurred or rounded past the finder's
// ratios), read only through the guesses, exactly.
func TestPairFrames(t *testing.T) {
	d := slowTestDecoder(t)
	for _, c := range []struct {
		seed uint64
		i    int
	}{
		{1, 69}, {7, 122}, {11, 88}, {11, 158}, {17, 0}, {211, 1}, {223, 43}, {223, 145},
	} {
		eachWildCard(t, c.seed, []int{c.i}, func(i int, s qrtest.WildScene, f *kiosk.Frame, text string) {
			name := fmt.Sprintf("wild seed %d card %d", c.seed, i)
			checkReadOnlyWith(t, d, f, text, name, &pairGuessing, "the guesses")
		})
	}
}

// TestPairsHighlight: a code whose top-right finder pattern is under a
// highlight (its dark modules lighter than the light ones elsewhere) is
// not read by the first pass, whose finder sees two patterns; the
// guesses on the first pass's bits read it, exactly.
func TestPairsHighlight(t *testing.T) {
	text := "BG1:HIGHLIGHT-ON-A-PATTERN"
	truth := [4]point{{170, 90}, {470, 110}, {455, 400}, {150, 380}}
	g, dim := renderCode(t, text, truth)
	module := math.Sqrt(dist2(truth[0], truth[1])) / float64(dim)
	// The highlight: centered on the top-right pattern, a disc 5 modules
	// across that adds up to 230 gray levels, fading to nothing at 9.
	cx, cy := truth[1].x-3.5*module, truth[1].y+3.5*module
	w, h := g.GetWidth(), g.GetHeight()
	for y := range h {
		for x := range w {
			r := math.Hypot(float64(x)-cx, float64(y)-cy) / module
			k := 1 - 0.7*math.Max(0, math.Min(1, (9-r)/4))
			p := &g.pix[y*g.stride+x]
			*p = byte(255 - (255-float64(*p))*k)
		}
	}
	first := scanImage(newHybridBinarizer(g), firstTries)
	if len(first.texts) > 0 {
		t.Fatalf("the first pass read %q: not a frame for this test", first.texts)
	}
	if first.confirmed < 2 {
		t.Fatalf("the first pass confirmed %d patterns, want the two out of the highlight", first.confirmed)
	}
	if got := first.guessThird(); len(got) != 1 || got[0] != text {
		t.Errorf("the guesses read %q, want %q", got, text)
	}
	// Nothing like a code: no pair, no read.
	blank, _ := newGrayLuminance(make([]byte, w*h), w, h, w)
	empty := scanImage(newHybridBinarizer(blank), firstTries)
	if got := empty.guessThird(); got != nil {
		t.Errorf("read %q in a blank frame", got)
	}
}
