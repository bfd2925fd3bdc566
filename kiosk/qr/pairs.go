package qr

import (
	"cmp"
	"math"
	"slices"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// Two finder patterns, the third guessed (issue 16).
//
// A highlight on a card, a thumb over a corner or a pattern blurred past
// the finder's ratios leaves a code with two finder patterns that the
// finder sees, and a third it does not (or a wrong spot in its place:
// wild seed 223's card 43, whose top-right pattern is under a highlight).
// Two patterns fix the code but for its side: they are two neighbouring
// corners of its square (the third pattern a quarter turn away, on
// either side) or two opposite ones (the third across the diagonal), six
// guesses in all. Each guess gives an outline at the dimension the
// patterns' distance measures and the versions beside it; the fitted
// outline (fitted.go) moves the guessed corner, then the fourth, until
// the modules every code of that version has fit, and the grid sampled
// through the best fit is decoded.
//
// The fit reads the binarized bits, not the gray levels: under a
// highlight the dark modules are lighter than the light ones elsewhere on
// the code, so no gray level splits them (the true outline of seed 223's
// card 43 scores 1.7 in gray, 3.8 on the hybrid binarizer's bits), while
// a local threshold still does.

// Limits of the guesses, from the codes they read: eight wild printed
// cards (seeds 1, 7, 11, 17, 211 and 223) and TestPairsHighlight's. Their
// guesses scored 0.92 to 7.2 as guessed (on every third known module),
// 1.8 to 7.2 after the guessed corner's search, and 4.2 or more at the
// end (fitMinScore; bits that split perfectly score 255), and ranked
// first to ninth of up to nine guesses as guessed.
const (
	pairStartScore = 0.9
	pairFirstScore = 1.5
	// pairMaxRatio bounds the ratio of the two patterns' module sizes.
	pairMaxRatio = 1.5
	// pairMinRows is the least number of rows the two patterns were seen
	// on together: two spots seen on one row each are texture more often.
	pairMinRows = 3
	// The patterns' distance in modules: 14 to 170 for two neighbouring
	// corners (versions 1 to 40), times 1.41 for opposite ones.
	pairMinAcross, pairMaxAcross = 10, 180
	// The guesses are scored as guessed on every third known module
	// (pairStartStride); the guessed corner of the best sixteen
	// (pairFirstSearches) is searched on those modules too, and only the
	// best of them further, on every known module: that search costs a
	// few hundred scores, up to 3 ms on a version 10 code here. The best
	// guess as guessed is not always the right one: the code turned a
	// quarter (the same square, the guessed pattern at its other free
	// corner) scores about as well, and scored best on a card with a
	// highlight over a pattern (TestPairsHighlight). On the cards of wild
	// seeds 1, 7, 11, 211 and 223 (1,000), the best eight read one fewer
	// (seed 11's card 158) than the best sixteen or all, within the noise
	// of the time.
	pairStartStride   = 3
	pairFirstSearches = 16
)

// guessThird reads the code of which two of the finder patterns s found
// (candidates or loose ones) are two, guessing the third: the code's text,
// or nil.
func (s scan) guessThird() []string {
	if text, ok := decodePairs(s.bits, patternsOf(s.found, s.foundLoose)); ok {
		return []string{text}
	}
	return nil
}

// pairGuessing is switched off only by the tests that show which frames
// the guesses read (TestPairFrames).
var pairGuessing = true

// decodePairs reads the code of which two of patterns, found on bits,
// are finder patterns, guessing the third (above). It returns false when
// none reads.
func decodePairs(bits *gozxing.BitMatrix, patterns []*detector.FinderPattern) (string, bool) {
	if !pairGuessing || bits == nil || len(patterns) < 2 || len(patterns) > maxCandidates {
		return "", false
	}
	type start struct {
		f     *fit
		c     [4]point
		g     guess
		score float64
	}
	var starts []start
	fits := map[int]*fit{}
	for i, a := range patterns {
		for _, b := range patterns[i+1:] {
			ma, mb := a.GetEstimatedModuleSize(), b.GetEstimatedModuleSize()
			module := (ma + mb) / 2
			if module < 1 || max(ma, mb) > pairMaxRatio*min(ma, mb) || a.GetCount()+b.GetCount() < pairMinRows {
				continue
			}
			pa, pb := pt(a), pt(b)
			if across := math.Sqrt(dist2(pa, pb)) / module; across < pairMinAcross || across > pairMaxAcross {
				continue
			}
			for _, g := range guesses(pa, pb, module) {
				dim := dimensionAcross(g.across)
				for _, d := range []int{dim, dim - 4, dim + 4} {
					f, ok := fits[d]
					if !ok {
						f, _ = newBitsFit(bits, d)
						if f != nil {
							f = f.sparse(pairStartStride)
						}
						fits[d] = f
					}
					if f == nil {
						continue
					}
					c := centersOutline(g.tl, g.tr, g.bl, float64(d-7))
					if s, _, _, ok := f.score(c); ok && s >= pairStartScore {
						starts = append(starts, start{f, c, g, s})
					}
				}
			}
		}
	}
	slices.SortFunc(starts, func(a, b start) int { return cmp.Compare(b.score, a.score) })
	// The best guesses as guessed have their guessed corner searched on
	// the sparse fit, and the best of those is searched further.
	best, bestScore := -1, pairFirstScore
	for i := range starts[:min(len(starts), pairFirstSearches)] {
		s := &starts[i]
		c, score, ok := s.f.searchCornerAt(s.c, s.g.corner, fitSpan, 1)
		if ok && score >= bestScore {
			s.c, best, bestScore = c, i, score
		}
	}
	if best < 0 {
		return "", false
	}
	s := starts[best]
	f, _ := newBitsFit(bits, s.f.dim)
	return searchGuess(f, s.c, s.g.corner)
}

// guess is an outline guessed from two finder patterns: the three
// patterns' centers, which corner of the code the guessed one is at, and
// the distance of the two seen ones in modules across the code's side.
type guess struct {
	tl, tr, bl point
	corner     int
	across     float64
}

// guesses returns the six guesses for the patterns at a and b, module
// pixels wide. In the image (y down), the bottom-left pattern is a
// quarter turn clockwise from the top-right one around the top-left one.
func guesses(a, b point, module float64) [6]guess {
	cw := func(p point) point { return point{-p.y, p.x} }
	ccw := func(p point) point { return point{p.y, -p.x} }
	sub := func(p, q point) point { return point{p.x - q.x, p.y - q.y} }
	add := func(p, q point) point { return point{p.x + q.x, p.y + q.y} }
	across := math.Sqrt(dist2(a, b)) / module
	var gs [6]guess
	for k, p := range [2][2]point{{a, b}, {b, a}} {
		p0, p1 := p[0], p[1]
		mid := point{(p0.x + p1.x) / 2, (p0.y + p1.y) / 2}
		gs[3*k] = guess{tl: p0, tr: p1, bl: add(p0, cw(sub(p1, p0))), corner: 3, across: across}
		gs[3*k+1] = guess{tl: p0, tr: add(p0, ccw(sub(p1, p0))), bl: p1, corner: 1, across: across}
		gs[3*k+2] = guess{tl: add(mid, ccw(sub(p0, mid))), tr: p0, bl: p1, corner: 0, across: across / math.Sqrt2}
	}
	return gs
}

// searchGuess moves the guessed corner (corner) of the outline c, then
// the bottom-right one, until the fit f's known modules fit the bits, and
// decodes the grid sampled through the result.
func searchGuess(f *fit, c [4]point, corner int) (string, bool) {
	c, _, _ = f.searchCornerAt(c, 2, fitSpan, 1)
	c, _, _ = f.searchCornerAt(c, corner, 1, 0.5)
	c, score, _ := f.searchCornerAt(c, 2, 1, 0.5)
	if c, score = f.refine(c, score); score < fitMinScore {
		return "", false
	}
	text, read, _ := decodeSampled(f.bits, outlineTransform(c, f.dim), f.dim)
	return text, read
}
