package qrtest

// The wild generator: a second, independent way of making camera frames,
// written apart from Render so that a decoder tuned on Render's frames can
// be measured on frames it has never seen (issue 16). It shares nothing
// with Render but the QR encoder: its own background, its own geometry (a
// card or phone posed in 3D in front of a pinhole camera, optionally bent
// like a curved card, projected by forward splatting rather than a
// homography warp), its own optics (a disk-shaped defocus instead of a
// Gaussian, a bloom around overexposed screens), a sensor model with auto
// exposure, gain, shot noise and gamma, and Go's own JPEG codec rather than
// libjpeg. Its parameter ranges are those of issue 16 (versions 1 to 10,
// modules down to 2 px, perspective up to 50°, contrast down to 20%, JPEG
// quality 30 to 90...), chosen before any decoder ran on its frames.

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"gocv.io/x/gocv"
)

// WildKind is what carries the code in a wild scene.
type WildKind int

const (
	WildCard   WildKind = iota // a printed card, lit by the room
	WildScreen                 // a phone's screen, lit from behind
)

// WildScene is one frame of the wild generator. Angles are in degrees;
// the zero value of an effect means none.
type WildScene struct {
	Width, Height int // frame size (640x480 if zero)
	Kind          WildKind
	Text          string
	Level         byte    // error correction: 'L', 'M', 'Q' or 'H'
	Module        float64 // module size at the code's center, in pixels
	Roll          float64 // rotation in the card's plane
	Tilt          float64 // angle between the card and the image plane (perspective)
	TiltDir       float64 // direction of the tilt axis, in the card's plane
	Bend          float64 // cylindrical bend: depth of the arc, as a fraction of the card's width
	X, Y          float64 // center of the code in the frame, as fractions of its size
	Contrast      float64 // ink against paper, 0..1 (1 or 0: black ink)
	Inverted      bool    // light modules on a dark ground
	Ambient       float64 // room light, 1 (or 0): an office; 0.1: a dark hall
	Uneven        float64 // light falling off across the frame, 0..1
	Specular      float64 // a highlight on the laminated card, 0..2 (above 1 it burns out)
	Backlight     float64 // a screen's white against paper in office light (default 1.5)
	DarkMode      bool    // the phone page in dark mode: dark page around the code's box
	ScreenGrid    float64 // depth of the dark gaps between the screen's pixels (moiré), 0..1
	Reflection    float64 // a window's reflection on the glass, 0..1
	Defocus       float64 // radius of the out-of-focus disk, pixels
	Motion        float64 // length of the motion blur, pixels
	MotionDir     float64 // its direction
	Noise         float64 // sensor noise at gain 1, gray levels
	JPEG          int     // JPEG quality (0: none)
	Seed          uint64  // the background and the highlight's place
	NoiseSeed     uint64  // the sensor noise (0: from Seed)
}

// wildCapacity is the number of bytes a QR code of version v+1 holds in
// byte mode, per error correction level L, M, Q, H.
var wildCapacity = [10][4]int{
	{17, 14, 11, 7}, {32, 26, 20, 14}, {53, 42, 32, 24}, {78, 62, 46, 34}, {106, 84, 60, 44},
	{134, 106, 74, 58}, {154, 122, 86, 64}, {192, 152, 108, 84}, {230, 180, 130, 98}, {271, 213, 151, 119},
}

var wildLevels = []byte{'L', 'M', 'Q', 'H'}

// WildText draws an error correction level and a text whose code has a
// version from 1 to 10, about uniformly: URLs, words, digits, in byte mode.
func WildText(rng *rand.Rand) (string, byte) {
	li := rng.IntN(4)
	v := rng.IntN(10)
	lo := 1
	if v > 0 {
		lo = wildCapacity[v-1][li] + 1
	}
	n := lo + rng.IntN(wildCapacity[v][li]-lo+1)
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:?=&%+ #@!"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	b[rng.IntN(n)] = 'a' + byte(rng.IntN(26)) // at least one lowercase letter: byte mode
	return string(b), wildLevels[li]
}

