package qr

import (
	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/makiuchi-d/gozxing"
)

// Inverted codes: light modules on a dark ground (a badge printed white on
// black, a phone page in dark mode). ZXing's finder looks for dark-light-
// dark-light-dark runs in the ratios 1:1:3:1:1 and sees nothing of such a
// code. The first pass therefore looks again at the same bits flipped:
// that costs a second run of the finder (the binarization is shared), a
// small part of the pass. The idea is zxing-cpp's (ReadBarcode.cpp since
// 2.0: with tryInvert, the same binarized bitmap is inverted in place and
// searched again); Debian's zxing-cpp 1.4, which the benchmark measures,
// and zbar read no inverted code.

// invertMatrix returns m with every bit flipped.
func invertMatrix(m *gozxing.BitMatrix) *gozxing.BitMatrix {
	w, h := m.GetWidth(), m.GetHeight()
	out, _ := gozxing.NewBitMatrix(w, h)
	var row *gozxing.BitArray
	last := uint32(1)<<uint(w%32) - 1 // the bits of the last word inside the row
	if w%32 == 0 {
		last = ^uint32(0)
	}
	for y := 0; y < h; y++ {
		row = m.GetRow(y, row)
		words := row.GetBitArray()
		n := (w + 31) / 32
		for i := 0; i < n; i++ {
			words[i] = ^words[i]
		}
		words[n-1] &= last
		out.SetRow(y, row)
	}
	return out
}

// fixedBinarizer hands gozxing's readers a matrix already binarized.
type fixedBinarizer struct {
	src    gozxing.LuminanceSource
	matrix *gozxing.BitMatrix
}

var _ gozxing.Binarizer = fixedBinarizer{}

func (b fixedBinarizer) GetLuminanceSource() gozxing.LuminanceSource { return b.src }
func (b fixedBinarizer) GetWidth() int                               { return b.matrix.GetWidth() }
func (b fixedBinarizer) GetHeight() int                              { return b.matrix.GetHeight() }
func (b fixedBinarizer) GetBlackMatrix() (*gozxing.BitMatrix, error) { return b.matrix, nil }

// CreateBinarizer serves readers that binarize a new source: the matrix
// belongs to this source only, so the new one is binarized afresh.
func (b fixedBinarizer) CreateBinarizer(src gozxing.LuminanceSource) gozxing.Binarizer {
	return newHybridBinarizer(src)
}

// GetBlackRow serves 1D readers, which this package does not use.
func (b fixedBinarizer) GetBlackRow(y int, row *gozxing.BitArray) (*gozxing.BitArray, error) {
	return b.matrix.GetRow(y, row), nil
}

// invertedScan reads the flipped bits of an image whose first pass read
// nothing.
func invertedScan(src gozxing.LuminanceSource, bits *gozxing.BitMatrix) scan {
	return scanImage(fixedBinarizer{src: src, matrix: invertMatrix(bits)}, firstTries)
}

// invertFrame returns a copy of f with every gray level inverted, for the
// deep passes on an inverted code.
func invertFrame(f *kiosk.Frame) *kiosk.Frame {
	out := &kiosk.Frame{Pix: make([]byte, f.Width*f.Height), Width: f.Width, Height: f.Height, Stride: f.Width,
		Captured: f.Captured, Time: f.Time}
	for y := 0; y < f.Height; y++ {
		src, dst := f.Pix[y*f.Stride:y*f.Stride+f.Width], out.Pix[y*f.Width:(y+1)*f.Width]
		for x, v := range src {
			dst[x] = ^v
		}
	}
	return out
}
