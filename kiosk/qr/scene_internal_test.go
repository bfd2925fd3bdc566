package qr

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// wall is an empty scene whose texture (two finder-like marks among
// posters and writing) gives the decoder a strong hint on every frame: the
// worst case of a door camera watching a wall for hours.
var wall = qrtest.Scene{Clutter: 25, Marks: 2, Noise: 4, Blur: 1, JPEG: 90, Seed: 3}

// withBadge returns the wall with a badge held in front of it: modules of
// modulePx pixels, tilted. At 2.8 px the first pass reads it on about one
// frame in 60 and the deep passes on the others; at 3.5 px the first pass
// reads it.
func withBadge(text string, modulePx float64) qrtest.Scene {
	s := wall
	s.Texts, s.ModulePx, s.Angle, s.Tilt = []string{text}, modulePx, 25, 0.1
	return s
}

// camera renders successive frames of a still scene: new sensor noise
// every frame, the light flickering by up to 3%, 30 frames per second.
type camera struct {
	t   *testing.T
	n   uint64
	rng *rand.Rand
	at  time.Time
}

func newCamera(t *testing.T) *camera {
	return &camera{t: t, rng: rand.New(rand.NewPCG(1, 2)), at: time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)}
}

func (c *camera) frame(s qrtest.Scene) *kiosk.Frame {
	c.t.Helper()
	c.n++
	s.NoiseSeed = c.n
	s.Light = 0.97 + 0.06*c.rng.Float64()
	f, err := qrtest.Render(s)
	if err != nil {
		c.t.Fatal(err)
	}
	c.at = c.at.Add(time.Second / 30)
	f.Time = c.at
	return f
}

func firstHint(f *kiosk.Frame) (hint, []string) {
	s := scanFrame(f, allTries)
	return s.hint(), s.texts
}

// TestSignatureMatches checks what the scene signature sees: not sensor
// noise, JPEG jitter or light flicker; a badge coming in, a hand, another
// scene, another frame size.
func TestSignatureMatches(t *testing.T) {
	cam := newCamera(t)
	ref, ok := signatureOf(cam.frame(wall))
	if !ok {
		t.Fatal("no signature for a 640x480 frame")
	}
	for i := 0; i < 30; i++ {
		if s, _ := signatureOf(cam.frame(wall)); !ref.matches(s) {
			t.Fatalf("frame %d of a still scene does not match the first one", i)
		}
	}
	dimmer := wall
	dimmer.Light = 0.9 // more than flicker: a cloud, the lights dimmed
	dim, _ := qrtest.Render(dimmer)
	if s, _ := signatureOf(dim); ref.matches(s) {
		t.Error("a 10% darker frame matches")
	}
	text := qrtest.BadgeText(rand.New(rand.NewPCG(21, 21)))
	for _, module := range []float64{2, 2.8, 4, 8} {
		if s, _ := signatureOf(cam.frame(withBadge(text, module))); ref.matches(s) {
			t.Errorf("a badge of %g px modules coming in matches the empty scene", module)
		}
	}
	hand := cam.frame(wall)
	for y := 300; y < 480; y++ { // a dark arm coming in from below
		for x := 250; x < 330; x++ {
			hand.Pix[y*hand.Stride+x] = 60
		}
	}
	if s, _ := signatureOf(hand); ref.matches(s) {
		t.Error("an arm coming in matches the empty scene")
	}
	other := wall
	other.Seed = 4
	if s, _ := signatureOf(cam.frame(other)); ref.matches(s) {
		t.Error("another scene matches")
	}
	small := wall
	small.Width, small.Height = 320, 240
	if s, _ := signatureOf(cam.frame(small)); ref.matches(s) {
		t.Error("a frame of another size matches")
	}
	if _, ok := signatureOf(&kiosk.Frame{Pix: make([]byte, 31*100), Width: 31, Height: 100, Stride: 31}); ok {
		t.Error("a frame narrower than two pixels per cell has a signature")
	}
}

// TestStaticScene decodes 200 frames of the textured wall: after the first
// frames, the deep passes run only when the memory is due for a refresh
// (once a second); a badge then held up, which only the deep passes read,
// is read on the first frames and on every frame while it stays; once it
// leaves, the wall is remembered again.
func TestStaticScene(t *testing.T) {
	d := New()
	defer d.Close()
	cam := newCamera(t)
	if h, _ := firstHint(cam.frame(wall)); h != hintStrong {
		t.Fatalf("the wall gives hint %d, want a strong one", h)
	}
	const n = 200
	var late time.Duration
	for i := 0; i < n; i++ {
		f := cam.frame(wall)
		start := time.Now()
		texts, err := d.Decode(f)
		if i >= 10 {
			late += time.Since(start)
		}
		if err != nil || len(texts) > 0 {
			t.Fatalf("frame %d: %q, %v", i, texts, err)
		}
	}
	// sceneConfirm frames to remember the wall, then a refresh every
	// second (30 frames).
	if max := sceneConfirm + n/30 + 1; d.scene.deepRuns > max {
		t.Errorf("deep passes ran on %d of %d frames of a still wall, want at most %d", d.scene.deepRuns, n, max)
	}
	t.Logf("deep passes on %d of %d frames, %.2f ms per frame after the first 10",
		d.scene.deepRuns, n, float64(late)/float64(n-10)/1e6)

	text := qrtest.BadgeText(rand.New(rand.NewPCG(21, 21)))
	badge := withBadge(text, 2.8)
	if _, texts := firstHint(cam.frame(badge)); len(texts) > 0 {
		t.Fatal("the first pass reads the badge: the test needs one that only the deep passes read")
	}
	skipped, reads := d.scene.skipped, 0
	for i := 0; i < 60; i++ {
		texts, err := d.Decode(cam.frame(badge))
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range texts {
			if got != text {
				t.Fatalf("frame %d with the badge: wrong read %q", i, got)
			}
		}
		if len(texts) == 0 && i < 2 {
			t.Fatalf("badge not read on frame %d after it came in", i)
		}
		if len(texts) > 0 {
			reads++
		}
	}
	// A fresh decoder reads 60 of 60 of these frames.
	if reads < 57 {
		t.Errorf("badge held still read on %d of 60 frames", reads)
	}
	if d.scene.skipped != skipped {
		t.Errorf("deep passes skipped on %d frames with the badge in view", d.scene.skipped-skipped)
	}
	runs := d.scene.deepRuns
	for i := 0; i < 30; i++ { // the badge is gone
		if texts, err := d.Decode(cam.frame(wall)); err != nil || len(texts) > 0 {
			t.Fatalf("frame %d after the badge: %q, %v", i, texts, err)
		}
	}
	if runs := d.scene.deepRuns - runs; runs > sceneConfirm+1 {
		t.Errorf("deep passes ran on %d of 30 frames after the badge left, want at most %d", runs, sceneConfirm+1)
	}
}

