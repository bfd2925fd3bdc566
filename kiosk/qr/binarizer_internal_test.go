package qr

import (
	"math/rand/v2"
	"slices"
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

// TestInvertMatrix flips every bit inside the image and none past its
// width (the finder would take padding bits for pixels).
func TestInvertMatrix(t *testing.T) {
	for _, w := range []int{1, 31, 32, 33, 70} {
		m, _ := gozxing.NewBitMatrix(w, 3)
		m.Set(0, 0)
		m.Set(w-1, 2)
		inv := invertMatrix(m)
		for y := 0; y < 3; y++ {
			for x := 0; x < w; x++ {
				if inv.Get(x, y) == m.Get(x, y) {
					t.Fatalf("width %d: bit %d,%d not flipped", w, x, y)
				}
			}
			row := inv.GetRow(y, nil)
			if next := row.GetNextSet(0); w > 1 && y == 0 && next != 1 {
				t.Errorf("width %d: first set bit of row 0 at %d", w, next)
			}
			if n := row.GetNextUnset(0); y == 1 && n != w {
				t.Errorf("width %d: row 1 has an unset bit at %d (padding read as a pixel?)", w, n)
			}
		}
	}
}

// TestBlockStats checks the eight-lane block statistics against a plain
// loop: random blocks, flat ones, and blocks holding 0 and 255 next to
// values one apart (borrows must not leak between lanes).
func TestBlockStats(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for n := 0; n < 20000; n++ {
		stride := 8 + rng.IntN(9)
		pix := make([]byte, 8*stride)
		base, spread := rng.IntN(256), 1+rng.IntN(256)
		for i := range pix {
			switch rng.IntN(20) {
			case 0:
				pix[i] = 0
			case 1:
				pix[i] = 255
			default:
				pix[i] = byte(min(255, base+rng.IntN(spread)))
			}
		}
		wantSum, wantLo, wantHi := 0, 255, 0
		for y := 0; y < 8; y++ {
			for _, p := range pix[y*stride : y*stride+8] {
				wantSum += int(p)
				wantLo = min(wantLo, int(p))
				wantHi = max(wantHi, int(p))
			}
		}
		if sum, lo, hi := blockStats(pix, stride); sum != wantSum || lo != wantLo || hi != wantHi {
			t.Fatalf("block %v stride %d: sum, min, max %d %d %d, want %d %d %d", pix, stride, sum, lo, hi, wantSum, wantLo, wantHi)
		}
	}
}

// BenchmarkHybridBinarizer binarizes a 640x480 frame of random texture.
func BenchmarkHybridBinarizer(b *testing.B) {
	rng := rand.New(rand.NewPCG(4, 4))
	pix := make([]byte, 640*480)
	for i := range pix {
		pix[i] = byte(100 + 10*((i%640/13+i/640/7)%3) + rng.IntN(40))
	}
	src, err := newGrayLuminance(pix, 640, 480, 640)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		newHybridBinarizer(src).GetBlackMatrix()
	}
}

// TestBlockStatsKept: the first binarization of a frame keeps its 8x8
// block statistics on the frame's source, and the other binarizer on the
// same source (the low-contrast one after the hybrid one, and the other
// way round) uses them, with the same bits as on a source of its own.
func TestBlockStatsKept(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, sz := range [][2]int{{640, 480}, {333, 71}, {41, 97}} {
		w, h := sz[0], sz[1]
		stride := w + 3
		pix := make([]byte, stride*h)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				pix[y*stride+x] = byte(100 + 30*((x/13+y/7)%3) + rng.IntN(20))
			}
		}
		kinds := []func(*grayLuminance) *hybridBinarizer{
			func(g *grayLuminance) *hybridBinarizer { return newHybridBinarizer(g).(*hybridBinarizer) },
			newLowContrastBinarizer,
		}
		for first := range kinds {
			shared, _ := newGrayLuminance(pix, w, h, stride)
			if _, err := kinds[first](shared).GetBlackMatrix(); err != nil {
				t.Fatal(err)
			}
			kept := shared.blocks
			if len(kept) != ((w+7)/8)*((h+7)/8) {
				t.Fatalf("%dx%d: %d block statistics kept", w, h, len(kept))
			}
			second := kinds[1-first]
			got, err := second(shared).GetBlackMatrix()
			if err != nil {
				t.Fatal(err)
			}
			if &shared.blocks[0] != &kept[0] {
				t.Fatalf("%dx%d: the second binarizer computed the statistics again", w, h)
			}
			own, _ := newGrayLuminance(pix, w, h, stride)
			want, err := second(own).GetBlackMatrix()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(own.blocks, kept) {
				t.Fatalf("%dx%d: the kept statistics differ from the frame's", w, h)
			}
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					if got.Get(x, y) != want.Get(x, y) {
						t.Fatalf("%dx%d: bit (%d,%d) differs with the kept statistics", w, h, x, y)
					}
				}
			}
		}
	}
}
