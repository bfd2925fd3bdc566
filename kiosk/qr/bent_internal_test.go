package qr

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
)

// TestFitBend: the correction fitted to anchors drawn from a known bend
// maps the whole grid where that bend does, within a tenth of a module;
// with no bend it is the perspective transform itself; without anchors
// in the code's bottom-right quarter, the term they alone would pin (uv)
// stays near zero instead of taking any value.
func TestFitBend(t *testing.T) {
	const d = 45.0
	// A code 400 px wide seen in mild perspective.
	c := [4]point{{100, 50}, {480, 70}, {470, 440}, {90, 420}}
	tr := common.PerspectiveTransform_QuadrilateralToQuadrilateral(0, 0, d, 0, d, d, 0, d,
		c[0].x, c[0].y, c[1].x, c[1].y, c[2].x, c[2].y, c[3].x, c[3].y)
	back := common.PerspectiveTransform_QuadrilateralToQuadrilateral(
		c[0].x, c[0].y, c[1].x, c[1].y, c[2].x, c[2].y, c[3].x, c[3].y, 0, 0, d, 0, d, d, 0, d)
	for _, tc := range []struct {
		name   string
		bend   func(u, v float64) (float64, float64) // module-space displacement
		corner bool                                  // anchors in the bottom-right quarter
	}{
		{"flat", func(u, v float64) (float64, float64) { return 0, 0 }, true},
		{"bent across", func(u, v float64) (float64, float64) { return 3 * (u / d) * (1 - u/d), 0 }, true},
		{"bent down", func(u, v float64) (float64, float64) { return 0, -2.5 * (v / d) * (1 - v/d) }, true},
		{"both, corners only", func(u, v float64) (float64, float64) {
			return 2 * (u / d) * (1 - u/d), 1.5 * (v / d) * (1 - v/d)
		}, false},
	} {
		at := finderAnchorPoints(d)
		if tc.corner {
			at = append(at, point{d - 6.5, d - 6.5}, point{d / 2, d - 6.5}, point{d - 6.5, d / 2})
		}
		m, ok := fitBend(tr, back, d, bentAnchors(tr, tc.bend, at), 6)
		if !ok {
			t.Fatalf("%s: no fit", tc.name)
		}
		worst := 0.0
		for v := 0.5; v < d; v++ {
			for u := 0.5; u < d; u++ {
				if !tc.corner && (u > d/2 || v > d/2) {
					continue // nothing there pins the fit
				}
				du, dv := tc.bend(u, v)
				want := []float64{u + du, v + dv}
				tr.TransformPoints(want)
				x, y := m.at(u, v)
				worst = max(worst, math.Hypot(x-want[0], y-want[1]))
			}
		}
		module := 400 / d
		if worst > 0.1*module {
			t.Errorf("%s: mapped %.2f px (%.2f modules) off at worst", tc.name, worst, worst/module)
		}
		if !tc.corner && math.Abs(m.cu[4])+math.Abs(m.cv[4]) > 0.5 {
			t.Errorf("%s: uv terms %.2f, %.2f with nothing to pin them", tc.name, m.cu[4], m.cv[4])
		}
	}
}

// TestSolve6 solves a known system and refuses a singular one.
// finderAnchorPoints returns the module coordinates of the finder
// patterns' corners and centers of a code of dimension d, as sampleBent
// takes them.
func finderAnchorPoints(d float64) []point {
	var ps []point
	for _, o := range []point{{0, 0}, {d - 7, 0}, {0, d - 7}} {
		for _, k := range []point{{0, 0}, {7, 0}, {0, 7}, {7, 7}, {3.5, 3.5}} {
			ps = append(ps, point{o.x + k.x, o.y + k.y})
		}
	}
	return ps
}

// bentAnchors returns anchors at the module coordinates at, placed in the
// image where the module-space displacement bend, then tr, puts them.
func bentAnchors(tr *common.PerspectiveTransform, bend func(u, v float64) (float64, float64), at []point) []anchor {
	var anchors []anchor
	for _, q := range at {
		du, dv := bend(q.x, q.y)
		p := []float64{q.x + du, q.y + dv}
		tr.TransformPoints(p)
		anchors = append(anchors, anchor{q.x, q.y, p[0], p[1]})
	}
	return anchors
}

