package admin

import (
	"crypto/ed25519"
	"image"
	"image/color"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/base45"
)

// modulesImage draws modules with a 4-module quiet zone, px pixels a module.
func modulesImage(m [pqSize][pqSize]bool, px int) image.Image {
	side := (pqSize + 8) * px
	img := image.NewGray(image.Rect(0, 0, side, side))
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			mx, my := x/px-4, y/px-4
			v := uint8(255)
			if mx >= 0 && mx < pqSize && my >= 0 && my < pqSize && m[my][mx] {
				v = 0
			}
			img.SetGray(x, y, color.Gray{v})
		}
	}
	return img
}

func decodeModules(t *testing.T, m [pqSize][pqSize]bool) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(modulesImage(m, 4))
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("gozxing cannot read the code: %v", err)
	}
	return res.GetText()
}

// TestPhoneQRDecodes: the one-size encoder's codes read back, with
// another decoder (gozxing), as the text, for every length it takes.
func TestPhoneQRDecodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= pqMaxText; n++ {
		var b strings.Builder
		for range n {
			b.WriteByte(base45.Alphabet[rng.IntN(len(base45.Alphabet))])
		}
		text := b.String()
		if strings.TrimSpace(text) != text || text == "" {
			continue // gozxing's result keeps the spaces; skip the ambiguous empty and edge cases
		}
		m, err := phoneQR(text)
		if err != nil {
			t.Fatal(err)
		}
		if got := decodeModules(t, m); got != text {
			t.Fatalf("%d characters: read %q, want %q", n, got, text)
		}
	}
	if _, err := phoneQR(strings.Repeat("A", pqMaxText+1)); err == nil {
		t.Fatal("a text too long for version 5-M is accepted")
	}
	if _, err := phoneQR("bg2:"); err == nil {
		t.Fatal("lower case (not alphanumeric) accepted")
	}
}

// BenchmarkPhoneCodes: the codes.json of a phone badge, two days of codes
// signed and drawn.
func BenchmarkPhoneCodes(b *testing.B) {
	db := newTestKey(b)
	for b.Loop() {
		for _, text := range central.PhoneCodes(db, 42, time.Now(), 120) {
			if _, err := phoneModules(text); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func newTestKey(tb testing.TB) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
}