// DrawWild draws a wild scene of the given kind holding text, at a
// difficulty from 0 (a clear code, big enough, facing the camera) to 1 (the
// whole range of every effect). Each effect is drawn on its own, so a hard
// frame may combine several.
func DrawWild(rng *rand.Rand, kind WildKind, text string, level byte, difficulty float64) WildScene {
	d := math.Max(0, math.Min(1, difficulty))
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	upTo := func(lo, hi float64) float64 { return u(lo, lo+(hi-lo)*d) }
	chance := func(p float64) bool { return rng.Float64() < p*(0.3+0.7*d) }
	s := WildScene{
		Kind: kind, Text: text, Level: level,
		Module:  math.Exp(u(math.Log(9-7*d), math.Log(9))),
		Roll:    u(-180, 180),
		Tilt:    upTo(0, 50),
		TiltDir: u(0, 360),
		X:       u(0.25, 0.75), Y: u(0.25, 0.75),
		Ambient: math.Exp(u(math.Log(1-0.85*d), math.Log(1.3))),
		Uneven:  upTo(0, 0.7),
		Noise:   upTo(1, 4),
		Seed:    rng.Uint64(),
	}
	if chance(0.6) {
		s.JPEG = 90 - rng.IntN(1+int(60*d))
	}
	if chance(0.4) {
		s.Defocus = upTo(0.5, 2.5)
	}
	if chance(0.35) {
		s.Motion, s.MotionDir = upTo(1, 10), u(0, 180)
	}
	switch kind {
	case WildCard:
		if chance(0.5) {
			s.Contrast = 1 - upTo(0.05, 0.8)
		}
		s.Inverted = rng.Float64() < 0.15
		if chance(0.35) {
			s.Bend = upTo(0.05, 0.25)
		}
		if chance(0.35) {
			s.Specular = upTo(0.3, 1.6)
		}
	case WildScreen:
		s.Ambient = math.Exp(u(math.Log(1-0.95*d), math.Log(1)))
		s.Backlight = u(0.8, 0.8+2.2*d)
		s.DarkMode = rng.Float64() < 0.4
		s.Inverted = s.DarkMode && rng.Float64() < 0.3
		if chance(0.6) {
			s.ScreenGrid = upTo(0.2, 0.8)
		}
		if chance(0.5) {
			s.Reflection = upTo(0.1, 0.7)
		}
		s.Tilt = upTo(0, 40) // a phone is held flatter to the camera than a card
	}
	return s
}

// wildPose places the code in 3D in front of a pinhole camera.
type wildPose struct {
	w, h   int
	f      float64    // focal length, pixels
	rot    [9]float64 // card axes in camera space
	t      [3]float64 // the code's center in camera space
	size   float64    // the carrier's side, modules
	origin float64    // the code's first module, from the carrier's corner, modules
	bend   float64    // arc depth, modules
}

// pose builds the geometry of s for a code of dim modules.
func (s WildScene) pose(dim int) wildPose {
	w, h := s.frameSize()
	margin := 6.0 // quiet zone and card edge, modules
	if s.Kind == WildScreen {
		margin = 9 // quiet zone, page and bezel
	}
	p := wildPose{w: w, h: h, f: 0.9 * float64(w)}
	p.size = float64(dim) + 2*margin
	p.origin = margin
	p.bend = s.Bend * p.size
	rad := math.Pi / 180
	// Roll in the card's plane, then a tilt about an axis of that plane.
	cr, sr := math.Cos(s.Roll*rad), math.Sin(s.Roll*rad)
	roll := [9]float64{cr, -sr, 0, sr, cr, 0, 0, 0, 1}
	ax, ay := math.Cos(s.TiltDir*rad), math.Sin(s.TiltDir*rad)
	c, sn := math.Cos(s.Tilt*rad), math.Sin(s.Tilt*rad)
	tilt := [9]float64{ // Rodrigues about (ax, ay, 0)
		c + ax*ax*(1-c), ax * ay * (1 - c), ay * sn,
		ax * ay * (1 - c), c + ay*ay*(1-c), -ax * sn,
		-ay * sn, ax * sn, c,
	}
	p.rot = mul3(tilt, roll)
	z := p.f / math.Max(s.Module, 0.5)
	p.t = [3]float64{(s.X - 0.5) * float64(w) * z / p.f, (s.Y - 0.5) * float64(h) * z / p.f, z}
	return p
}

