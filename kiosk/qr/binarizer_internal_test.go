package qr

import (
	"math/rand/v2"
	"testing"

	"github.com/makiuchi-d/gozxing"
)

// TestHybridBinarizerMatchesZXing checks that the fast binarizer sets the
// same bits as gozxing's HybridBinarizer, on random images of many sizes
// (odd ones, strides wider than the width) and on smooth ones (flat blocks).
func TestHybridBinarizerMatchesZXing(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	sizes := [][2]int{{40, 40}, {41, 97}, {640, 480}, {333, 71}, {47, 300}, {1, 1}, {39, 500}, {8, 8}}
	for _, sz := range sizes {
		for _, smooth := range []bool{false, true} {
			w, h := sz[0], sz[1]
			stride := w + rng.IntN(5)
			pix := make([]byte, stride*h)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					if smooth {
						pix[y*stride+x] = byte(100 + 10*((x/13+y/7)%3) + rng.IntN(5))
					} else {
						pix[y*stride+x] = byte(rng.IntN(256))
					}
				}
			}
			src, err := newGrayLuminance(pix, w, h, stride)
			if err != nil {
				t.Fatal(err)
			}
			got, gotErr := newHybridBinarizer(src).GetBlackMatrix()
			want, wantErr := gozxing.NewHybridBinarizer(src).GetBlackMatrix()
			if (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("%dx%d: error %v, zxing's %v", w, h, gotErr, wantErr)
			}
			if gotErr != nil {
				continue
			}
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					if got.Get(x, y) != want.Get(x, y) {
						t.Fatalf("%dx%d smooth=%v: bit (%d,%d) = %v, zxing says %v", w, h, smooth, x, y, got.Get(x, y), want.Get(x, y))
					}
				}
			}
		}
	}
}

// TestAtOrBelow checks the eight-lane comparison against a plain loop for
// every threshold and every pixel value in every lane, next to random
// neighbours (borrows must not leak between lanes).
func TestAtOrBelow(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for th := 0; th < 256; th++ {
		for v := 0; v < 256; v++ {
			for lane := 0; lane < 8; lane++ {
				var px [8]byte
				for i := range px {
					px[i] = byte(rng.IntN(256))
				}
				px[lane] = byte(v)
				var p uint64
				var want uint32
				for i := 7; i >= 0; i-- {
					p = p<<8 | uint64(px[i])
				}
				for i, b := range px {
					if int(b) <= th {
						want |= 1 << i
					}
				}
				if got := atOrBelow(p, byte(th)); got != want {
					t.Fatalf("atOrBelow(%x, %d) = %08b, want %08b", p, th, got, want)
				}
			}
		}
	}
}
