package qr

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// A perspective sampler for codes whose three finder patterns were found
// but whose grid gozxing could not sample (issue 16). gozxing maps the
// code from the three patterns' centers and guesses the fourth corner as
// if the code were a parallelogram; it then looks for the alignment
// pattern near that guess. On a card tilted 30-50° the guess is several
// modules off, the alignment pattern is not found there, and the code
// fell to the deep passes (OpenCV's locator and a 1.5x pass: 10-15 ms).
//
// The idea is zxing-cpp's (its QR detector follows the outer edges of the
// finder patterns): each finder pattern's outer square, seen in
// perspective, is a quadrilateral whose sides lie on the code's own
// edges. So the top-right pattern's outer side gives the direction of the
// code's right edge, the bottom-left pattern's outer side that of its
// bottom edge, and the two lines cross at the code's fourth corner. The
// four corners then give a perspective transform, and the dimension is
// measured through it (the patterns' inner corners lie 7 modules in).

// patternRays is the number of rays cast from a finder pattern's center
// to find its outer square's border.
const patternRays = 48

// decodePerspective samples and decodes the code framed by info's finder
// patterns through the perspective their outer squares show: the bits
// (samplePerspective), then, when sharp is not nil, with the fourth
// corner where sharp's gray levels are sharpest (corner.go), then the
// bent mapping (bent.go), then, when fit is not nil, fit's gray levels
// through the outline fitted to the code's known modules (fitted.go). It also
// returns the code's four outer corners (top-left, top-right, bottom-right,
// bottom-left) when the patterns' edges gave them: the deep passes
// straighten the code there (Decoder.scanOutlined); they are the zero
// value when the edges gave none.
func decodePerspective(bits *gozxing.BitMatrix, sharp, fit *grayLuminance, info *detector.FinderPatternInfo) (string, [4]point, bool) {
	var c [4]point
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	ctl, ok1 := patternCorners(bits, tl)
	ctr, ok2 := patternCorners(bits, tr)
	cbl, ok3 := patternCorners(bits, bl)
	if !ok1 || !ok2 || !ok3 {
		return "", c, false
	}
	pTL, pTR, pBL := pt(tl), pt(tr), pt(bl)
	// The code's outer corners: for each pattern, its corner farthest
	// from the other patterns.
	iTL := farthest(ctl, point{(pTR.x + pBL.x) / 2, (pTR.y + pBL.y) / 2})
	iTR := farthest(ctr, pBL)
	iBL := farthest(cbl, pTR)
	// The outer corner's neighbour farther from the top-left pattern is
	// the pattern's corner on the code's right (bottom) edge.
	down := awayFrom(ctr, iTR, pTL)
	right := awayFrom(cbl, iBL, pTL)
	br, ok := intersect(ctr[iTR], down, cbl[iBL], right)
	if !ok {
		return "", c, false
	}
	c = [4]point{ctl[iTL], ctr[iTR], br, cbl[iBL]}
	w, h := float64(bits.GetWidth()), float64(bits.GetHeight())
	if !convex(c) || br.x < -w/4 || br.x > w*5/4 || br.y < -h/4 || br.y > h*5/4 {
		return "", [4]point{}, false
	}
	dim, ok := outlineDimension(c, ctl[(iTL+2)%4], ctr[(iTR+2)%4], cbl[(iBL+2)%4])
	if !ok {
		return "", c, false
	}
	if text, ok := samplePerspective(bits, info, c, dim); ok {
		return text, c, true
	}
	if sharp != nil {
		if text, ok := sampleSharpest(bits, sharp, c, dim); ok {
			return text, c, true
		}
	}
	// A bent card (bent.go): the same outline, its mapping bent to the
	// patterns' corners.
	if bentSampling {
		o := patternOutline{info: info, c: c, ctl: ctl, ctr: ctr, cbl: cbl, iTL: iTL, iTR: iTR, iBL: iBL}
		if text, ok := decodeBent(bits, o, dim); ok {
			return text, c, true
		}
	}
	if fit != nil && fittedSampling {
		if text, ok := decodeFitted(fit, c, dim); ok {
			return text, c, true
		}
	}
	return "", c, false
}