func mul3(a, b [9]float64) [9]float64 {
	var m [9]float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			m[3*i+j] = a[3*i]*b[j] + a[3*i+1]*b[3+j] + a[3*i+2]*b[6+j]
		}
	}
	return m
}

// project maps a point of the carrier (u, v in modules from its corner) to
// the frame.
func (p *wildPose) project(u, v float64) (x, y float64) {
	cu, cv := u-p.size/2, v-p.size/2
	var cz float64
	if p.bend != 0 {
		k := 2 * cu / p.size
		cz = p.bend * k * k // the card's sides bend away from the camera
	}
	X := p.rot[0]*cu + p.rot[1]*cv + p.rot[2]*cz + p.t[0]
	Y := p.rot[3]*cu + p.rot[4]*cv + p.rot[5]*cz + p.t[1]
	Z := p.rot[6]*cu + p.rot[7]*cv + p.rot[8]*cz + p.t[2]
	return p.f*X/Z + float64(p.w)/2, p.f*Y/Z + float64(p.h)/2
}

// Dimension returns the number of modules on a side of the scene's code.
func (s WildScene) Dimension() (int, error) {
	modules, err := codeAt(s.Text, wildLevel(s.Level))
	return len(modules), err
}

// CodeCorners returns the frame positions of the code's four corners (its
// modules, without the quiet zone), for a code of dim modules.
func (s WildScene) CodeCorners() ([4][2]float64, error) {
	modules, err := codeAt(s.Text, wildLevel(s.Level))
	if err != nil {
		return [4][2]float64{}, err
	}
	p := s.pose(len(modules))
	var c [4][2]float64
	a, b := p.origin, p.origin+float64(len(modules))
	for i, uv := range [4][2]float64{{a, a}, {b, a}, {b, b}, {a, b}} {
		c[i][0], c[i][1] = p.project(uv[0], uv[1])
	}
	return c, nil
}

// Visible reports whether the whole code and its quiet zone are inside
// the frame.
func (s WildScene) Visible() bool {
	modules, err := codeAt(s.Text, wildLevel(s.Level))
	if err != nil {
		return false
	}
	p := s.pose(len(modules))
	w, h := s.frameSize()
	a, b := p.origin-4, p.origin+float64(len(modules))+4
	for i := 0; i <= 8; i++ { // the edges, in steps: a bent card's edges curve
		t := a + (b-a)*float64(i)/8
		for _, uv := range [4][2]float64{{t, a}, {t, b}, {a, t}, {b, t}} {
			x, y := p.project(uv[0], uv[1])
			if x < 0 || y < 0 || x >= float64(w) || y >= float64(h) {
				return false
			}
		}
	}
	return true
}

// Fit moves the code toward the frame's center, then shrinks it, until
// the code and its quiet zone are inside the frame.
func (s WildScene) Fit() WildScene {
	for i := 0; i < 40 && !s.Visible(); i++ {
		if i < 5 {
			s.X, s.Y = 0.5+(s.X-0.5)*0.6, 0.5+(s.Y-0.5)*0.6
			continue
		}
		s.Module *= 0.92
	}
	return s
}

func (s WildScene) frameSize() (int, int) {
	if s.Width == 0 || s.Height == 0 {
		return 640, 480
	}
	return s.Width, s.Height
}

func wildLevel(l byte) decoder.ErrorCorrectionLevel {
	switch l {
	case 'L':
		return decoder.ErrorCorrectionLevel_L
	case 'Q':
		return decoder.ErrorCorrectionLevel_Q
	case 'H':
		return decoder.ErrorCorrectionLevel_H
	}
	return decoder.ErrorCorrectionLevel_M
}

