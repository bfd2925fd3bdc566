package qr

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// The multi-code reader: gozxing's QRCodeMultiReader (a port of ZXing's,
// Apache License 2.0) with the finder walk of finder.go. It runs in the
// first pass whenever a code is found but not read with two confirmed
// patterns or more than three spots (scanImage), and on the frames where
// a code is found but no pass reads it, its finder cost more than the
// code's sampling and decoding: gozxing's MultiFinderPatternFinder tests
// every pixel of one row in 3*height/388 through a method call. This one
// walks the same rows run by run, 32 pixels at a time, with the same
// state machine and the same calls at the same pixels as
// MultiFinderPatternFinder.FindMulti (multi_internal_test.go compares
// them), chooses the triples as its selectMultipleBestPatterns does, and
// decodes each through decodeGrid (grid.go). Structured append (one text
// split over several codes, which no badge uses) is not joined: each code
// gives its own text, as the single-code reader does.
//
// Adapted from gozxing (MIT) and ZXing (Apache-2.0): see THIRD_PARTY_NOTICES.

// maxMultiCandidates bounds the spots the multi finder keeps: its choice of
// triples grows with the cube of their number. gozxing's has no bound.
const maxMultiCandidates = 4 * maxCandidates

// scanMulti reads every code the multi finder finds in bits.
func scanMulti(bits *gozxing.BitMatrix) []string {
	var texts []string
	for _, info := range findMultiPatterns(bits) {
		det, err := detector.NewDetector(bits).ProcessFinderPatternInfo(info)
		if err != nil {
			continue
		}
		if res, err := decodeGrid(det.GetBits()); err == nil {
			texts = appendNew(texts, res.GetText())
		}
	}
	return texts
}

// findMultiPatterns is MultiFinderPatternFinder.FindMulti without the
// TRY_HARDER hint: every iSkip-th row, no row skipped after a pattern, and
// the triples of selectMultipleBestPatterns. Its patterns are checked by
// gozxing's rule (gozxingRule), so that it stays gozxing's multi reader,
// which TestMultiMatchesGozxing compares it with; the stretched patterns
// were not measured there.
func findMultiPatterns(bits *gozxing.BitMatrix) []*detector.FinderPatternInfo {
	f := newPatternFinder(bits, gozxingRule)
	maxI, maxJ := bits.GetHeight(), bits.GetWidth()
	iSkip := max((3*maxI)/(4*detector.FinderPatternFinder_MAX_MODULES), detector.FinderPatternFinder_MIN_SKIP)
	stateCount := make([]int, 5)
	var row *gozxing.BitArray
	for i := iSkip - 1; i < maxI; i += iSkip {
		if len(f.possibleCenters) > maxMultiCandidates {
			return nil
		}
		row = bits.GetRow(i, row)
		walkRow(f, row, i, maxJ, stateCount, func() bool { return true })
		if detector.FinderPatternFinder_foundPatternCross(stateCount) {
			f.handlePossibleCenter(stateCount, i, maxJ)
		}
	}
	return selectMultipleBestPatterns(f.possibleCenters)
}

// selectMultipleBestPatterns is gozxing's MultiFinderPatternFinder's: the
// triples of candidates with similar module sizes, a plausible number of
// modules between them, and about a right isosceles triangle.
func selectMultipleBestPatterns(possibleCenters []*detector.FinderPattern) []*detector.FinderPatternInfo {
	size := len(possibleCenters)
	if size < 3 {
		return nil
	}
	info := func(p1, p2, p3 *detector.FinderPattern) *detector.FinderPatternInfo {
		return orderedInfo([3]*detector.FinderPattern{p1, p2, p3})
	}
	if size == 3 {
		return []*detector.FinderPatternInfo{info(possibleCenters[0], possibleCenters[1], possibleCenters[2])}
	}
	sort.Slice(possibleCenters, multidetector.ModuleSizeComparator(possibleCenters))
	differ := func(a, b *detector.FinderPattern) bool {
		rel := (a.GetEstimatedModuleSize() - b.GetEstimatedModuleSize()) / math.Min(a.GetEstimatedModuleSize(), b.GetEstimatedModuleSize())
		abs := math.Abs(a.GetEstimatedModuleSize() - b.GetEstimatedModuleSize())
		return abs > multidetector.DIFF_MODSIZE_CUTOFF && rel >= multidetector.DIFF_MODSIZE_CUTOFF_PERCENT
	}
	var results []*detector.FinderPatternInfo
	for i1 := 0; i1 < size-2; i1++ {
		p1 := possibleCenters[i1]
		for i2 := i1 + 1; i2 < size-1; i2++ {
			p2 := possibleCenters[i2]
			if differ(p1, p2) {
				break // sorted by module size: no closer one follows
			}
			for i3 := i2 + 1; i3 < size; i3++ {
				p3 := possibleCenters[i3]
				if differ(p2, p3) {
					break
				}
				in := info(p1, p2, p3)
				dA := gozxing.ResultPoint_Distance(in.GetTopLeft(), in.GetBottomLeft())
				dC := gozxing.ResultPoint_Distance(in.GetTopRight(), in.GetBottomLeft())
				dB := gozxing.ResultPoint_Distance(in.GetTopLeft(), in.GetTopRight())
				modules := (dA + dB) / (p1.GetEstimatedModuleSize() * 2.0)
				if modules > multidetector.MAX_MODULE_COUNT_PER_EDGE || modules < multidetector.MIN_MODULE_COUNT_PER_EDGE {
					continue
				}
				if math.Abs((dA-dB)/math.Min(dA, dB)) >= 0.1 {
					continue
				}
				dCpy := math.Sqrt(dA*dA + dB*dB) // the diagonal of a right angle at top left
				if math.Abs((dC-dCpy)/math.Min(dC, dCpy)) >= 0.1 {
					continue
				}
				results = append(results, in)
			}
		}
	}
	return results
}
