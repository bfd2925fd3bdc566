package qr

import (
	"errors"
	"fmt"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// scan is what one pass of gozxing over a binarized image found.
type scan struct {
	text string
	// candidates counts the finder-pattern-like spots the finder kept, and
	// confirmed those it saw on several rows: the cheap hint that a code
	// may be there even when it could not be read.
	candidates, confirmed int
	err                   error
}

// Kinds of failure, from cheapest to most promising.
var (
	errNoFinder = errors.New("no three finder patterns")
	errGrid     = errors.New("finder patterns found, grid not sampled")
	errDecode   = errors.New("code sampled, not decoded")
)

// scanBits finds and decodes one QR code in bits with gozxing's detector
// and decoder. gozxing is a port of Java code that may index out of range
// on odd input: a panic is turned into an error.
func scanBits(bits *gozxing.BitMatrix, hints map[gozxing.DecodeHintType]interface{}) (s scan) {
	defer func() {
		if r := recover(); r != nil {
			s.text, s.err = "", fmt.Errorf("qr: gozxing panicked: %v", r)
		}
	}()
	finder := detector.NewFinderPatternFinder(bits, nil)
	info, notFound := finder.Find(hints)
	for _, c := range finder.GetPossibleCenters() {
		s.candidates++
		if c.GetCount() >= detector.FinderPatternFinder_CENTER_QUORUM {
			s.confirmed++
		}
	}
	if notFound != nil {
		s.err = errNoFinder
		return s
	}
	det, err := detector.NewDetector(bits).ProcessFinderPatternInfo(info)
	if err != nil {
		s.err = fmt.Errorf("%w: %v", errGrid, err)
		return s
	}
	res, err := decoder.NewDecoder().Decode(det.GetBits(), hints)
	if err != nil {
		s.err = fmt.Errorf("%w: %v", errDecode, err)
		return s
	}
	s.text = res.GetText()
	return s
}
