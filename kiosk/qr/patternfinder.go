package qr

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// patternFinder is gozxing's FinderPatternFinder (a port of ZXing's,
// Apache License 2.0) with one rule made a parameter: how far the
// vertical size of a finder pattern may differ from its horizontal one.
// gozxing rejects a pattern whose vertical cross-check is not within 40%
// of the row's run (0.6 to 1.4 times): a code on a card tilted by more
// than about 45° about an upright axis, whose modules are half again as
// tall as they are wide, has no finder pattern at all for it. Any line
// through the center of a pattern seen in perspective still crosses it
// 1:1:3:1:1 (the ratio tests stay as they are); only its sizes along
// two lines differ. The scans of frames take patterns up to
// stretchedPattern times taller or shorter than wide (README.md: finder
// patterns stretched by a steep tilt).
//
// Adapted from gozxing (MIT) and ZXing (Apache-2.0): see THIRD_PARTY_NOTICES.
type patternFinder struct {
	image           *gozxing.BitMatrix
	possibleCenters []*detector.FinderPattern
	hasSkipped      bool
	crossCheck      []int
	// verticalFits says whether a pattern whose row gave total pixels
	// across may be vertical pixels tall.
	verticalFits func(vertical, total int) bool
}

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

func newPatternFinder(bits *gozxing.BitMatrix, fits func(vertical, total int) bool) *patternFinder {
	return &patternFinder{image: bits, crossCheck: make([]int, 5), verticalFits: fits}
}

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

// crossCheckVertical counts the runs up and down column centerJ from row
// startI and returns the pattern's vertical center, or NaN. Each outer
// run may be as long as the row's middle run (maxCount); the total must
// fit the row's (verticalFits).
func (f *patternFinder) crossCheckVertical(startI, centerJ, maxCount, originalStateCountTotal int) float64 {
	c, end, ok := f.crossRuns(centerJ, startI, 0, 1, maxCount)
	if !ok || !f.verticalFits(c[0]+c[1]+c[2]+c[3]+c[4], originalStateCountTotal) ||
		!detector.FinderPatternFinder_foundPatternCross(c) {
		return math.NaN()
	}
	return detector.FinderPatternFinder_centerFromEnd(c, end)
}

// crossCheckHorizontal counts the runs left and right of startJ on row
// centerI (the vertical center) and returns the horizontal center, or
// NaN: the total within 20% of the first row's.
func (f *patternFinder) crossCheckHorizontal(startJ, centerI, maxCount, originalStateCountTotal int) float64 {
	c, end, ok := f.crossRuns(startJ, centerI, 1, 0, maxCount)
	if !ok || 5*abs(c[0]+c[1]+c[2]+c[3]+c[4]-originalStateCountTotal) >= originalStateCountTotal ||
		!detector.FinderPatternFinder_foundPatternCross(c) {
		return math.NaN()
	}
	return detector.FinderPatternFinder_centerFromEnd(c, end)
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
func (f *patternFinder) handlePossibleCenter(stateCount []int, i, j int) bool {
	total := stateCount[0] + stateCount[1] + stateCount[2] + stateCount[3] + stateCount[4]
	centerJ := detector.FinderPatternFinder_centerFromEnd(stateCount, j)
	centerI := f.crossCheckVertical(i, int(centerJ), stateCount[2], total)
	if math.IsNaN(centerI) {
		return false
	}
	centerJ = f.crossCheckHorizontal(int(centerJ), int(centerI), stateCount[2], total)
	if math.IsNaN(centerJ) || !f.crossCheckDiagonal(int(centerI), int(centerJ)) {
		return false
	}
	moduleSize := float64(total) / 7
	for k, center := range f.possibleCenters {
		if center.AboutEquals(moduleSize, centerI, centerJ) {
			f.possibleCenters[k] = center.CombineEstimate(centerI, centerJ, moduleSize)
			return true
		}
	}
	f.possibleCenters = append(f.possibleCenters, detector.NewFinderPattern1(centerJ, centerI, moduleSize))
	return true
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

// selectBestPatterns returns the three patterns of module sizes within
// 1.4 times that lie closest to an isosceles right triangle.
func (f *patternFinder) selectBestPatterns() ([3]*detector.FinderPattern, bool) {
	var best [3]*detector.FinderPattern
	cs := f.possibleCenters
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
