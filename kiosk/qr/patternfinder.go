package qr

import (
	"math"
	"slices"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// patternFinder is gozxing's FinderPatternFinder (a port of ZXing's,
// Apache License 2.0) with its rule made a parameter (patternRule): how
// far the vertical size of a finder pattern may differ from its
// horizontal one, and whether the patterns that pass the cross-checks
// only with half a pixel more slack are kept apart (halfPixelCross).
// gozxing rejects a pattern whose vertical cross-check is not within 40%
// of the row's run (0.6 to 1.4 times): a code on a card tilted by more
// than about 45° about an upright axis, whose modules are half again as
// tall as they are wide, has no finder pattern at all for it. Any line
// through the center of a pattern seen in perspective still crosses it
// 1:1:3:1:1 (the ratio tests stay as they are); only its sizes along
// two lines differ. The scans of frames take patterns up to
// stretchedPattern times taller or shorter than wide (README.md: finder
// patterns stretched by a steep tilt), and keep the loose patterns for
// the scan to use when the others make no code (README.md: finder
// patterns within half a pixel).
//
// Adapted from gozxing (MIT) and ZXing (Apache-2.0): see THIRD_PARTY_NOTICES.
type patternFinder struct {
	image           *gozxing.BitMatrix
	possibleCenters []*detector.FinderPattern
	hasSkipped      bool
	crossCheck      []int
	rule            patternRule
	// loose holds, with rule.keepLoose, the patterns that passed the
	// cross-checks only within halfPixelCross's slack, apart from
	// possibleCenters: they change nothing in the search.
	loose []*detector.FinderPattern
}

// patternRule is what a finder takes as a finder pattern.
type patternRule struct {
	// fits says whether a pattern whose row gave total pixels across may
	// be vertical pixels tall.
	fits func(vertical, total int) bool
	// keepLoose: also keep, apart, the patterns whose vertical and
	// horizontal cross-checks are within half a module and half a pixel
	// of 1:1:3:1:1 but not within half a module (halfPixelCross).
	keepLoose bool
}

var (
	// gozxingRule is gozxing's finder's: the outlined code's scan, the
	// multi-code reader and the tests that compare the port with gozxing.
	gozxingRule = patternRule{fits: gozxingFits}
	// frameRule is the scans of frames': stretched patterns, and the
	// loose ones kept apart.
	frameRule = patternRule{fits: stretchedFits, keepLoose: true}
)

// stretchedPattern is how many times taller or shorter than wide a finder
// pattern may be: a card tilted by 60° about an upright (or level) axis.
// On the printed cards of wild seeds 1, 97 and 131, 1.8 to 3.2 read the
// same codes; 2 leaves the fewest finder-like spots on empty frames.
const stretchedPattern = 2

// stretchedFits is findPatterns' rule: within stretchedPattern times.
func stretchedFits(vertical, total int) bool {
	return vertical <= stretchedPattern*total && stretchedPattern*vertical >= total
}

// gozxingFits is gozxing's rule (0.6 to 1.4 times): the outlined code's
// scan and the multi-code reader keep it (scanOutlined, findMultiPatterns),
// and the tests check the port against gozxing with it.
func gozxingFits(vertical, total int) bool {
	return 5*abs(vertical-total) < 2*total
}

func newPatternFinder(bits *gozxing.BitMatrix, rule patternRule) *patternFinder {
	return &patternFinder{image: bits, crossCheck: make([]int, 5), rule: rule}
}

// halfPixelCross is gozxing's FinderPatternFinder_foundPatternCross with
// half a pixel more on each run: the five runs (total t) within half a
// module and half a pixel of 1:1:3:1:1, |t/7 - c| < t/14 + 1/2, that is
// 2|t - 7c| < t + 7 (3t + 7 for the middle run). zxing-cpp allows that
// half pixel (its IsPattern) so that rounding to whole pixels does not
// reject patterns of small modules: on a blurred code of 3 px modules,
// the binarizer leaves an outer ring 1 px wide on one side, 1.9 px from
// the module size when gozxing allows 1.4.
func halfPixelCross(c []int) bool { return ratiosWithin(c, 7) }

// clearedCrossCheck returns the cross-check counts, zeroed.
func (f *patternFinder) clearedCrossCheck() []int {
	clear(f.crossCheck)
	return f.crossCheck
}

// crossCheckDiagonal checks the 1:1:3:1:1 ratios on the diagonal through
// the center, up-left then down-right.
func (f *patternFinder) crossCheckDiagonal(centerI, centerJ int) bool {
	c := f.clearedCrossCheck()
	img := f.image
	i := 0
	for centerI >= i && centerJ >= i && img.Get(centerJ-i, centerI-i) {
		c[2]++
		i++
	}
	if c[2] == 0 {
		return false
	}
	for centerI >= i && centerJ >= i && !img.Get(centerJ-i, centerI-i) {
		c[1]++
		i++
	}
	if c[1] == 0 {
		return false
	}
	for centerI >= i && centerJ >= i && img.Get(centerJ-i, centerI-i) {
		c[0]++
		i++
	}
	if c[0] == 0 {
		return false
	}
	maxI, maxJ := img.GetHeight(), img.GetWidth()
	i = 1
	for centerI+i < maxI && centerJ+i < maxJ && img.Get(centerJ+i, centerI+i) {
		c[2]++
		i++
	}
	for centerI+i < maxI && centerJ+i < maxJ && !img.Get(centerJ+i, centerI+i) {
		c[3]++
		i++
	}
	if c[3] == 0 {
		return false
	}
	for centerI+i < maxI && centerJ+i < maxJ && img.Get(centerJ+i, centerI+i) {
		c[4]++
		i++
	}
	if c[4] == 0 {
		return false
	}
	return detector.FinderPatternFinder_foundPatternDiagonal(c)
}

// crossFit is how well the runs across a pattern fit 1:1:3:1:1.
type crossFit int

const (
	noFit    crossFit = iota
	looseFit          // within halfPixelCross's slack only, with rule.keepLoose
	strictFit
)

// ratioFit grades the five runs c.
func (f *patternFinder) ratioFit(c []int) crossFit {
	switch {
	case detector.FinderPatternFinder_foundPatternCross(c):
		return strictFit
	case f.rule.keepLoose && halfPixelCross(c):
		return looseFit
	}
	return noFit
}

// crossCheckVertical counts the runs up and down column centerJ from row
// startI and returns the pattern's vertical center (NaN when noFit) and
// how well the runs fit. Each outer run may be as long as the row's
// middle run (maxCount); the total must fit the row's (the rule's fits).
func (f *patternFinder) crossCheckVertical(startI, centerJ, maxCount, originalStateCountTotal int) (float64, crossFit) {
	c, end, ok := f.crossRuns(centerJ, startI, 0, 1, maxCount)
	if !ok || !f.rule.fits(c[0]+c[1]+c[2]+c[3]+c[4], originalStateCountTotal) {
		return math.NaN(), noFit
	}
	fit := f.ratioFit(c)
	if fit == noFit {
		return math.NaN(), noFit
	}
	return detector.FinderPatternFinder_centerFromEnd(c, end), fit
}

// crossCheckHorizontal counts the runs left and right of startJ on row
// centerI (the vertical center) and returns the horizontal center (NaN
// when noFit) and how well the runs fit: the total within 20% of the
// first row's.
func (f *patternFinder) crossCheckHorizontal(startJ, centerI, maxCount, originalStateCountTotal int) (float64, crossFit) {
	c, end, ok := f.crossRuns(startJ, centerI, 1, 0, maxCount)
	if !ok || 5*abs(c[0]+c[1]+c[2]+c[3]+c[4]-originalStateCountTotal) >= originalStateCountTotal {
		return math.NaN(), noFit
	}
	fit := f.ratioFit(c)
	if fit == noFit {
		return math.NaN(), noFit
	}
	return detector.FinderPatternFinder_centerFromEnd(c, end), fit
}

// crossRuns counts, from pixel (x, y) along the row (dx 1) or the column
// (dy 1), the black middle run both ways, then the white and black runs
// before it and after it, as gozxing's cross-checks do: an outer run
// longer than maxCount (at most maxCount-1 after the middle) or the
// image's edge fails. It returns the five counts and the coordinate along
// the line where the last run ends.
func (f *patternFinder) crossRuns(x, y, dx, dy, maxCount int) (c []int, end int, ok bool) {
	img := f.image
	w, h := img.GetWidth(), img.GetHeight()
	in := func(x, y int) bool { return x >= 0 && y >= 0 && x < w && y < h }
	c = f.clearedCrossCheck()
	i, j := x, y
	for in(i, j) && img.Get(i, j) {
		c[2]++
		i, j = i-dx, j-dy
	}
	if !in(i, j) {
		return c, 0, false
	}
	for in(i, j) && !img.Get(i, j) && c[1] <= maxCount {
		c[1]++
		i, j = i-dx, j-dy
	}
	if !in(i, j) || c[1] > maxCount {
		return c, 0, false
	}
	for in(i, j) && img.Get(i, j) && c[0] <= maxCount {
		c[0]++
		i, j = i-dx, j-dy
	}
	if c[0] > maxCount {
		return c, 0, false
	}
	i, j = x+dx, y+dy
	for in(i, j) && img.Get(i, j) {
		c[2]++
		i, j = i+dx, j+dy
	}
	if !in(i, j) {
		return c, 0, false
	}
	for in(i, j) && !img.Get(i, j) && c[3] < maxCount {
		c[3]++
		i, j = i+dx, j+dy
	}
	if !in(i, j) || c[3] >= maxCount {
		return c, 0, false
	}
	for in(i, j) && img.Get(i, j) && c[4] < maxCount {
		c[4]++
		i, j = i+dx, j+dy
	}
	if c[4] >= maxCount {
		return c, 0, false
	}
	return c, i*dx + j*dy, true
}

// handlePossibleCenter checks the row's black-white-black-white-black
// runs ending at column j of row i across (vertically, horizontally
// again, diagonally) and records the pattern, merged with a nearby one of
// about the same module size. It returns whether the runs were a pattern.
// Runs that fit across only within halfPixelCross's slack go to f.loose
// and count as no pattern: the search goes on as gozxing's.
func (f *patternFinder) handlePossibleCenter(stateCount []int, i, j int) bool {
	total := stateCount[0] + stateCount[1] + stateCount[2] + stateCount[3] + stateCount[4]
	centerJ := detector.FinderPatternFinder_centerFromEnd(stateCount, j)
	centerI, fitV := f.crossCheckVertical(i, int(centerJ), stateCount[2], total)
	if fitV == noFit {
		return false
	}
	centerJ, fitH := f.crossCheckHorizontal(int(centerJ), int(centerI), stateCount[2], total)
	if fitH == noFit || !f.crossCheckDiagonal(int(centerI), int(centerJ)) {
		return false
	}
	if min(fitV, fitH) == looseFit {
		f.loose = addCenter(f.loose, centerI, centerJ, total)
		return false
	}
	f.possibleCenters = addCenter(f.possibleCenters, centerI, centerJ, total)
	return true
}

// addCenter records in centers the pattern centered at (centerJ,
// centerI) whose row runs are total pixels across: merged with one of
// about the same position and module size, else appended.
func addCenter(centers []*detector.FinderPattern, centerI, centerJ float64, total int) []*detector.FinderPattern {
	moduleSize := float64(total) / 7
	for k, center := range centers {
		if center.AboutEquals(moduleSize, centerI, centerJ) {
			centers[k] = center.CombineEstimate(centerI, centerJ, moduleSize)
			return centers
		}
	}
	return append(centers, detector.NewFinderPattern1(centerJ, centerI, moduleSize))
}

// findRowSkip returns how many rows may be skipped once two patterns are
// confirmed: the third is at least that far down.
func (f *patternFinder) findRowSkip() int {
	if len(f.possibleCenters) <= 1 {
		return 0
	}
	var first *detector.FinderPattern
	for _, center := range f.possibleCenters {
		if center.GetCount() < detector.FinderPatternFinder_CENTER_QUORUM {
			continue
		}
		if first == nil {
			first = center
			continue
		}
		f.hasSkipped = true
		return int((math.Abs(first.GetX()-center.GetX()) - math.Abs(first.GetY()-center.GetY())) / 2)
	}
	return 0
}

// haveMultiplyConfirmedCenters says whether three patterns or more are
// confirmed, of similar module sizes (gozxing's test, average and all).
func (f *patternFinder) haveMultiplyConfirmedCenters() bool {
	confirmed, totalModuleSize := 0, 0.0
	for _, p := range f.possibleCenters {
		if p.GetCount() >= detector.FinderPatternFinder_CENTER_QUORUM {
			confirmed++
			totalModuleSize += p.GetEstimatedModuleSize()
		}
	}
	if confirmed < 3 {
		return false
	}
	average := totalModuleSize / float64(len(f.possibleCenters))
	deviation := 0.0
	for _, p := range f.possibleCenters {
		deviation += math.Abs(p.GetEstimatedModuleSize() - average)
	}
	return deviation <= 0.05*totalModuleSize
}

// bestTriple returns the three patterns of cs (sorted in place by module
// size) whose module sizes are within 1.4 times that lie closest to an
// isosceles right triangle: gozxing's choice.
func bestTriple(cs []*detector.FinderPattern) ([3]*detector.FinderPattern, bool) {
	var best [3]*detector.FinderPattern
	if len(cs) < 3 {
		return best, false
	}
	sort.Slice(cs, func(i, j int) bool { return cs[j].GetEstimatedModuleSize() > cs[i].GetEstimatedModuleSize() })
	distortion := math.MaxFloat64
	for i := 0; i < len(cs)-2; i++ {
		minModuleSize := cs[i].GetEstimatedModuleSize()
		for j := i + 1; j < len(cs)-1; j++ {
			ij := dist2(pt(cs[i]), pt(cs[j]))
			for k := j + 1; k < len(cs); k++ {
				if cs[k].GetEstimatedModuleSize() > minModuleSize*1.4 {
					continue
				}
				sides := [3]float64{ij, dist2(pt(cs[j]), pt(cs[k])), dist2(pt(cs[i]), pt(cs[k]))}
				a, b, c := sortedSides(sides)
				// An isosceles right triangle: c = 2a = 2b.
				if d := math.Abs(c-2*b) + math.Abs(c-2*a); d < distortion {
					distortion = d
					best = [3]*detector.FinderPattern{cs[i], cs[j], cs[k]}
				}
			}
		}
	}
	return best, distortion != math.MaxFloat64
}

// looseTriple picks a code's three finder patterns among the candidates
// and the loose patterns (patternFinder.loose) that are not one of them,
// for a scan whose candidates alone gave none: gozxing's choice
// (bestTriple) over both, taken only when it joins a single loose pattern
// to two candidates. It returns the triple and that loose pattern, or
// nil when there is no such triple or when both together are more than
// maxCandidates. Triples of two or three loose patterns were mostly
// texture: on the photos without a code they sent frames to every deep
// pass, and the p95 of those photos went from 2.2 to 15-21 ms (README.md).
func looseTriple(candidates, loose []*detector.FinderPattern) (*detector.FinderPatternInfo, *detector.FinderPattern) {
	all := patternsOf(candidates, loose)
	if len(all) == len(candidates) || len(all) > maxCandidates {
		return nil, nil
	}
	best, ok := bestTriple(all)
	if !ok {
		return nil, nil
	}
	var joined []*detector.FinderPattern
	for _, p := range best {
		if slices.Contains(loose, p) {
			joined = append(joined, p)
		}
	}
	if len(joined) != 1 {
		return nil, nil
	}
	return orderedInfo(best), joined[0]
}

// patternsOf returns candidates and the loose patterns that are not
// one of them (the same spot seen within the loose ratios).
func patternsOf(candidates, loose []*detector.FinderPattern) []*detector.FinderPattern {
	all := slices.Clip(candidates)
	for _, l := range loose {
		if !slices.ContainsFunc(candidates, func(c *detector.FinderPattern) bool {
			return c.AboutEquals(l.GetEstimatedModuleSize(), l.GetY(), l.GetX())
		}) {
			all = append(all, l)
		}
	}
	return all
}

// sortedSides returns three values in ascending order.
func sortedSides(s [3]float64) (a, b, c float64) {
	a, b, c = s[0], s[1], s[2]
	if a > b {
		a, b = b, a
	}
	if b > c {
		b, c = c, b
	}
	if a > b {
		a, b = b, a
	}
	return a, b, c
}

func abs(v int) int { return max(v, -v) }
