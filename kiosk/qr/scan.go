package qr

import (
	"errors"
	"fmt"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// scan is what one pass of gozxing over a binarized image found.
type scan struct {
	texts []string
	// candidates counts the finder-pattern-like spots the finder kept, and
	// confirmed those it saw again on another row: the cheap hints that a
	// code may be there even when it could not be read. A real finder
	// pattern is 7 modules tall and is seen on several rows; texture on a
	// wall that fools one row rarely fools the next.
	candidates, confirmed int
	// loose counts the loose patterns the finder kept apart
	// (patternFinder.loose): spots that fit a finder pattern only within
	// half a pixel more, which the hint leaves out.
	loose int
	// outline is where the code lies when three finder patterns were
	// found but the code was not read (its outer corners: top-left,
	// top-right, bottom-right, bottom-left): the deep passes straighten it
	// there instead of asking OpenCV where it is.
	outline    [4]point
	hasOutline bool
	// looseOutline says that the three finder patterns joined a loose
	// one (looseTriple): the deep passes take the outline as one among
	// more spots, which may be wrong.
	looseOutline bool
	// bits is the image the scan binarized, and found and foundLoose the
	// finder's candidates and loose patterns on it: guessThird tries two
	// of them (pairs.go) when nothing was read.
	bits              *gozxing.BitMatrix
	found, foundLoose []*detector.FinderPattern
	err               error
}

// Kinds of failure, from least to most promising.
var (
	errNoFinder = errors.New("no three finder patterns")
	errGrid     = errors.New("finder patterns found, grid not sampled")
	errDecode   = errors.New("code sampled, not decoded")
)

// Limits on the finder candidates of one scan. A code has 3 finder
// patterns: from multiCandidates on, a frame where one code was read is
// searched for more. Past maxCandidates the frame is texture (a checked
// shirt, a tiled wall) rather than badges: gozxing's search for the best
// triple of patterns grows with the cube of their number, so the costly
// multi-code search and the deep passes are skipped.
const (
	multiCandidates = 6
	maxCandidates   = 16
)

// hint says how much a failed scan looked like a code.
type hint int

const (
	hintNone   hint = iota // nothing like a finder pattern
	hintWeak               // finder-like spots, each seen on one row only
	hintStrong             // finder patterns seen on several rows: two, or one among three spots
)

// hint grades the scan's evidence of a code. A code shows three finder
// patterns; a lone confirmed pattern with fewer than two other spots is
// more often a sign or a logo on the wall (on the wild generator's rooms,
// issue 16) and gets only the cheap passes: the codes that only the deep
// passes read showed two confirmed patterns, or one among three spots.

func (s scan) hint() hint {
	switch {
	case s.candidates > maxCandidates:
		return hintNone // texture, see maxCandidates
	case s.confirmed >= 2 || s.confirmed == 1 && s.candidates >= 3:
		return hintStrong
	case s.candidates > 0:
		return hintWeak
	}
	return hintNone
}

// tries says how hard scanImage tries on a code whose finder patterns it
// found but could not read.
type tries int

const (
	// sharpTries, for the 1.5x pass, and for the first pass and the
	// inverted scan when two patterns were confirmed (firstTries): what
	// allTries tries, and the perspective sampling again with the code's
	// fourth corner moved where its modules are sharpest in gray
	// (corner.go). In every pass with allTries it read no more cards and
	// cost more (README.md).
	sharpTries tries = iota
	// allTries: gozxing's sampling, the perspective one, the grid at
	// neighbouring sizes, and gozxing's multi-code reader when the finder
	// saw more than one code's patterns.
	allTries
	// fewTries, for the deep passes after a weak hint and on a code
	// that three finder patterns outline: gozxing's sampling and the
	// perspective one only. On the frames that reach those passes (wild
	// seeds 7 and 11, cards and screens, the photos) the other sizes and
	// the multi-code reader read none that these passes missed without
	// them, and cost a third of each pass; on qrbench's generated frames
	// (seed 1) they read two more in the other branches, which keep
	// allTries (README.md).
	fewTries
	// firstTries, for the first pass and the inverted scan: sharpTries
	// when the finder saw two of the patterns or more on several rows
	// (confirmed), else fewTries. A triple of spots each seen on one row
	// is most often texture or a flipped frame's light blobs: there the
	// sharpest corner, the other sizes and the multi-code reader read no
	// card, screen, photo or generated frame that the passes after them
	// missed, and made the p95 of the empty generated frames (README.md).
	firstTries
)

// given returns the tries of a scan whose finder confirmed confirmed
// patterns: firstTries becomes sharpTries or fewTries, the others stay.
func (t tries) given(confirmed int) tries {
	switch {
	case t != firstTries:
		return t
	case confirmed >= 2:
		return sharpTries
	}
	return fewTries
}

// all reports whether t tries the grid at neighbouring sizes and the
// multi-code reader.
func (t tries) all() bool { return t != fewTries }

// scanImage finds and decodes the QR codes in a binarized image with
// gozxing's detector and decoder. When the finder patterns are found but
// the code does not decode, it samples the grid again through the
// perspective the patterns show and, with allTries, at the neighbouring
// sizes (gozxing's size estimate is often one version off on tilted codes)
// and with the multi-code reader. gozxing is a port of Java code that may
// index out of range on odd input: a panic is turned into an error.
func scanImage(b gozxing.Binarizer, t tries) scan {
	return scanImageWith(b, t, frameRule)
}

// scanImageWith is scanImage with the finder's rule (patternfinder.go).
func scanImageWith(b gozxing.Binarizer, t tries, rule patternRule) (s scan) {
	defer func() {
		if r := recover(); r != nil {
			s.texts, s.err = nil, fmt.Errorf("qr: gozxing panicked: %v", r)
		}
	}()
	bits, err := b.GetBlackMatrix()
	if err != nil {
		s.err = errNoFinder
		return s
	}
	info, candidates, loose := findPatterns(bits, rule)
	s.candidates, s.confirmed, s.loose = len(candidates), confirmedCount(candidates), len(loose)
	s.bits, s.found, s.foundLoose = bits, candidates, loose
	t = t.given(s.confirmed)
	var text string
	if info == nil && s.candidates <= maxCandidates {
		// gozxing found no triple of similar module sizes: a steep tilt?
		info = tiltedTriple(candidates)
	}
	if info == nil && s.candidates <= maxCandidates {
		// A pattern blurred or rounded to whole pixels a little past
		// gozxing's ratios?
		var joined *detector.FinderPattern
		if info, joined = looseTriple(candidates, loose); info != nil {
			s.looseOutline = true
			s.candidates++
			if joined.GetCount() >= detector.FinderPatternFinder_CENTER_QUORUM {
				s.confirmed++
			}
		}
	}
	if info == nil {
		s.err = errNoFinder
	} else {
		// The gray levels for the samplers that read them: the sharpest
		// corner with sharpTries; the fitted outline in the scans that
		// binarize with the hybrid binarizer (the first pass, half
		// size, blur and 1.5x, low contrast), where it read codes on
		// the wild frames; in the others (the global threshold, the
		// outlined code, the inverted scan, whose bits are the gray
		// levels flipped) it read none and cost time (README.md).
		var sharp, fit *grayLuminance
		gray, _ := b.GetLuminanceSource().(*grayLuminance)
		if t == sharpTries {
			sharp = gray
		}
		if _, hybrid := b.(*hybridBinarizer); hybrid {
			fit = gray
		}
		text, s.outline, s.err = decodeAt(bits, sharp, fit, info, t)
		s.hasOutline = s.err != nil
	}
	if s.err != nil {
		if t.all() && (s.confirmed >= 2 || s.candidates > 3) && s.candidates <= maxCandidates {
			// Several codes: the finder may have mixed their patterns, or
			// skipped rows past the second one. The multi finder tries
			// every combination.
			s.texts = scanMulti(bits)
		}
		return s
	}
	s.texts = []string{text}
	if s.candidates >= multiCandidates && s.candidates <= maxCandidates {
		s.texts = appendNew(s.texts, scanMulti(bits)...)
	}
	return s
}

// decodeAt samples and decodes the code whose finder patterns are info:
// with gozxing's detector, then through the perspective the patterns'
// edges show (perspective.go; with the bottom-right corner moved where the
// gray levels of the modules are sharpest when sharp, the image bits were
// binarized from, is not nil: corner.go; through the outline fitted to
// fit's gray levels when fit is not nil: fitted.go), then, with allTries,
// at other sizes. When it reads nothing it returns the code's outline: its outer
// corners from the patterns' edges, else gozxing's parallelogram.
func decodeAt(bits *gozxing.BitMatrix, sharp, fit *grayLuminance, info *detector.FinderPatternInfo, t tries) (string, [4]point, error) {
	var none [4]point
	det, err := detector.NewDetector(bits).ProcessFinderPatternInfo(info)
	if err == nil {
		res, err := decodeGrid(det.GetBits())
		if err == nil {
			return res.GetText(), none, nil
		}
	}
	text, outline, ok := decodePerspective(bits, sharp, fit, info)
	if ok {
		return text, none, nil
	}
	if outline == none {
		outline = affineOutline(info)
	}
	if t.all() {
		if text, ok := decodeOtherSizes(bits, info); ok {
			return text, none, nil
		}
	}
	if err != nil {
		return "", outline, fmt.Errorf("%w: %v", errGrid, err)
	}
	return "", outline, errDecode
}

// decodeOtherSizes samples the grid between the three finder patterns at
// the estimated dimension and the next ones (plus or minus one and two
// versions), without alignment pattern, until one decodes.
func decodeOtherSizes(bits *gozxing.BitMatrix, info *detector.FinderPatternInfo) (string, bool) {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	module := (tl.GetEstimatedModuleSize() + tr.GetEstimatedModuleSize() + bl.GetEstimatedModuleSize()) / 3
	if module < 1 {
		return "", false
	}
	across := (gozxing.ResultPoint_Distance(tl, tr) + gozxing.ResultPoint_Distance(tl, bl)) / 2 / module
	dim := dimensionAcross(across)
	for _, d := range []int{dim, dim - 4, dim + 4, dim - 8, dim + 8} {
		if d < 21 || d > 177 {
			continue
		}
		if text, read, _ := decodeSampled(bits, detector.Detector_createTransform(tl, tr, bl, nil, d), d); read {
			return text, true
		}
	}
	return "", false
}

// appendNew appends the texts not already in list.
func appendNew(list []string, texts ...string) []string {
next:
	for _, t := range texts {
		for _, have := range list {
			if have == t {
				continue next
			}
		}
		list = append(list, t)
	}
	return list
}
