package qr

import (
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// findPatterns is gozxing's FinderPatternFinder.Find (a port of ZXing's,
// Apache License 2.0) with three changes. It gives up when the image holds
// more than maxCandidates finder-like spots, before choosing the best three:
// that choice tries every triple, and on a tiled or checked texture with
// hundreds of spots it took seconds for one frame. It walks each row run
// by run (32 pixels at a time) instead of pixel by pixel, with an integer
// test of the 1:1:3:1:1 ratios: the same state machine, the same calls at
// the same pixels, so the same patterns (finder_internal_test.go compares
// it with the pixel loop and, under gozxing's rule, with gozxing), in about
// a third of the time. And it takes its rule (patternfinder.go): scans of
// frames take patterns stretched by a steep tilt (stretchedFits) and get,
// apart, the loose patterns, which passed the cross-checks only within
// half a pixel more (halfPixelCross; nil under gozxing's rule).
//
// Adapted from gozxing (MIT) and ZXing (Apache-2.0): see THIRD_PARTY_NOTICES.
func findPatterns(bits *gozxing.BitMatrix, rule patternRule) (info *detector.FinderPatternInfo, candidates, loose []*detector.FinderPattern) {
	f := newPatternFinder(bits, rule)
	maxI, maxJ := bits.GetHeight(), bits.GetWidth()
	iSkip := max((3*maxI)/(4*detector.FinderPatternFinder_MAX_MODULES), detector.FinderPatternFinder_MIN_SKIP)
	done := false
	stateCount := make([]int, 5)
	var row *gozxing.BitArray
	for i := iSkip - 1; i < maxI && !done; i += iSkip {
		if len(f.possibleCenters) > maxCandidates {
			return nil, f.possibleCenters, nil
		}
		row = bits.GetRow(i, row)
		walkRow(f, row, i, maxJ, stateCount, func() bool {
			iSkip = 2
			if f.hasSkipped {
				done = f.haveMultiplyConfirmedCenters()
				return true
			}
			rowSkip := f.findRowSkip()
			if rowSkip > stateCount[2] {
				i += rowSkip - stateCount[2] - iSkip
				return false // to the next row, rowSkip rows down
			}
			return true
		})
		if detector.FinderPatternFinder_foundPatternCross(stateCount) && f.handlePossibleCenter(stateCount, i, maxJ) {
			iSkip = stateCount[0]
			if f.hasSkipped {
				done = f.haveMultiplyConfirmedCenters()
			}
		}
	}
	candidates = f.possibleCenters
	if len(candidates) > maxCandidates {
		return nil, candidates, nil
	}
	best, ok := bestTriple(f.possibleCenters)
	if !ok {
		return nil, candidates, f.loose
	}
	return orderedInfo(best), candidates, f.loose
}

// orderedInfo orders three finder patterns as bottom-left, top-left and
// top-right.
func orderedInfo(p [3]*detector.FinderPattern) *detector.FinderPatternInfo {
	bl, tl, tr := gozxing.ResultPoint_OrderBestPatterns(p[0], p[1], p[2])
	return detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), tr.(*detector.FinderPattern))
}

// walkRow walks row i run by run with FinderPatternFinder.Find's state
// machine (the same states, the same calls at the same pixels as its pixel
// loop), handing f each black-white-black-white-black run that passes
// crossRatios. When f takes one as a center, found is called with the
// pattern's counts still in stateCount; it returns whether the rest of the
// row is walked (false: the caller skips rows). stateCount ends with the
// counts at the row's end, for the caller's last check.
func walkRow(f *patternFinder, row *gozxing.BitArray, i, maxJ int, stateCount []int, found func() bool) {
	detector.FinderPatternFinder_ClearCounts(stateCount)
	state := 0
	black := row.Get(0) // the colour of the run at j: runs alternate
	for j := 0; j < maxJ; black = !black {
		if black { // a black run: one state (the next one after white)
			end := min(row.GetNextUnset(j), maxJ)
			if state&1 == 1 {
				state++
			}
			stateCount[state] += end - j
			j = end
			continue
		}
		end := min(row.GetNextSet(j), maxJ) // a white run
		n := end - j
		if state&1 == 1 { // white after white
			stateCount[state] += n
			j = end
			continue
		}
		if state != 4 {
			state++
			stateCount[state] += n
			j = end
			continue
		}
		// End of a black-white-black-white-black run at pixel j: a
		// finder pattern?
		if !crossRatios(stateCount) || !f.handlePossibleCenter(stateCount, i, j) {
			detector.FinderPatternFinder_ShiftCounts2(stateCount) // counts pixel j in state 3
			state = 3
			stateCount[3] += n - 1
			j = end
			continue
		}
		more := found()
		detector.FinderPatternFinder_ClearCounts(stateCount)
		state = 0
		if !more {
			return
		}
		// Pixel j ended the pattern uncounted; the rest of the white run
		// starts the next one.
		if n > 1 {
			state = 1
			stateCount[1] = n - 1
		}
		j = end
	}
}

// crossRatios is gozxing's FinderPatternFinder_foundPatternCross in
// integers: the five runs (total t) are within half a module of 1:1:3:1:1,
// that is |t/7 - c| < t/14, or 2|t - 7c| < t (3t for the middle run). The
// float version gives the same answers: the two sides are equal only when
// t is a multiple of 14, where its floats are exact.
func crossRatios(c []int) bool { return ratiosWithin(c, 0) }

// ratiosWithin says whether the five runs c (total t) are within half a
// module and slack/14 pixels of 1:1:3:1:1: 2|t - 7c| < t + slack (3t +
// slack for the middle run).
func ratiosWithin(c []int, slack int) bool {
	c0, c1, c2, c3, c4 := c[0], c[1], c[2], c[3], c[4]
	if c0 == 0 || c1 == 0 || c2 == 0 || c3 == 0 || c4 == 0 {
		return false
	}
	t := c0 + c1 + c2 + c3 + c4
	if t < 7 {
		return false
	}
	within := func(d, limit int) bool { return 2*max(d, -d) < limit }
	return within(t-7*c0, t+slack) && within(t-7*c1, t+slack) && within(3*t-7*c2, 3*t+slack) &&
		within(t-7*c3, t+slack) && within(t-7*c4, t+slack)
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
