package qr

import (
	"encoding/binary"

	"github.com/makiuchi-d/gozxing"
)

// Block geometry of ZXing's hybrid binarizer: 8x8 blocks, thresholds
// averaged over 5x5 blocks, blocks with less contrast than minDynamicRange
// taken as flat.
const (
	blockPower      = 3
	blockSize       = 1 << blockPower
	minDynamicRange = 24
)

// hybridBinarizer is ZXing's HybridBinarizer (local thresholds from 8x8
// block averages), written for speed: it reads the gray pixels in place
// and sets the bits 32 at a time instead of one call per pixel. It gives the
// same bits as gozxing.NewHybridBinarizer, in about half the time.
//
// Adapted from gozxing (MIT) and ZXing (Apache-2.0): see THIRD_PARTY_NOTICES.
type hybridBinarizer struct {
	src    gozxing.LuminanceSource
	pix    []byte
	stride int
	matrix *gozxing.BitMatrix
	// flatAtMin gives a flat block its minimum as black point, not half
	// of it: the low-contrast binarizer (lowcontrast.go).
	flatAtMin bool
}

var _ gozxing.Binarizer = (*hybridBinarizer)(nil)

func newHybridBinarizer(src gozxing.LuminanceSource) gozxing.Binarizer {
	b := &hybridBinarizer{src: src}
	if g, ok := src.(*grayLuminance); ok {
		b.pix, b.stride = g.pix, g.stride
	} else {
		b.pix, b.stride = src.GetMatrix(), src.GetWidth()
	}
	return b
}

func (b *hybridBinarizer) GetLuminanceSource() gozxing.LuminanceSource { return b.src }
func (b *hybridBinarizer) GetWidth() int                               { return b.src.GetWidth() }
func (b *hybridBinarizer) GetHeight() int                              { return b.src.GetHeight() }

// CreateBinarizer returns a new hybridBinarizer for src.
func (b *hybridBinarizer) CreateBinarizer(src gozxing.LuminanceSource) gozxing.Binarizer {
	return newHybridBinarizer(src)
}

// GetBlackRow serves 1D readers, which this package does not use: it
// delegates to ZXing's global histogram binarizer as HybridBinarizer does.
func (b *hybridBinarizer) GetBlackRow(y int, row *gozxing.BitArray) (*gozxing.BitArray, error) {
	return gozxing.NewGlobalHistgramBinarizer(b.src).GetBlackRow(y, row)
}

// GetBlackMatrix binarizes the image once and caches the result.
func (b *hybridBinarizer) GetBlackMatrix() (*gozxing.BitMatrix, error) {
	if b.matrix != nil {
		return b.matrix, nil
	}
	w, h := b.GetWidth(), b.GetHeight()
	if w < 5*blockSize || h < 5*blockSize {
		m, err := gozxing.NewGlobalHistgramBinarizer(b.src).GetBlackMatrix()
		if err != nil {
			return nil, err
		}
		b.matrix = m
		return m, nil
	}
	subW := (w + blockSize - 1) >> blockPower
	subH := (h + blockSize - 1) >> blockPower
	black, stats := b.blackPoints(subW, subH, w, h)
	b.matrix = b.threshold(black, stats, subW, subH, w, h)
	return b.matrix, nil
}

// blockOffset is the first pixel of block i: blocks at the right and bottom
// edges are moved back so that they stay inside the image.
func blockOffset(i, max int) int {
	if o := i << blockPower; o < max {
		return o
	}
	return max
}

// blackPoints returns the black point of each block (row-major, subW per
// row), as ZXing's calculateBlackPoints, and the block's statistics
// (blockStatsOf: for threshold).
func (b *hybridBinarizer) blackPoints(subW, subH, w, h int) ([]int32, [][3]byte) {
	stats := b.blockStatsOf(subW, subH, w, h)
	black := make([]int32, subW*subH)
	for by := 0; by < subH; by++ {
		for bx := 0; bx < subW; bx++ {
			st := stats[by*subW+bx]
			avg, lo, hi := int32(st[0]), int(st[1]), int(st[2])
			if hi-lo <= minDynamicRange {
				// A flat block: assume background, unless its neighbours say
				// it sits in the dark part of a code.
				avg = int32(lo / 2)
				if b.flatAtMin {
					avg = int32(lo) - 1
				}
				if by > 0 && bx > 0 {
					n := (black[(by-1)*subW+bx] + 2*black[by*subW+bx-1] + black[(by-1)*subW+bx-1]) / 4
					if int32(lo) < n {
						avg = n
					}
				}
			}
			black[by*subW+bx] = avg
		}
	}
	return black, stats
}

