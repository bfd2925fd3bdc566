package qr

import (
	"math"
	"sync"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// The fitted outline (issue 16): the code's corners moved until the
// modules that the QR standard fixes fit the gray levels.
//
// The perspective sampler (perspective.go) takes three of a code's
// corners from the finder patterns' outer squares and the fourth where
// the lines along two of their sides cross. That crossing is off when the
// patterns' sides are blurred or short: on a defocused phone screen of
// version 9 it was 2.9 modules off, on a card smeared by motion 0.6
// module, and the grid sampled through it did not decode, although the
// same frames decode from their gray levels through the true corners
// (every one of the seven wild frames that zbar or zxing-cpp read and
// kiosk/qr did not, on 6 December 2026).
//
// Whatever a code holds, its version fixes about a sixth of its modules:
// the finder patterns and their separators, the timing patterns, the
// alignment patterns, the dark module and, from version 7, the version
// information. Through the right outline their gray levels split into a
// dark and a light group; through a wrong one the groups mix. So the
// fourth corner is searched over a square of 7x7 positions a module apart
// for the outline whose known modules separate best (fit.score), at the
// dimensions the outline measured, then moved by half a module, and then
// each corner by a quarter and a tenth of a module while the score rises.
// The grid is sampled in gray through the fitted outline, thresholded
// halfway between the known modules' dark and light levels: the levels of
// this code, under its own light.

// fittedSampling is switched off only by the tests that measure later
// passes on frames the first pass did not read before the fitted outline
// read some of them (TestOutlinedPass, TestWrongOutline,
// TestLowContrastCards).
var fittedSampling = true

// knownModule is a module whose colour the QR standard fixes for every
// code of a version.
type knownModule struct {
	x, y int
	dark bool
}

// knownModules returns the modules that every code of dimension dim has:
// the finder patterns with their separators, the timing patterns, the
// dark module, the alignment patterns and, from version 7, the two copies
// of the version information. It returns nil when dim is no QR dimension.
func knownModules(dim int) []knownModule {
	if dim < 21 || dim > 177 || (dim-17)%4 != 0 {
		return nil
	}
	version := (dim - 17) / 4
	var ms []knownModule
	add := func(x, y int, dark bool) { ms = append(ms, knownModule{x, y, dark}) }
	eachFixedModule(dim, func(x, y int, dark bool) bool { // finders, separators, timing
		add(x, y, dark)
		return true
	})
	add(8, dim-8, true)
	v, err := decoder.Version_GetVersionForNumber(version)
	if err != nil {
		return ms
	}
	centers := v.GetAlignmentPatternCenters()
	last := len(centers) - 1
	for i, cy := range centers {
		for j, cx := range centers {
			if i == 0 && (j == 0 || j == last) || i == last && j == 0 {
				continue // where a finder pattern is
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					add(cx+dx, cy+dy, max(dx, -dx, dy, -dy) != 1)
				}
			}
		}
	}
	if version >= 7 {
		// Bit k (from the least significant) of the version information
		// lies at (dim-11+k%3, k/3) beside the top-right pattern and,
		// mirrored, beside the bottom-left one (gozxing's readVersion).
		info := decoder.VERSION_DECODE_INFO[version-7]
		for k := range 18 {
			dark := info>>k&1 == 1
			add(dim-11+k%3, k/3, dark)
			add(k/3, dim-11+k%3, dark)
		}
	}
	return ms
}

// fit is an outline of a code of dimension dim with its known modules,
// and buffers for their positions in the image. It reads the gray levels
// gray or, when bits is not nil, binarized bits as levels 0 (dark) and
// 255 (light): a highlight on the code mixes its gray levels, not the
// bits a local threshold gave (pairs.go).
type fit struct {
	gray *grayLuminance
	bits *gozxing.BitMatrix
	dim  int
	*fitShape
	// pts holds the known modules' centers mapped into the image and
	// levels the levels there, reused by every score (made by the first).
	pts, levels []float64
}

// fitShape is what a fit holds that depends on neither the image nor the
// outline: the known modules (every step-th of knownModules(dim)), and
// their centers in module coordinates, x then y, the dark ones first
// (dark of them), each group in known's order. It is shared, read only,
// by every fit of that dimension and step (fitShapeOf): the fitted outline
// and the guessed third pattern (pairs.go) make many fits per frame, and
// building their modules each time was half of the bytes a hard frame
// allocated (README.md, "Less work on the slowest frames").
type fitShape struct {
	step    int
	known   []knownModule
	centers []float64
	dark    int
}

// fitShapes caches the fitShape of each dimension and step.
var fitShapes sync.Map // [2]int{dim, step} -> *fitShape