// WildBackground is the room behind the code, in linear reflectance
// (0..1) per pixel: it depends only on the scene's seed and size, so a
// video renders it once.
type WildBackground struct {
	w, h int
	refl []float32
}

// NewWildBackground draws the room of seed: a wall with a light gradient,
// doors and posters, writing, shelves, a window's blinds, a checked shirt,
// floor tiles: texture with edges and repeats, some of it finder-like.
func NewWildBackground(seed uint64, w, h int) *WildBackground {
	rng := rand.New(rand.NewPCG(seed, 0x0b5e55ed))
	b := &WildBackground{w: w, h: h, refl: make([]float32, w*h)}
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	base, slope := u(0.2, 0.8), u(-0.3, 0.3)
	for y := 0; y < h; y++ {
		v := float32(math.Max(0.02, math.Min(0.95, base+slope*float64(y)/float64(h))))
		row := b.refl[y*w : (y+1)*w]
		for x := range row {
			row[x] = v
		}
	}
	fill := func(x0, y0, x1, y1 int, v float32) {
		x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
		for y := y0; y < y1; y++ {
			row := b.refl[y*w : (y+1)*w]
			for x := x0; x < x1; x++ {
				row[x] = v
			}
		}
	}
	n := 6 + rng.IntN(20)
	for i := 0; i < n; i++ {
		x, y := rng.IntN(w), rng.IntN(h)
		bw, bh := 10+rng.IntN(w/2), 10+rng.IntN(h/2)
		v := float32(u(0.03, 0.9))
		switch rng.IntN(7) {
		case 0, 1: // a poster, a door
			fill(x, y, x+bw, y+bh, v)
		case 2: // writing: rows of short dark strokes
			line := 4 + rng.IntN(14)
			for ly := y; ly < min(h, y+bh); ly += line + line/2 {
				for lx := x; lx < min(w, x+bw); {
					word := 2 + rng.IntN(8)*line/3
					fill(lx, ly, lx+word, ly+line, v)
					lx += word + line/2
				}
			}
		case 3: // blinds or shelves: bars
			period := 3 + rng.IntN(20)
			for ly := y; ly < min(h, y+bh); ly += period {
				fill(x, ly, x+bw, ly+period/2, v)
			}
		case 4: // a check or tiles
			cell := 2 + rng.IntN(14)
			v2 := float32(u(0.03, 0.9))
			for cy := 0; cy*cell < bh; cy++ {
				for cx := 0; cx*cell < bw; cx++ {
					if (cx+cy)%2 == 0 {
						fill(x+cx*cell, y+cy*cell, x+(cx+1)*cell, y+(cy+1)*cell, v2)
					}
				}
			}
		case 5: // a round thing: a clock, a lamp
			r := 5 + rng.IntN(60)
			for yy := max(0, y-r); yy < min(h, y+r); yy++ {
				for xx := max(0, x-r); xx < min(w, x+r); xx++ {
					if (xx-x)*(xx-x)+(yy-y)*(yy-y) < r*r {
						b.refl[yy*w+xx] = v
					}
				}
			}
		case 6: // a framed sign: nested squares, as logos often are
			side := 12 + rng.IntN(70)
			for k, frac := range []float64{1, 0.8, 0.6, 0.35} {
				in := int(float64(side) * (1 - frac) / 2)
				c := v
				if k%2 == 1 {
					c = 0.9 - v/2
				}
				fill(x+in, y+in, x+side-in, y+side-in, c)
			}
		}
	}
	return b
}

// RenderWild draws s in a new frame, over a background drawn from s.Seed.
func RenderWild(s WildScene) (*kiosk.Frame, error) {
	w, h := s.frameSize()
	return RenderWildOn(NewWildBackground(s.Seed, w, h), s)
}

