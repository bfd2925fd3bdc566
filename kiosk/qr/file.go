package qr

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"os"

	"github.com/badgeuse/badgeuse/kiosk"
)

// LoadFrame reads a PNG or JPEG file into a gray frame. A file that cannot be
// read or decoded returns an error naming it; an image over kiosk's limits
// (kiosk.CheckImageSize) is refused from its header, before it is decoded.
func LoadFrame(path string) (*kiosk.Frame, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err) // *fs.PathError names the file
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, kiosk.MaxImageFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	if len(data) > kiosk.MaxImageFileBytes {
		return nil, fmt.Errorf("qr: %s: %w: file over %d MiB", path, kiosk.ErrImageTooLarge, kiosk.MaxImageFileBytes>>20)
	}
	img, err := decodeImage(data)
	if err != nil {
		return nil, fmt.Errorf("qr: %s: %w", path, err)
	}
	return grayFrame(img), nil
}

// DecodeFile decodes the QR codes in a PNG or JPEG file.
func (d *Decoder) DecodeFile(path string) ([]string, error) {
	f, err := LoadFrame(path)
	if err != nil {
		return nil, err
	}
	return d.Decode(f)
}

// decodeImage decodes PNG or JPEG data, recognized by its magic bytes,
// after checking the size its header states.
func decodeImage(data []byte) (image.Image, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		if err := checkSize("PNG", png.DecodeConfig, data); err != nil {
			return nil, err
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("corrupted PNG: %w", err)
		}
		return img, nil
	case bytes.HasPrefix(data, []byte{0xff, 0xd8}):
		if err := checkSize("JPEG", jpeg.DecodeConfig, data); err != nil {
			return nil, err
		}
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("corrupted JPEG: %w", err)
		}
		return img, nil
	}
	return nil, fmt.Errorf("not a PNG or JPEG image")
}

// checkSize refuses an image whose header cannot be read or states a size
// over kiosk's limits.
func checkSize(format string, decodeConfig func(io.Reader) (image.Config, error), data []byte) error {
	c, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("corrupted %s: %w", format, err)
	}
	return kiosk.CheckImageSize(c.Width, c.Height)
}

// grayFrame converts an image to 8-bit gray the way OpenCV does
// (0.299 R + 0.587 G + 0.114 B), taking the Y plane of a JPEG as it is.
// Transparent pixels are laid on white paper.
func grayFrame(img image.Image) *kiosk.Frame {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	f := &kiosk.Frame{Pix: make([]byte, w*h), Width: w, Height: h, Stride: w}
	switch src := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			copy(f.Pix[y*w:(y+1)*w], src.Pix[y*src.Stride:])
		}
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			copy(f.Pix[y*w:(y+1)*w], src.Y[y*src.YStride:])
		}
	default:
		rgba := image.NewNRGBA(image.Rect(0, 0, w, h))
		draw.Draw(rgba, rgba.Bounds(), img, b.Min, draw.Src)
		for i := 0; i < w*h; i++ {
			p := rgba.Pix[4*i : 4*i+4 : 4*i+4]
			// Fixed-point BT.601 weights as in OpenCV's cvtColor (14 bits).
			v := (4899*int(p[0]) + 9617*int(p[1]) + 1868*int(p[2]) + 1<<13) >> 14
			a := int(p[3])
			f.Pix[i] = byte((v*a + 255*(255-a) + 127) / 255)
		}
	}
	return f
}
