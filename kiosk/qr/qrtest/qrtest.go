// Package qrtest makes camera-like test frames holding QR badges: a code
// encoded with gozxing's writer, printed on a card, placed on a cluttered
// background with OpenCV at some size, angle and tilt, then blurred, lit,
// glared and noised like a cheap camera would. Everything comes from a seed,
// so a test or benchmark sees the same frames on every run.
//
// It serves the tests of kiosk/qr and the decoding benchmark (qrbench).
package qrtest

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/badge"
	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"gocv.io/x/gocv"
)

// Scene describes one generated frame. The zero value of an effect means
// "none".
type Scene struct {
	Width, Height int      // frame size (640x480 if zero)
	Texts         []string // one code per text, side by side; none for an empty frame
	ModulePx      float64  // side of one QR module in the frame, in pixels
	Angle         float64  // rotation of the card, degrees
	Tilt          float64  // perspective: corners moved by up to this fraction of the card side
	Blur          float64  // Gaussian blur sigma, pixels
	Motion        float64  // motion blur length, pixels
	Noise         float64  // Gaussian sensor noise sigma, gray levels
	Glare         float64  // strength of a bright spot over the code (0..1)
	Light         float64  // brightness factor (1 or 0: normal; 0.25: dim room)
	Contrast      float64  // ink darkness: 1 (or 0) black ink, 0.5 faded gray ink
	Clutter       int      // number of shapes and texts on the background
	JPEG          int      // JPEG quality the frame goes through (0: none)
	Seed          uint64   // drives the layout of the background and the placement
	// Marks is the number of finder-like marks (concentric squares, as on
	// signs, posters and logos) drawn on the wall: texture that makes a
	// decoder look hard at a frame without a code.
	Marks int
	// NoiseSeed, when not zero, drives the sensor noise alone: frames of
	// one scene rendered with different noise seeds are successive camera
	// frames of a still scene. Zero: the noise comes from Seed too.
	NoiseSeed uint64

	// A code on a phone's screen (the badge on a phone, issue 12): Screen
	// draws it at error correction M (the phone page's) on a lit screen in
	// a black phone body instead of a printed card; Moire adds the
	// interference of the screen's pixel grid with the camera's (0..1),
	// Reflection a bright diagonal band of a window or lamp on the glass
	// (0..1). A bright screen is Light above 1 (overexposed white).
	Screen     bool
	Moire      float64
	Reflection float64
}

// BadgeText returns a badge text ("BG1:" + base45 of 16 bytes) drawn from rng.
func BadgeText(rng *rand.Rand) string {
	var s badge.Secret
	for i := range s {
		s[i] = byte(rng.Uint32())
	}
	return s.Text()
}

// Code returns the modules of text encoded as a QR code at error correction
// level Q, one pixel per module, without quiet zone (true: dark).
func Code(text string) ([][]bool, error) { return codeAt(text, decoder.ErrorCorrectionLevel_Q) }

func codeAt(text string, level decoder.ErrorCorrectionLevel) ([][]bool, error) {
	hints := map[gozxing.EncodeHintType]interface{}{
		gozxing.EncodeHintType_ERROR_CORRECTION: level,
		gozxing.EncodeHintType_MARGIN:           0,
	}
	bm, err := gzqr.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, 0, 0, hints)
	if err != nil {
		return nil, fmt.Errorf("qrtest: encode %q: %w", text, err)
	}
	n := bm.GetWidth()
	m := make([][]bool, n)
	for y := range m {
		m[y] = make([]bool, n)
		for x := range m[y] {
			m[y][x] = bm.Get(x, y)
		}
	}
	return m, nil
}

