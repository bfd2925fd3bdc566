package qr

import (
	"math/rand/v2"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// eachWildCard draws the printed cards of wild seed seed in qrbench's
// order and calls fn with those whose indexes are in cards (ascending):
// the scene, its frame and the code's text. The regression tests of the
// frames another decoder once read and kiosk/qr missed name them so.
func eachWildCard(t *testing.T, seed uint64, cards []int, fn func(i int, s qrtest.WildScene, f *kiosk.Frame, text string)) {
	t.Helper()
	eachWild(t, qrtest.WildCard, seed, cards, fn)
}

// eachWild is eachWildCard for the frames of kind kind (printed cards or
// phone screens).
func eachWild(t *testing.T, kind qrtest.WildKind, seed uint64, cards []int, fn func(i int, s qrtest.WildScene, f *kiosk.Frame, text string)) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 0x3170+uint64(kind)))
	next := 0
	for i := 0; next < len(cards); i++ {
		text, level := qrtest.WildText(rng)
		s := qrtest.DrawWild(rng, kind, text, level, rng.Float64()).Fit()
		if i != cards[next] {
			continue
		}
		next++
		f, err := qrtest.RenderWild(s)
		if err != nil {
			t.Fatal(err)
		}
		fn(i, s, f, text)
	}
}

// checkRead decodes f as a new Decoder would and reports an error unless
// it reads exactly text; name says which frame.
func checkRead(t *testing.T, d *Decoder, f *kiosk.Frame, text, name string) {
	t.Helper()
	if got := decodeOnce(t, d, f); len(got) != 1 || got[0] != text {
		t.Errorf("%s: read %q, want %q", name, got, text)
	}
}

// checkReadOnlyWith checks that d reads f exactly as text, and nothing in
// it with the switch on set to false: a frame that only the part of the
// decoder that on switches (what) reads. name says which frame.
func checkReadOnlyWith(t *testing.T, d *Decoder, f *kiosk.Frame, text, name string, on *bool, what string) {
	t.Helper()
	*on = false
	got := decodeOnce(t, d, f)
	*on = true
	if len(got) > 0 {
		t.Errorf("%s: read %q without %s: not a frame for this test", name, got, what)
	}
	checkRead(t, d, f, text, name)
}

// decodeOnce decodes f with d as a new Decoder would (its scene memory
// cleared after).
func decodeOnce(t *testing.T, d *Decoder, f *kiosk.Frame) []string {
	t.Helper()
	texts, err := d.Decode(f)
	d.Forget()
	if err != nil {
		t.Fatal(err)
	}
	return texts
}

// skipUnderRace skips a test too slow under the race detector; make test
// runs it without.
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceOn {
		t.Skip("too slow under the race detector: make test runs it without")
	}
}

// slowTestDecoder is the Decoder of a test too slow under the race
// detector (skipUnderRace), closed at the test's end.
func slowTestDecoder(t *testing.T) *Decoder {
	t.Helper()
	skipUnderRace(t)
	d := New()
	t.Cleanup(func() { d.Close() })
	return d
}