// RenderWildOn draws s over bg (of the scene's size).
func RenderWildOn(bg *WildBackground, s WildScene) (*kiosk.Frame, error) {
	w, h := s.frameSize()
	if bg.w != w || bg.h != h {
		return nil, fmt.Errorf("qrtest: background is %dx%d, scene %dx%d", bg.w, bg.h, w, h)
	}
	var modules [][]bool
	if s.Text != "" { // else a frame without a code
		var err error
		if modules, err = codeAt(s.Text, wildLevel(s.Level)); err != nil {
			return nil, err
		}
	}
	rng := rand.New(rand.NewPCG(s.Seed, 0x11ab))
	ambient := s.Ambient
	if ambient == 0 {
		ambient = 1
	}
	// The room's light: a falloff from a point, the same on the wall and
	// on the card.
	lx, ly := rng.Float64()*float64(w), rng.Float64()*float64(h)
	lightAt := func(x, y int) float32 {
		d := math.Hypot(float64(x)-lx, float64(y)-ly) / float64(w)
		return float32(ambient * (1 - s.Uneven*math.Min(1, d)))
	}
	// Linear light reaching the sensor, before exposure.
	lum := make([]float32, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			lum[y*w+x] = bg.refl[y*w+x] * lightAt(x, y)
		}
	}
	p := s.pose(len(modules))
	sum, cnt := make([]float32, w*h), make([]int32, w*h)
	if modules != nil {
		sum, cnt = splat(&p, s, modules)
	}
	// The highlight on a card: a bright ellipse somewhere on it.
	hx, hy := p.project(p.size*(0.2+0.6*rng.Float64()), p.size*(0.2+0.6*rng.Float64()))
	hr := (0.15 + 0.25*rng.Float64()) * p.f / p.t[2] * p.size
	// A window reflected on a screen: a soft band.
	ra := rng.Float64() * math.Pi
	rw := (0.05 + 0.1*rng.Float64()) * float64(h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			if cnt[i] == 0 {
				continue
			}
			v := sum[i] / float32(cnt[i])
			switch s.Kind {
			case WildCard:
				v *= lightAt(x, y)
				if s.Specular > 0 {
					d2 := ((float64(x)-hx)*(float64(x)-hx) + (float64(y)-hy)*(float64(y)-hy)) / (hr * hr)
					v += float32(s.Specular * ambient * math.Exp(-d2))
				}
			case WildScreen:
				// Emissive: the screen's light does not depend on the room's;
				// the glass reflects a little of the room.
				backlight := s.Backlight
				if backlight == 0 {
					backlight = 1.5
				}
				if v >= 0 { // the screen (negative: the phone's body)
					v = v*float32(backlight) + 0.04*lightAt(x, y)
				} else {
					v = 0.04 * lightAt(x, y)
				}
				if s.Reflection > 0 {
					d := (float64(x)-hx)*math.Sin(ra) - (float64(y)-hy)*math.Cos(ra)
					v += float32(s.Reflection * math.Max(ambient, 0.3) * math.Exp(-d*d/(2*rw*rw)))
				}
			}
			lum[i] = v
		}
	}
	optics(lum, w, h, s)
	pix := sensor(lum, w, h, s)
	f := &kiosk.Frame{Pix: pix, Width: w, Height: h, Stride: w}
	if s.JPEG > 0 {
		if err := goJPEG(f, s.JPEG); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// splat projects the carrier onto the frame, sample by sample, closely
// enough that every covered pixel gets several samples: per pixel, the sum
// and number of the samples' values (reflectance for a card, emission for
// a screen, negative for a phone's body).
func splat(p *wildPose, s WildScene, modules [][]bool) (sum []float32, cnt []int32) {
	w, h := p.w, p.h
	sum, cnt = make([]float32, w*h), make([]int32, w*h)
	// The largest distance in pixels between neighbouring carrier points
	// one module apart, over a grid of the carrier.
	scale := 0.0
	for i := 0; i <= 6; i++ {
		for j := 0; j <= 6; j++ {
			u, v := p.size*float64(i)/6, p.size*float64(j)/6
			x0, y0 := p.project(u, v)
			x1, y1 := p.project(u+0.01, v)
			x2, y2 := p.project(u, v+0.01)
			scale = math.Max(scale, math.Max(math.Hypot(x1-x0, y1-y0), math.Hypot(x2-x0, y2-y0))*100)
		}
	}
	step := 0.4 / math.Max(scale, 1e-3) // modules between samples: 0.4 px at most
	grid := 0.0
	if s.Kind == WildScreen && s.ScreenGrid > 0 {
		grid = 1.0 / 7 // screen pixels per module: about 7 on a phone
		step = math.Min(step, grid/3)
	}
	dim := float64(len(modules))
	paper, ink := float32(0.85), float32(0.85*(1-contrastOf(s.Contrast)))
	if s.Inverted {
		paper, ink = ink, paper
	}
	for v := step / 2; v < p.size; v += step {
		for u := step / 2; u < p.size; u += step {
			x, y := p.project(u, v)
			xi, yi := int(x), int(y)
			if x < 0 || y < 0 || xi >= w || yi >= h {
				continue
			}
			mu, mv := u-p.origin, v-p.origin
			dark := mu >= 0 && mv >= 0 && mu < dim && mv < dim && modules[int(mv)][int(mu)]
			var val float32
			switch s.Kind {
			case WildCard:
				val = paper
				if dark {
					val = ink
				}
				// The card's edge: a thin gray rim.
				if u < 0.3 || v < 0.3 || u > p.size-0.3 || v > p.size-0.3 {
					val = 0.45
				}
			case WildScreen:
				val = screenValue(s, u, v, p.size, p.origin, dim, dark)
				if grid > 0 && val > 0 {
					gu, gv := u/grid, v/grid
					gu, gv = gu-math.Floor(gu), gv-math.Floor(gv)
					if gu > 0.75 || gv > 0.75 { // the dark gaps between pixels
						val *= float32(1 - s.ScreenGrid)
					}
				}
			}
			i := yi*w + xi
			sum[i] += val
			cnt[i]++
		}
	}
	return sum, cnt
}

// screenValue is a phone at carrier point (u, v): its body (negative), the
// page, the code's white box and the modules.
func screenValue(s WildScene, u, v, size, origin, dim float64, dark bool) float32 {
	bezel := 2.5
	if u < bezel || v < bezel || u > size-bezel || v > size-bezel {
		return -1
	}
	light, darkv := float32(1), float32(0.02)
	if s.Inverted {
		light, darkv = darkv, light
	}
	inCode := u >= origin && v >= origin && u < origin+dim && v < origin+dim
	switch {
	case inCode && dark:
		return darkv
	case inCode:
		return light
	}
	quiet := u > origin-4 && v > origin-4 && u < origin+dim+4 && v < origin+dim+4
	if s.DarkMode && !quiet {
		return 0.07 // the dark page around the code's box
	}
	return light
}

func contrastOf(c float64) float64 {
	if c == 0 {
		return 1
	}
	return math.Max(0, math.Min(1, c))
}

// optics blurs the light as the lens does: defocus (a disk), motion (a
// line), and a glow around burnt-out light (bloom).
func optics(lum []float32, w, h int, s WildScene) {
	m, err := gocv.NewMatFromBytes(h, w, gocv.MatTypeCV32F, f32bytes(lum))
	if err != nil {
		return
	}
	defer m.Close()
	if s.Defocus >= 0.3 {
		r := s.Defocus
		n := int(math.Ceil(r))
		k := gocv.NewMatWithSize(2*n+1, 2*n+1, gocv.MatTypeCV32F)
		total := float32(0)
		for y := -n; y <= n; y++ {
			for x := -n; x <= n; x++ {
				// Pixel coverage of the disk, roughly: 1 inside, a ramp at the rim.
				c := float32(math.Max(0, math.Min(1, r+0.5-math.Hypot(float64(x), float64(y)))))
				k.SetFloatAt(y+n, x+n, c)
				total += c
			}
		}
		for y := 0; y < 2*n+1; y++ {
			for x := 0; x < 2*n+1; x++ {
				k.SetFloatAt(y, x, k.GetFloatAt(y, x)/total)
			}
		}
		gocv.Filter2D(m, &m, -1, k, image.Pt(-1, -1), 0, gocv.BorderReflect)
		k.Close()
	}
	if s.Motion >= 0.5 {
		n := int(math.Ceil(s.Motion / 2))
		k := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(0, 0, 0, 0), 2*n+1, 2*n+1, gocv.MatTypeCV32F)
		a := s.MotionDir * math.Pi / 180
		steps := 8 * n
		for i := 0; i <= steps; i++ {
			r := s.Motion * (float64(i)/float64(steps) - 0.5)
			x, y := n+int(math.Round(r*math.Cos(a))), n+int(math.Round(r*math.Sin(a)))
			k.SetFloatAt(y, x, k.GetFloatAt(y, x)+1/float32(steps+1))
		}
		gocv.Filter2D(m, &m, -1, k, image.Pt(-1, -1), 0, gocv.BorderReflect)
		k.Close()
	}
	out, err := m.DataPtrFloat32()
	if err != nil {
		return
	}
	copy(lum, out)
	if s.Kind == WildScreen {
		// Bloom: light above the sensor's white spills around.
		e := sensorExposure(lum, w, h)
		over := make([]float32, len(lum))
		for i, v := range lum {
			over[i] = max(0, v*e-1)
		}
		om, err := gocv.NewMatFromBytes(h, w, gocv.MatTypeCV32F, f32bytes(over))
		if err != nil {
			return
		}
		defer om.Close()
		gocv.GaussianBlur(om, &om, image.Pt(0, 0), 4, 4, gocv.BorderReflect)
		glow, err := om.DataPtrFloat32()
		if err == nil {
			for i := range lum {
				lum[i] += 0.3 * glow[i] / e
			}
		}
	}
}