// Random draws a scene of the given difficulty (0: easy, 1: hard) for texts.
func Random(rng *rand.Rand, texts []string, difficulty float64) Scene {
	d := math.Max(0, math.Min(1, difficulty))
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	s := Scene{
		Texts:    texts,
		ModulePx: u(7-5*d, 12-6*d),
		Angle:    u(-180, 180),
		Tilt:     u(0, 0.04+0.26*d),
		Blur:     u(0, 0.5+2*d),
		Noise:    u(1, 3+11*d),
		Clutter:  int(u(5, 40)),
		Seed:     rng.Uint64(),
	}
	if rng.Float64() < 0.4*d {
		s.Motion = u(2, 3+7*d)
	}
	if rng.Float64() < 0.2+0.5*d {
		s.Glare = u(0.2, 0.5+0.6*d)
	}
	if rng.Float64() < 0.2+0.3*d {
		s.Light = u(0.35-0.2*d, 0.7)
	}
	if rng.Float64() < 0.2+0.3*d {
		s.Contrast = u(0.75-0.4*d, 0.9)
	}
	if rng.Float64() < 0.5 {
		s.JPEG = int(u(85-45*d, 95))
	}
	if len(texts) > 1 {
		s.ModulePx = math.Min(s.ModulePx, 6)
	}
	return s
}

// Render draws the scene into a new gray frame.
func Render(s Scene) (*kiosk.Frame, error) {
	w, h := s.Width, s.Height
	if w == 0 || h == 0 {
		w, h = 640, 480
	}
	rng := rand.New(rand.NewPCG(s.Seed, 0x9e3779b97f4a7c15))
	img := background(rng, w, h, s.Clutter)
	defer img.Close()
	for i := 0; i < s.Marks; i++ {
		mark(rng, &img)
	}
	for i, text := range s.Texts {
		if err := placeCode(rng, &img, s, text, i, len(s.Texts)); err != nil {
			return nil, err
		}
	}
	if s.Blur > 0 {
		gocv.GaussianBlur(img, &img, image.Point{}, s.Blur, s.Blur, gocv.BorderReplicate)
	}
	if s.Motion >= 1 {
		motionBlur(rng, &img, s.Motion)
	}
	pix, err := img.DataPtrUint8()
	if err != nil {
		return nil, fmt.Errorf("qrtest: frame pixels: %w", err)
	}
	f := &kiosk.Frame{Pix: append([]byte(nil), pix...), Width: w, Height: h, Stride: w}
	noise := rng
	if s.NoiseSeed != 0 {
		noise = rand.New(rand.NewPCG(s.NoiseSeed, 0x5eed))
	}
	light(rng, noise, f, s)
	if s.JPEG > 0 {
		if err := jpegRoundTrip(f, s.JPEG); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// background draws a lit wall with posters, frames, stripes and writing.
func background(rng *rand.Rand, w, h, clutter int) gocv.Mat {
	base := 90 + rng.Float64()*120
	img := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(base, base, base, 0), h, w, gocv.MatTypeCV8U)
	gray := func() color.RGBA { v := uint8(rng.IntN(256)); return color.RGBA{v, v, v, 255} }
	pt := func() image.Point { return image.Pt(rng.IntN(w), rng.IntN(h)) }
	for i := 0; i < clutter; i++ {
		switch rng.IntN(6) {
		case 0:
			gocv.Rectangle(&img, image.Rectangle{pt(), pt()}.Canon(), gray(), -1)
		case 1:
			gocv.Rectangle(&img, image.Rectangle{pt(), pt()}.Canon(), gray(), 1+rng.IntN(8))
		case 2:
			gocv.Circle(&img, pt(), 5+rng.IntN(80), gray(), -1+rng.IntN(6))
		case 3:
			gocv.Line(&img, pt(), pt(), gray(), 1+rng.IntN(6))
		case 4:
			gocv.PutText(&img, randomWords(rng), pt(), gocv.HersheyFont(rng.IntN(8)), 0.4+2*rng.Float64(), gray(), 1+rng.IntN(3))
		case 5:
			stripes(rng, &img, pt(), gray(), gray())
		}
	}
	return img
}

// stripes draws a small checkerboard or bar pattern: the kind of texture
// that looks like finder patterns to a QR detector.
func stripes(rng *rand.Rand, img *gocv.Mat, at image.Point, a, b color.RGBA) {
	cell := 2 + rng.IntN(8)
	n := 3 + rng.IntN(10)
	checker := rng.IntN(2) == 0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			c := a
			if (checker && (x+y)%2 == 0) || (!checker && x%2 == 0) {
				c = b
			}
			r := image.Rect(at.X+x*cell, at.Y+y*cell, at.X+(x+1)*cell, at.Y+(y+1)*cell)
			gocv.Rectangle(img, r, c, -1)
		}
	}
}