// blockStatsOf returns, for each block (row-major, subW per row), its
// mean (the sum of its 64 pixels over 64, rounded down, as ZXing's
// average), its darkest and its lightest pixel. They depend on the pixels
// only, not on the binarizer's rule for flat blocks: when the source is a
// grayLuminance they are kept on it, so that the low-contrast binarizer
// and the hybrid one on the same frame (the first pass and the
// low-contrast pass; the faint pass's full-size scan; the blurred frame's
// two binarizations) compute them once.
func (b *hybridBinarizer) blockStatsOf(subW, subH, w, h int) [][3]byte {
	g, _ := b.src.(*grayLuminance)
	if g != nil && len(g.blocks) == subW*subH {
		return g.blocks
	}
	stats := make([][3]byte, subW*subH)
	for by := 0; by < subH; by++ {
		yo := blockOffset(by, h-blockSize)
		for bx := 0; bx < subW; bx++ {
			xo := blockOffset(bx, w-blockSize)
			sum, lo, hi := blockStats(b.pix[yo*b.stride+xo:], b.stride)
			stats[by*subW+bx] = [3]byte{byte(sum >> (2 * blockPower)), byte(lo), byte(hi)}
		}
	}
	if g != nil {
		g.blocks = stats
	}
	return stats
}

// blockStats returns the sum, the minimum and the maximum of the 8x8
// pixels from pix[0], stride bytes per row. The eight rows are read as
// eight-byte words: their sum in four 16-bit lanes, their minimum and
// maximum lane by lane (minMax), then across the eight lanes: about twice as
// fast as a loop over the 64 pixels.
func blockStats(pix []byte, stride int) (sum, lo, hi int) {
	_ = pix[7*stride+7]
	r0 := binary.LittleEndian.Uint64(pix[0:])
	r1 := binary.LittleEndian.Uint64(pix[stride:])
	r2 := binary.LittleEndian.Uint64(pix[2*stride:])
	r3 := binary.LittleEndian.Uint64(pix[3*stride:])
	r4 := binary.LittleEndian.Uint64(pix[4*stride:])
	r5 := binary.LittleEndian.Uint64(pix[5*stride:])
	r6 := binary.LittleEndian.Uint64(pix[6*stride:])
	r7 := binary.LittleEndian.Uint64(pix[7*stride:])
	const even = 0x00ff00ff00ff00ff
	s := r0&even + r0>>8&even + r1&even + r1>>8&even + r2&even + r2>>8&even + r3&even + r3>>8&even +
		r4&even + r4>>8&even + r5&even + r5>>8&even + r6&even + r6>>8&even + r7&even + r7>>8&even // four lanes of at most 4080
	sum = int(s * 0x0001000100010001 >> 48)
	l01, h01 := minMax(r0, r1)
	l23, h23 := minMax(r2, r3)
	l45, h45 := minMax(r4, r5)
	l67, h67 := minMax(r6, r7)
	l0123, _ := minMax(l01, l23)
	l4567, _ := minMax(l45, l67)
	l, _ := minMax(l0123, l4567)
	_, h0123 := minMax(h01, h23)
	_, h4567 := minMax(h45, h67)
	_, h := minMax(h0123, h4567)
	lo, hi = 255, 0
	for i := 0; i < 64; i += 8 {
		lo = min(lo, int(byte(l>>i)))
		hi = max(hi, int(byte(h>>i)))
	}
	return sum, lo, hi
}

// minMax returns the lane-by-lane minimum and maximum of the eight bytes of
// a and b (unsigned).
func minMax(a, b uint64) (lo, hi uint64) {
	// a < b per byte, as in atOrBelow: the high bits decide, or they are
	// equal and the low 7 bits decide.
	d := (a | lanesHigh) - (b & lanesLow)
	lt := (^a & b & lanesHigh) | (^(a ^ b) & ^d & lanesHigh)
	m := (lt >> 7) * 0xff // 0xff in the lanes where a < b
	return a&m | b&^m, b&m | a&^m
}

