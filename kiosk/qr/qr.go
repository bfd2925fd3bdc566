// Package qr finds and decodes QR codes in camera frames. It implements
// kiosk.Decoder with gozxing, helped by OpenCV (gocv) to locate and
// straighten codes that gozxing alone cannot read.
//
// Most door frames hold no code, so the decoder works as a cascade: a
// first pass of gozxing over the whole frame (about 0.5 ms at 640x480 on a
// PC), its finder run on the binarized bits and on the same bits flipped
// (inverted codes: light on dark), either reads the code or tells whether
// anything looked like a QR finder pattern. Only then do the slower passes
// run: half size and slight blur, then, when finder patterns were seen on
// several rows, a global threshold, the code straightened where its three
// finder patterns outline it, two finder patterns with the third guessed,
// 1.5x size, and OpenCV's locator with a perspective straighten when the
// finder found no three. Each pass was
// kept because it read codes the others missed on real photos and
// generated camera frames: README.md gives the measurements,
// kiosk/cmd/qrbench reproduces them. A Decoder remembers the last scene in
// which the slower passes found nothing and skips them while the camera
// keeps seeing it (scene.go).
package qr

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"gocv.io/x/gocv"
)

// Decoder decodes QR codes in frames. It is safe for concurrent use. Close
// it to free OpenCV's detector.
//
// A Decoder remembers the last scene in which its deep passes found nothing
// (see scene.go) and skips them while the frames show the same scene: give
// each camera its own Decoder. Frames of different streams interleaved on
// one Decoder are decoded correctly, only without that saving. The Door
// calls Decode from one goroutine; concurrent calls are safe (the memory
// has its own lock, OpenCV's detector another).
type Decoder struct {
	mu     sync.Mutex // guards det and closed: OpenCV's detector is not safe for concurrent use
	det    gocv.QRCodeDetector
	closed bool
	scene  sceneMemory
}

var _ kiosk.Decoder = (*Decoder)(nil)

// ErrClosed is returned by Decode after Close.
var ErrClosed = errors.New("qr: decoder closed")

// New returns a Decoder.
func New() *Decoder {
	return &Decoder{det: gocv.NewQRCodeDetector()}
}

// Close frees the decoder's OpenCV resources.
func (d *Decoder) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.closed {
		d.closed = true
		d.det.Close()
	}
	return nil
}

// Decode returns the distinct texts of the QR codes in f, nil when there
// is none. The texts are the codes' contents as decoded by gozxing
// (UTF-8, Shift_JIS and other ECI character sets converted to UTF-8),
// without trimming.
func (d *Decoder) Decode(f *kiosk.Frame) (texts []string, err error) {
	if f == nil {
		return nil, errors.New("qr: nil frame")
	}
	src, err := newGrayLuminance(f.Pix, f.Width, f.Height, f.Stride)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			texts, err = nil, fmt.Errorf("qr: decoding panicked: %v", r)
		}
	}()
	bin := newHybridBinarizer(src)
	first := scanImage(bin, firstTries)
	if len(first.texts) > 0 {
		d.scene.forget() // a code in view: decode every frame in full
		return first.texts, nil
	}
	bits, err := bin.GetBlackMatrix()
	if err != nil {
		return nil, nil
	}
	inv := invertedScan(src, bits)
	if len(inv.texts) > 0 {
		d.scene.forget()
		return inv.texts, nil
	}
	ih := inv.hint()
	if inv.confirmed < 2 {
		ih = hintNone
	}
	h := max(first.hint(), ih)
	if h == hintNone {
		// The common case: nothing like a code in the frame, unless a
		// low-contrast one whose finder patterns the binarizer whitened
		// (lowcontrast.go).
		if texts := scanFaint(src); len(texts) > 0 {
			d.scene.forget()
			return texts, nil
		}
		return nil, nil
	}
	seen, outlined := f, first
	if ih > first.hint() {
		outlined = inv
		// More like an inverted code: the deep passes read the frame
		// inverted.
		f = invertFrame(f)
		if src, err = newGrayLuminance(f.Pix, f.Width, f.Height, f.Stride); err != nil {
			return nil, err
		}
	}
	sig, _ := signatureOf(seen) // the scene as the camera sees it
	t := frameTime(f)
	if sig != nil && d.scene.skip(sig, h, t) {
		return nil, nil // the same scene as frames where the deep passes found nothing
	}
	texts, err = d.deep(f, src, h, outlined)
	if err == nil {
		d.scene.deepDone(sig, h, t, len(texts) > 0)
	}
	return texts, err
}