func f32bytes(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		u := math.Float32bits(f)
		b[4*i], b[4*i+1], b[4*i+2], b[4*i+3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
	}
	return b
}

// sensorExposure is the camera's auto exposure: the gain that brings the
// frame's light, metered with the center weighing three times the rest,
// to 0.3 of its white, within 0.5x to 8x.
func sensorExposure(lum []float32, w, h int) float32 {
	var sum, weight float64
	for y := 0; y < h; y += 4 {
		for x := 0; x < w; x += 4 {
			k := 1.0
			if x > w/4 && x < 3*w/4 && y > h/4 && y < 3*h/4 {
				k = 3
			}
			sum += k * float64(lum[y*w+x])
			weight += k
		}
	}
	mean := sum / weight
	return float32(math.Max(0.5, math.Min(8, 0.3/math.Max(mean, 1e-3))))
}

// sensor turns light into 8-bit gray: exposure, shot and read noise that
// grow with the gain, clipping, gamma 1/2.2.
func sensor(lum []float32, w, h int, s WildScene) []byte {
	seed := s.NoiseSeed
	if seed == 0 {
		seed = s.Seed
	}
	rng := rand.New(rand.NewPCG(seed, 0x5e2502))
	e := sensorExposure(lum, w, h)
	gain := float64(e)
	var lut [1025]byte
	for i := range lut {
		lut[i] = byte(math.Round(255 * math.Pow(float64(i)/1024, 1/2.2)))
	}
	pix := make([]byte, len(lum))
	read := s.Noise / 255 * math.Sqrt(gain)
	for i, v := range lum {
		x := float64(v * e)
		sigma := read + 0.01*math.Sqrt(math.Max(x, 0)*gain)
		x += rng.NormFloat64() * sigma
		x = math.Max(0, math.Min(1, x))
		pix[i] = lut[int(x*1024)]
	}
	return pix
}

