package qr

import (
	"math"

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
// outline (perspective.go) corrected by a second-order polynomial in the
// module coordinates (1, u, v, u², uv, v²), fitted by least squares to the
// patterns' corners and centers and to the alignment patterns found where
// the corrected mapping puts them (all of them on versions 7 and up, whose
// alignment patterns spread over the code as zxing-cpp's sampler uses
// them; our fit is our own). A sampling through a wrong mapping is noise:
// the early verdict (grid.go) and Reed-Solomon reject it.

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

// anchor is a point of the code whose module coordinates (u, v) and image
// position (x, y) are known.
type anchor struct{ u, v, x, y float64 }

// sampleBent samples and decodes the code of dimension dim whose outer
// corners are c, the finder patterns' outer squares' corners being ctl,
// ctr and cbl with the code's corners at iTL, iTR and iBL.
func sampleBent(bits *gozxing.BitMatrix, info *detector.FinderPatternInfo, c [4]point, dim int,
	ctl, ctr, cbl [4]point, iTL, iTR, iBL int) (string, bool) {
	d := float64(dim)
	t := outlineTransform(c, dim)
	tl, tr, bl := pt(info.GetTopLeft()), pt(info.GetTopRight()), pt(info.GetBottomLeft())
	// Each pattern's corners: the outer one, its two neighbours (the one
	// nearer the top-left pattern lies along the edge toward it), the
	// inner one.
	var anchors []anchor
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
	add(ctl, iTL, tr, 0, 0, 7, 0, 0, 7, 7, 7)
	add(ctr, iTR, tl, d, 0, d-7, 0, d, 7, d-7, 7)
	add(cbl, iBL, tl, 0, d, 0, d-7, 7, d, 7, d-7)
	anchors = append(anchors, anchor{3.5, 3.5, tl.x, tl.y}, anchor{d - 3.5, 3.5, tr.x, tr.y}, anchor{3.5, d - 3.5, bl.x, bl.y})

	back := common.PerspectiveTransform_QuadrilateralToQuadrilateral(
		c[0].x, c[0].y, c[1].x, c[1].y, c[2].x, c[2].y, c[3].x, c[3].y, 0, 0, d, 0, d, d, 0, d)
	m, ok := fitBend(t, back, d, anchors)
	if !ok {
		return "", false
	}
	if bentResidual(back, m, anchors) > bentMaxResidual {
		return "", false // the patterns are not the corners of one code
	}
	// Alignment patterns where the corrected mapping puts them, then the
	// fit again with them.
	if v, err := decoder.Version_GetVersionForNumber((dim - 17) / 4); err == nil && dim >= 25 {
		centers := v.GetAlignmentPatternCenters()
		module := math.Sqrt(dist2(tl, tr)) / (d - 7)
		found := 0
		for _, ay := range centers {
			for _, ax := range centers {
				if ax == 6 && ay == 6 || ax == 6 && ay == dim-7 || ax == dim-7 && ay == 6 {
					continue // under a finder pattern
				}
				u, v := float64(ax)+0.5, float64(ay)+0.5
				x, y := m.at(u, v)
				if a := alignmentAt(bits, x, y, module); a != nil {
					anchors = append(anchors, anchor{u, v, a.GetX(), a.GetY()})
					found++
				}
			}
		}
		if found > 0 {
			if m, ok = fitBend(t, back, d, anchors); !ok {
				return "", false
			}
		}
	}
	w, h := bits.GetWidth(), bits.GetHeight()
	module := func(x, y int) (bool, bool) {
		px, py := m.at(float64(x)+0.5, float64(y)+0.5)
		ix, iy := int(px), int(py) // toward zero: a point less than a pixel left of the image samples its first column
		if ix < 0 || iy < 0 || ix >= w || iy >= h {
			return false, false
		}
		return bits.Get(ix, iy), true
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
	// Row by row, one transform call per row (the same arithmetic as at).
	row := make([]float64, 2*dim)
	for y := 0; y < dim; y++ {
		v := float64(y) + 0.5
		for x := 0; x < dim; x++ {
			row[2*x], row[2*x+1] = m.corrected(float64(x)+0.5, v)
		}
		m.t.TransformPoints(row)
		for x := 0; x < dim; x++ {
			ix, iy := int(row[2*x]), int(row[2*x+1])
			if ix < 0 || iy < 0 || ix >= w || iy >= h {
				return "", false
			}
			if bits.Get(ix, iy) {
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

// bentMapping maps module coordinates to the image: the perspective
// transform t of a flat code of dimension d, after a quadratic
// correction of the module coordinates.
type bentMapping struct {
	t      *common.PerspectiveTransform
	d      float64
	cu, cv [6]float64
}

func bentBasis(u, v, d float64) [6]float64 {
	u, v = u/d, v/d
	return [6]float64{1, u, v, u * u, u * v, v * v}
}

func (m *bentMapping) at(u, v float64) (float64, float64) {
	var p [2]float64
	p[0], p[1] = m.corrected(u, v)
	m.t.TransformPoints(p[:])
	return p[0], p[1]
}

// corrected returns the module coordinates (u, v) after the quadratic
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

// fitBend fits the correction to the anchors: each anchor's image
// position, taken back to module coordinates through back (t's inverse),
// against its own.
func fitBend(t, back *common.PerspectiveTransform, d float64, anchors []anchor) (*bentMapping, bool) {
	var ata [6][6]float64
	var atu, atv [6]float64
	for _, a := range anchors {
		p := []float64{a.x, a.y}
		back.TransformPoints(p)
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
			return nil, false
		}
		b := bentBasis(a.u, a.v, d)
		for i := range b {
			for j := range b {
				ata[i][j] += b[i] * b[j]
			}
			atu[i] += b[i] * (p[0] - a.u)
			atv[i] += b[i] * (p[1] - a.v)
		}
	}
	for i := range ata {
		ata[i][i] += bentRidge * float64(len(anchors))
	}
	m := &bentMapping{t: t, d: d}
	var ok1, ok2 bool
	m.cu, ok1 = solve6(ata, atu)
	m.cv, ok2 = solve6(ata, atv)
	return m, ok1 && ok2
}

// solve6 solves a x = b by Gaussian elimination with partial pivoting.
func solve6(a [6][6]float64, b [6]float64) ([6]float64, bool) {
	var x [6]float64
	for col := 0; col < 6; col++ {
		p := col
		for r := col + 1; r < 6; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		if math.Abs(a[p][col]) < 1e-12 {
			return x, false
		}
		a[col], a[p] = a[p], a[col]
		b[col], b[p] = b[p], b[col]
		for r := col + 1; r < 6; r++ {
			f := a[r][col] / a[col][col]
			for k := col; k < 6; k++ {
				a[r][k] -= f * a[col][k]
			}
			b[r] -= f * b[col]
		}
	}
	for r := 5; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < 6; k++ {
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
