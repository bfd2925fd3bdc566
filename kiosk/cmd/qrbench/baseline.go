//go:build qrbaseline

package main

import (
	"encoding/binary"

	"github.com/badgeuse/badgeuse/kiosk"
)

// records splits the (4-byte native length, bytes) records of a C shim.
func records(b []byte) []string {
	var texts []string
	for len(b) >= 4 {
		n := int(binary.NativeEndian.Uint32(b))
		if 4+n > len(b) {
			break
		}
		texts = append(texts, string(b[4:4+n]))
		b = b[4+n:]
	}
	return texts
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
