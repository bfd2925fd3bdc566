package qr

import (
	"fmt"
	"math"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
	"github.com/makiuchi-d/gozxing/common"
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
		var anchors []anchor
		place := func(u, v float64) {
			du, dv := tc.bend(u, v)
			p := []float64{u + du, v + dv}
			tr.TransformPoints(p)
			anchors = append(anchors, anchor{u, v, p[0], p[1]})
		}
		// The finder patterns' corners and centers, as sampleBent takes them.
		for _, o := range [][2]float64{{0, 0}, {d - 7, 0}, {0, d - 7}} {
			for _, k := range [][2]float64{{0, 0}, {7, 0}, {0, 7}, {7, 7}, {3.5, 3.5}} {
				place(o[0]+k[0], o[1]+k[1])
			}
		}
		if tc.corner {
			place(d-6.5, d-6.5)
			place(d/2, d-6.5)
			place(d-6.5, d/2)
		}
		m, ok := fitBend(tr, back, d, anchors)
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
func TestSolve6(t *testing.T) {
	var a [6][6]float64
	want := [6]float64{1, -2, 3, 0.5, 0, -1}
	for i := range a {
		for j := range a[i] {
			a[i][j] = 1 / float64(i+j+1) // Hilbert: ill-conditioned, yet 6x6 solves
		}
		a[i][i] += 1
	}
	var b [6]float64
	for i := range a {
		for j := range a[i] {
			b[i] += a[i][j] * want[j]
		}
	}
	got, ok := solve6(a, b)
	for i := range got {
		if !ok || math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("solve6 = %v, %v; want %v", got, ok, want)
		}
	}
	var singular [6][6]float64
	if _, ok := solve6(singular, b); ok {
		t.Error("solve6 solved a singular system")
	}
}

// TestBentCards: printed cards bent like a cylinder (wild seed 1, cards
// only), whose three finder patterns the first pass finds but whose grid
// no perspective maps: no pass read them before the bent sampler (three
// of them only zbar read). Each is now read, exactly; most by the first
// pass.
func TestBentCards(t *testing.T) {
	if raceOn {
		t.Skip("too slow under the race detector: make test runs it without")
	}
	cards := []int{25, 46, 113, 127, 135, 137, 145, 153, 154, 156, 170, 178, 199}
	d := New()
	defer d.Close()
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
