package qr

import (
	"errors"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// An early verdict on a sampled grid (issue 16). A code whose finder
// patterns were found but which does not read is sampled many times (the
// perspective sampler, the neighbouring sizes, the alignment pattern, the
// same again in the deep passes), and each sampling went through gozxing's
// whole decoder: format and version, the codewords, Reed-Solomon on each
// block, then all that again mirrored. A grid sampled at the wrong size or
// through a wrong transform is noise, and its fixed modules (the three
// finder patterns with their light separators, and the timing patterns)
// show it: on the frames of wild seeds 1, 7 and 11 (cards and phone
// screens), every grid that decoded had at least 91% of its fixed modules
// right, while the ones that did not spread from 20% to 100%, three
// quarters of them below 75%. Such grids are not handed to the decoder.

// minFixedAgreement is the share of a grid's fixed modules that must be
// right for the grid to be decoded: well below the worst readable grid
// measured (0.91).
const minFixedAgreement = 0.75

// errNoisyGrid is decodeGrid's verdict on a grid too far from a QR code's
// fixed modules to be worth decoding.
var errNoisyGrid = errors.New("sampled grid does not show a QR code's fixed patterns")

// decodeGrid decodes a sampled grid with gozxing's decoder, unless its
// fixed modules say it is noise.
func decodeGrid(grid *gozxing.BitMatrix) (*common.DecoderResult, error) {
	if fixedAgreement(grid) < minFixedAgreement {
		return nil, errNoisyGrid
	}
	return decoder.NewDecoder().Decode(grid, nil)
}

// fixedAgreement returns the share of a sampled grid's fixed modules that
// have the colour the QR standard gives them: the three finder patterns
// (dark at a Chebyshev distance 0, 1 and 3 from their centers, light at
// 2) with their separators (light, distance 4), and the two timing
// patterns between them (alternating, dark first). They do not depend on
// the mask, and are the same on a mirrored code.
func fixedAgreement(grid *gozxing.BitMatrix) float64 {
	dim := grid.GetWidth()
	if grid.GetHeight() != dim {
		return 0
	}
	share, _ := fixedAgreementOf(dim, func(x, y int) (bool, bool) { return grid.Get(x, y), true })
	return share
}

// fixedAgreementOf is fixedAgreement on a grid of dimension dim whose
// modules module gives, without the grid: it stops, with ok false, at the
// first module that module cannot give.
func fixedAgreementOf(dim int, module func(x, y int) (dark, ok bool)) (share float64, ok bool) {
	if dim < 21 {
		return 0, true
	}
	good, all := 0, 0
	ok = eachFixedModule(dim, func(x, y int, dark bool) bool {
		d, ok := module(x, y)
		all++
		if d == dark {
			good++
		}
		return ok
	})
	if !ok {
		return 0, false
	}
	return float64(good) / float64(all), true
}

// eachFixedModule calls visit, in order, with each module of a grid of
// dimension dim whose colour the standard fixes whatever the version and
// the mask: the three finder patterns (dark at a Chebyshev distance 0, 1
// and 3 from their centers, light at 2) with their separators (light,
// distance 4), then the two timing patterns between them (alternating,
// dark first). It stops when visit returns false, and reports whether it
// visited them all. fixedAgreement and knownModules (fitted.go) list the
// same modules through it.
func eachFixedModule(dim int, visit func(x, y int, dark bool) bool) bool {
	for _, o := range [][2]int{{0, 0}, {dim - 7, 0}, {0, dim - 7}} {
		for dy := -1; dy <= 7; dy++ {
			for dx := -1; dx <= 7; dx++ {
				x, y := o[0]+dx, o[1]+dy
				if x < 0 || y < 0 || x >= dim || y >= dim {
					continue
				}
				d := max(dx-3, 3-dx, dy-3, 3-dy) // rings around the center
				if !visit(x, y, d <= 1 || d == 3) {
					return false
				}
			}
		}
	}
	for i := 8; i < dim-8; i++ {
		if !visit(i, 6, i%2 == 0) || !visit(6, i, i%2 == 0) {
			return false
		}
	}
	return true
}

// sampleGrid samples the grid of dimension dim that t maps onto bits,
// exactly as gozxing's Detector_sampleGrid, unless its fixed modules alone
// (about a twelfth of a version 10 grid's) show that decodeGrid would reject it:
// most grids sampled at a wrong size or through a wrong outline are
// rejected so, and were sampled whole before. The fixed modules are
// looked at where gozxing would sample them; when one falls outside the
// image (where gozxing nudges the points on a row's ends, or fails), the
// grid is sampled whole and judged as before.
func sampleGrid(bits *gozxing.BitMatrix, t *common.PerspectiveTransform, dim int) (*gozxing.BitMatrix, error) {
	w, h := bits.GetWidth(), bits.GetHeight()
	var p [2]float64
	share, ok := fixedAgreementOf(dim, func(x, y int) (bool, bool) {
		p = [2]float64{float64(x) + 0.5, float64(y) + 0.5}
		t.TransformPoints(p[:])
		if !(p[0] >= 0 && p[1] >= 0 && p[0] < float64(w) && p[1] < float64(h)) {
			return false, false
		}
		return bits.Get(int(p[0]), int(p[1])), true
	})
	if ok && share < minFixedAgreement {
		return nil, errNoisyGrid
	}
	return detector.Detector_sampleGrid(bits, t, dim)
}

// decodeSampled samples the grid of dimension dim that t maps onto bits
// (sampleGrid) and decodes it (decodeGrid). sampled is false only when the
// grid could not be sampled (outside the image): a grid rejected on its
// fixed modules, before or after sampling, was sampled and not read.
func decodeSampled(bits *gozxing.BitMatrix, t *common.PerspectiveTransform, dim int) (text string, read, sampled bool) {
	grid, err := sampleGrid(bits, t, dim)
	switch {
	case errors.Is(err, errNoisyGrid):
		return "", false, true
	case err != nil:
		return "", false, false
	}
	res, err := decodeGrid(grid)
	if err != nil {
		return "", false, true
	}
	return res.GetText(), true, true
}
