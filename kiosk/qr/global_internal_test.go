package qr

import (
	"math/rand/v2"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
	"github.com/makiuchi-d/gozxing"
)

// TestGlobalBinarizerMatchesZXing checks that the fast global binarizer
// sets the same bits as gozxing's GlobalHistogramBinarizer, and fails
// where it fails (too little contrast): on random two-level images of many
// sizes (odd ones, strides wider than the width), on flat ones, and on
// generated camera frames.
func TestGlobalBinarizerMatchesZXing(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	type image struct {
		pix          []byte
		w, h, stride int
	}
	var images []image
	sizes := [][2]int{{40, 40}, {41, 97}, {640, 480}, {333, 71}, {47, 300}, {5, 5}, {39, 500}, {8, 8}, {585, 585}}
	for _, sz := range sizes {
		for _, kind := range []int{0, 1, 2} {
			w, h := sz[0], sz[1]
			stride := w + rng.IntN(5)
			pix := make([]byte, stride*h)
			dark, light := rng.IntN(120), 120+rng.IntN(136)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					switch kind {
					case 0: // two levels with noise
						v := dark
						if rng.IntN(3) > 0 {
							v = light
						}
						pix[y*stride+x] = byte(min(255, v+rng.IntN(20)))
					case 1: // flat: too little contrast
						pix[y*stride+x] = byte(100 + rng.IntN(8))
					default:
						pix[y*stride+x] = byte(rng.IntN(256))
					}
				}
			}
			images = append(images, image{pix, w, h, stride})
		}
	}
	for i := 0; i < 10; i++ {
		f, err := qrtest.Render(qrtest.Random(rng, []string{qrtest.BadgeText(rng)}, float64(i)/10))
		if err != nil {
			t.Fatal(err)
		}
		images = append(images, image{f.Pix, f.Width, f.Height, f.Stride})
	}
	failed := 0
	for _, im := range images {
		src, err := newGrayLuminance(im.pix, im.w, im.h, im.stride)
		if err != nil {
			t.Fatal(err)
		}
		got, gotErr := newGlobalBinarizer(src).GetBlackMatrix()
		want, wantErr := gozxing.NewGlobalHistgramBinarizer(src).GetBlackMatrix()
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%dx%d: error %v, zxing's %v", im.w, im.h, gotErr, wantErr)
		}
		if gotErr != nil {
			failed++
			continue
		}
		for y := 0; y < im.h; y++ {
			for x := 0; x < im.w; x++ {
				if got.Get(x, y) != want.Get(x, y) {
					t.Fatalf("%dx%d: bit (%d,%d) = %v, zxing says %v", im.w, im.h, x, y, got.Get(x, y), want.Get(x, y))
				}
			}
		}
	}
	if failed == 0 || failed == len(images) {
		t.Fatalf("%d of %d images without a black point: the test does not exercise both cases", failed, len(images))
	}
}
