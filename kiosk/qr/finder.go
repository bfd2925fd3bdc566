package qr

import (
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// findPatterns is gozxing's FinderPatternFinder.Find (a port of ZXing's,
// Apache License 2.0) with one change: it gives up when the image holds
// more than maxCandidates finder-like spots, before choosing the best three.
// That choice tries every triple: on a tiled or checked texture with
// hundreds of spots it took seconds for one frame.
func findPatterns(bits *gozxing.BitMatrix) (info *detector.FinderPatternInfo, candidates []*detector.FinderPattern) {
	f := detector.NewFinderPatternFinder(bits, nil)
	maxI, maxJ := bits.GetHeight(), bits.GetWidth()
	iSkip := max((3*maxI)/(4*detector.FinderPatternFinder_MAX_MODULES), detector.FinderPatternFinder_MIN_SKIP)
	hasSkipped, done := false, false
	stateCount := make([]int, 5)
	for i := iSkip - 1; i < maxI && !done; i += iSkip {
		if len(f.GetPossibleCenters()) > maxCandidates {
			return nil, f.GetPossibleCenters()
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
			if !detector.FinderPatternFinder_foundPatternCross(stateCount) || !f.HandlePossibleCenter(stateCount, i, j) {
				detector.FinderPatternFinder_ShiftCounts2(stateCount)
				state = 3
				continue
			}
			iSkip = 2
			if hasSkipped {
				done = f.HaveMultiplyConfirmedCenters()
			} else {
				rowSkip := f.FindRowSkip()
				// FindRowSkip records (unexported) that it skipped once two
				// centers are confirmed.
				hasSkipped = confirmedCount(f.GetPossibleCenters()) >= 2
				if rowSkip > stateCount[2] {
					i += rowSkip - stateCount[2] - iSkip
					j = maxJ - 1
				}
			}
			state = 0
			detector.FinderPatternFinder_ClearCounts(stateCount)
		}
		if detector.FinderPatternFinder_foundPatternCross(stateCount) && f.HandlePossibleCenter(stateCount, i, maxJ) {
			iSkip = stateCount[0]
			if hasSkipped {
				done = f.HaveMultiplyConfirmedCenters()
			}
		}
	}
	candidates = f.GetPossibleCenters()
	if len(candidates) > maxCandidates {
		return nil, candidates
	}
	best, err := f.SelectBestPatterns()
	if err != nil {
		return nil, candidates
	}
	bl, tl, tr := gozxing.ResultPoint_OrderBestPatterns(best[0], best[1], best[2])
	return detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), tr.(*detector.FinderPattern)), candidates
}

func confirmedCount(cs []*detector.FinderPattern) int {
	n := 0
	for _, c := range cs {
		if c.GetCount() >= detector.FinderPatternFinder_CENTER_QUORUM {
			n++
		}
	}
	return n
}
