package qr

import "github.com/makiuchi-d/gozxing"

// Soft modules (issue 16): defocus, motion, JPEG or a highlight spread a
// dark module over its light neighbours, so the light ring of a finder
// pattern, one module wide, fills in and its 1:1:3:1:1 runs are lost; on
// a faint code the low-contrast binarization (lowcontrast.go) then sees
// the finder patterns that were spared and not the others. An unsharp
// mask undoes part of the spread: each pixel moves away from the mean of
// the 5x5 pixels around it by as much as it differs from it, 2p - mean,
// clamped to 0-255, which opens the light rings again (on codes of 3-6 px
// modules). zbar, which finds edges in the gray levels rather than on a
// binarized image, reads some such codes.
//
// The faint pass (lowcontrast.go: frames that gave the first pass no
// hint) binarizes the sharpened frame for low contrast and reads it when
// the frame binarized for low contrast at full size showed finder
// patterns seen on several rows (a strong hint) and read nothing, trying
// everything on a code it finds (allTries: fewTries read one card fewer).
// After a weak hint too it read one more card of eight wild seeds' 1,600
// and cost 4 of 50 wild rooms 2-3 ms each. The same pass last in the deep
// passes read 4 more frames and raised the p95 of the cards that set it
// by a tenth to a fifth: not kept (README.md has the figures).

// sharpenRadius is the half side of the mean's window, and sharpenWindow
// its pixels: 5x5.
const (
	sharpenRadius = 2
	sharpenWindow = (2*sharpenRadius + 1) * (2*sharpenRadius + 1)
)

// sharpenGray returns src with an unsharp mask, 2p - mean5x5(p) clamped,
// in *buf (grown when too small; a new buffer when buf is nil). Beyond
// the frame's edges the edge pixels repeat. The window's sums are kept
// per column, moved down a row at a time, and added along each row.
func sharpenGray(src *grayLuminance, buf *[]byte) *grayLuminance {
	w, h := src.GetWidth(), src.GetHeight()
	const r = sharpenRadius
	if buf == nil {
		buf = new([]byte)
	}
	if cap(*buf) < w*h {
		*buf = make([]byte, w*h)
	}
	pix := (*buf)[:w*h]
	row := func(y int) []byte {
		y = min(max(y, 0), h-1)
		return src.pix[y*src.stride : y*src.stride+w]
	}
	// col[x] is the sum of column x over the window's rows, y-r to y+r;
	// ext is one row's sums with r columns more on each side (the edge
	// columns repeated).
	col := make([]int32, w)
	ext := make([]int32, w+2*r)
	for dy := -r; dy <= r; dy++ {
		for x, v := range row(dy) {
			col[x] += int32(v)
		}
	}
	for y := range h {
		for i := range r {
			ext[i], ext[w+r+i] = col[0], col[w-1]
		}
		copy(ext[r:], col)
		var sum int32
		for i := range 2 * r {
			sum += ext[i]
		}
		line, out := row(y)[:w], pix[y*w:(y+1)*w]
		for x := range w {
			sum += ext[x+2*r]
			out[x] = sharpLevels[2*int(line[x])-int(windowMean[sum])+255]
			sum -= ext[x]
		}
		if y+1 < h {
			add, sub := row(y+1+r), row(y-r)
			for x := range w {
				col[x] += int32(add[x]) - int32(sub[x])
			}
		}
	}
	// src's geometry was checked: pix is w x h, stride w.
	return &grayLuminance{LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: w, Height: h}, pix: pix, stride: w}
}

// windowMean[s] is a window's mean gray level, rounded, when its pixels
// add up to s; sharpLevels[v+255] is 2p - mean = v clamped to 0-255.
var windowMean, sharpLevels = func() (mean [256 * sharpenWindow]uint8, levels [3*256 - 1]uint8) {
	const n = sharpenWindow
	for s := range mean {
		mean[s] = uint8((s + n/2) / n)
	}
	for i := range levels {
		levels[i] = uint8(min(max(i-255, 0), 255))
	}
	return mean, levels
}()

// scanSharpened reads src sharpened, binarized for low contrast, trying
// everything on a code it finds.
func scanSharpened(src *grayLuminance) []string {
	buf := halfBuffers.Get().(*[]byte)
	defer halfBuffers.Put(buf) // the scan keeps no reference to the pixels
	return scanLowContrast(sharpenGray(src, buf), allTries).texts
}