// affineOutline returns the outer corners of the code whose finder
// patterns are info as gozxing sees it: a parallelogram on the three
// patterns' centers, 3.5 modules in from the code's corners.
func affineOutline(info *detector.FinderPatternInfo) [4]point {
	tl, tr, bl := pt(info.GetTopLeft()), pt(info.GetTopRight()), pt(info.GetBottomLeft())
	module := (info.GetTopLeft().GetEstimatedModuleSize() + info.GetTopRight().GetEstimatedModuleSize() +
		info.GetBottomLeft().GetEstimatedModuleSize()) / 3
	across := (math.Sqrt(dist2(tl, tr)) + math.Sqrt(dist2(tl, bl))) / 2 / max(module, 1)
	return centersOutline(tl, tr, bl, max(across, 1))
}

// centersOutline returns the outer corners of the code whose finder
// patterns are centered at tl, tr and bl, across modules apart (the
// code's dimension less 7): a parallelogram, 3.5 modules out from each
// center.
func centersOutline(tl, tr, bl point, across float64) [4]point {
	f := 3.5 / across
	ux, uy := (tr.x-tl.x)*f, (tr.y-tl.y)*f // 3.5 modules along the top edge
	vx, vy := (bl.x-tl.x)*f, (bl.y-tl.y)*f // and down the left one
	return [4]point{
		{tl.x - ux - vx, tl.y - uy - vy},
		{tr.x + ux - vx, tr.y + uy - vy},
		{tr.x + bl.x - tl.x + ux + vx, tr.y + bl.y - tl.y + uy + vy},
		{bl.x - ux + vx, bl.y - uy + vy},
	}
}

// dimensionAcross returns the QR dimension (4k+1) nearest to 7 + across,
// the modules between two finder patterns' centers along a side.
func dimensionAcross(across float64) int { return (int(math.Round(across))+7)/4*4 + 1 }

// outlineDimension returns the dimension of the code whose outer corners
// are c; itl, itr and ibl are the finder patterns' inner corners.
func outlineDimension(c [4]point, itl, itr, ibl point) (int, bool) {
	// The inner corners (opposite the outer ones) lie 7 modules in from
	// the code's edges: measured in the code's own square, they give its
	// dimension.
	toSquare := common.PerspectiveTransform_QuadrilateralToSquare(
		c[0].x, c[0].y, c[1].x, c[1].y, c[2].x, c[2].y, c[3].x, c[3].y)
	in := []float64{itl.x, itl.y, itr.x, itr.y, ibl.x, ibl.y}
	toSquare.TransformPoints(in)
	var sum float64
	n := 0
	for _, frac := range []float64{in[0], in[1], 1 - in[2], in[3], in[4], 1 - in[5]} {
		if frac > 0.02 && frac < 0.5 {
			sum += 7 / frac
			n++
		}
	}
	if n < 3 {
		return 0, false
	}
	return (int(math.Round(sum/float64(n)))-21+2)/4*4 + 21, true // the nearest valid QR dimension (4k+1)
}

// outlineTransform maps a code's module coordinates (0 to dim) to the image
// through its outer corners c (top-left, top-right, bottom-right,
// bottom-left).
func outlineTransform(c [4]point, dim int) *common.PerspectiveTransform {
	d := float64(dim)
	return common.PerspectiveTransform_QuadrilateralToQuadrilateral(0, 0, d, 0, d, d, 0, d,
		c[0].x, c[0].y, c[1].x, c[1].y, c[2].x, c[2].y, c[3].x, c[3].y)
}

