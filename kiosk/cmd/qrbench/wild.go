package main

import (
	"fmt"
	"math/rand/v2"

	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// generateWild makes the sets of the wild generator (qrtest.RenderWild),
// written apart from the generator kiosk/qr was tuned on and never tuned
// on itself: printed cards, phone screens, and frames without a code, from
// their own seed. Versions 1 to 10 at every error correction level,
// modules of 2 to 9 px, perspective up to 50°, bent cards, highlights,
// defocus, motion, JPEG 30-90, contrast down to 20%, inverted codes, and
// phones in dark rooms, in dark mode, with moiré and reflections.
func generateWild(c config) ([]imageSet, error) {
	var sets []imageSet
	for _, k := range []struct {
		kind  qrtest.WildKind
		n     int
		name  string
		about string
	}{
		{qrtest.WildCard, c.wild, "wild generator: printed cards", "versions 1-10, modules 2-9 px, tilt up to 50°, bends, highlights, contrast 20-100%, 15% inverted"},
		{qrtest.WildScreen, c.screens, "wild generator: phone screens", "versions 1-10, backlight in dark rooms, dark mode, moiré, reflections"},
	} {
		if k.n == 0 {
			continue
		}
		s := imageSet{name: k.name, detail: fmt.Sprintf("%d frames, wild seed %d, difficulty uniform in [0, 1]: %s", k.n, c.wildSeed, k.about)}
		rng := rand.New(rand.NewPCG(c.wildSeed, 0x3170+uint64(k.kind)))
		for i := 0; i < k.n; i++ {
			text, level := qrtest.WildText(rng)
			scene := qrtest.DrawWild(rng, k.kind, text, level, rng.Float64()).Fit()
			f, err := qrtest.RenderWild(scene)
			if err != nil {
				return nil, err
			}
			s.items = append(s.items, item{name: fmt.Sprintf("wild-%d-%03d", k.kind, i), frame: f, want: text})
		}
		sets = append(sets, s)
	}
	if c.wildEmpty > 0 {
		s := imageSet{name: "wild generator: frames without a code", empty: true,
			detail: fmt.Sprintf("%d rooms, wild seed %d", c.wildEmpty, c.wildSeed)}
		rng := rand.New(rand.NewPCG(c.wildSeed, 0xe3e3))
		for i := 0; i < c.wildEmpty; i++ {
			scene := qrtest.DrawWild(rng, qrtest.WildCard, "", 'M', rng.Float64())
			f, err := qrtest.RenderWild(scene)
			if err != nil {
				return nil, err
			}
			s.items = append(s.items, item{name: fmt.Sprintf("wild-empty-%03d", i), frame: f})
		}
		sets = append(sets, s)
	}
	return sets, nil
}
