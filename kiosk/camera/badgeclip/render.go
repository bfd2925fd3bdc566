package badgeclip

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"gocv.io/x/gocv"
)

// renderer draws the frames of one clip. Its Mats are allocated once.
type renderer struct {
	o   Options
	rng *rand.Rand

	bg, affine, mask            gocv.Mat
	warped, warpedMask, frame   gocv.Mat
	out                         gocv.Mat    // the frame to write
	maskFor                     image.Point // size of mask, to rebuild it for another card size
	angle, size, phaseX, phaseY float64     // this badge's pose
}

func newRenderer(o Options) *renderer {
	r := &renderer{
		o:          o,
		rng:        rand.New(rand.NewPCG(o.Seed, 0x6261646765)),
		affine:     gocv.NewMatWithSize(2, 3, gocv.MatTypeCV64F),
		mask:       gocv.NewMat(),
		warped:     gocv.NewMat(),
		warpedMask: gocv.NewMat(),
		frame:      gocv.NewMat(),
		out:        gocv.NewMat(),
	}
	r.bg = background(o.Width, o.Height, r.rng)
	return r
}

func (r *renderer) close() {
	for _, m := range []*gocv.Mat{&r.bg, &r.affine, &r.mask, &r.warped, &r.warpedMask, &r.frame, &r.out} {
		m.Close()
	}
}

// background is a wall lit unevenly: a gradient, a darker door frame, a
// floor band and some texture.
func background(w, h int, rng *rand.Rand) gocv.Mat {
	pix := make([]byte, w*h*3)
	frameX := int(float64(w) * (0.78 + 0.1*rng.Float64()))
	floorY := int(float64(h) * 0.86)
	for y := range h {
		for x := range w {
			// Light from the top left, falling off across the frame.
			dx, dy := float64(x)/float64(w), float64(y)/float64(h)
			light := 1.05 - 0.45*math.Hypot(dx*0.8, dy)
			b, g, rd := 150.0, 165.0, 180.0 // a beige wall
			switch {
			case y >= floorY:
				b, g, rd = 70, 85, 100
			case x >= frameX && x < frameX+w/14:
				b, g, rd = 95, 100, 110
			}
			tex := float64(rng.IntN(13) - 6)
			i := (y*w + x) * 3
			pix[i] = clamp(b*light + tex)
			pix[i+1] = clamp(g*light + tex)
			pix[i+2] = clamp(rd*light + tex)
		}
	}
	m, err := gocv.NewMatFromBytes(h, w, gocv.MatTypeCV8UC3, pix)
	if err != nil {
		panic(err) // the size is right by construction
	}
	defer m.Close()
	return m.Clone() // into OpenCV's memory, independent of pix
}

func clamp(v float64) byte {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return byte(v)
}

// newBadge picks the pose of the next badge shown.
func (r *renderer) newBadge() {
	r.angle = (r.rng.Float64()*2 - 1) * 10 // degrees
	r.size = 0.42 + 0.12*r.rng.Float64()   // card width / frame height
	r.phaseX, r.phaseY = r.rng.Float64()*6.28, r.rng.Float64()*6.28
}

// render renders frame i of a badge (card nil: an empty frame) into r.out.
func (r *renderer) render(card *gocv.Mat, i int) {
	r.bg.CopyTo(&r.frame)
	if card != nil {
		r.place(card, float64(i)/r.o.FPS)
	}
	// Light flicker, mild blur (focus, motion), sensor noise.
	r.frame.ConvertToWithParams(&r.frame, gocv.MatTypeCV8UC3, 1, float32(r.rng.Float64()*6-3))
	sigma := 0.6 + 0.7*r.rng.Float64()
	gocv.GaussianBlur(r.frame, &r.out, image.Pt(5, 5), sigma, sigma, gocv.BorderReplicate)
	r.noise(&r.out, 5)
}

// place draws card on r.frame at time t of its showing: drifting, tilting
// and coming closer or farther a little.
func (r *renderer) place(card *gocv.Mat, t float64) {
	w, h := float64(r.o.Width), float64(r.o.Height)
	cx := w/2 + 0.06*w*math.Sin(2*math.Pi*t/1.7+r.phaseX) + r.jitter(1.5)
	cy := h/2 + 0.05*h*math.Sin(2*math.Pi*t/2.3+r.phaseY) + r.jitter(1.5)
	angle := r.angle + 2*math.Sin(2*math.Pi*t/1.9)
	scale := r.size * h / float64(card.Cols()) * (1 + 0.06*math.Sin(2*math.Pi*t/1.3))

	// Rotate and scale about the card's centre, then move it to (cx, cy).
	rad := angle * math.Pi / 180
	a, b := scale*math.Cos(rad), scale*math.Sin(rad)
	ccx, ccy := float64(card.Cols())/2, float64(card.Rows())/2
	r.affine.SetDoubleAt(0, 0, a)
	r.affine.SetDoubleAt(0, 1, b)
	r.affine.SetDoubleAt(0, 2, cx-a*ccx-b*ccy)
	r.affine.SetDoubleAt(1, 0, -b)
	r.affine.SetDoubleAt(1, 1, a)
	r.affine.SetDoubleAt(1, 2, cy+b*ccx-a*ccy)

	if size := image.Pt(card.Cols(), card.Rows()); size != r.maskFor {
		r.mask.Close()
		r.mask = gocv.NewMatWithSizeFromScalar(gocv.NewScalar(255, 0, 0, 0), card.Rows(), card.Cols(), gocv.MatTypeCV8UC1)
		r.maskFor = size
	}
	out := image.Pt(r.o.Width, r.o.Height)
	gocv.WarpAffineWithParams(*card, &r.warped, r.affine, out, gocv.InterpolationLinear, gocv.BorderConstant, color.RGBA{})
	gocv.WarpAffineWithParams(r.mask, &r.warpedMask, r.affine, out, gocv.InterpolationNearestNeighbor, gocv.BorderConstant, color.RGBA{})
	r.warped.CopyToWithMask(&r.frame, r.warpedMask)
}

// jitter is a small random offset in [-amp, amp].
func (r *renderer) jitter(amp float64) float64 { return (r.rng.Float64()*2 - 1) * amp }

// noise adds uniform noise in [-amp, amp] to every byte of m.
func (r *renderer) noise(m *gocv.Mat, amp int) {
	pix, err := m.DataPtrUint8()
	if err != nil {
		return // not continuous: leave it clean
	}
	span := uint64(2*amp + 1)
	var bits uint64
	for i, p := range pix {
		if i%8 == 0 {
			bits = r.rng.Uint64()
		}
		v := int(p) + int((bits&0xff)%span) - amp
		bits >>= 8
		pix[i] = byte(min(max(v, 0), 255))
	}
}