// TestStaticSceneBadgeReadAtOnce holds a badge up in front of a remembered
// wall: it is read on the first frame, by the first pass when it can, by
// the deep passes otherwise.
func TestStaticSceneBadgeReadAtOnce(t *testing.T) {
	text := qrtest.BadgeText(rand.New(rand.NewPCG(22, 22)))
	for _, module := range []float64{2.8, 3.5} {
		d := New()
		cam := newCamera(t)
		for i := 0; i < 40; i++ {
			if _, err := d.Decode(cam.frame(wall)); err != nil {
				t.Fatal(err)
			}
		}
		skipped := d.scene.skipped
		if skipped == 0 {
			t.Fatal("the wall was not remembered")
		}
		for i := 0; i < 20; i++ {
			texts, err := d.Decode(cam.frame(withBadge(text, module)))
			if err != nil || len(texts) != 1 || texts[0] != text {
				t.Fatalf("%g px modules, frame %d with the badge: read %q, %v", module, i, texts, err)
			}
		}
		if d.scene.skipped != skipped {
			t.Errorf("%g px modules: deep passes skipped with the badge in view", module)
		}
		d.Close()
	}
}

// TestStaticSceneRefresh checks that a remembered scene gets the deep
// passes again after a second of frame time, after sceneMaxSkips frames
// when the clock stands still, and when the clock goes back (another
// video).
func TestStaticSceneRefresh(t *testing.T) {
	d := New()
	defer d.Close()
	cam := newCamera(t)
	f := cam.frame(wall)
	decode := func(at time.Time) {
		t.Helper()
		f.Time = at
		if texts, err := d.Decode(f); err != nil || len(texts) > 0 {
			t.Fatalf("%q, %v", texts, err)
		}
	}
	t0 := f.Time
	for i := 0; i < sceneConfirm; i++ {
		decode(t0)
	}
	runs := d.scene.deepRuns
	for i := 0; i < sceneMaxSkips; i++ {
		decode(t0.Add(time.Millisecond))
	}
	if d.scene.deepRuns != runs {
		t.Fatalf("deep passes ran within %d frames", sceneMaxSkips)
	}
	decode(t0.Add(time.Millisecond))
	if d.scene.deepRuns != runs+1 {
		t.Fatalf("no deep passes after %d skipped frames", sceneMaxSkips)
	}
	decode(t0.Add(sceneMaxAge / 2))
	decode(t0.Add(sceneMaxAge + time.Millisecond))
	if d.scene.deepRuns != runs+2 {
		t.Fatalf("deep passes ran %d times, want once more after %v", d.scene.deepRuns-runs, sceneMaxAge)
	}
	decode(t0) // back in time
	if d.scene.deepRuns != runs+3 {
		t.Fatal("no deep passes when the clock went back")
	}
	d.Forget()
	decode(t0.Add(time.Millisecond))
	if d.scene.deepRuns != runs+4 {
		t.Fatal("no deep passes after Forget")
	}
}

// TestStaticSceneNeedsStrongerHint checks that a scene remembered on weak
// hints (only the two cheapest passes tried) still gets every pass when a
// frame of it gives a strong hint.
func TestStaticSceneNeedsStrongerHint(t *testing.T) {
	var m sceneMemory
	cam := newCamera(t)
	s, _ := signatureOf(cam.frame(wall))
	at := time.Now()
	for i := 0; i < sceneConfirm; i++ {
		if m.skip(s, hintWeak, at) {
			t.Fatalf("skipped before the scene was confirmed (%d)", i)
		}
		m.deepDone(s, hintWeak, at, false)
	}
	if !m.skip(s, hintWeak, at) {
		t.Fatal("a confirmed scene was not skipped")
	}
	if m.skip(s, hintStrong, at) {
		t.Fatal("a strong hint was skipped on a scene tried with weak hints only")
	}
	m.deepDone(s, hintStrong, at, true)
	if m.skip(s, hintWeak, at) {
		t.Fatal("a scene where a code was found is still remembered")
	}
}

// BenchmarkSignature measures what the memory adds to a frame with a hint:
// the signature and its comparison.
func BenchmarkSignature(b *testing.B) {
	f, err := qrtest.Render(wall)
	if err != nil {
		b.Fatal(err)
	}
	ref, _ := signatureOf(f)
	for b.Loop() {
		s, _ := signatureOf(f)
		if !ref.matches(s) {
			b.Fatal("no match")
		}
	}
}