// outlineDimensions returns the dimensions to sample a code at whose
// outline measured dim (outlineDimension): dim and the next smaller one.
// The outline measures the code's dimension or one version more, not less:
// on the printed cards of eleven wild seeds (2,200 cards), the perspective
// sampler at dim+4 read none of about 750 codes it was tried on, nor the
// bent one at dim+4 (about 500) or dim-8 (about 170, four seeds), while
// both read codes at dim-4 (16 and 70); the photos, the `Render` frames
// and the phone screens read the same without dim+4 (README.md).
func outlineDimensions(dim int) []int { return []int{dim, dim - 4} }

// samplePerspective samples the code whose outer corners are c, of
// dimension dim or the next smaller one (outlineDimensions).
func samplePerspective(bits *gozxing.BitMatrix, info *detector.FinderPatternInfo, c [4]point, dim int) (string, bool) {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	for _, d := range outlineDimensions(dim) {
		if d < 21 || d > 177 {
			continue
		}
		fd := float64(d)
		t := outlineTransform(c, d)
		text, read, sampled := decodeSampled(bits, t, d)
		switch {
		case read:
			return text, true
		case !sampled:
			continue // outside the image
		}
		// The corners extrapolated from the patterns' edges are a few
		// pixels off on small modules; the alignment pattern (versions 2
		// and up), looked for where they put it, pins the fourth point as
		// gozxing does, with the three patterns' centers.
		if d < 25 {
			continue
		}
		if a := alignmentNear(bits, t, fd); a != nil {
			t := detector.Detector_createTransform(tl, tr, bl, a, d)
			if text, read, _ := decodeSampled(bits, t, d); read {
				return text, true
			}
		}
	}
	return "", false
}

// alignmentNear looks for the alignment pattern of a code of dimension d
// around where the module-to-image transform t puts it.
func alignmentNear(bits *gozxing.BitMatrix, t *common.PerspectiveTransform, d float64) *detector.AlignmentPattern {
	at := []float64{d - 6.5, d - 6.5, d - 7.5, d - 6.5, d - 6.5, d - 7.5}
	t.TransformPoints(at)
	module := (math.Hypot(at[0]-at[2], at[1]-at[3]) + math.Hypot(at[0]-at[4], at[1]-at[5])) / 2
	if module < 1 {
		return nil
	}
	allowance := int(math.Ceil(4 * module))
	x0, y0 := max(int(at[0])-allowance, 0), max(int(at[1])-allowance, 0)
	x1, y1 := min(int(at[0])+allowance, bits.GetWidth()-1), min(int(at[1])+allowance, bits.GetHeight()-1)
	if float64(x1-x0) < 3*module || float64(y1-y0) < 3*module {
		return nil
	}
	a, err := detector.NewAlignmentPatternFinder(bits, x0, y0, x1-x0, y1-y0, module, nil).Find()
	if err != nil {
		return nil
	}
	return a
}

type point struct{ x, y float64 }

func pt(p gozxing.ResultPoint) point { return point{p.GetX(), p.GetY()} }

func dist2(a, b point) float64 { return (a.x-b.x)*(a.x-b.x) + (a.y-b.y)*(a.y-b.y) }

// farthest returns the index of the corner farthest from p.
func farthest(c [4]point, p point) int {
	best := 0
	for i := range c {
		if dist2(c[i], p) > dist2(c[best], p) {
			best = i
		}
	}
	return best
}

// awayFrom returns the neighbour of corner i (in c's cyclic order) that is
// farther from p.
func awayFrom(c [4]point, i int, p point) point {
	a, b := c[(i+1)%4], c[(i+3)%4]
	if dist2(a, p) > dist2(b, p) {
		return a
	}
	return b
}

// intersect returns where the line through a1 and a2 crosses the line
// through b1 and b2.
func intersect(a1, a2, b1, b2 point) (point, bool) {
	dax, day := a2.x-a1.x, a2.y-a1.y
	dbx, dby := b2.x-b1.x, b2.y-b1.y
	den := dax*dby - day*dbx
	if math.Abs(den) < 1e-6*math.Hypot(dax, day)*math.Hypot(dbx, dby) || den == 0 {
		return point{}, false // parallel
	}
	t := ((b1.x-a1.x)*dby - (b1.y-a1.y)*dbx) / den
	return point{a1.x + t*dax, a1.y + t*day}, true
}