// fitShapeOf returns the shape of a fit on every step-th known module of
// a code of dimension dim, nil when dim is no QR dimension.
func fitShapeOf(dim, step int) *fitShape {
	key := [2]int{dim, step}
	if s, ok := fitShapes.Load(key); ok {
		return s.(*fitShape)
	}
	all := knownModules(dim)
	if all == nil {
		return nil
	}
	var known []knownModule
	for i := 0; i < len(all); i += step {
		known = append(known, all[i])
	}
	s := &fitShape{step: step, known: known, centers: make([]float64, 0, 2*len(known))}
	for _, dark := range []bool{true, false} {
		for _, m := range known {
			if m.dark == dark {
				s.centers = append(s.centers, float64(m.x)+0.5, float64(m.y)+0.5)
			}
		}
		if dark {
			s.dark = len(s.centers) / 2
		}
	}
	v, _ := fitShapes.LoadOrStore(key, s)
	return v.(*fitShape)
}

// newFit returns the fit of a code of dimension dim in gray; ok is false
// when dim is no QR dimension.
func newFit(gray *grayLuminance, dim int) (*fit, bool) {
	shape := fitShapeOf(dim, 1)
	if shape == nil {
		return nil, false
	}
	return &fit{gray: gray, dim: dim, fitShape: shape}, true
}

// newBitsFit is newFit on binarized bits.
func newBitsFit(bits *gozxing.BitMatrix, dim int) (*fit, bool) {
	f, ok := newFit(nil, dim)
	if ok {
		f.bits = bits
	}
	return f, ok
}

// sparse returns a fit on every step-th of f's known modules.
func (f *fit) sparse(step int) *fit {
	return &fit{gray: f.gray, bits: f.bits, dim: f.dim, fitShape: fitShapeOf(f.dim, f.fitShape.step*step)}
}

// score returns how well the gray levels at the known modules' centers,
// mapped through the outline c, separate dark from light: the difference
// of the two groups' means over their pooled standard deviation (plus one
// gray level, so that a flat image scores 0). ok is false when a module
// falls outside the image.
func (f *fit) score(c [4]point) (score, dark, light float64, ok bool) {
	if f.pts == nil {
		f.pts, f.levels = make([]float64, len(f.centers)), make([]float64, len(f.known))
	}
	copy(f.pts, f.centers)
	outlineTransform(c, f.dim).TransformPoints(f.pts)
	if !f.readLevels() {
		return 0, 0, 0, false
	}
	var sd, sd2, sl, sl2 float64
	for _, v := range f.levels[:f.dark] {
		sd, sd2 = sd+v, sd2+v*v
	}
	for _, v := range f.levels[f.dark:] {
		sl, sl2 = sl+v, sl2+v*v
	}
	nd, nl := f.dark, len(f.levels)-f.dark
	dark, light = sd/float64(nd), sl/float64(nl)
	pooled := (sd2 - float64(nd)*dark*dark + sl2 - float64(nl)*light*light) / float64(nd+nl)
	return (light - dark) / math.Sqrt(max(pooled, 0)+1), dark, light, true
}

// readLevels sets f.levels to the levels at f.pts (grayLevels,
// bitLevels), false when a point lies outside the image.
func (f *fit) readLevels() bool {
	if f.bits != nil {
		return bitLevels(f.bits, f.pts, f.levels)
	}
	return grayLevels(f.gray, f.pts, f.levels)
}

// bitLevels is grayLevels on bits read as levels 0 (dark) and 255
// (light).
func bitLevels(bits *gozxing.BitMatrix, pts, levels []float64) bool {
	w, h := float64(bits.GetWidth()-1), float64(bits.GetHeight()-1)
	for k := range levels {
		x0, y0, fx, fy, ok := pixelCell(pts[2*k], pts[2*k+1], w, h)
		if !ok {
			return false
		}
		levels[k] = blend(bitLevel(bits, x0, y0), bitLevel(bits, x0+1, y0),
			bitLevel(bits, x0, y0+1), bitLevel(bits, x0+1, y0+1), fx, fy)
	}
	return true
}

// bitLevel is the level of bit (x, y) of bits: 0 dark, 255 light.
func bitLevel(bits *gozxing.BitMatrix, x, y int) float64 {
	if bits.Get(x, y) {
		return 0
	}
	return 255
}

// module returns the mean module size, in pixels, of the outline c.
func (f *fit) module(c [4]point) float64 {
	return (math.Sqrt(dist2(c[0], c[1])) + math.Sqrt(dist2(c[1], c[2])) + math.Sqrt(dist2(c[2], c[3])) +
		math.Sqrt(dist2(c[3], c[0]))) / 4 / float64(f.dim)
}