// TestSolveBent solves a known system and refuses a singular one.
func TestSolveBent(t *testing.T) {
	var a [bentTerms][bentTerms]float64
	want := [bentTerms]float64{1, -2, 3, 0.5, 0, -1, 0.25, 2, -0.75, 1.5}
	for i := range a {
		for j := range a[i] {
			a[i][j] = 1 / float64(i+j+1) // Hilbert: ill-conditioned, yet it solves
		}
		a[i][i] += 1
	}
	var b [bentTerms]float64
	for i := range a {
		for j := range a[i] {
			b[i] += a[i][j] * want[j]
		}
	}
	got, ok := solveBent(a, b)
	for i := range got {
		if !ok || math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("solveBent = %v, %v; want %v", got, ok, want)
		}
	}
	var singular [bentTerms][bentTerms]float64
	if _, ok := solveBent(singular, b); ok {
		t.Error("solveBent solved a singular system")
	}
}

// TestFitBendCubic: a bend of the third order (a card curled toward one
// edge), seen through the finder patterns' anchors and three alignment
// patterns, is followed within a tenth of a module by the third-order
// fit, and missed by more than half a module by the second-order one.
func TestFitBendCubic(t *testing.T) {
	const d = 45.0
	tr := common.PerspectiveTransform_QuadrilateralToQuadrilateral(0, 0, d, 0, d, d, 0, d, 100, 50, 500, 50, 500, 450, 100, 450)
	back := common.PerspectiveTransform_QuadrilateralToQuadrilateral(100, 50, 500, 50, 500, 450, 100, 450, 0, 0, d, 0, d, d, 0, d)
	bend := func(u, v float64) (float64, float64) { x := u / d; return 0, 8 * x * x * x }
	anchors := bentAnchors(tr, bend, append(finderAnchorPoints(d), alignmentOrder([]int{6, 22, 38}, int(d))...))
	worst := func(terms int) float64 {
		m, ok := fitBend(tr, back, d, anchors, terms)
		if !ok {
			t.Fatalf("no fit with %d terms", terms)
		}
		w := 0.0
		for v := 0.5; v < d; v++ {
			for u := 0.5; u < d; u++ {
				du, dv := bend(u, v)
				p := []float64{u + du, v + dv}
				tr.TransformPoints(p)
				x, y := m.at(u, v)
				w = max(w, math.Hypot(x-p[0], y-p[1])/(400/d))
			}
		}
		return w
	}
	if w := worst(bentTerms); w > 0.1 {
		t.Errorf("third order: %.2f modules off somewhere, want at most 0.1", w)
	}
	if w := worst(6); w < 0.5 {
		t.Errorf("second order: %.2f modules off at worst; the bend is not one it misses, the test proves nothing", w)
	}
}

// TestAlignmentOrder: the alignment patterns of a version 7 code, none
// under a finder pattern, the four beside the finder patterns first and
// the one opposite the top-left pattern last.
func TestAlignmentOrder(t *testing.T) {
	got := alignmentOrder([]int{6, 22, 38}, 45)
	if len(got) != 6 {
		t.Fatalf("%d patterns, want 6: %v", len(got), got)
	}
	for _, p := range got[:4] {
		if p != (point{22.5, 6.5}) && p != (point{6.5, 22.5}) && p != (point{38.5, 22.5}) && p != (point{22.5, 38.5}) {
			t.Errorf("%v among the first four, want only those beside a finder pattern: %v", p, got)
		}
	}
	if got[4] != (point{22.5, 22.5}) || got[5] != (point{38.5, 38.5}) {
		t.Errorf("last two %v, want the middle then the bottom-right", got[4:])
	}
}