// convex reports whether the quadrilateral c, in order, is convex and
// not degenerate.
func convex(c [4]point) bool {
	sign := 0.0
	for i := range c {
		a, b, d := c[i], c[(i+1)%4], c[(i+2)%4]
		cross := (b.x-a.x)*(d.y-b.y) - (b.y-a.y)*(d.x-b.x)
		if math.Abs(cross) < 1 {
			return false
		}
		if sign != 0 && (cross > 0) != (sign > 0) {
			return false
		}
		sign = cross
	}
	return true
}

// patternCorners returns the four corners, in order around it, of the
// outer dark square of the finder pattern p: rays from its center cross
// the dark center, the light ring and the dark ring; where each leaves the
// dark ring is a point of the square's border. The corners are found on
// those points (the farthest one, the farthest from it, then the farthest
// on each side of that diagonal) and refined as the crossings of lines
// fitted to each side's points.
func patternCorners(bits *gozxing.BitMatrix, p *detector.FinderPattern) ([4]point, bool) {
	var c [4]point
	module := p.GetEstimatedModuleSize()
	if module < 1 {
		return c, false
	}
	cx, cy := p.GetX(), p.GetY()
	w, h := bits.GetWidth(), bits.GetHeight()
	dark := func(x, y float64) (bool, bool) {
		ix, iy := int(x), int(y)
		if ix < 0 || iy < 0 || ix >= w || iy >= h {
			return false, false
		}
		return bits.Get(ix, iy), true
	}
	if d, _ := dark(cx, cy); !d {
		return c, false
	}
	limit := 9 * module
	var border []point
	for k := 0; k < patternRays; k++ {
		a := 2 * math.Pi * float64(k) / patternRays
		dx, dy := math.Cos(a), math.Sin(a)
		state := 0 // 0 dark center, 1 light ring, 2 dark ring
		for r := 0.5; r < limit; r += 0.5 {
			d, in := dark(cx+r*dx, cy+r*dy)
			if !in {
				break
			}
			switch {
			case state == 0 && !d, state == 1 && d:
				state++
			case state == 2 && !d:
				border = append(border, point{cx + (r-0.25)*dx, cy + (r-0.25)*dy})
				r = limit
			}
		}
	}
	if len(border) < patternRays*3/4 {
		return c, false
	}
	// Drop rays that escaped through a gap in the ring.
	ds := make([]float64, len(border))
	center := point{cx, cy}
	for i, b := range border {
		ds[i] = math.Sqrt(dist2(b, center))
	}
	sorted := append([]float64(nil), ds...)
	sort.Float64s(sorted)
	median := sorted[len(sorted)/2]
	kept := border[:0]
	for i, b := range border {
		if ds[i] < 1.8*median && ds[i] > 0.5*median {
			kept = append(kept, b)
		}
	}
	border = kept
	if len(border) < patternRays/2 {
		return c, false
	}
	// The four corners among the border points.
	i0 := 0
	for i := range border {
		if dist2(border[i], center) > dist2(border[i0], center) {
			i0 = i
		}
	}
	i2 := 0
	for i := range border {
		if dist2(border[i], border[i0]) > dist2(border[i2], border[i0]) {
			i2 = i
		}
	}
	a, b := border[i0], border[i2]
	side := func(q point) float64 { return (b.x-a.x)*(q.y-a.y) - (b.y-a.y)*(q.x-a.x) }
	i1, i3 := -1, -1
	for i, q := range border {
		s := side(q)
		if s > 0 && (i1 < 0 || s > side(border[i1])) {
			i1 = i
		}
		if s < 0 && (i3 < 0 || s < side(border[i3])) {
			i3 = i
		}
	}
	if i1 < 0 || i3 < 0 {
		return c, false
	}
	idx := []int{i0, i1, i2, i3}
	sort.Ints(idx) // the border points are in ray order: so are the corners
	for k, i := range idx {
		c[k] = border[i]
	}
	// Refine: fit a line to the points of each side, away from its
	// corners, and cross neighbouring sides.
	var lines [4][2]point
	for k := 0; k < 4; k++ {
		from, to := idx[k], idx[(k+1)%4]
		var pts []point
		n := (to - from + len(border)) % len(border)
		for j := 1; j < n; j++ {
			q := border[(from+j)%len(border)]
			// Keep the middle of the side.
			if j*5 >= n && j*5 <= 4*n {
				pts = append(pts, q)
			}
		}
		lines[k] = [2]point{c[k], c[(k+1)%4]}
		if len(pts) >= 3 {
			if l, ok := fitLine(pts); ok {
				lines[k] = l
			}
		}
	}
	for k := 0; k < 4; k++ {
		prev := lines[(k+3)%4]
		if q, ok := intersect(prev[0], prev[1], lines[k][0], lines[k][1]); ok && dist2(q, c[k]) < 4*module*module {
			c[k] = q
		}
	}
	return c, true
}

