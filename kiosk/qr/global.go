package qr

import (
	"encoding/binary"

	"github.com/makiuchi-d/gozxing"
)

// globalBinarizer is ZXing's GlobalHistogramBinarizer (one threshold for
// the whole image, from the histogram of four of its rows), written for
// speed as hybridBinarizer is: it reads the gray pixels in place and sets
// the bits eight at a time instead of one call per pixel. It gives the
// same bits as gozxing.NewGlobalHistgramBinarizer (global_internal_test.go)
// in a fraction of the time (1.36 ms for gozxing's on a 585x585
// straightened code, the size of the outlined-code pass); the global
// threshold runs on every frame with a strong hint and on every
// straightened code.
//
// Adapted from gozxing (MIT) and ZXing (Apache-2.0): see THIRD_PARTY_NOTICES.
type globalBinarizer struct {
	src    gozxing.LuminanceSource
	pix    []byte
	stride int
	matrix *gozxing.BitMatrix
}

var _ gozxing.Binarizer = (*globalBinarizer)(nil)

func newGlobalBinarizer(src gozxing.LuminanceSource) gozxing.Binarizer {
	b := &globalBinarizer{src: src}
	if g, ok := src.(*grayLuminance); ok {
		b.pix, b.stride = g.pix, g.stride
	} else {
		b.pix, b.stride = src.GetMatrix(), src.GetWidth()
	}
	return b
}

func (b *globalBinarizer) GetLuminanceSource() gozxing.LuminanceSource { return b.src }
func (b *globalBinarizer) GetWidth() int                               { return b.src.GetWidth() }
func (b *globalBinarizer) GetHeight() int                              { return b.src.GetHeight() }

// CreateBinarizer returns a new globalBinarizer for src.
func (b *globalBinarizer) CreateBinarizer(src gozxing.LuminanceSource) gozxing.Binarizer {
	return newGlobalBinarizer(src)
}

// GetBlackRow serves 1D readers, which this package does not use.
func (b *globalBinarizer) GetBlackRow(y int, row *gozxing.BitArray) (*gozxing.BitArray, error) {
	return gozxing.NewGlobalHistgramBinarizer(b.src).GetBlackRow(y, row)
}

// Histogram buckets of ZXing's global binarizer: 32 of 8 gray levels.
const (
	luminanceShift   = 3
	luminanceBuckets = 1 << (8 - luminanceShift)
)

// GetBlackMatrix binarizes the image once and caches the result: the
// pixels darker than the black point that the histogram of four rows
// gives (their middle three fifths), as ZXing's.
func (b *globalBinarizer) GetBlackMatrix() (*gozxing.BitMatrix, error) {
	if b.matrix != nil {
		return b.matrix, nil
	}
	w, h := b.GetWidth(), b.GetHeight()
	var buckets [luminanceBuckets]int
	for y := 1; y < 5; y++ {
		row := b.pix[(h*y/5)*b.stride:]
		for x := w / 5; x < w*4/5; x++ {
			buckets[row[x]>>luminanceShift]++
		}
	}
	blackPoint, ok := estimateBlackPoint(buckets[:])
	if !ok {
		return nil, gozxing.NewNotFoundException()
	}
	t := byte(blackPoint - 1) // pixel < blackPoint; blackPoint is at least 8
	words := (w + 31) / 32
	bits := make([]uint32, words)
	matrix, _ := gozxing.NewBitMatrix(w, h)
	row := gozxing.NewBitArray(w)
	for y := 0; y < h; y++ {
		clear(bits)
		line := b.pix[y*b.stride : y*b.stride+w]
		x := 0
		for ; x+8 <= w; x += 8 {
			setBits(bits, x, atOrBelow(binary.LittleEndian.Uint64(line[x:x+8]), t))
		}
		for ; x < w; x++ {
			if line[x] <= t {
				bits[x>>5] |= 1 << uint(x&31)
			}
		}
		row.Clear()
		for i, v := range bits {
			row.SetBulk(i*32, v)
		}
		matrix.SetRow(y, row)
	}
	b.matrix = matrix
	return matrix, nil
}

// estimateBlackPoint is ZXing's GlobalHistogramBinarizer.estimateBlackPoint:
// the two highest peaks of the histogram, far enough apart, and the valley
// between them, closer to the white one. It reports false when the image
// has too little contrast.
func estimateBlackPoint(buckets []int) (int, bool) {
	numBuckets := len(buckets)
	maxBucketCount, firstPeak, firstPeakSize := 0, 0, 0
	for x := 0; x < numBuckets; x++ {
		if buckets[x] > firstPeakSize {
			firstPeak, firstPeakSize = x, buckets[x]
		}
		if buckets[x] > maxBucketCount {
			maxBucketCount = buckets[x]
		}
	}
	secondPeak, secondPeakScore := 0, 0
	for x := 0; x < numBuckets; x++ {
		d := x - firstPeak
		if score := buckets[x] * d * d; score > secondPeakScore {
			secondPeak, secondPeakScore = x, score
		}
	}
	if firstPeak > secondPeak {
		firstPeak, secondPeak = secondPeak, firstPeak
	}
	if secondPeak-firstPeak <= numBuckets/16 {
		return 0, false
	}
	bestValley, bestValleyScore := secondPeak-1, -1
	for x := secondPeak - 1; x > firstPeak; x-- {
		fromFirst := x - firstPeak
		if score := fromFirst * fromFirst * (secondPeak - x) * (maxBucketCount - buckets[x]); score > bestValleyScore {
			bestValley, bestValleyScore = x, score
		}
	}
	return bestValley << luminanceShift, true
}
