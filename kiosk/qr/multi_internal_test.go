package qr

import (
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
	"github.com/makiuchi-d/gozxing"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
)

// TestMultiMatchesGozxing checks that the multi-code reader (multi.go),
// which walks rows run by run, finds the same triples of finder patterns
// as gozxing's MultiFinderPatternFinder and reads the same texts as its
// QRCodeMultiReader: on generated frames with one to three badges or
// none, of every difficulty, and on wild cards.
func TestMultiMatchesGozxing(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 17))
	var frames []*gozxing.BitMatrix
	for i := 0; i < 60; i++ {
		var texts []string
		for k := 0; k < i%4; k++ {
			texts = append(texts, qrtest.BadgeText(rng))
		}
		f, err := qrtest.Render(qrtest.Random(rng, texts, float64(i)/60))
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, hybridBits(t, f))
	}
	wild := rand.New(rand.NewPCG(17, 0x3170))
	for i := 0; i < 30; i++ {
		text, level := qrtest.WildText(wild)
		f, err := qrtest.RenderWild(qrtest.DrawWild(wild, qrtest.WildCard, text, level, wild.Float64()).Fit())
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, hybridBits(t, f))
	}
	triples, reads := 0, 0
	for i, bits := range frames {
		got := findMultiPatterns(bits)
		want, _ := multidetector.NewMultiFinderPatternFinder(bits, nil).FindMulti(nil)
		if len(got) != len(want) {
			t.Fatalf("frame %d: %d triples, gozxing %d", i, len(got), len(want))
		}
		for k := range got {
			for _, p := range [][2]gozxing.ResultPoint{
				{got[k].GetTopLeft(), want[k].GetTopLeft()},
				{got[k].GetTopRight(), want[k].GetTopRight()},
				{got[k].GetBottomLeft(), want[k].GetBottomLeft()},
			} {
				if p[0].GetX() != p[1].GetX() || p[0].GetY() != p[1].GetY() {
					t.Fatalf("frame %d, triple %d: pattern at %v, gozxing %v", i, k, p[0], p[1])
				}
			}
		}
		triples += len(got)
		texts := scanMulti(bits)
		bm, err := gozxing.NewBinaryBitmap(fixedBinarizer{matrix: bits})
		if err != nil {
			t.Fatal(err)
		}
		results, _ := multiqr.NewQRCodeMultiReader().DecodeMultiple(bm, nil)
		var wantTexts []string
		for _, r := range results {
			wantTexts = appendNew(wantTexts, r.GetText())
		}
		sort.Strings(texts)
		sort.Strings(wantTexts)
		if len(texts) != len(wantTexts) {
			t.Fatalf("frame %d: read %q, gozxing %q", i, texts, wantTexts)
		}
		for k := range texts {
			if texts[k] != wantTexts[k] {
				t.Fatalf("frame %d: read %q, gozxing %q", i, texts, wantTexts)
			}
		}
		reads += len(texts)
	}
	t.Logf("%d frames, %d triples, %d texts read", len(frames), triples, reads)
	if triples < 30 || reads < 30 {
		t.Fatalf("only %d triples and %d reads: the frames do not exercise the reader", triples, reads)
	}
}
