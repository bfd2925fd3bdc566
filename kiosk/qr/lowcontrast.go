package qr

import (
	"encoding/binary"
	"sync"
)

// Low-contrast codes (issue 16): a card printed in gray ink, faded, or
// seen in a dim room, whose dark and light modules are 20 to 60 gray
// levels apart. ZXing's hybrid binarizer takes an 8x8 block whose range
// is 24 levels or less as flat background and gives it half its minimum
// as black point; the threshold of every pixel is the mean of the black
// points of the 5x5 blocks around it. Next to flat blocks (the code's
// quiet zone, a plain wall) that mean falls below a low-contrast code's
// dark modules: the finder patterns' outer rings and the code's edges
// turn light, and the finder sees nothing. The low-contrast binarizer is
// the same but for one thing: a flat block's black point is just below
// its minimum, so a flat area stays light and its neighbours' thresholds
// stay between their own dark and light.
//
// As the first pass it read more wild cards (qrbench seed 1: 164-167 of
// 200 instead of 157) but fewer of the rest (163-165 of the 179 real
// photos instead of 169, 223-235 generated frames instead of 238, with
// the flat black point 1, 8, 24 or 40 levels below the minimum) and gave
// more hints on empty frames; as a second scan of every frame, or of the
// frames with a weak hint, it costs 0.3 ms or more per empty frame (half
// of the first pass; textures on walls give a weak hint on a third of
// qrbench's generated empty frames), and no cheap statistic of the blocks
// told the frames it reads from the empty ones. So it runs in the deep
// passes after a strong hint only, last: frames read before it pay
// nothing, and few empty frames get there (2 of qrbench's 100 generated
// empty frames, none of its 50 wild rooms: 1% of their decoding time).
// Where the outlined code is not the first pass, it now runs before the
// 1.5x pass and OpenCV's locator (2-4 and 5-10 ms): on wild seeds 97 and
// 131 it read six codes that had paid both first, and the two read it
// costs more are read 0.5-1 ms later (README.md).
// It tries less on a code it finds but cannot read (fewTries): that read
// as much on wild seeds 1, 7 and 11.
//
// After a weak hint, the second of the two cheap passes (the frame with a
// 3x3 blur) binarizes for low contrast instead of with the hybrid
// binarizer, and with the hybrid one too only when that shows a strong
// hint and no code (one of TestHardFrames' frames). That costs the same
// (2.0 ms mean on qrbench's generated empty frames, 0.85 on its wild
// rooms, either way) and read more: wild cards seed 1 171 -> 176, 97 170
// -> 171, 131 169 -> 173; Render frames 242 -> 243; photos 174 both.

// newLowContrastBinarizer returns the hybrid binarizer with flat blocks'
// black points just below their minimum.
func newLowContrastBinarizer(src *grayLuminance) *hybridBinarizer {
	b := newHybridBinarizer(src).(*hybridBinarizer)
	b.flatAtMin = true
	return b
}

// scanLowContrast reads src binarized for low contrast.
func scanLowContrast(src *grayLuminance, t tries) scan {
	return scanImage(newLowContrastBinarizer(src), t)
}

// A low-contrast code often gives the first pass no hint at all: its
// finder patterns' rings are whitened (above), and no later pass ran on
// such a frame. Binarizing the whole frame again for low contrast costs
// half a first pass on every frame without a hint, that is on most empty
// frames (README.md). The faint pass does it at half size instead: a
// quarter of the pixels, and half the rows for the finder. The half-size
// frame is the 2x2 average of the frame (halveGray), which also evens out
// sensor noise. When that shows anything like a finder pattern and reads
// nothing, the frame is binarized for low contrast at full size too:
// codes of 3-4 px modules, which half size blurs. On qrbench's empty
// frames without a hint (seed 1: 69 generated, 45 wild rooms) half size
// showed a spot on 6, and a strong hint on none. Going to full size only
// for spots of small modules (under 2.5 px at half size: 1 of those 6)
// read 5 fewer codes on wild seeds 1, 97, 131, 211 and 223 (cards and
// screens), to save 4 full-size binarizations in 50 wild rooms (0.5-1 ms
// each here): about 0.05 ms per room on average.
//
// The full-size scan tries everything on a code it finds and cannot read
// (allTries: the grid at neighbouring sizes too). Its finder patterns
// there are those of a faint code, which gozxing's estimate of the size
// misses as often as on any other: wild seed 223's card 27, a version 1
// code in gray ink on a card held over a checkered wall, shows its three
// patterns and reads only at the size next to the estimate. It read that
// card and lost none on eleven wild seeds (cards and screens), the
// photos and the Render frames; few frames get there (above).
//
// A loose finder pattern at half size (patternFinder.loose: it fits
// 1:1:3:1:1 only within half a pixel more than gozxing allows) sends the
// frame to full size too: wild seed 7's card 23 and seed 29's card 119,
// which zxing-cpp reads, show one at half size and nothing else, and
// their three patterns at full size, where they read. On 4 of the 100
// generated empty frames and 3 of the 50 wild rooms, it costs a
// full-size binarization more (README.md: finder patterns within half a
// pixel).

