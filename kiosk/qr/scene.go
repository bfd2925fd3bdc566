package qr

import (
	"slices"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
)

// A door camera sees the same empty scene for hours. When that scene has
// texture that looks like finder patterns (a poster, tiles, a keyboard),
// every frame gets a hint and used to pay the deep passes (about 10 ms at
// 640x480 on a PC, several times more on a Pi) for nothing. The decoder
// therefore remembers the last scene whose deep passes found nothing, as a
// signature of a few hundred numbers, and skips the deep passes while the
// frames match it. The first pass always runs: a readable badge is read at
// once, and a badge coming in changes the signature, which brings the deep
// passes back on the same frame.
//
// The signature is the mean gray level and the mean horizontal gradient of
// each cell of a 16x12 grid (40x40 pixels at 640x480), taken on one row in
// four: 0.1 ms at 640x480 on a PC, on frames with a hint only. Two
// signatures match when every cell agrees within a tolerance far above
// sensor noise and JPEG jitter (a cell averages hundreds of pixels) and
// light flicker (the overall shift of the frame is taken out first, a few
// percent of gain is allowed), but far below what a card, a hand or a
// person does to the cells it covers.
//
// A scene is remembered only after its deep passes found nothing on
// sceneConfirm frames in a row that match it: a card that arrives moving
// and settles gets several deep tries on the still frames. A frame in which
// any pass reads a code clears the memory, so a badge held still keeps
// being decoded on every frame. The deep passes run again on a remembered
// scene after sceneMaxAge (frame time) or sceneMaxSkips frames, whichever
// comes first, or when the frame time goes back, so that nothing can be
// skipped for long.
//
// The memory has its own lock: Decode may be called concurrently (the Door
// calls it from one goroutine). Frames of several cameras interleaved on one
// Decoder are decoded correctly; they just keep replacing each other's
// scene.
const (
	sceneCols, sceneRows = 16, 12
	sceneCells           = sceneCols * sceneRows

	sceneRowStep = 4 // rows sampled: one in sceneRowStep

	sceneConfirm  = 3
	sceneMaxAge   = time.Second
	sceneMaxSkips = 60

	// Tolerances, in gray levels (mean) and gray levels per pixel
	// (gradient): an absolute part plus a part of the larger value.
	sceneShiftTol = 12   // overall light change
	sceneMeanTol  = 5    // a cell's mean, once the overall shift is removed
	sceneMeanRel  = 0.05 // ... plus 5% of it
	sceneGradTol  = 4    // a cell's mean horizontal gradient
	sceneGradRel  = 0.3  // ... plus 30% of it
)

// signature is a coarse summary of a frame: per cell, its mean gray level
// and mean absolute difference between horizontal neighbours.
type signature struct {
	width, height int
	mean, grad    [sceneCells]float32
}

// signatureOf summarizes f. Frames too small for the grid have none.
func signatureOf(f *kiosk.Frame) (*signature, bool) {
	w, h := f.Width, f.Height
	if w < 2*sceneCols || h < 2*sceneRows {
		return nil, false
	}
	s := &signature{width: w, height: h}
	var sum, grad, n [sceneCells]int
	var bounds [sceneCols + 1]int
	for c := range bounds {
		bounds[c] = c * w / sceneCols
	}
	for y := 0; y < h; y += sceneRowStep {
		row := f.Pix[y*f.Stride : y*f.Stride+w]
		base := y * sceneRows / h * sceneCols
		for c := 0; c < sceneCols; c++ {
			cell := row[bounds[c]:bounds[c+1]]
			sm, gr, prev := 0, 0, int(cell[0])
			for _, p := range cell {
				v := int(p)
				sm += v
				d := v - prev
				gr += max(d, -d)
				prev = v
			}
			sum[base+c] += sm
			grad[base+c] += gr
			n[base+c] += len(cell)
		}
	}
	for i := range s.mean {
		s.mean[i] = float32(sum[i]) / float32(n[i])
		s.grad[i] = float32(grad[i]) / float32(n[i])
	}
	return s, true
}

// matches reports whether b shows the same scene as a: same size, and
// every cell within the tolerances once the overall light shift is removed.
func (a *signature) matches(b *signature) bool {
	if a.width != b.width || a.height != b.height {
		return false
	}
	var d [sceneCells]float32
	for i := range d {
		d[i] = b.mean[i] - a.mean[i]
	}
	sorted := d
	slices.Sort(sorted[:])
	shift := sorted[sceneCells/2] // the median: a card covers less than half the cells
	if abs32(shift) > sceneShiftTol {
		return false
	}
	for i := range d {
		if abs32(b.mean[i]-a.mean[i]-shift) > sceneMeanTol+sceneMeanRel*max(a.mean[i], b.mean[i]) {
			return false
		}
		if abs32(b.grad[i]-a.grad[i]) > sceneGradTol+sceneGradRel*max(a.grad[i], b.grad[i]) {
			return false
		}
	}
	return true
}

func abs32(v float32) float32 { return max(v, -v) }

// sceneMemory is the last scene whose deep passes found nothing.
type sceneMemory struct {
	mu     sync.Mutex
	ref    *signature // nil: nothing remembered
	hint   hint       // the strongest hint whose deep passes failed on ref
	misses int        // frames matching ref whose deep passes found nothing, in a row
	last   time.Time  // frame time of the last deep passes on ref
	skips  int        // frames skipped since then

	// Counters for tests and benchmarks.
	deepRuns, skipped int
}

// skip reports whether the deep passes can be skipped on a frame with
// signature s, hint h and time t: a remembered scene, confirmed, matching,
// whose deep passes ran with at least this hint, not long ago.
func (m *sceneMemory) skip(s *signature, h hint, t time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ref == nil || m.misses < sceneConfirm || h > m.hint ||
		m.skips >= sceneMaxSkips || t.Before(m.last) || t.Sub(m.last) >= sceneMaxAge ||
		!m.ref.matches(s) {
		m.deepRuns++
		return false
	}
	m.skips++
	m.skipped++
	return true
}

// deepDone records the outcome of the deep passes on a frame with
// signature s (nil: none), hint h and time t.
func (m *sceneMemory) deepDone(s *signature, h hint, t time.Time, found bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case found || s == nil:
		m.ref = nil
	case m.ref != nil && m.ref.matches(s):
		// The same scene: keep the first signature as the reference, so
		// that a slow change cannot creep in unnoticed.
		if h > m.hint {
			m.hint, m.misses = h, 0
		}
		m.misses++
	default:
		m.ref, m.hint, m.misses = s, h, 1
	}
	m.last, m.skips = t, 0
}

// forget clears the memory.
func (m *sceneMemory) forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ref = nil
}

// frameTime is f's time in its stream: Time, else Captured, else now.
func frameTime(f *kiosk.Frame) time.Time {
	switch {
	case !f.Time.IsZero():
		return f.Time
	case !f.Captured.IsZero():
		return f.Captured
	}
	return time.Now()
}