// searchCorner moves the bottom-right corner of c over (2*span+1)^2
// positions step modules apart and returns the outline that scores best
// (ok false when none could be scored).
func (f *fit) searchCorner(c [4]point, span int, step float64) (best [4]point, score float64, ok bool) {
	return f.searchCornerAt(c, 2, span, step)
}

// searchCornerAt is searchCorner for corner k of c.
func (f *fit) searchCornerAt(c [4]point, k, span int, step float64) (best [4]point, score float64, ok bool) {
	d := step * f.module(c)
	score = math.Inf(-1)
	for dy := -span; dy <= span; dy++ {
		for dx := -span; dx <= span; dx++ {
			try := c
			try[k].x += float64(dx) * d
			try[k].y += float64(dy) * d
			if s, _, _, in := f.score(try); in && s > score {
				best, score, ok = try, s, true
			}
		}
	}
	return best, score, ok
}

// refine moves each corner of c, which scores score, a quarter and then
// a tenth of a module at a time while the score rises (at most
// fitRounds rounds per step).
func (f *fit) refine(c [4]point, score float64) ([4]point, float64) {
	for _, step := range []float64{0.25, 0.1} {
		d := step * f.module(c)
		for range fitRounds {
			moved := false
			for k := range 4 {
				for _, dir := range [4][2]float64{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
					try := c
					try[k].x += dir[0] * d
					try[k].y += dir[1] * d
					if s, _, _, in := f.score(try); in && s > score {
						c, score, moved = try, s, true
					}
				}
			}
			if !moved {
				break
			}
		}
	}
	return c, score
}

// Limits of the fitted outline, from the wild frames it reads that no
// pass read before (ten, on 6 December 2026) and the outlines of
// qrbench's 100 generated frames without a code (texture). The codes'
// outlines score 0.7 to 3.2 as the perspective sampler measured them (at
// the dimension that reads) and 2.9 to 5.3 after the search's first
// step; the four traced to the end 4.0 to 6.0 there, and 0.9 to 2.0 a
// version off. The texture's outlines score at most 0.2 before the
// search and 0.25 after its first step.
const (
	// fitStartScore is the score an outline must have, as measured, for
	// the search to start at a dimension: it costs one score instead of
	// the first step's 49 on texture.
	fitStartScore = 0.4
	// fitFirstScore is the score the first step (the corner a module at a
	// time) must reach for the search to go on.
	fitFirstScore = 2.0
	// fitMinScore is the score of an outline whose grid is decoded.
	fitMinScore = 3.0
	// fitSpan: the first step moves the corner up to 3 modules each way.
	fitSpan = 3
	// fitRounds bounds the rounds of refine per step.
	fitRounds = 8
)

// decodeFitted fits the outline c of a code that the perspective sampler
// measured as dim modules wide, at dim and at the next smaller dimension
// (outlineDimensions) where c scores fitStartScore or more, samples the
// grid in gray through the best fit and decodes it.
func decodeFitted(gray *grayLuminance, c [4]point, dim int) (string, bool) {
	var best *fit
	var bestC [4]point
	bestScore := fitFirstScore
	for _, d := range outlineDimensions(dim) {
		f, ok := newFit(gray, d)
		if !ok {
			continue
		}
		if s, _, _, ok := f.score(c); !ok || s < fitStartScore {
			continue
		}
		if fc, s, ok := f.searchCorner(c, fitSpan, 1); ok && s >= bestScore {
			best, bestC, bestScore = f, fc, s
		}
	}
	if best == nil {
		return "", false
	}
	c, score, _ := best.searchCorner(bestC, 1, 0.5)
	c, score = best.refine(c, score)
	if score < fitMinScore {
		return "", false
	}
	_, dark, light, _ := best.score(c)
	return sampleGray(gray, c, best.dim, (dark+light)/2)
}

// sampleGray samples the gray levels at the module centers of the code of
// dimension dim that c outlines, dark below threshold, and decodes the
// grid.
func sampleGray(gray *grayLuminance, c [4]point, dim int, threshold float64) (string, bool) {
	grid, err := gozxing.NewSquareBitMatrix(dim)
	if err != nil {
		return "", false
	}
	pts := make([]float64, 0, 2*dim*dim)
	for y := range dim {
		for x := range dim {
			pts = append(pts, float64(x)+0.5, float64(y)+0.5)
		}
	}
	outlineTransform(c, dim).TransformPoints(pts)
	levels := make([]float64, dim*dim)
	if !grayLevels(gray, pts, levels) {
		return "", false
	}
	for k, v := range levels {
		if v < threshold {
			grid.Set(k%dim, k/dim)
		}
	}
	res, err := decodeGrid(grid)
	if err != nil {
		return "", false
	}
	return res.GetText(), true
}