// When the full-size scan shows two finder patterns and reads nothing,
// the third is guessed (pairs.go): wild seed 17's card 0, whose code
// gives the first pass no hint, is read so. When it shows finder
// patterns seen on several rows (a strong hint) and nothing reads, the
// frame sharpened (sharpen.go): soft modules, whose patterns' light rings
// filled in.

// faintMinSide is the smallest frame side the faint pass halves.
const faintMinSide = 2 * minPassSide

// scanFaint reads a frame that gave the first pass no hint, binarized for
// low contrast: at half size, then at full size when half size showed a
// finder-like spot or a loose pattern, then sharpened when full size
// showed a strong hint.
func scanFaint(src *grayLuminance) []string {
	if min(src.GetWidth(), src.GetHeight()) < faintMinSide {
		return nil
	}
	buf := halfBuffers.Get().(*[]byte)
	s := scanLowContrast(halveGray(src, buf), fewTries)
	halfBuffers.Put(buf) // the scan keeps no reference to the pixels
	if len(s.texts) > 0 || s.hint() == hintNone && s.loose == 0 {
		return s.texts
	}
	full := scanLowContrast(src, allTries)
	if len(full.texts) == 0 {
		if texts := full.guessThird(); len(texts) > 0 {
			return texts
		}
		if full.hint() != hintStrong {
			return nil
		}
		return scanSharpened(src) // blurred finder patterns (sharpen.go)
	}
	return full.texts
}

// halfBuffers holds the pixels of half-size frames between frames: one
// less frame-sized allocation for the garbage collector on every frame
// that reaches the faint pass or the half-size pass.
var halfBuffers = sync.Pool{New: func() any { return new([]byte) }}

// halveGray returns src at half size, each pixel the rounded mean of a 2x2
// block (an odd last row or column is dropped), in *buf (grown when too
// small; a new buffer when buf is nil). Eight source pixels of two rows
// are added at a time in 16-bit lanes.
func halveGray(src *grayLuminance, buf *[]byte) *grayLuminance {
	w, h := src.GetWidth()/2, src.GetHeight()/2
	if buf == nil {
		buf = new([]byte)
	}
	if cap(*buf) < w*h {
		*buf = make([]byte, w*h)
	}
	pix := (*buf)[:w*h]
	for y := 0; y < h; y++ {
		a := src.pix[2*y*src.stride : 2*y*src.stride+2*w]
		b := src.pix[(2*y+1)*src.stride : (2*y+1)*src.stride+2*w]
		out := pix[y*w : (y+1)*w]
		x := 0
		for ; x+8 <= w; x += 8 {
			a16, b16 := a[2*x:2*x+16], b[2*x:2*x+16]
			lo := mean2x2(binary.LittleEndian.Uint64(a16), binary.LittleEndian.Uint64(b16))
			hi := mean2x2(binary.LittleEndian.Uint64(a16[8:]), binary.LittleEndian.Uint64(b16[8:]))
			binary.LittleEndian.PutUint64(out[x:], lo|hi<<32)
		}
		for ; x < w; x++ {
			out[x] = byte((int(a[2*x]) + int(a[2*x+1]) + int(b[2*x]) + int(b[2*x+1]) + 2) >> 2)
		}
	}
	g, _ := newGrayLuminance(pix, w, h, w) // w, h >= 1: callers halve frames of faintMinSide or more
	return g
}

// mean2x2 returns, in its low four bytes, the rounded means of the four 2x2
// blocks of eight pixels p of one row over eight pixels q of the next.
func mean2x2(p, q uint64) uint64 {
	const (
		even  = 0x00ff00ff00ff00ff
		round = 0x0002000200020002
	)
	s := p&even + p>>8&even + q&even + q>>8&even + round // four sums of 2x2, at most 1022 each
	s = s >> 2 & even                                    // four means, one in each 16-bit lane
	s = (s | s>>8) & 0x0000ffff0000ffff
	return (s | s>>16) & 0xffffffff
}