// TestTiles: the mapping moved by the alignment patterns' offsets passes
// through every pattern found, keeps the fitted mapping at the finder
// patterns and beyond them (the offsets held constant outward), and,
// where no pattern was found, moves by the known offsets weighted by
// distance: between the nearest ones.
func TestTiles(t *testing.T) {
	const d = 45.0
	tr := common.PerspectiveTransform_QuadrilateralToQuadrilateral(0, 0, d, 0, d, d, 0, d, 0, 0, 5*d, 0, 5*d, 5*d, 0, 5*d)
	m := &bentMapping{t: tr, d: d}
	found := []anchor{
		{22.5, 6.5, 5*22.5 + 3, 5 * 6.5},   // 3 px right
		{38.5, 38.5, 5 * 38.5, 5*38.5 - 4}, // 4 px up
		{6.5, 22.5, 5*6.5 - 2, 5*22.5 + 2}, // left and down
		{99, 99, 0, 0},                     // not an alignment pattern's place: ignored
	}
	tl := newTiles(m, []int{6, 22, 38}, found)
	near := func(name string, gx, gy, wx, wy float64) {
		t.Helper()
		if math.Hypot(gx-wx, gy-wy) > 1e-9 {
			t.Errorf("%s: (%.3f, %.3f), want (%.3f, %.3f)", name, gx, gy, wx, wy)
		}
	}
	for _, a := range found[:3] {
		x, y := tl.at(a.u, a.v)
		near(fmt.Sprintf("found (%.1f, %.1f)", a.u, a.v), x, y, a.x, a.y)
	}
	for _, f := range []point{{6.5, 6.5}, {38.5, 6.5}, {6.5, 38.5}, {0, 0}, {44.5, 0.5}, {0.5, 44.5}} {
		x, y := tl.at(f.x, f.y)
		near(fmt.Sprintf("finder (%.1f, %.1f)", f.x, f.y), x, y, 5*f.x, 5*f.y)
	}
	// Halfway between the top-left finder and the first pattern: half
	// its offset.
	x, y := tl.at(14.5, 6.5)
	near("halfway", x, y, 5*14.5+1.5, 5*6.5)
	// The middle, not found: an average of the offsets around it, each
	// within the known ones.
	x, y = tl.at(22.5, 22.5)
	if dx, dy := x-5*22.5, y-5*22.5; dx < -2 || dx > 3 || dy < -4 || dy > 2 || dx == 0 && dy == 0 {
		t.Errorf("middle moved by (%.2f, %.2f), want a weighted mean of the offsets found", dx, dy)
	}
}

// TestVersionDimension reads the version information of codes of
// versions 8, 11 and 18, upright and mirrored, through a mapping of their
// grid, and gives their dimension; on a version 1 code, which carries no
// version information, it gives none.
func TestVersionDimension(t *testing.T) {
	for _, tc := range []struct {
		text   string
		mirror bool
	}{
		{strings.Repeat("badgeuse ", 9), false},   // version 8 at level H
		{strings.Repeat("badgeuse ", 15), true},   // version 11
		{strings.Repeat("coworking ", 30), false}, // version 18
	} {
		code, err := encoder.Encoder_encode(tc.text, decoder.ErrorCorrectionLevel_H, nil)
		if err != nil {
			t.Fatal(err)
		}
		mx := code.GetMatrix()
		dim := mx.GetWidth()
		const px, margin = 4, 4
		bits, _ := gozxing.NewBitMatrix((dim+2*margin)*px, (dim+2*margin)*px)
		for y := range dim {
			for x := range dim {
				dark := mx.Get(x, y) == 1
				if tc.mirror {
					dark = mx.Get(y, x) == 1
				}
				if dark {
					bits.SetRegion((x+margin)*px, (y+margin)*px, px, px)
				}
			}
		}
		o := float64(margin * px)
		s := float64(dim * px)
		fd := float64(dim)
		m := &bentMapping{t: common.PerspectiveTransform_QuadrilateralToQuadrilateral(0, 0, fd, 0, fd, fd, 0, fd, o, o, o+s, o, o+s, o+s, o, o+s), d: fd}
		if got, ok := versionDimension(bits, m, dim); !ok || got != dim {
			t.Errorf("version %d (mirrored %v): %d, %v; want %d", code.GetVersion().GetVersionNumber(), tc.mirror, got, ok, dim)
		}
	}
	code, err := encoder.Encoder_encode("v1", decoder.ErrorCorrectionLevel_L, nil)
	if err != nil {
		t.Fatal(err)
	}
	mx := code.GetMatrix()
	bits, _ := gozxing.NewBitMatrix(21*4, 21*4)
	for y := range 21 {
		for x := range 21 {
			if mx.Get(x, y) == 1 {
				bits.SetRegion(x*4, y*4, 4, 4)
			}
		}
	}
	m := &bentMapping{t: common.PerspectiveTransform_QuadrilateralToQuadrilateral(0, 0, 21, 0, 21, 21, 0, 21, 0, 0, 84, 0, 84, 84, 0, 84), d: 21}
	if got, ok := versionDimension(bits, m, 21); ok {
		t.Errorf("version 1: read dimension %d from its data", got)
	}
}

