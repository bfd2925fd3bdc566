package qr

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
	"github.com/makiuchi-d/gozxing"
)

// TestEarlyVerdict: a grid that is a code, even with one module in 40
// wrong or mirrored, keeps its fixed patterns and is decoded; noise and a
// code sampled at the wrong size do not, and are not handed to the decoder
// (grid.go).
func TestEarlyVerdict(t *testing.T) {
	const text = "https://badgeuse.example/m/7f3a9c21?k=Zq8"
	modules, err := qrtest.Code(text)
	if err != nil {
		t.Fatal(err)
	}
	dim := len(modules)
	grid := func(at func(x, y int) bool, n int) *gozxing.BitMatrix {
		m, _ := gozxing.NewSquareBitMatrix(n)
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				if at(x, y) {
					m.Set(x, y)
				}
			}
		}
		return m
	}
	rng := rand.New(rand.NewPCG(16, 3))
	noisy := make([][]bool, dim) // one module in 40 flipped
	for y := range noisy {
		noisy[y] = make([]bool, dim)
		for x := range noisy[y] {
			noisy[y][x] = modules[y][x] != (rng.IntN(40) == 0)
		}
	}
	for _, c := range []struct {
		name string
		grid *gozxing.BitMatrix
	}{
		{"clean", grid(func(x, y int) bool { return modules[y][x] }, dim)},
		{"mirrored", grid(func(x, y int) bool { return modules[x][y] }, dim)},
		{"2.5% wrong", grid(func(x, y int) bool { return noisy[y][x] }, dim)},
	} {
		if a := fixedAgreement(c.grid); a < minFixedAgreement {
			t.Errorf("%s: %.2f of the fixed modules right, want at least %.2f", c.name, a, minFixedAgreement)
		}
		res, err := decodeGrid(c.grid)
		if err != nil || res.GetText() != text {
			t.Errorf("%s: decoded %v, %v; want %q", c.name, res, err, text)
		}
	}
	for _, c := range []struct {
		name string
		grid *gozxing.BitMatrix
	}{
		{"noise", grid(func(x, y int) bool { return rng.IntN(2) == 0 }, dim)},
		// The code sampled as if it had 4 modules more across.
		{"wrong size", grid(func(x, y int) bool { return modules[y*dim/(dim+4)][x*dim/(dim+4)] }, dim+4)},
	} {
		if a := fixedAgreement(c.grid); a >= minFixedAgreement {
			t.Errorf("%s: %.2f of the fixed modules right, want less than %.2f", c.name, a, minFixedAgreement)
		}
		if _, err := decodeGrid(c.grid); !errors.Is(err, errNoisyGrid) {
			t.Errorf("%s: decodeGrid says %v, want errNoisyGrid", c.name, err)
		}
	}
}