// Forget clears the memory of the last empty scene: the next frames get
// every pass their hints call for, as a new Decoder's would. Benchmarks
// that decode one image several times call it between the runs.
func (d *Decoder) Forget() { d.scene.forget() }

// deep runs the slower passes, cheapest first, until one reads a code. On
// a weak hint, only the two cheapest run (half size, blur binarized for
// low contrast: about 1 ms at 640x480), and the frame binarized for low
// contrast when the blurred one showed finder patterns: texture on a wall
// gives weak hints in many empty frames. On a strong one, when the first
// scan found three finder patterns (first's outline) and no other spot,
// the code straightened where they outline it, half size, and the frame at 1.5x when the modules are small; else
// half size, blur, the global threshold, the outline if any, the frame
// binarized for low contrast (lowcontrast.go), the whole frame at 1.5x,
// and OpenCV's locator, the costliest (README.md: why); after the outlined
// code, the low-contrast binarization comes last. Where a code shows two
// finder patterns and not the third, the low-contrast pass and, after it,
// the pairs pass (on the first pass's bits) guess where the third is
// (pairs.go).
func (d *Decoder) deep(f *kiosk.Frame, src *grayLuminance, h hint, first scan) ([]string, error) {
	img, err := frameMat(f)
	if err != nil {
		return nil, err
	}
	defer img.Close()
	// The passes try less on a code they find but cannot read (fewTries)
	// where that read as much on the frames measured (README.md): after a
	// weak hint and on an outlined code; elsewhere they try everything.
	t := allTries
	if h == hintWeak || first.hasOutline && first.candidates == 3 && !first.looseOutline {
		t = fewTries
	}
	half := func() ([]string, error) { return scanHalf(img, src, t) }
	blur := func() ([]string, error) { return scanBlurred(img, t) }
	// blurredHint is what the blurred frame binarized for low contrast
	// showed, when that pass ran and read nothing.
	blurredHint := hintNone
	blurLowContrast := func() ([]string, error) {
		texts, h, err := scanBlurredLowContrast(img, t)
		blurredHint = h
		return texts, err
	}
	global := func() ([]string, error) {
		return scanImage(newGlobalBinarizer(src), t).texts, nil
	}
	upscaled := func() ([]string, error) { return scanResized(img, 1.5, sharpTries) }
	located := func() ([]string, error) { return d.scanLocated(img) }
	lowContrast := func() ([]string, error) {
		s := scanLowContrast(src, fewTries)
		if len(s.texts) == 0 {
			return s.guessThird(), nil
		}
		return s.texts, nil
	}
	pairs := func() ([]string, error) { return first.guessThird(), nil }
	lowContrastIfSeen := func() ([]string, error) {
		if blurredHint == hintNone {
			return nil, nil
		}
		return lowContrast()
	}
	// outlinedAgain is set when the outlined code, straightened, showed
	// its three finder patterns again without being read.
	outlinedAgain := false
	outlined := func() ([]string, error) {
		s, err := scanOutlined(img, first.outline)
		outlinedAgain = s.hasOutline
		return s.texts, err
	}
	unlessOutlinedAgain := func(pass func() ([]string, error)) func() ([]string, error) {
		return func() ([]string, error) {
			if outlinedAgain {
				return nil, nil
			}
			return pass()
		}
	}
	type pass struct {
		name string
		run  func() ([]string, error)
	}
	var passes []pass
	switch {
	case h == hintWeak:
		// The blurred frame binarized for low contrast reads what the
		// hybrid binarizer read there and more (lowcontrast.go). When it
		// shows finder patterns but reads nothing, the frame binarized
		// for low contrast without the blur: a defocused code of small
		// modules, which the blur smears further (README.md).
		passes = append(passes, pass{"half", half}, pass{"blur-low-contrast", blurLowContrast},
			pass{"low-contrast", lowContrastIfSeen}, pass{"pairs", pairs})
	case first.hasOutline && first.candidates == 3 && !first.looseOutline:
		// Three patterns, and nothing else like one: the code,
		// straightened where they put it and enlarged, reads what blur,
		// 1.5x and OpenCV's locator read on such frames (README.md), so
		// it comes first; half size reads a few codes with blurred
		// modules. When the straightened code shows its three patterns
		// again, the outline was right and the code is unreadable
		// (blur, a bend, low contrast): the global threshold and 1.5x
		// read none of those. Else the three may be two of a code's
		// patterns and a square beside it, a wrong outline: they run.
		passes = append(passes, pass{"outlined", outlined}, pass{"half", half}, pass{"global", unlessOutlinedAgain(global)},
			pass{"1.5x", unlessOutlinedAgain(upscaled)}, pass{"low-contrast", lowContrast}, pass{"pairs", pairs})
	case first.hasOutline:
		// More spots than a code's three, or three of which one passed
		// only the loose ratios (scan.looseOutline): the outline may
		// join the wrong ones.
		passes = append(passes, pass{"half", half}, pass{"blur", blur}, pass{"global", global}, pass{"outlined", outlined},
			pass{"low-contrast", lowContrast}, pass{"pairs", pairs}, pass{"1.5x", upscaled}, pass{"opencv", located})
	default:
		passes = append(passes, pass{"half", half}, pass{"blur", blur}, pass{"global", global}, pass{"low-contrast", lowContrast},
			pass{"pairs", pairs}, pass{"1.5x", upscaled}, pass{"opencv", located})
	}
	for _, p := range passes {
		var start time.Time
		if observeDeepPass != nil {
			start = time.Now()
		}
		texts, err := p.run()
		if observeDeepPass != nil {
			observeDeepPass(p.name, time.Since(start), len(texts) > 0)
		}
		if err != nil {
			return nil, err
		}
		if len(texts) > 0 {
			return texts, nil
		}
	}
	return nil, nil
}

