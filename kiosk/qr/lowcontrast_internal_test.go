package qr

import (
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// TestLowContrastBinarizer: a card printed in gray ink, alone in view.
// From 60% contrast down, ZXing's hybrid binarizer turns the finder
// patterns' rings light next to the flat quiet zone and the first pass
// reads nothing; the low-contrast binarizer reads the code down to 20%,
// and black ink as well.
func TestLowContrastBinarizer(t *testing.T) {
	const text = "https://badgeuse.example/m/7Q2"
	for _, c := range []struct {
		contrast, ambient float64
		firstReads        bool
	}{
		{1, 1, true},
		{0.6, 1, false},
		{0.45, 1, false},
		{0.3, 0.5, false},
		{0.2, 1, false},
	} {
		s := qrtest.WildScene{Text: text, Level: 'M', Module: 5, X: 0.5, Y: 0.5, Roll: 10,
			Contrast: c.contrast, Ambient: c.ambient, Noise: 2, Seed: 3}
		f, err := qrtest.RenderWild(s)
		if err != nil {
			t.Fatal(err)
		}
		src, err := newGrayLuminance(f.Pix, f.Width, f.Height, f.Stride)
		if err != nil {
			t.Fatal(err)
		}
		first := scanImage(binaryBitmap(newHybridBinarizer(src)), allTries)
		if got := len(first.texts) > 0; got != c.firstReads {
			t.Errorf("contrast %.2f: first pass read %v, want %v", c.contrast, first.texts, c.firstReads)
		}
		low := scanLowContrast(src, allTries)
		if len(low.texts) != 1 || low.texts[0] != text {
			t.Errorf("contrast %.2f, light %.1f: low-contrast pass read %q, want %q", c.contrast, c.ambient, low.texts, text)
		}
	}
}

// TestLowContrastCards: wild cards (seeds 7 and 11, cards only) with a
// strong hint that no other pass reads, and that the low-contrast pass,
// last in the cascade, reads exactly.
func TestLowContrastCards(t *testing.T) {
	if raceOn {
		t.Skip("too slow under the race detector: make test runs it without")
	}
	d := New()
	defer d.Close()
	for _, c := range []struct {
		seed  uint64
		cards []int
	}{
		{7, []int{61, 158, 191}},
		{11, []int{83, 98}},
	} {
		eachWildCard(t, c.seed, c.cards, func(i int, s qrtest.WildScene, f *kiosk.Frame, text string) {
			if s := scanFrame(f, allTries); len(s.texts) > 0 || s.hint() != hintStrong {
				t.Errorf("seed %d card %d: first pass read %q with hint %d: not a frame for this test", c.seed, i, s.texts, s.hint())
			}
			if texts := decodeOnce(t, d, f); len(texts) != 1 || texts[0] != text {
				t.Errorf("seed %d card %d (contrast %.2f, light %.2f): read %q, want %q", c.seed, i, s.Contrast, s.Ambient, texts, text)
			}
		})
	}
}

// TestLowContrastWeakHint: wild cards (seed 1) printed in gray ink whose
// finder patterns the first pass sees on one row only (a weak hint), that
// only zbar read before: the blurred frame binarized for low contrast, the
// weak hint's second pass, reads them exactly.
func TestLowContrastWeakHint(t *testing.T) {
	if raceOn {
		t.Skip("too slow under the race detector: make test runs it without")
	}
	d := New()
	defer d.Close()
	eachWildCard(t, 1, []int{94, 115}, func(i int, s qrtest.WildScene, f *kiosk.Frame, text string) {
		if s := scanFrame(f, allTries); len(s.texts) > 0 || s.hint() != hintWeak {
			t.Errorf("card %d: first pass read %q with hint %d: not a frame for this test", i, s.texts, s.hint())
		}
		if texts := decodeOnce(t, d, f); len(texts) != 1 || texts[0] != text {
			t.Errorf("card %d (contrast %.2f, light %.2f): read %q, want %q", i, s.Contrast, s.Ambient, texts, text)
		}
	})
}
