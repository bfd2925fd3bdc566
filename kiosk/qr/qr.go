// Package qr finds and decodes QR codes in camera frames. It implements
// kiosk.Decoder with gozxing, helped by OpenCV (gocv) to locate and
// straighten codes that gozxing alone cannot read.
package qr

import (
	"fmt"
	"sync"

	"github.com/badgeuse/badgeuse/kiosk"
	"gocv.io/x/gocv"
)

// Decoder decodes QR codes in frames. It is safe for concurrent use. Close
// it to free OpenCV's detector.
type Decoder struct {
	mu     sync.Mutex // guards det: OpenCV's detector is not safe for concurrent use
	det    gocv.QRCodeDetector
	closed bool
}

var _ kiosk.Decoder = (*Decoder)(nil)

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

// Decode returns the texts of the QR codes in f.
func (d *Decoder) Decode(f *kiosk.Frame) ([]string, error) {
	if f == nil {
		return nil, fmt.Errorf("qr: nil frame")
	}
	src, err := newGrayLuminance(f.Pix, f.Width, f.Height, f.Stride)
	if err != nil {
		return nil, err
	}
	bits, err := newHybridBinarizer(src).GetBlackMatrix()
	if err != nil {
		return nil, nil
	}
	s := scanBits(bits, nil)
	if s.text == "" {
		return nil, nil
	}
	return []string{s.text}, nil
}
