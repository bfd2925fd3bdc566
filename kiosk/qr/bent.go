package qr

import (
	"cmp"
	"math"
	"slices"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// Bent cards (issue 16). A card bent like a cylinder is not a plane: no
// perspective transform maps its grid, and one fitted to the code's
// corners is modules off in the middle. The finder patterns, small, are
// nearly flat, and their twelve corners lie on the code's edges at
// modules 0, 7, dim-7 and dim: they show how the mapping bends along each
// edge. So the grid is sampled through the perspective transform of the
// outline (perspective.go) corrected by a polynomial in the module
// coordinates, fitted by least squares to the patterns' corners and
// centers and to the alignment patterns found where the corrected mapping
// puts them (all of them on versions 7 and up, whose alignment patterns
// spread over the code as zxing-cpp's and zbar's samplers use them; our
// fit is our own): of the second order (1, u, v, u², uv, v²), and of the
// third (u³, u²v, uv², v³ as well) once three alignment patterns pin the
// middle of the code. On a sharp bend, the grid is then moved, between
// the alignment patterns, by what the fit still misses at each (tiles).
// A bend stretches the outline: on versions 7 and up, the code's own
// version information, read through the fitted mapping, gives the
// dimension. A sampling through a wrong mapping is noise: the early
// verdict (grid.go) and Reed-Solomon reject it.

// bentSampling is switched off only by TestOutlinedPass, which measures
// the outlined pass on the frames it was made for: those that the first
// pass outlined and did not read before the bent sampler read most of
// them.
var bentSampling = true

// bentMaxResidual is the largest distance, in modules (root mean square),
// of the finder patterns' corners and centers from the fitted mapping for
// which the grid is sampled. On wild seeds 1 and 7, every bent card read
// was within 0.35; the triples of finder-like spots on qrbench's generated
// empty frames (seed 1) that reached the sampler were 1.47 to 12 off, and
// sampling them cost those frames 12% more time.
const bentMaxResidual = 0.6

// bentRidge keeps the terms that the points do not pin down (the uv term
// without an alignment pattern) near zero.
const bentRidge = 1e-6

// bentTerms is the number of terms of the third-order correction;
// the second-order one uses the first 6.
const bentTerms = 10

// cubicAlignments is the number of alignment patterns found from which
// the correction is of the third order. With the finder patterns alone,
// whose anchors lie in three corners, the third-order terms are free to
// bend the rest of the code anywhere: a flat version 1 code (wild seed
// 13's card 123) and a flat version 10 one under a highlight (seed 11's
// card 64) were no longer read.
const cubicAlignments = 3

// anchor is a point of the code whose module coordinates (u, v) and image
// position (x, y) are known.
type anchor struct{ u, v, x, y float64 }

// patternOutline is a code as its finder patterns outline it: info's
// three patterns, the code's outer corners c (top-left, top-right,
// bottom-right, bottom-left), and the patterns' outer squares' corners
// ctl, ctr and cbl, of which iTL, iTR and iBL are the code's corners.
type patternOutline struct {
	info          *detector.FinderPatternInfo
	c             [4]point
	ctl, ctr, cbl [4]point
	iTL, iTR, iBL int
}

// decodeBent samples and decodes the code that o outlines through a bent
// mapping (sampleBent), at the dimensions the outline gives
// (outlineDimensions of dim, the one it measured) and, first, at the one
// the code's version information gives when it can be read through the
// mapping (versions 7 and up): a bend stretches the outline, and on a
// card bent across, the outline measured 61 or 65 modules on a code of 57
// (wild seed 11's card 169).
func decodeBent(bits *gozxing.BitMatrix, o patternOutline, dim int) (string, bool) {
	dims := outlineDimensions(dim)
	if dim >= minVersionDimension-4 {
		if m, _, _, ok := fitFinders(o, dim); ok {
			if vd, ok := versionDimension(bits, m, dim); ok {
				// The version's dimension first, then the outline's.
				dims = append([]int{vd}, slices.DeleteFunc(dims, func(d int) bool { return d == vd })...)
			}
		}
	}
	for _, d := range dims {
		if d < 21 || d > 177 {
			continue
		}
		if text, ok := sampleBent(bits, o, d); ok {
			return text, true
		}
	}
	return "", false
}

// fitFinders fits the bent mapping of the code that o outlines, of
// dimension dim, to its finder patterns' corners and centers (the
// second order). It returns the mapping, the outline's inverse transform
// and the anchors; ok is false when no mapping fits or the patterns are
// not the corners of one code.
func fitFinders(o patternOutline, dim int) (m *bentMapping, back *common.PerspectiveTransform, anchors []anchor, ok bool) {
	d := float64(dim)
	c := o.c
	t := outlineTransform(c, dim)
	tl, tr, bl := pt(o.info.GetTopLeft()), pt(o.info.GetTopRight()), pt(o.info.GetBottomLeft())
	// Each pattern's corners: the outer one, its two neighbours (the one
	// nearer the top-left pattern lies along the edge toward it), the
	// inner one.
	add := func(corners [4]point, outer int, toward point, u0, v0, uAlong, vAlong, uAway, vAway, uIn, vIn float64) {
		anchors = append(anchors, anchor{u0, v0, corners[outer].x, corners[outer].y})
		a, b := corners[(outer+1)%4], corners[(outer+3)%4]
		if dist2(a, toward) > dist2(b, toward) {
			a, b = b, a
		}
		anchors = append(anchors, anchor{uAlong, vAlong, a.x, a.y}, anchor{uAway, vAway, b.x, b.y})
		in := corners[(outer+2)%4]
		anchors = append(anchors, anchor{uIn, vIn, in.x, in.y})
	}
	// Top-left: outer (0,0); toward the top-right pattern, (7,0); the
	// other neighbour (0,7); inner (7,7).
	add(o.ctl, o.iTL, tr, 0, 0, 7, 0, 0, 7, 7, 7)
	add(o.ctr, o.iTR, tl, d, 0, d-7, 0, d, 7, d-7, 7)
	add(o.cbl, o.iBL, tl, 0, d, 0, d-7, 7, d, 7, d-7)
	anchors = append(anchors, anchor{3.5, 3.5, tl.x, tl.y}, anchor{d - 3.5, 3.5, tr.x, tr.y}, anchor{3.5, d - 3.5, bl.x, bl.y})

	back = common.PerspectiveTransform_QuadrilateralToQuadrilateral(
		c[0].x, c[0].y, c[1].x, c[1].y, c[2].x, c[2].y, c[3].x, c[3].y, 0, 0, d, 0, d, d, 0, d)
	if m, ok = fitBend(t, back, d, anchors, 6); !ok {
		return nil, nil, nil, false
	}
	if bentResidual(back, m, anchors) > bentMaxResidual {
		return nil, nil, nil, false // the patterns are not the corners of one code
	}
	return m, back, anchors, true
}

// minVersionDimension is the dimension of version 7, the first whose
// code carries its version information.
const minVersionDimension = 45

// versionDimension reads the version information of the code that m maps
// at dimension dim (two blocks of 6x3 modules, beside the top-right and
// the bottom-left finder patterns, each with its own error correction)
// and returns the dimension it gives, when either block decodes to a
// version within two versions (8 modules) of dim. The blocks lie 4 modules from the finder
// patterns, whose corners pin m: a dimension a version or two off moves
// them by a fraction of a module.
func versionDimension(bits *gozxing.BitMatrix, m *bentMapping, dim int) (int, bool) {
	w, h := bits.GetWidth(), bits.GetHeight()
	get := func(x, y int) (bool, bool) {
		px, py := m.at(float64(x)+0.5, float64(y)+0.5)
		ix, iy := int(px), int(py)
		if ix < 0 || iy < 0 || ix >= w || iy >= h {
			return false, false
		}
		return bits.Get(ix, iy), true
	}
	for _, mirrored := range []bool{false, true} {
		// Top-right block (bits read from its far corner, as the
		// standard orders them), then its mirror beside the bottom-left
		// pattern.
		word, ok := 0, true
		for j := 5; j >= 0 && ok; j-- {
			for i := dim - 9; i >= dim-11 && ok; i-- {
				x, y := i, j
				if mirrored {
					x, y = j, i
				}
				var dark bool
				dark, ok = get(x, y)
				word <<= 1
				if dark {
					word |= 1
				}
			}
		}
		if !ok {
			continue
		}
		v, err := decoder.Version_decodeVersionInformation(word)
		if err != nil {
			continue
		}
		if vd := v.GetDimensionForVersion(); vd >= dim-8 && vd <= dim+8 {
			return vd, true
		}
	}
	return 0, false
}

// sampleBent samples and decodes the code that o outlines at dimension
// dim.
func sampleBent(bits *gozxing.BitMatrix, o patternOutline, dim int) (string, bool) {
	m, back, anchors, ok := fitFinders(o, dim)
	if !ok {
		return "", false
	}
	d := float64(dim)
	// Alignment patterns where the corrected mapping puts them, nearest
	// the finder patterns first, the mapping fitted again with each one
	// found: on a sharp bend, the patterns far from the finder patterns
	// lie modules from where the finder patterns alone put them. Each is
	// looked for with the code's mean module size, then, if not found,
	// with the module's size there, which the mapping gives: on a tilted
	// code it varies across the code, and with the mean size the search
	// missed every pattern of wild seed 131's card 110 (tilted 29°,
	// blurred), modules of 4.9 to 6.9 px about a mean of 5.2. (With the
	// local size alone, one of TestBentCards' cards was no longer read by
	// the first pass.)
	var found []anchor
	v, err := decoder.Version_GetVersionForNumber((dim - 17) / 4)
	if err == nil && dim >= 25 {
		tl, tr := pt(o.info.GetTopLeft()), pt(o.info.GetTopRight())
		mean := math.Sqrt(dist2(tl, tr)) / (d - 7)
		for _, p := range alignmentOrder(v.GetAlignmentPatternCenters(), dim) {
			at := m.at
			if len(found) > 0 {
				at = newTiles(m, v.GetAlignmentPatternCenters(), found).at
			}
			x, y := at(p.x, p.y)
			a := alignmentAt(bits, x, y, mean)
			if a == nil {
				xu, yu := at(p.x+1, p.y)
				xv, yv := at(p.x, p.y+1)
				a = alignmentAt(bits, x, y, (math.Hypot(xu-x, yu-y)+math.Hypot(xv-x, yv-y))/2)
			}
			if a == nil {
				continue
			}
			found = append(found, anchor{p.x, p.y, a.GetX(), a.GetY()})
			terms := 6
			if len(found) >= cubicAlignments {
				terms = 10
			}
			if m, ok = fitBend(m.t, back, d, append(anchors, found...), terms); !ok {
				return "", false
			}
		}
	}
	// A sharp bend is more than the correction follows: the alignment
	// patterns found are then a module or more from where the fitted
	// mapping puts them, and the grid between them is sampled through
	// the mapping moved by what it misses there (tiles). The mapping
	// alone read no code after that failed, on any set measured
	// (README.md).
	if len(found) > 1 {
		return sampleMapped(bits, dim, newTiles(m, v.GetAlignmentPatternCenters(), found))
	}
	return sampleMapped(bits, dim, m)
}

// alignmentOrder returns the module coordinates of the alignment
// patterns' centers of a code of dimension dim whose version places them
// at centers (not those under a finder pattern), nearest a finder
// pattern's center first.
func alignmentOrder(centers []int, dim int) []point {
	var ps []point
	for _, ay := range centers {
		for _, ax := range centers {
			if ax == 6 && ay == 6 || ax == 6 && ay == dim-7 || ax == dim-7 && ay == 6 {
				continue // under a finder pattern
			}
			ps = append(ps, point{float64(ax) + 0.5, float64(ay) + 0.5})
		}
	}
	d := float64(dim)
	near := func(p point) float64 {
		return min(dist2(p, point{3.5, 3.5}), dist2(p, point{d - 3.5, 3.5}), dist2(p, point{3.5, d - 3.5}))
	}
	slices.SortStableFunc(ps, func(a, b point) int { return cmp.Compare(near(a), near(b)) })
	return ps
}

// mapping maps a grid's module coordinates to the image: bentMapping,
// tiles.
type mapping interface {
	at(u, v float64) (float64, float64)
	// row sets pts to at's image positions of the centers of the first
	// len(pts)/2 modules of the row whose centers lie at v, x then y:
	// the same points, with the perspective applied to the row at once.
	row(v float64, pts []float64)
}

// sampleMapped samples the grid of dimension dim that m maps onto bits
// and decodes it.
func sampleMapped(bits *gozxing.BitMatrix, dim int, m mapping) (string, bool) {
	w, h := bits.GetWidth(), bits.GetHeight()
	bit := func(px, py float64) (bool, bool) {
		ix, iy := int(px), int(py) // toward zero: a point less than a pixel left of the image samples its first column
		if ix < 0 || iy < 0 || ix >= w || iy >= h {
			return false, false
		}
		return bits.Get(ix, iy), true
	}
	module := func(x, y int) (bool, bool) {
		return bit(m.at(float64(x)+0.5, float64(y)+0.5))
	}
	// The fixed modules first: most bent mappings that pass the residual
	// test but sample noise are rejected there (sampleGrid).
	if share, ok := fixedAgreementOf(dim, module); !ok || share < minFixedAgreement {
		return "", false
	}
	grid, err := gozxing.NewSquareBitMatrix(dim)
	if err != nil {
		return "", false
	}
	pts := make([]float64, 2*dim)
	for y := 0; y < dim; y++ {
		m.row(float64(y)+0.5, pts)
		for x := 0; x < dim; x++ {
			dark, ok := bit(pts[2*x], pts[2*x+1])
			if !ok {
				return "", false
			}
			if dark {
				grid.Set(x, y)
			}
		}
	}
	res, err := decodeGrid(grid)
	if err != nil {
		return "", false
	}
	return res.GetText(), true
}

// tiles is a bent mapping moved, between the alignment patterns, by what
// it misses at each: the image offset of every alignment pattern found
// from where the mapping puts it, interpolated bilinearly over the grid
// of the patterns' module positions (held constant beyond the outermost
// patterns). At the finder patterns, to which the mapping is fitted, the
// offset is zero; where no pattern was found, it is the mean of the known
// ones weighted by the inverse square of their distance. The grid then
// passes through every alignment pattern found, and follows a bend the
// quadratic correction cannot.
type tiles struct {
	m      *bentMapping
	at0    []float64 // module coordinates of the patterns' centers, both axes
	dx, dy [][]float64
}

func newTiles(m *bentMapping, centers []int, found []anchor) *tiles {
	n := len(centers)
	t := &tiles{m: m, at0: make([]float64, n), dx: make([][]float64, n), dy: make([][]float64, n)}
	for i, c := range centers {
		t.at0[i] = float64(c) + 0.5
		t.dx[i], t.dy[i] = make([]float64, n), make([]float64, n)
	}
	known := make([][]bool, n)
	for j := range known {
		known[j] = make([]bool, n)
	}
	known[0][0], known[0][n-1], known[n-1][0] = true, true, true // the finder patterns
	for _, a := range found {
		i, j := slices.Index(t.at0, a.u), slices.Index(t.at0, a.v)
		if i < 0 || j < 0 {
			continue
		}
		x, y := m.at(a.u, a.v)
		t.dx[j][i], t.dy[j][i] = a.x-x, a.y-y
		known[j][i] = true
	}
	for j := range n {
		for i := range n {
			if known[j][i] {
				continue
			}
			var sw, sx, sy float64
			for l := range n {
				for k := range n {
					if !known[l][k] {
						continue
					}
					du, dv := t.at0[k]-t.at0[i], t.at0[l]-t.at0[j]
					w := 1 / (du*du + dv*dv)
					sw += w
					sx += w * t.dx[l][k]
					sy += w * t.dy[l][k]
				}
			}
			t.dx[j][i], t.dy[j][i] = sx/sw, sy/sw
		}
	}
	return t
}

// cell returns the index of the grid interval holding coordinate u and
// where u lies in it (0 to 1, clamped beyond the outermost patterns).
func (t *tiles) cell(u float64) (int, float64) {
	n := len(t.at0)
	switch {
	case u <= t.at0[0]:
		return 0, 0
	case u >= t.at0[n-1]:
		return n - 2, 1
	}
	i := 0
	for u >= t.at0[i+1] {
		i++
	}
	return i, (u - t.at0[i]) / (t.at0[i+1] - t.at0[i])
}

// at maps module coordinates to the image: the fitted mapping, moved by
// the offsets interpolated there.
func (t *tiles) at(u, v float64) (float64, float64) {
	x, y := t.m.at(u, v)
	i, fu := t.cell(u)
	j, fv := t.cell(v)
	return x + lerp(t.dx, i, j, fu, fv), y + lerp(t.dy, i, j, fu, fv)
}

func (t *tiles) row(v float64, pts []float64) {
	t.m.row(v, pts)
	j, fv := t.cell(v)
	for k := 0; k < len(pts); k += 2 {
		i, fu := t.cell(float64(k/2) + 0.5)
		pts[k] += lerp(t.dx, i, j, fu, fv)
		pts[k+1] += lerp(t.dy, i, j, fu, fv)
	}
}

// lerp interpolates g bilinearly in its cell (i, j), at fu and fv.
func lerp(g [][]float64, i, j int, fu, fv float64) float64 {
	return blend(g[j][i], g[j][i+1], g[j+1][i], g[j+1][i+1], fu, fv)
}

// bentMapping maps module coordinates to the image: the perspective
// transform t of a flat code of dimension d, after a polynomial
// correction of the module coordinates (bentBasis; the terms left out of
// the fit are zero).
type bentMapping struct {
	t      *common.PerspectiveTransform
	d      float64
	cu, cv [bentTerms]float64
}

func bentBasis(u, v, d float64) [bentTerms]float64 {
	u, v = u/d, v/d
	return [bentTerms]float64{1, u, v, u * u, u * v, v * v, u * u * u, u * u * v, u * v * v, v * v * v}
}

func (m *bentMapping) at(u, v float64) (float64, float64) {
	var p [2]float64
	p[0], p[1] = m.corrected(u, v)
	m.t.TransformPoints(p[:])
	return p[0], p[1]
}

func (m *bentMapping) row(v float64, pts []float64) {
	for k := 0; k < len(pts); k += 2 {
		pts[k], pts[k+1] = m.corrected(float64(k/2)+0.5, v)
	}
	m.t.TransformPoints(pts)
}

// corrected returns the module coordinates (u, v) after the
// correction: where the flat code's transform is to be applied.
func (m *bentMapping) corrected(u, v float64) (float64, float64) {
	b := bentBasis(u, v, m.d)
	var du, dv float64
	for i := range b {
		du += m.cu[i] * b[i]
		dv += m.cv[i] * b[i]
	}
	return u + du, v + dv
}

// fitBend fits the correction of its first terms terms (6: the second
// order; bentTerms: the third) to the anchors: each anchor's image
// position, taken back to module coordinates through back (t's inverse),
// against its own.
func fitBend(t, back *common.PerspectiveTransform, d float64, anchors []anchor, terms int) (*bentMapping, bool) {
	var ata [bentTerms][bentTerms]float64
	var atu, atv [bentTerms]float64
	for _, a := range anchors {
		p := []float64{a.x, a.y}
		back.TransformPoints(p)
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
			return nil, false
		}
		b := bentBasis(a.u, a.v, d)
		for i := range terms {
			for j := range terms {
				ata[i][j] += b[i] * b[j]
			}
			atu[i] += b[i] * (p[0] - a.u)
			atv[i] += b[i] * (p[1] - a.v)
		}
	}
	for i := range ata {
		if i < terms {
			ata[i][i] += bentRidge * float64(len(anchors))
		} else {
			ata[i][i] = 1 // a term left out: zero
		}
	}
	m := &bentMapping{t: t, d: d}
	var ok1, ok2 bool
	m.cu, ok1 = solveBent(ata, atu)
	m.cv, ok2 = solveBent(ata, atv)
	return m, ok1 && ok2
}

