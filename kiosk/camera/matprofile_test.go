//go:build matprofile

package camera_test

import (
	"bytes"
	"testing"

	"gocv.io/x/gocv"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/camera"
)

// TestNoMatLeak counts live OpenCV matrices with gocv's MatProfile (build
// with -tags matprofile): reading must not add any, and Close must free the
// camera's own.
func TestNoMatLeak(t *testing.T) {
	file, dir := leakSources(t)
	for _, src := range []string{file, dir} {
		start := gocv.MatProfile.Count()
		c, err := camera.New(src, camera.Options{Fast: true})
		if err != nil {
			t.Fatal(err)
		}
		var f kiosk.Frame
		readN(t, c, &f, 5)
		steady := gocv.MatProfile.Count()
		readN(t, c, &f, 200) // several ends of file and a damaged image
		if got := gocv.MatProfile.Count(); got != steady {
			var b bytes.Buffer
			gocv.MatProfile.WriteTo(&b, 1)
			t.Errorf("%s: %d live Mats after 200 more frames, want %d:\n%s", src, got, steady, b.String())
		}
		c.Close()
		if got := gocv.MatProfile.Count(); got != start {
			t.Errorf("%s: %d live Mats after Close, want %d", src, got, start)
		}
	}
}