// observeDeepPass, when set, is told the name, time and outcome of each
// deep pass that runs. Only a test that measures the passes sets it
// (budget_internal_test.go); the kiosk never does.
var observeDeepPass func(name string, took time.Duration, read bool)

// scanFrame reads a frame with the hybrid binarizer.
func scanFrame(f *kiosk.Frame, t tries) scan {
	src, err := newGrayLuminance(f.Pix, f.Width, f.Height, f.Stride)
	if err != nil {
		return scan{err: err}
	}
	return scanImage(newHybridBinarizer(src), t)
}

// minPassSide is the smallest image side a pass works on: below it the
// hybrid binarizer has too few blocks.
const minPassSide = 40

// scanResized reads img scaled by factor: half size merges blurred or
// noisy modules, 1.5x size gives small modules more pixels.
func scanResized(img gocv.Mat, factor float64, t tries) ([]string, error) {
	w, h := float64(img.Cols())*factor, float64(img.Rows())*factor
	if min(w, h) < minPassSide || max(w, h) > maxUpscaledSide {
		return nil, nil
	}
	buf := matBuffers.Get().(*[]byte)
	defer matBuffers.Put(buf)
	f, err := resize(img, factor, buf)
	if err != nil {
		return nil, err
	}
	return scanFrame(f, t).texts, nil
}

// scanHalf reads img (whose gray levels src holds) at half size. A frame
// of even sides is halved in Go (halveGray), without a copy to and from
// OpenCV: the same pixels as OpenCV's resize with INTER_AREA, which for a
// scale of exactly one half averages 2x2 blocks rounding the same way.
func scanHalf(img gocv.Mat, src *grayLuminance, t tries) ([]string, error) {
	w, h := src.GetWidth(), src.GetHeight()
	if w%2 != 0 || h%2 != 0 || max(w, h)/2 > maxUpscaledSide {
		return scanResized(img, 0.5, t)
	}
	if min(w, h)/2 < minPassSide {
		return nil, nil
	}
	buf := halfBuffers.Get().(*[]byte)
	defer halfBuffers.Put(buf) // the scan keeps no reference to the pixels
	return scanImage(newHybridBinarizer(halveGray(src, buf)), t).texts, nil
}

// maxUpscaledSide bounds the cost of the 1.5x pass on large frames.
const maxUpscaledSide = 2000

// blurred returns img after a 3x3 Gaussian blur, which removes sensor
// noise and JPEG artifacts that break the finder patterns' runs.
// The frame's pixels are copied into buf (matFrame).
func blurred(img gocv.Mat, buf *[]byte) (*kiosk.Frame, error) {
	out := gocv.NewMat()
	defer out.Close()
	gocv.GaussianBlur(img, &out, imagePoint(3, 3), 0, 0, gocv.BorderReplicate)
	return matFrame(out, buf)
}

// scanBlurred reads img blurred, with the hybrid binarizer.
func scanBlurred(img gocv.Mat, t tries) ([]string, error) {
	buf := matBuffers.Get().(*[]byte)
	defer matBuffers.Put(buf)
	f, err := blurred(img, buf)
	if err != nil {
		return nil, err
	}
	return scanFrame(f, t).texts, nil
}

