//go:build matprofile

package qr_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
	"gocv.io/x/gocv"
)

// TestNoMatLeak counts the live OpenCV Mats (gocv's matprofile build tag)
// before and after many decodes that go through every pass, OpenCV's
// included: a kiosk decodes millions of frames, one Mat left open per frame
// would eat its memory within hours.
//
//	go test -tags matprofile -run TestNoMatLeak ./kiosk/qr/
func TestNoMatLeak(t *testing.T) {
	d := qr.New()
	defer d.Close()
	rng := rand.New(rand.NewPCG(12, 12))
	var frames []*kiosk.Frame
	for i := 0; i < 20; i++ {
		var texts []string
		if i%4 != 3 {
			texts = []string{qrtest.BadgeText(rng)}
		}
		f, err := qrtest.Render(qrtest.Random(rng, texts, 1)) // hard: many reach the last pass
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, f)
	}
	before := gocv.MatProfile.Count()
	for round := 0; round < 10; round++ {
		for _, f := range frames {
			if _, err := d.Decode(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	if after := gocv.MatProfile.Count(); after != before {
		var buf bytes.Buffer
		gocv.MatProfile.WriteTo(&buf, 1)
		t.Fatalf("%d Mats live before, %d after 200 decodes:\n%s", before, after, buf.String())
	}
}