// TestAlignmentPatternCards: printed cards that zbar or zxing-cpp read
// and no pass here did, read since the bent sampler follows the
// alignment patterns. Three are bent more than the second-order
// correction follows (bend 0.12-0.17 of their width, versions 7 to 10),
// one of whose outline measured two versions too many; one is tilted 29°
// and blurred (motion 5.8 px, defocus 2 px), its modules 4.9 to 6.9 px,
// and needed the alignment patterns looked for with the module's size
// where each should be. Each is read, exactly.
func TestAlignmentPatternCards(t *testing.T) {
	d := slowTestDecoder(t)
	bent := func(s qrtest.WildScene) bool { return s.Bend >= 0.12 }
	tiltedBlurred := func(s qrtest.WildScene) bool { return s.Tilt >= 25 && s.Motion >= 5 }
	for _, c := range []struct {
		seed uint64
		card int
		is   func(qrtest.WildScene) bool
	}{{97, 158, bent}, {11, 169, bent}, {13, 109, bent}, {131, 110, tiltedBlurred}} {
		eachWildCard(t, c.seed, []int{c.card}, func(i int, s qrtest.WildScene, f *kiosk.Frame, text string) {
			name := fmt.Sprintf("wild seed %d card %d (bend %.2f, tilt %.0f°, motion %.1f px)", c.seed, i, s.Bend, s.Tilt, s.Motion)
			if !c.is(s) {
				t.Errorf("%s: not a frame for this test", name)
			}
			checkRead(t, d, f, text, name)
		})
	}
}

// TestBentCards: printed cards bent like a cylinder (wild seed 1, cards
// only), whose three finder patterns the first pass finds but whose grid
// no perspective maps: no pass read them before the bent sampler (three
// of them only zbar read). Each is now read, exactly; most by the first
// pass.
func TestBentCards(t *testing.T) {
	d := slowTestDecoder(t)
	cards := []int{25, 46, 113, 127, 135, 137, 145, 153, 154, 156, 170, 178, 199}
	first := 0
	eachWildCard(t, 1, cards, func(i int, s qrtest.WildScene, f *kiosk.Frame, text string) {
		if s.Bend == 0 {
			t.Errorf("card %d: not bent, not a frame for this test", i)
		}
		if s := scanFrame(f, allTries); len(s.texts) > 0 {
			first++
		}
		checkRead(t, d, f, text, fmt.Sprintf("card %d (bend %.2f, tilt %.0f°)", i, s.Bend, s.Tilt))
	})
	t.Logf("%d of %d bent cards read by the first pass", first, len(cards))
	if first < bentFirstPassFloor {
		t.Errorf("the first pass read %d of the %d bent cards, want at least %d", first, len(cards), bentFirstPassFloor)
	}
}

// bentFirstPassFloor is a regression floor: the reads when it was set.
const bentFirstPassFloor = 11

// TestMappingRows: a row of a bent mapping, and of the tiles on it,
// gives each module's center where at puts it, to the bit, on a
// third-order fit to a bend seen in perspective.
func TestMappingRows(t *testing.T) {
	const d = 45.0
	tr := common.PerspectiveTransform_QuadrilateralToQuadrilateral(0, 0, d, 0, d, d, 0, d, 100, 60, 480, 40, 520, 470, 90, 430)
	back := common.PerspectiveTransform_QuadrilateralToQuadrilateral(100, 60, 480, 40, 520, 470, 90, 430, 0, 0, d, 0, d, d, 0, d)
	bend := func(u, v float64) (float64, float64) { x := u / d; return 0.5 * x * x, 6 * x * x * x }
	anchors := bentAnchors(tr, bend, append(finderAnchorPoints(d), alignmentOrder([]int{6, 22, 38}, int(d))...))
	m, ok := fitBend(tr, back, d, anchors, bentTerms)
	if !ok {
		t.Fatal("no fit")
	}
	found := []anchor{{22.5, 6.5, 300, 70}, {38.5, 38.5, 440, 400}, {6.5, 22.5, 130, 250}}
	for _, mp := range []mapping{m, newTiles(m, []int{6, 22, 38}, found)} {
		pts := make([]float64, 2*int(d))
		for y := 0; y < int(d); y++ {
			v := float64(y) + 0.5
			mp.row(v, pts)
			for x := 0; x < int(d); x++ {
				wx, wy := mp.at(float64(x)+0.5, v)
				if pts[2*x] != wx || pts[2*x+1] != wy {
					t.Fatalf("%T: module (%d, %d) at (%v, %v) in its row, (%v, %v) alone", mp, x, y, pts[2*x], pts[2*x+1], wx, wy)
				}
			}
		}
	}
}