// scanBlurredLowContrast reads img blurred, binarized for low contrast
// (lowcontrast.go) and, when that shows a strong hint and no code, with
// the hybrid binarizer too. It also returns the hint that the low-contrast
// binarization showed.
func scanBlurredLowContrast(img gocv.Mat, t tries) ([]string, hint, error) {
	buf := matBuffers.Get().(*[]byte)
	defer matBuffers.Put(buf)
	f, err := blurred(img, buf)
	if err != nil {
		return nil, hintNone, err
	}
	src, err := newGrayLuminance(f.Pix, f.Width, f.Height, f.Stride)
	if err != nil {
		return nil, hintNone, err
	}
	s := scanLowContrast(src, t)
	if h := s.hint(); len(s.texts) > 0 || h != hintStrong {
		return s.texts, h, nil
	}
	// Finder patterns but no code: the hybrid binarizer reads some of
	// those (one of TestHardFrames').
	return scanImage(newHybridBinarizer(src), t).texts, hintStrong, nil // src: its block statistics are kept
}

// scanLocated asks OpenCV where the code is (on a half-size copy of large
// frames: as good and faster), straightens it and reads it upright.
func (d *Decoder) scanLocated(img gocv.Mat) ([]string, error) {
	quads, err := d.locate(img)
	if err != nil {
		return nil, err
	}
	return scanQuads(img, quads)
}

// scanOutlined straightens the code where the first pass's finder
// patterns outline it, larger, and reads it upright with the global
// threshold: OpenCV's locator, which costs 5-8 ms whatever the image, is
// not asked where the code is, and only the code is enlarged, not the
// whole frame.
func scanOutlined(img gocv.Mat, outline [4]point) (scan, error) {
	var q quad
	for i, p := range outline {
		q[i] = gocv.Point2f{X: float32(p.x), Y: float32(p.y)}
	}
	px := min(max(int(outlineScale*q.side()), outlineMin), outlineMax)
	buf := matBuffers.Get().(*[]byte)
	defer matBuffers.Put(buf)
	f, err := straighten(img, q, px, straightMargin, buf)
	if err != nil {
		return scan{}, err
	}
	src, err := newGrayLuminance(f.Pix, f.Width, f.Height, f.Stride)
	if err != nil {
		return scan{}, err
	}
	// Straightened through the right outline, the code's finder patterns
	// are square: the finder takes them as gozxing does. Through a wrong
	// one (two of a code's patterns and a mark beside it), they come out
	// stretched, and taking them would say the outline was right, so
	// that the passes after it would not run (deep, outlinedAgain).
	return scanImageWith(newGlobalBinarizer(src), fewTries, gozxingRule), nil
}

// The outlined code is straightened at 1.5 times its side in the frame
// (within these bounds): the pass stands in for OpenCV's locator and for
// the 1.5x pass at once, on the code alone. The hybrid binarizer read
// none that the global one missed there (wild seeds 7 and 11, photos).
const (
	outlineScale = 1.5
	outlineMin   = 200
	outlineMax   = 450
)

// scanQuads straightens each quad of img to an upright square and reads it
// with both binarizers.
func scanQuads(img gocv.Mat, quads []quad) ([]string, error) {
	buf := matBuffers.Get().(*[]byte)
	defer matBuffers.Put(buf)
	for _, q := range quads {
		px := min(max(int(q.side()), straightMin), straightMax)
		f, err := straighten(img, q, px, straightMargin, buf)
		if err != nil {
			return nil, err
		}
		if s := scanFrame(f, allTries); len(s.texts) > 0 {
			return s.texts, nil
		}
		src, err := newGrayLuminance(f.Pix, f.Width, f.Height, f.Stride)
		if err != nil {
			return nil, err
		}
		if s := scanImage(newGlobalBinarizer(src), allTries); len(s.texts) > 0 {
			return s.texts, nil
		}
	}
	return nil, nil
}

// Size of the straightened code: its side in the frame, within these
// bounds, plus a margin on each side for the quiet zone.
const (
	straightMin    = 120
	straightMax    = 400
	straightMargin = 0.15
)

// locateHalfAbove is the frame width from which OpenCV's locator works on
// a half-size copy.
const locateHalfAbove = 480

// locate returns the corners of the codes OpenCV finds in img.
func (d *Decoder) locate(img gocv.Mat) ([]quad, error) {
	src, scale := img, float32(1)
	if img.Cols() >= locateHalfAbove {
		small := gocv.NewMat()
		defer small.Close()
		gocv.Resize(img, &small, imagePoint(0, 0), 0.5, 0.5, gocv.InterpolationArea)
		src, scale = small, 2
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, ErrClosed
	}
	quads := locate(&d.det, src, false)
	for i := range quads {
		for k := range quads[i] {
			quads[i][k].X *= scale
			quads[i][k].Y *= scale
		}
	}
	return quads, nil
}
