package qr

import (
	"fmt"

	"github.com/makiuchi-d/gozxing"
)

// grayLuminance is a gozxing.LuminanceSource reading 8-bit gray pixels in
// place. gozxing's own image.Image source calls At() for every pixel, which
// doubles the cost of a frame; this one hands the binarizer the pixels as
// they are (no copy when rows are contiguous).
type grayLuminance struct {
	gozxing.LuminanceSourceBase
	pix    []byte
	stride int
	// blocks holds the hybrid binarizer's 8x8 block statistics of pix
	// once one binarized it (hybridBinarizer.blockStatsOf). The pixels
	// of a grayLuminance are never changed once it is made.
	blocks [][3]byte
}

// newGrayLuminance wraps pix (width x height, stride bytes per row).
func newGrayLuminance(pix []byte, width, height, stride int) (*grayLuminance, error) {
	if width <= 0 || height <= 0 || stride < width || len(pix) < (height-1)*stride+width {
		return nil, fmt.Errorf("qr: bad frame geometry %dx%d stride %d with %d bytes", width, height, stride, len(pix))
	}
	return &grayLuminance{
		LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: width, Height: height},
		pix:                 pix,
		stride:              stride,
	}, nil
}

// GetRow copies row y into row (allocated when too small).
func (g *grayLuminance) GetRow(y int, row []byte) ([]byte, error) {
	if y < 0 || y >= g.Height {
		return nil, fmt.Errorf("qr: row %d outside the image (height %d)", y, g.Height)
	}
	if len(row) < g.Width {
		row = make([]byte, g.Width)
	}
	off := y * g.stride
	copy(row, g.pix[off:off+g.Width])
	return row, nil
}

// GetMatrix returns the pixels row by row, width bytes per row. The result
// must not be modified.
func (g *grayLuminance) GetMatrix() []byte {
	if g.stride == g.Width {
		return g.pix[:g.Width*g.Height]
	}
	m := make([]byte, g.Width*g.Height)
	for y := 0; y < g.Height; y++ {
		copy(m[y*g.Width:(y+1)*g.Width], g.pix[y*g.stride:y*g.stride+g.Width])
	}
	return m
}

// IsCropSupported reports that Crop works.
func (g *grayLuminance) IsCropSupported() bool { return true }

// Crop returns a view of a rectangle of the image, sharing its pixels.
func (g *grayLuminance) Crop(left, top, width, height int) (gozxing.LuminanceSource, error) {
	if left < 0 || top < 0 || width <= 0 || height <= 0 || left+width > g.Width || top+height > g.Height {
		return nil, fmt.Errorf("qr: crop %dx%d+%d+%d does not fit in %dx%d", width, height, left, top, g.Width, g.Height)
	}
	return newGrayLuminance(g.pix[top*g.stride+left:], width, height, g.stride)
}

// Invert returns a source with black and white swapped.
func (g *grayLuminance) Invert() gozxing.LuminanceSource {
	return gozxing.NewInvertedLuminanceSource(g)
}

// String draws the image in ASCII, for debugging.
func (g *grayLuminance) String() string { return gozxing.LuminanceSourceString(g) }
