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
	if raceEnabled {
		t.Skip("too slow under the race detector: make test runs it without")
	}
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

// TestWildFrames reads frames of the wild generator (qrtest.RenderWild,
// issue 16) from a seed of their own, neither the benchmark's (1) nor the
// one the decoder was developed on (7): printed cards and phone screens of
// every difficulty, versions 1 to 10. None may be read wrongly; the reads
// are a regression floor.
func TestWildFrames(t *testing.T) {
	if raceEnabled {
		t.Skip("too slow under the race detector: make test runs it without")
	}
	d := qr.New()
	defer d.Close()
	rng := rand.New(rand.NewPCG(16, 16))
	reads := map[qrtest.WildKind]int{}
	const n = 45
	for i := 0; i < n; i++ {
		kind := qrtest.WildCard
		if i%3 == 2 {
			kind = qrtest.WildScreen
		}
		text, level := qrtest.WildText(rng)
		f, err := qrtest.RenderWild(qrtest.DrawWild(rng, kind, text, level, rng.Float64()).Fit())
		if err != nil {
			t.Fatal(err)
		}
		texts, err := d.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range texts {
			if got != text {
				t.Errorf("frame %d: wrong read %q, want %q", i, got, text)
			}
		}
		if len(texts) > 0 {
			reads[kind]++
		}
	}
	t.Logf("wild frames: %d of 30 cards, %d of 15 phone screens", reads[qrtest.WildCard], reads[qrtest.WildScreen])
	if reads[qrtest.WildCard] < wildCardFloor || reads[qrtest.WildScreen] < wildScreenFloor {
		t.Errorf("read %d cards and %d screens, want at least %d and %d", reads[qrtest.WildCard], reads[qrtest.WildScreen], wildCardFloor, wildScreenFloor)
	}
}

// Regression floors of TestWildFrames: the reads when they were set.
const (
	wildCardFloor   = 25 // of 30 (23 before the bent sampler)
	wildScreenFloor = 15 // of 15
)