// goJPEG compresses and decompresses f with Go's JPEG codec.
func goJPEG(f *kiosk.Frame, quality int) error {
	img := &image.Gray{Pix: f.Pix, Stride: f.Stride, Rect: image.Rect(0, 0, f.Width, f.Height)}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return fmt.Errorf("qrtest: JPEG encode: %w", err)
	}
	d, err := jpeg.Decode(&buf)
	if err != nil {
		return fmt.Errorf("qrtest: JPEG decode: %w", err)
	}
	g, ok := d.(*image.Gray)
	if !ok {
		return fmt.Errorf("qrtest: JPEG decoded as %T", d)
	}
	for y := 0; y < f.Height; y++ {
		copy(f.Pix[y*f.Stride:y*f.Stride+f.Width], g.Pix[y*g.Stride:])
	}
	return nil
}

// WildFrame is one frame of a wild video: the scene and its time.
type WildFrame struct {
	Scene WildScene
	At    time.Duration // since the video's first frame
}

// Presentation is a video of a badge (card or phone) brought in front of
// the camera: it comes in from outside the frame, slows down and stops,
// then is held still (with a hand's tremor) for Hold. Its frames are drawn
// by RenderWildOn over one background.
type Presentation struct {
	Frames []WildFrame
	// Visible is the index of the first frame where the whole code and its
	// quiet zone are inside the frame (len(Frames) if none).
	Visible    int
	Background *WildBackground
}