// mark draws a finder-like mark: dark, light and dark concentric squares
// of 7, 5 and 3 units (1:1:3:1:1 across, as a QR finder pattern) on a light
// square of 9 units, at a random place and size.
func mark(rng *rand.Rand, img *gocv.Mat) {
	u := 3 + rng.IntN(5)
	at := image.Pt(rng.IntN(max(1, img.Cols()-9*u)), rng.IntN(max(1, img.Rows()-9*u)))
	dark, light := uint8(20+rng.IntN(50)), uint8(190+rng.IntN(50))
	for _, sq := range []struct {
		units int
		v     uint8
	}{{9, light}, {7, dark}, {5, light}, {3, dark}} {
		lo, hi := (9-sq.units)/2*u, (9+sq.units)/2*u
		r := image.Rect(at.X+lo, at.Y+lo, at.X+hi, at.Y+hi)
		gocv.Rectangle(img, r, color.RGBA{sq.v, sq.v, sq.v, 255}, -1)
	}
}

func randomWords(rng *rand.Rand) string {
	words := []string{"Coworking", "WIFI", "Bienvenue", "cafe", "10:30", "Salle B", "Entree", "Slack", "meeting", "#42"}
	return words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))]
}

// placeCode draws the card holding text into img: slot i of n splits the
// frame width so that several codes do not overlap.
func placeCode(rng *rand.Rand, img *gocv.Mat, s Scene, text string, i, n int) error {
	card, err := Card(text, s.Contrast)
	if s.Screen {
		card, err = phoneScreen(text)
	}
	if err != nil {
		return err
	}
	defer card.Close()

	// The card is the code plus a 4-module quiet zone and a 1-module white
	// border around it (a printed badge).
	side := float64(card.Cols()) * s.ModulePx / cardPx
	slotW := float64(img.Cols()) / float64(n)
	// Keep the rotated card inside its slot.
	diag := side * math.Sqrt2 * (1 + s.Tilt)
	cx := slotW*float64(i) + slotW/2
	cy := float64(img.Rows()) / 2
	if room := slotW - diag; room > 0 {
		cx += (rng.Float64() - 0.5) * room
	}
	if room := float64(img.Rows()) - diag; room > 0 {
		cy += (rng.Float64() - 0.5) * room
	}
	a := s.Angle * math.Pi / 180
	corners := [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}
	dst := make([]gocv.Point2f, 4)
	for k, c := range corners {
		x := c[0]*side/2 + (rng.Float64()*2-1)*s.Tilt*side
		y := c[1]*side/2 + (rng.Float64()*2-1)*s.Tilt*side
		dst[k] = gocv.Point2f{
			X: float32(cx + x*math.Cos(a) - y*math.Sin(a)),
			Y: float32(cy + x*math.Sin(a) + y*math.Cos(a)),
		}
	}
	cw := float32(card.Cols())
	src := []gocv.Point2f{{X: 0, Y: 0}, {X: cw, Y: 0}, {X: cw, Y: cw}, {X: 0, Y: cw}}
	sv, dv := gocv.NewPoint2fVectorFromPoints(src), gocv.NewPoint2fVectorFromPoints(dst)
	defer sv.Close()
	defer dv.Close()
	m := gocv.GetPerspectiveTransform2f(sv, dv)
	defer m.Close()
	gocv.WarpPerspectiveWithParams(card, img, m, image.Pt(img.Cols(), img.Rows()),
		gocv.InterpolationArea, gocv.BorderTransparent, color.RGBA{})
	return nil
}

// cardPx is the size of a module on the card image before it is warped
// into the frame: drawing big and shrinking keeps module edges antialiased.
const cardPx = 8

