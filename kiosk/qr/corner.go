package qr

import (
	"math"

	"github.com/makiuchi-d/gozxing"
)

// The fourth corner, where the modules are sharpest (issue 16).
//
// The perspective sampler (perspective.go) puts the code's bottom-right
// corner where the lines along the top-right and bottom-left patterns'
// outer sides cross. Those lines are measured on 7 modules and extended
// across the code, so a small error in their direction moves the corner a
// lot: under motion blur or defocus, the patterns' edges shift and the
// corner lands 1-2 modules off (wild seed 17's cards 7 and 13, read by
// zxing-cpp: 8 and 5 px off, the other three corners within 1 px). The
// grid then drifts off the modules towards that corner and the code does
// not decode.
//
// Sampled at the modules' centers, a code's gray levels are dark or light;
// sampled on a grid that drifts onto the modules' edges, they fall in
// between. So the corner is moved, a step at a time, to where the gray
// levels sampled at the module centers of the code's half nearest to it
// vary most (a climb: the 8 neighbours at half a module, then at a quarter,
// until none is better), and the code is sampled again there. It runs in
// the 1.5x pass and, when two of the patterns were confirmed, in the first
// pass and the inverted scan (sharpTries), on a code whose patterns were
// found and that the perspective sampler did not read.

// Bounds of the climb: steps of half and a quarter of a module, at most
// cornerMoves moves at each.
const cornerMoves = 12

// sampleSharpest moves the bottom-right corner of the outline c (top-left,
// top-right, bottom-right, bottom-left) of a code of dimension dim to
// where the modules are sharpest in gray (sharpestCorner), and decodes the
// grid sampled from bits through the moved outline. It reads nothing when
// the corner does not move.
func sampleSharpest(bits *gozxing.BitMatrix, gray *grayLuminance, c [4]point, dim int) (string, bool) {
	moved, ok := sharpestCorner(gray, c, dim)
	if !ok {
		return "", false
	}
	text, read, _ := decodeSampled(bits, outlineTransform(moved, dim), dim)
	return text, read
}

// sharpestCorner returns the outline c of a code of dimension dim with its
// bottom-right corner moved where the gray levels at the module centers
// near it vary most, climbing by half a module, then a quarter. ok is
// false when the corner stays where it was.
func sharpestCorner(gray *grayLuminance, c [4]point, dim int) (moved [4]point, ok bool) {
	side := (math.Sqrt(dist2(c[0], c[1])) + math.Sqrt(dist2(c[0], c[3]))) / 2
	module := side / float64(dim)
	if !(module >= 1) || dim < 21 { // also NaN
		return c, false
	}
	s := sharpness{gray: gray, dim: dim, every: max(1, dim/sharpnessSide), pts: make([]float64, 2*dim), levels: make([]float64, dim)}
	best, score := c, s.of(c)
	if score < 0 {
		return c, false
	}
	for _, step := range []float64{module / 2, module / 4} {
		for range cornerMoves {
			from, climbed := best, false
			for dy := -1.0; dy <= 1; dy++ {
				for dx := -1.0; dx <= 1; dx++ {
					if dx == 0 && dy == 0 {
						continue
					}
					q := from
					q[2] = point{from[2].x + dx*step, from[2].y + dy*step}
					if v := s.of(q); v > score {
						best, score, climbed = q, v, true
					}
				}
			}
			if !climbed {
				break
			}
		}
	}
	return best, best != c
}

// sharpnessSide bounds the cost of scoring an outline: on a code of more
// modules a side, one module in every dim/sharpnessSide along each axis is
// sampled.
const sharpnessSide = 25

// sharpness scores outlines of a code of dimension dim on a gray image.
type sharpness struct {
	gray   *grayLuminance
	dim    int
	every  int       // one module in every, on each axis
	pts    []float64 // one row of module centers, reused
	levels []float64 // and their gray levels
}

// of returns the variance of the gray levels at the centers of the
// modules on and below the anti-diagonal (the half nearest to the
// bottom-right corner; one in every s.every on each axis) when the code's
// outer corners are c, or -1 when one of them lies outside the image.
func (s sharpness) of(c [4]point) float64 {
	t := outlineTransform(c, s.dim)
	var sum, sum2 float64
	n := 0
	for y := 0; y < s.dim; y += s.every {
		k := 0
		for x := s.dim - 1 - y; x < s.dim; x += s.every {
			s.pts[2*k], s.pts[2*k+1] = float64(x)+0.5, float64(y)+0.5
			k++
		}
		t.TransformPoints(s.pts[:2*k])
		levels := s.levels[:k]
		if !grayLevels(s.gray, s.pts, levels) {
			return -1
		}
		for _, v := range levels {
			sum += v
			sum2 += v * v
			n++
		}
	}
	mean := sum / float64(n)
	return sum2/float64(n) - mean*mean
}

// grayLevels sets levels[k] to the gray level at (pts[2k], pts[2k+1]),
// pixel centers at half coordinates, interpolated between the four
// nearest pixels, and returns false when a point lies outside the image
// (levels then partly set). The samplers that score outlines (sharpness
// here, fit.score) read hundreds of points per outline in one loop: a
// call per point took a third more time.
func grayLevels(g *grayLuminance, pts, levels []float64) bool {
	pix, stride := g.pix, g.stride
	w, h := float64(g.GetWidth()-1), float64(g.GetHeight()-1)
	for k := range levels {
		x0, y0, fx, fy, ok := pixelCell(pts[2*k], pts[2*k+1], w, h)
		if !ok {
			return false
		}
		i := y0*stride + x0
		p := pix[i : i+stride+2 : i+stride+2]
		levels[k] = blend(float64(p[0]), float64(p[1]), float64(p[stride]), float64(p[stride+1]), fx, fy)
	}
	return true
}

// pixelCell returns the pixel (x0, y0) whose center is the top-left one
// of the four around (x, y), pixel centers at half coordinates, and where
// (x, y) lies between them (fx, fy, 0 to 1); ok is false unless the four
// lie in an image whose last pixel is at (w, h) (its width and height
// less one).
func pixelCell(x, y, w, h float64) (x0, y0 int, fx, fy float64, ok bool) {
	x, y = x-0.5, y-0.5
	if !(x >= 0 && y >= 0 && x < w && y < h) { // also NaN
		return 0, 0, 0, 0, false
	}
	x0, y0 = int(x), int(y)
	return x0, y0, x - float64(x0), y - float64(y0), true
}

// blend interpolates bilinearly between the levels v00 (top left), v10
// (top right), v01 (bottom left) and v11 at fx, fy.
func blend(v00, v10, v01, v11, fx, fy float64) float64 {
	top := v00 + fx*(v10-v00)
	bottom := v01 + fx*(v11-v01)
	return top + fy*(bottom-top)
}
