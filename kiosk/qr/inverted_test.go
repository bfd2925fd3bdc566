package qr_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk/qr"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// TestInvertedCodes reads codes printed light on a dark ground and phone
// pages in dark mode showing the code inverted (wild generator, issue 16):
// ZXing's finder sees nothing of them unless the bits are flipped.
func TestInvertedCodes(t *testing.T) {
	d := qr.New()
	defer d.Close()
	rng := rand.New(rand.NewPCG(16, 1))
	for i := 0; i < 12; i++ {
		text, level := qrtest.WildText(rng)
		s := qrtest.WildScene{Kind: qrtest.WildKind(i % 2), Text: text, Level: level, Inverted: true, DarkMode: i%2 == 1,
			Module: 3 + 3*rng.Float64(), Roll: 360 * rng.Float64(), Tilt: 20 * rng.Float64(), TiltDir: 360 * rng.Float64(),
			X: 0.5, Y: 0.5, Noise: 2, JPEG: 80, Seed: rng.Uint64()}
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			f, err := qrtest.RenderWild(s.Fit())
			if err != nil {
				t.Fatal(err)
			}
			texts, err := d.Decode(f)
			if err != nil || len(texts) != 1 || texts[0] != text {
				t.Fatalf("read %q, %v; want [%q]", texts, err, text)
			}
		})
	}
}