// Card draws a printed badge for text: its QR code (Code: level Q, the
// badge's version 2 for a badge text) in dark ink on white paper, with a
// 4-module quiet zone, a 1-module border and a thin gray edge, CardPx
// pixels a module, in 8-bit gray. contrast is the ink's darkness (0 or 1:
// black ink; 0.5: faded gray). It is the one synthetic-badge renderer: the
// frames of this package and the clips of kiosk/camera/badgeclip both draw
// their cards with it. The caller closes the Mat.
func Card(text string, contrast float64) (gocv.Mat, error) {
	modules, err := Code(text)
	if err != nil {
		return gocv.Mat{}, err
	}
	return cardImage(modules, contrast), nil
}

// CardPx is the size of a module on a Card.
const CardPx = cardPx

// cardImage renders the modules on a white card: dark ink on paper.
func cardImage(modules [][]bool, contrast float64) gocv.Mat {
	if contrast == 0 {
		contrast = 1
	}
	n := len(modules) + 2*5
	paper, ink := 235.0, 235-contrast*215
	card := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(paper, paper, paper, 0), n*cardPx, n*cardPx, gocv.MatTypeCV8U)
	inkc := color.RGBA{uint8(ink), uint8(ink), uint8(ink), 255}
	for y, row := range modules {
		for x, dark := range row {
			if dark {
				r := image.Rect((x+5)*cardPx, (y+5)*cardPx, (x+6)*cardPx, (y+6)*cardPx)
				gocv.Rectangle(&card, r, inkc, -1)
			}
		}
	}
	// A thin gray edge: the card's border against the wall.
	gocv.Rectangle(&card, image.Rect(0, 0, n*cardPx-1, n*cardPx-1), color.RGBA{160, 160, 160, 255}, 2)
	return card
}

// phoneScreen draws text as the phone page shows it: level M, a white
// screen (brighter than paper), in a black phone body (a wide bezel with
// rounded corners), cardPx pixels a module. The caller closes the Mat.
func phoneScreen(text string) (gocv.Mat, error) {
	modules, err := codeAt(text, decoder.ErrorCorrectionLevel_M)
	if err != nil {
		return gocv.Mat{}, err
	}
	n := len(modules) + 2*4 // the page's 4-module quiet zone
	bezel := 3
	side := (n + 2*bezel) * cardPx
	img := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(18, 18, 18, 0), side, side, gocv.MatTypeCV8U)
	o := bezel * cardPx
	gocv.Rectangle(&img, image.Rect(o, o, o+n*cardPx, o+n*cardPx), color.RGBA{252, 252, 252, 255}, -1)
	for y, row := range modules {
		for x, dark := range row {
			if dark {
				r := image.Rect(o+(x+4)*cardPx, o+(y+4)*cardPx, o+(x+5)*cardPx, o+(y+5)*cardPx)
				gocv.Rectangle(&img, r, color.RGBA{8, 8, 8, 255}, -1)
			}
		}
	}
	return img, nil
}

// motionBlur smears img along a random direction over length pixels, as a
// badge moving during the exposure.
func motionBlur(rng *rand.Rand, img *gocv.Mat, length float64) {
	n := int(math.Ceil(length))
	k := gocv.NewMatWithSize(2*n+1, 2*n+1, gocv.MatTypeCV32F)
	defer k.Close()
	k.SetTo(gocv.NewScalar(0, 0, 0, 0))
	a := rng.Float64() * math.Pi
	steps := 4 * n
	for i := 0; i <= steps; i++ {
		r := length * (float64(i)/float64(steps) - 0.5)
		x, y := n+int(math.Round(r*math.Cos(a))), n+int(math.Round(r*math.Sin(a)))
		k.SetFloatAt(y, x, k.GetFloatAt(y, x)+1/float32(steps+1))
	}
	gocv.Filter2D(*img, img, -1, k, image.Pt(-1, -1), 0, gocv.BorderReplicate)
}

