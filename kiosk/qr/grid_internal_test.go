package qr

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
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

// TestSampleGridAsGozxing: sampleGrid, which judges a grid's fixed modules
// before sampling it whole, gives gozxing's grid wherever decodeGrid would
// look at it: the same bits and error, or errNoisyGrid only where
// gozxing's grid would have been rejected as noise or not sampled. The
// transforms put a code of a random size anywhere around a frame of a
// real code, a little or far off, and partly outside.
func TestSampleGridAsGozxing(t *testing.T) {
	bits := codeBits(t, "https://badgeuse.example/m/4be1?k=sampled", 5, 40)
	w, h := float64(bits.GetWidth()), float64(bits.GetHeight())
	rng := rand.New(rand.NewPCG(27, 1))
	var early, same int
	for i := 0; i < 3000; i++ {
		dim := 21 + 4*rng.IntN(10)
		// The code's corners: around the code, or anywhere, or partly out.
		spread := []float64{4, 40, w}[i%3]
		corner := func(x, y float64) (float64, float64) {
			return x + (rng.Float64()-0.5)*spread, y + (rng.Float64()-0.5)*spread
		}
		x0, y0 := corner(40, 40)
		x1, y1 := corner(w-40, 40)
		x2, y2 := corner(w-40, h-40)
		x3, y3 := corner(40, h-40)
		fd := float64(dim)
		tr := common.PerspectiveTransform_QuadrilateralToQuadrilateral(0, 0, fd, 0, fd, fd, 0, fd, x0, y0, x1, y1, x2, y2, x3, y3)
		want, wantErr := detector.Detector_sampleGrid(bits, tr, dim)
		got, err := sampleGrid(bits, tr, dim)
		switch {
		case errors.Is(err, errNoisyGrid):
			early++
			if wantErr == nil && fixedAgreement(want) >= minFixedAgreement {
				t.Fatalf("transform %d: rejected early, but gozxing's grid has %.2f of its fixed modules right", i, fixedAgreement(want))
			}
		case (err == nil) != (wantErr == nil):
			t.Fatalf("transform %d: error %v, gozxing's %v", i, err, wantErr)
		case err == nil && got.String() != want.String():
			t.Fatalf("transform %d: a grid other than gozxing's", i)
		default:
			same++
		}
	}
	// Both outcomes must have been met for the test to say anything.
	if early < 100 || same < 100 {
		t.Fatalf("%d grids rejected early, %d as gozxing: want both at least 100", early, same)
	}
}

// codeBits draws text's code with modules of module pixels and a margin
// of margin pixels around it.
func codeBits(t *testing.T, text string, module, margin int) *gozxing.BitMatrix {
	t.Helper()
	modules, err := qrtest.Code(text)
	if err != nil {
		t.Fatal(err)
	}
	side := len(modules)*module + 2*margin
	bits, _ := gozxing.NewSquareBitMatrix(side)
	for y := range modules {
		for x, dark := range modules[y] {
			if !dark {
				continue
			}
			for dy := 0; dy < module; dy++ {
				for dx := 0; dx < module; dx++ {
					bits.Set(margin+x*module+dx, margin+y*module+dy)
				}
			}
		}
	}
	return bits
}