// solveBent solves a x = b by Gaussian elimination with partial pivoting.
func solveBent(a [bentTerms][bentTerms]float64, b [bentTerms]float64) ([bentTerms]float64, bool) {
	var x [bentTerms]float64
	for col := 0; col < bentTerms; col++ {
		p := col
		for r := col + 1; r < bentTerms; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		if math.Abs(a[p][col]) < 1e-12 {
			return x, false
		}
		a[col], a[p] = a[p], a[col]
		b[col], b[p] = b[p], b[col]
		for r := col + 1; r < bentTerms; r++ {
			f := a[r][col] / a[col][col]
			for k := col; k < bentTerms; k++ {
				a[r][k] -= f * a[col][k]
			}
			b[r] -= f * b[col]
		}
	}
	for r := bentTerms - 1; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < bentTerms; k++ {
			s -= a[r][k] * x[k]
		}
		x[r] = s / a[r][r]
	}
	return x, true
}

// alignmentAt looks for an alignment pattern around (x, y).
func alignmentAt(bits *gozxing.BitMatrix, x, y, module float64) *detector.AlignmentPattern {
	if module < 1 {
		return nil
	}
	allowance := int(math.Ceil(3 * module))
	x0, y0 := max(int(x)-allowance, 0), max(int(y)-allowance, 0)
	x1, y1 := min(int(x)+allowance, bits.GetWidth()-1), min(int(y)+allowance, bits.GetHeight()-1)
	if float64(x1-x0) < 3*module || float64(y1-y0) < 3*module {
		return nil
	}
	a, err := detector.NewAlignmentPatternFinder(bits, x0, y0, x1-x0, y1-y0, module, nil).Find()
	if err != nil {
		return nil
	}
	return a
}

// bentResidual returns the root mean square distance, in modules, between
// the anchors' own module coordinates and those the fitted mapping gives
// their image positions.
func bentResidual(back *common.PerspectiveTransform, m *bentMapping, anchors []anchor) float64 {
	var s1 float64
	for _, a := range anchors {
		p := []float64{a.x, a.y}
		back.TransformPoints(p)
		b := bentBasis(a.u, a.v, m.d)
		var du, dv float64
		for i := range b {
			du += m.cu[i] * b[i]
			dv += m.cv[i] * b[i]
		}
		s1 += (p[0]-a.u-du)*(p[0]-a.u-du) + (p[1]-a.v-dv)*(p[1]-a.v-dv)
	}
	return math.Sqrt(s1 / float64(len(anchors)))
}