// light applies the room's light: a dim factor, a glare spot (placed by
// rng), sensor noise (drawn from noise).
func light(rng, noise *rand.Rand, f *kiosk.Frame, s Scene) {
	gain := s.Light
	if gain == 0 {
		gain = 1
	}
	gx, gy := rng.Float64()*float64(f.Width), rng.Float64()*float64(f.Height)
	gr := (0.1 + 0.2*rng.Float64()) * float64(f.Height)
	// Moiré: fringes a few pixels apart at some angle; a reflection: a
	// band across the frame at another. Drawn only for a screen's effects,
	// so that every other scene stays the frame it always was.
	var ma, mp, ra, rw, rc float64
	if s.Moire > 0 || s.Reflection > 0 {
		ma, mp = rng.Float64()*math.Pi, 2.5+2*rng.Float64()
		ra, rw = rng.Float64()*math.Pi, (0.05+0.08*rng.Float64())*float64(f.Height)
		rc = (0.3 + 0.4*rng.Float64()) * float64(f.Width)
	}
	for y := 0; y < f.Height; y++ {
		for x := 0; x < f.Width; x++ {
			v := float64(f.Pix[y*f.Stride+x]) * gain
			if s.Glare > 0 {
				d2 := (float64(x)-gx)*(float64(x)-gx) + (float64(y)-gy)*(float64(y)-gy)
				v += s.Glare * 255 * math.Exp(-d2/(2*gr*gr))
			}
			if s.Moire > 0 {
				v += s.Moire * 40 * math.Sin(2*math.Pi*(float64(x)*math.Cos(ma)+float64(y)*math.Sin(ma))/mp)
			}
			if s.Reflection > 0 {
				d := (float64(x)-rc)*math.Sin(ra) - (float64(y)-float64(f.Height)/2)*math.Cos(ra)
				v += s.Reflection * 140 * math.Exp(-d*d/(2*rw*rw))
			}
			if s.Noise > 0 {
				v += noise.NormFloat64() * s.Noise
			}
			f.Pix[y*f.Stride+x] = uint8(math.Max(0, math.Min(255, math.Round(v))))
		}
	}
}

// jpegRoundTrip compresses and decompresses f, as a webcam's MJPEG does.
func jpegRoundTrip(f *kiosk.Frame, quality int) error {
	m, err := gocv.NewMatFromBytes(f.Height, f.Width, gocv.MatTypeCV8U, f.Pix)
	if err != nil {
		return fmt.Errorf("qrtest: frame to Mat: %w", err)
	}
	defer m.Close()
	buf, err := gocv.IMEncodeWithParams(gocv.JPEGFileExt, m, []int{gocv.IMWriteJpegQuality, quality})
	if err != nil {
		return fmt.Errorf("qrtest: JPEG encode: %w", err)
	}
	defer buf.Close()
	d, err := gocv.IMDecode(buf.GetBytes(), gocv.IMReadGrayScale)
	if err != nil {
		return fmt.Errorf("qrtest: JPEG decode: %w", err)
	}
	defer d.Close()
	pix, err := d.DataPtrUint8()
	if err != nil || len(pix) != len(f.Pix) {
		return errors.New("qrtest: JPEG round trip changed the frame size")
	}
	copy(f.Pix, pix)
	return nil
}

// WriteFile saves f as a PNG or JPEG (quality 90) file, by the extension
// of path.
func WriteFile(path string, f *kiosk.Frame) error {
	m, err := gocv.NewMatFromBytes(f.Height, f.Width, gocv.MatTypeCV8U, packed(f))
	if err != nil {
		return fmt.Errorf("qrtest: frame to Mat: %w", err)
	}
	defer m.Close()
	if !gocv.IMWriteWithParams(path, m, []int{gocv.IMWriteJpegQuality, 90}) {
		return fmt.Errorf("qrtest: could not write %s", path)
	}
	return nil
}

// packed returns f's pixels with rows of exactly Width bytes.
func packed(f *kiosk.Frame) []byte {
	if f.Stride == f.Width {
		return f.Pix[:f.Width*f.Height]
	}
	pix := make([]byte, f.Width*f.Height)
	for y := 0; y < f.Height; y++ {
		copy(pix[y*f.Width:(y+1)*f.Width], f.Pix[y*f.Stride:])
	}
	return pix
}
