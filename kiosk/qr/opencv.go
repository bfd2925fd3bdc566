package qr

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sync"

	"github.com/badgeuse/badgeuse/kiosk"
	"gocv.io/x/gocv"
)

// quad is the four corners of a code in a frame, as OpenCV returns them.
type quad [4]gocv.Point2f

// frameMat returns a Mat over f's pixels (copied only when rows are not
// contiguous). The caller closes it; it must not outlive f.
func frameMat(f *kiosk.Frame) (gocv.Mat, error) {
	pix := f.Pix
	if f.Stride != f.Width {
		pix = make([]byte, f.Width*f.Height)
		for y := 0; y < f.Height; y++ {
			copy(pix[y*f.Width:(y+1)*f.Width], f.Pix[y*f.Stride:])
		}
	}
	m, err := gocv.NewMatFromBytes(f.Height, f.Width, gocv.MatTypeCV8U, pix[:f.Width*f.Height])
	if err != nil {
		return gocv.Mat{}, fmt.Errorf("qr: frame to Mat: %w", err)
	}
	return m, nil
}

// matFrame copies a gray Mat into a frame: into *buf when buf is not nil
// (grown when too small; the frame then lives until *buf is used again),
// else into new memory. The passes that blur, resize or straighten the
// frame take buf from matBuffers and give it back once scanned: a hard
// frame went through up to four such images (0.3-0.7 MB each), about half
// of the bytes it allocated (README.md, "Less work on the slowest frames").
func matFrame(m gocv.Mat, buf *[]byte) (*kiosk.Frame, error) {
	if m.Empty() || m.Type() != gocv.MatTypeCV8U {
		return nil, fmt.Errorf("qr: not an 8-bit gray image")
	}
	var pix []byte
	data, err := m.DataPtrUint8() // OpenCV's memory, valid until m is closed
	switch {
	case buf == nil || err != nil:
		pix = m.ToBytes()
	default:
		if cap(*buf) < len(data) {
			*buf = make([]byte, len(data))
		}
		pix = (*buf)[:len(data)]
		copy(pix, data)
	}
	return &kiosk.Frame{Pix: pix, Width: m.Cols(), Height: m.Rows(), Stride: m.Cols()}, nil
}

// matBuffers holds the pixels of the frames that matFrame copies out of
// OpenCV between passes and frames. A scan keeps no reference to the
// pixels it read.
var matBuffers = sync.Pool{New: func() any { return new([]byte) }}

// locate finds the corners of the QR codes in img with OpenCV's
// QRCodeDetector (Detect and DetectMulti only: its decoding is not built in
// Debian's OpenCV and leaks memory in gocv).
func locate(det *gocv.QRCodeDetector, img gocv.Mat, multi bool) []quad {
	points := gocv.NewMat()
	defer points.Close()
	var found bool
	if multi {
		found = det.DetectMulti(img, &points)
	} else {
		found = det.Detect(img, &points)
	}
	if !found || points.Empty() {
		return nil
	}
	return quadsOf(points)
}

// quadsOf reads the corners OpenCV stores as 2-channel floats, 4 per code.
func quadsOf(points gocv.Mat) []quad {
	if points.Type() != gocv.MatTypeCV32FC2 {
		return nil
	}
	n := points.Total()
	if n%4 != 0 {
		return nil
	}
	flat, err := points.DataPtrFloat32()
	if err != nil || len(flat) < 2*n {
		return nil
	}
	quads := make([]quad, 0, n/4)
	for i := 0; i+3 < n; i += 4 {
		var q quad
		for k := range q {
			q[k] = gocv.Point2f{X: flat[2*(i+k)], Y: flat[2*(i+k)+1]}
		}
		quads = append(quads, q)
	}
	return quads
}

// side returns the length of the quad's longest side.
func (q quad) side() float64 {
	s := 0.0
	for i := range q {
		a, b := q[i], q[(i+1)%4]
		s = math.Max(s, math.Hypot(float64(a.X-b.X), float64(a.Y-b.Y)))
	}
	return s
}

// straighten maps the quad of img to an upright square of side px pixels,
// with a margin of margin*px around it, so that the quiet zone comes along.
func straighten(img gocv.Mat, q quad, px int, margin float64, buf *[]byte) (*kiosk.Frame, error) {
	m := float32(margin * float64(px))
	s := float32(px)
	dst := []gocv.Point2f{{X: m, Y: m}, {X: m + s, Y: m}, {X: m + s, Y: m + s}, {X: m, Y: m + s}}
	sv, dv := gocv.NewPoint2fVectorFromPoints(q[:]), gocv.NewPoint2fVectorFromPoints(dst)
	defer sv.Close()
	defer dv.Close()
	h := gocv.GetPerspectiveTransform2f(sv, dv)
	defer h.Close()
	out := gocv.NewMat()
	defer out.Close()
	n := int(2*m + s)
	gocv.WarpPerspectiveWithParams(img, &out, h, image.Pt(n, n), gocv.InterpolationLinear, gocv.BorderReplicate, color.RGBA{})
	return matFrame(out, buf)
}

// resize returns img scaled by factor.
func resize(img gocv.Mat, factor float64, buf *[]byte) (*kiosk.Frame, error) {
	out := gocv.NewMat()
	defer out.Close()
	interp := gocv.InterpolationArea
	if factor > 1 {
		interp = gocv.InterpolationCubic
	}
	gocv.Resize(img, &out, image.Point{}, factor, factor, interp)
	return matFrame(out, buf)
}

func imagePoint(x, y int) image.Point { return image.Pt(x, y) }