// DrawPresentation draws a presentation at fps frames per second: the rest
// pose is a wild scene of the given kind (DrawWild at a uniform difficulty,
// fitted to the frame),
// the way in lasts 0.4 to 1.2 s from a point outside the frame, slowing
// down to rest (the speed falls linearly to zero), turning from a larger
// tilt and roll. Motion blur is the speed times the exposure: 1/(2 fps)
// in good light, up to a full frame interval in a dim room.
func DrawPresentation(rng *rand.Rand, kind WildKind, fps float64, hold time.Duration) Presentation {
	text, level := WildText(rng)
	rest := DrawWild(rng, kind, text, level, rng.Float64())
	rest.Motion, rest.JPEG = 0, 0
	rest = rest.Fit()
	// Webcams send MJPEG: every frame of a video goes through JPEG.
	quality := 50 + rng.IntN(41)
	w, h := rest.frameSize()
	enter := 0.4 + 0.8*rng.Float64() // seconds
	from := rng.Float64() * 2 * math.Pi
	x0, y0 := rest.X+0.9*math.Cos(from), rest.Y+0.9*math.Sin(from)
	dTilt, dRoll := 10+20*rng.Float64(), (rng.Float64()-0.5)*60
	ambient := rest.Ambient
	if ambient == 0 {
		ambient = 1
	}
	exposure := math.Min(1/fps, 1/(2*fps)/math.Min(1, ambient))
	p := Presentation{Background: NewWildBackground(rest.Seed, w, h)}
	total := enter + hold.Seconds()
	at := func(t float64) (x, y, tilt, roll float64) {
		k := 1.0
		if t < enter {
			r := 1 - t/enter
			k = 1 - r*r // ease out: the speed falls linearly to zero
		}
		return x0 + (rest.X-x0)*k, y0 + (rest.Y-y0)*k, rest.Tilt + dTilt*(1-k), rest.Roll + dRoll*(1-k)
	}
	p.Visible = -1
	for i := 0; float64(i)/fps <= total; i++ {
		t := float64(i) / fps
		s := rest
		s.X, s.Y, s.Tilt, s.Roll = at(t)
		if t >= enter { // held by hand: a fraction of a pixel of tremor
			s.X += (rng.Float64() - 0.5) * 0.6 / float64(w)
			s.Y += (rng.Float64() - 0.5) * 0.6 / float64(h)
		}
		s.Tilt = math.Min(s.Tilt, 60)
		// The motion during the exposure, in pixels.
		xa, ya, _, _ := at(t - exposure/2)
		xb, yb, _, _ := at(t + exposure/2)
		dx, dy := (xb-xa)*float64(w), (yb-ya)*float64(h)
		s.Motion, s.MotionDir = math.Hypot(dx, dy), math.Atan2(dy, dx)*180/math.Pi
		s.JPEG = quality
		s.NoiseSeed = rng.Uint64() | 1
		p.Frames = append(p.Frames, WildFrame{Scene: s, At: time.Duration(t * float64(time.Second))})
		if p.Visible < 0 && s.Visible() {
			p.Visible = i
		}
	}
	if p.Visible < 0 {
		p.Visible = len(p.Frames)
	}
	return p
}