// fitLine returns two points of the line that best fits pts (least
// squares, perpendicular distances).
func fitLine(pts []point) ([2]point, bool) {
	var mx, my float64
	for _, q := range pts {
		mx += q.x
		my += q.y
	}
	n := float64(len(pts))
	mx, my = mx/n, my/n
	var sxx, sxy, syy float64
	for _, q := range pts {
		dx, dy := q.x-mx, q.y-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	if sxx+syy == 0 {
		return [2]point{}, false
	}
	a := 0.5 * math.Atan2(2*sxy, sxx-syy) // the direction of most spread
	return [2]point{{mx, my}, {mx + math.Cos(a), my + math.Sin(a)}}, true
}

// tiltedModuleRatio bounds how much the module sizes of the three finder
// patterns of one code may differ in tiltedTriple: on a card tilted 50°
// the far pattern's modules are up to twice smaller than the near one's.
const tiltedModuleRatio = 2.2

// tiltedTriple picks three confirmed finder patterns that gozxing's choice
// rejected. gozxing takes only patterns whose module sizes are within 1.4x
// of each other; on a steeply tilted card they are not, and the code fell
// to the deep passes although its three patterns had been found and
// confirmed. Among the confirmed patterns, the triple closest to an
// isosceles right triangle (gozxing's measure) within tiltedModuleRatio
// is taken; nil when there is none.
func tiltedTriple(candidates []*detector.FinderPattern) *detector.FinderPatternInfo {
	var confirmed []*detector.FinderPattern
	for _, c := range candidates {
		if c.GetCount() >= detector.FinderPatternFinder_CENTER_QUORUM {
			confirmed = append(confirmed, c)
		}
	}
	if len(confirmed) < 3 {
		return nil
	}
	var best [3]*detector.FinderPattern
	bestDistortion := math.Inf(1)
	for i := 0; i < len(confirmed); i++ {
		for j := i + 1; j < len(confirmed); j++ {
			for k := j + 1; k < len(confirmed); k++ {
				p := [3]*detector.FinderPattern{confirmed[i], confirmed[j], confirmed[k]}
				lo, hi := math.Inf(1), 0.0
				for _, q := range p {
					lo, hi = min(lo, q.GetEstimatedModuleSize()), max(hi, q.GetEstimatedModuleSize())
				}
				if hi > lo*tiltedModuleRatio {
					continue
				}
				sq := []float64{dist2(pt(p[0]), pt(p[1])), dist2(pt(p[1]), pt(p[2])), dist2(pt(p[0]), pt(p[2]))}
				sort.Float64s(sq)
				if d := math.Abs(sq[2]-2*sq[1]) + math.Abs(sq[2]-2*sq[0]); d < bestDistortion {
					bestDistortion, best = d, p
				}
			}
		}
	}
	if best[0] == nil {
		return nil
	}
	return orderedInfo(best)
}