// threshold sets the pixels at or below the average black point of the 5x5
// blocks around their block, as ZXing's calculateThresholdForBlock. The
// bits of one row of blocks are set in a small buffer, then copied into
// the matrix (no second image-sized buffer: less for the garbage collector
// on every frame). The last row of blocks overlaps the one above when the
// height is not a multiple of 8: its rows then add to the bits already set.
// A block whose pixels all lie above its threshold (most of a plain wall)
// sets no bit, and one whose pixels all lie at or below it sets them all,
// without comparing its pixels.
func (b *hybridBinarizer) threshold(black []int32, stats [][3]byte, subW, subH, w, h int) *gozxing.BitMatrix {
	words := (w + 31) / 32
	buf := make([]uint32, blockSize*words)
	matrix, _ := gozxing.NewBitMatrix(w, h)
	row := gozxing.NewBitArray(w)
	// columns[x] is the sum of the black points of block column x over
	// the five rows of blocks around the current one: each block's 5x5
	// sum is then five of them.
	columns := make([]int32, subW)
	done := 0 // rows of the matrix already set
	for by := 0; by < subH; by++ {
		yo := blockOffset(by, h-blockSize)
		if top := clamp(by, 2, subH-3); by == 0 || top != clamp(by-1, 2, subH-3) {
			clear(columns)
			for z := top - 2; z <= top+2; z++ {
				for x, v := range black[z*subW : (z+1)*subW] {
					columns[x] += v
				}
			}
		}
		clear(buf)
		for bx := 0; bx < subW; bx++ {
			xo := blockOffset(bx, w-blockSize)
			left := clamp(bx, 2, subW-3)
			c := columns[left-2 : left+3]
			sum := c[0] + c[1] + c[2] + c[3] + c[4]
			t := byte(sum / 25) // black points are at most 255
			switch st := stats[by*subW+bx]; {
			case st[1] > t:
				continue // every pixel light
			case st[2] <= t:
				for yy := 0; yy < blockSize; yy++ {
					setBits(buf[yy*words:], xo, 0xff)
				}
				continue
			}
			for yy := 0; yy < blockSize; yy++ {
				off := (yo+yy)*b.stride + xo
				m := atOrBelow(binary.LittleEndian.Uint64(b.pix[off:off+8]), t)
				setBits(buf[yy*words:], xo, m)
			}
		}
		for yy := 0; yy < blockSize; yy++ {
			y := yo + yy
			if y < done {
				row = matrix.GetRow(y, row)
			} else {
				row.Clear()
			}
			rb := row.GetBitArray()
			for i, v := range buf[yy*words : (yy+1)*words] {
				rb[i] |= v
			}
			matrix.SetRow(y, row)
		}
		done = yo + blockSize
	}
	return matrix
}

// Byte lanes for SWAR (SIMD within a register) arithmetic.
const (
	lanesHigh = 0x8080808080808080
	lanesLow  = 0x7f7f7f7f7f7f7f7f
	lanesOne  = 0x0101010101010101
)

// atOrBelow returns a mask with bit i set when byte i of p (little-endian:
// pixel i of 8) is <= t: eight comparisons in a few instructions.
func atOrBelow(p uint64, t byte) uint32 {
	if t == 255 {
		return 0xff
	}
	b := uint64(t+1) * lanesOne
	// p < b per byte: the high bits decide, or they are equal and the low
	// 7 bits decide (compared without borrows crossing lanes).
	d := (p | lanesHigh) - (b & lanesLow) // high bit set where low7(p) >= low7(b)
	lt := (^p & b & lanesHigh) | (^(p ^ b) & ^d & lanesHigh)
	// Gather the 8 high bits into one byte, pixel i at bit i.
	return uint32(((lt >> 7) * 0x0102040810204080) >> 56)
}

// setBits ORs the 8 bits of m into row at bit x.
func setBits(row []uint32, x int, m uint32) {
	i, s := x>>5, uint(x&31)
	row[i] |= m << s
	if s > 24 {
		row[i+1] |= m >> (32 - s)
	}
}

func clamp(v, lo, hi int) int {
	return max(lo, min(v, hi))
}
