// Package badgeclip renders badge texts into a video clip that looks like
// badges held up in front of the door camera: each text as a QR code
// (drawn by kiosk/qr/qrtest's Card: error correction Q) on a printed white card, moving and
// tilting a little, slightly blurred and noisy, over an uneven background,
// with empty frames between badges. The clip is an MJPG AVI that the kiosk's
// camera reads like a real recording.
//
// The end-to-end tests make clips with it in a temporary folder, and
// `badgevideo` (kiosk/cmd/badgevideo) writes the demo's clip. The same
// texts, options and seed always give the same clip.
package badgeclip

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"time"

	"gocv.io/x/gocv"

	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// Options shape a clip. Zero fields take the defaults.
type Options struct {
	FPS      float64       // frames per second; default 15
	PerBadge time.Duration // how long each badge is shown; default 2 s
	Gap      time.Duration // empty frames before, between and after badges; default 1 s
	Width    int           // frame size; default 640×480
	Height   int
	Seed     uint64 // the random movements and noise; same seed, same clip
}

// Defaults.
const (
	DefaultFPS      = 15
	DefaultPerBadge = 2 * time.Second
	DefaultGap      = time.Second
	DefaultWidth    = 640
	DefaultHeight   = 480
)

// withDefaults fills the zero fields of o and checks the others.
func (o Options) withDefaults() (Options, error) {
	if o.FPS == 0 {
		o.FPS = DefaultFPS
	}
	if o.PerBadge == 0 {
		o.PerBadge = DefaultPerBadge
	}
	if o.Gap == 0 {
		o.Gap = DefaultGap
	}
	if o.Width == 0 && o.Height == 0 {
		o.Width, o.Height = DefaultWidth, DefaultHeight
	}
	switch {
	case o.FPS < 1 || o.FPS > 240:
		return o, fmt.Errorf("badgeclip: %v frames per second: want 1 to 240", o.FPS)
	case o.PerBadge < 0 || o.Gap < 0:
		return o, errors.New("badgeclip: badge and gap durations must not be negative")
	case o.Width < 160 || o.Height < 120 || o.Width > 4096 || o.Height > 4096:
		return o, fmt.Errorf("badgeclip: frame size %dx%d: want at least 160x120 and at most 4096x4096", o.Width, o.Height)
	}
	return o, nil
}

// frames is the number of frames for d at o.FPS.
func (o Options) frames(d time.Duration) int { return int(math.Round(d.Seconds() * o.FPS)) }

// FrameCount is the number of frames of a clip of n badges: a gap, then each
// badge followed by a gap.
func FrameCount(n int, o Options) (int, error) {
	o, err := o.withDefaults()
	if err != nil {
		return 0, err
	}
	return o.frames(o.Gap) + n*(o.frames(o.PerBadge)+o.frames(o.Gap)), nil
}

// Write renders texts into an MJPG AVI at path and returns the number of
// frames written. path should end in .avi.
func Write(path string, texts []string, o Options) (frames int, err error) {
	o, err = o.withDefaults()
	if err != nil {
		return 0, err
	}
	cards := make([]gocv.Mat, 0, len(texts))
	defer func() {
		for i := range cards {
			cards[i].Close()
		}
	}()
	for _, text := range texts {
		card, err := newCard(text)
		if err != nil {
			return 0, err
		}
		cards = append(cards, card)
	}

	vw, err := gocv.VideoWriterFile(path, "MJPG", o.FPS, o.Width, o.Height, true)
	if err != nil {
		return 0, fmt.Errorf("badgeclip: write %s: %w", path, err)
	}
	defer vw.Close()
	if !vw.IsOpened() {
		return 0, fmt.Errorf("badgeclip: cannot write %s as an MJPG video: check the folder exists and the name ends in .avi", path)
	}

	r := newRenderer(o)
	defer r.close()
	write := func(card *gocv.Mat, i int) error {
		r.render(card, i)
		if err := vw.Write(r.out); err != nil {
			return fmt.Errorf("badgeclip: write %s: %w", path, err)
		}
		frames++
		return nil
	}
	gap := func() error {
		for i := range o.frames(o.Gap) {
			if err := write(nil, i); err != nil {
				return err
			}
		}
		return nil
	}
	if err := gap(); err != nil {
		return frames, err
	}
	for c := range cards {
		r.newBadge()
		for i := range o.frames(o.PerBadge) {
			if err := write(&cards[c], i); err != nil {
				return frames, err
			}
		}
		if err := gap(); err != nil {
			return frames, err
		}
	}
	return frames, nil
}

// newCard returns a printed badge card for text: its QR code as
// qrtest.Card draws it (level Q, quiet zone; the one synthetic-badge
// renderer, shared with the decoder's test frames) on a white card with a
// margin and a printed label, in BGR. The caller closes the Mat.
func newCard(text string) (gocv.Mat, error) {
	code, err := qrtest.Card(text, 1)
	if err != nil {
		return gocv.Mat{}, fmt.Errorf("badgeclip: QR code for %q: %w", text, err)
	}
	defer code.Close()
	const margin, label = 16, 44
	w := code.Cols() + 2*margin
	h := w + label
	card := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(236, 240, 242, 0), h, w, gocv.MatTypeCV8UC3)
	bgr := gocv.NewMat()
	defer bgr.Close()
	gocv.CvtColor(code, &bgr, gocv.ColorGrayToBGR)
	roi := card.Region(image.Rect(margin, margin, margin+code.Cols(), margin+code.Rows()))
	bgr.CopyTo(&roi)
	roi.Close()
	gocv.PutText(&card, "BADGEUSE", image.Pt(margin+qrtest.CardPx*5, h-label/2), gocv.FontHersheySimplex, 0.8, color.RGBA{R: 90, G: 90, B: 100}, 2)
	gocv.Rectangle(&card, image.Rect(0, 0, w, h), color.RGBA{R: 200, G: 200, B: 205}, 2) // the card's edge
	return card, nil
}
