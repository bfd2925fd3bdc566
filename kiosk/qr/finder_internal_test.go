package qr

import (
	"math/rand/v2"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// TestFindPatternsMatchesGozxing checks that findPatterns finds what
// gozxing's FinderPatternFinder.Find finds, on generated frames with and
// without codes, and that it gives up on texture where Find stalls.
func TestFindPatternsMatchesGozxing(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	for i := 0; i < 60; i++ {
		var texts []string
		if i%3 != 0 {
			texts = []string{qrtest.BadgeText(rng)}
		}
		f, err := qrtest.Render(qrtest.Random(rng, texts, float64(i)/60))
		if err != nil {
			t.Fatal(err)
		}
		src, err := newGrayLuminance(f.Pix, f.Width, f.Height, f.Stride)
		if err != nil {
			t.Fatal(err)
		}
		bits, err := newHybridBinarizer(src).GetBlackMatrix()
		if err != nil {
			t.Fatal(err)
		}
		info, candidates := findPatterns(bits)
		finder := detector.NewFinderPatternFinder(bits, nil)
		want, notFound := finder.Find(nil)
		if len(candidates) != len(finder.GetPossibleCenters()) {
			t.Fatalf("frame %d: %d candidates, gozxing %d", i, len(candidates), len(finder.GetPossibleCenters()))
		}
		if (info == nil) != (notFound != nil) {
			t.Fatalf("frame %d: found %v, gozxing's error %v", i, info != nil, notFound)
		}
		if info != nil && (info.GetTopLeft() != want.GetTopLeft() && *info.GetTopLeft() != *want.GetTopLeft()) {
			t.Fatalf("frame %d: top left %v, gozxing %v", i, info.GetTopLeft(), want.GetTopLeft())
		}
	}
}
