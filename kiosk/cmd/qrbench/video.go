package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
)

// Time to first read: the delay a member feels. Each video is a badge
// (two in three printed cards, one in three phones) brought in front of
// the camera by the wild generator (qrtest.DrawPresentation): it comes in
// from outside the frame, blurred by its speed, slows down, and is held
// still. Every decoder sees the same frames in order, as at the door, from
// a fresh memory; the time to first read is the time from the first frame
// where the whole code is in view to the first frame a decoder reads, plus
// that frame's decoding time (the decoders keep up with the camera: their
// p95 per frame is below a frame interval here). A presentation not read
// within readWithin of being in view counts as never read.
const (
	readWithin = 2 * time.Second
	videoHold  = 2500 * time.Millisecond // still after the way in
)

// videoResult is every decoder on the videos of one frame rate.
type videoResult struct {
	fps      float64
	videos   int
	decoders []decoder
	// ttfr per decoder and video; never is a presentation not read in time.
	ttfr   [][]time.Duration
	frames int // frames rendered
}

const never = time.Duration(math.MaxInt64)

func measureVideos(ctx context.Context, c config, decoders []decoder) ([]videoResult, error) {
	var results []videoResult
	for _, fps := range c.fps {
		r := videoResult{fps: fps, videos: c.videos, decoders: decoders, ttfr: make([][]time.Duration, len(decoders))}
		rng := rand.New(rand.NewPCG(c.wildSeed, 0x71de0+uint64(fps)))
		for v := 0; v < c.videos; v++ {
			kind := qrtest.WildCard
			if v%3 == 2 {
				kind = qrtest.WildScreen
			}
			p := qrtest.DrawPresentation(rng, kind, fps, videoHold)
			frames := make([]*kiosk.Frame, len(p.Frames))
			visibleAt := p.Frames[min(p.Visible, len(p.Frames)-1)].At
			start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC).Add(time.Duration(v) * time.Minute)
			for i, d := range decoders {
				if m, ok := d.(forgetter); ok {
					m.Forget()
				}
				ttfr := never
				for k, fr := range p.Frames {
					if err := ctx.Err(); err != nil {
						return nil, fmt.Errorf("interrupted: %w", err)
					}
					if p.Visible >= len(p.Frames) || fr.At > visibleAt+readWithin {
						break
					}
					if frames[k] == nil {
						f, err := qrtest.RenderWildOn(p.Background, fr.Scene)
						if err != nil {
							return nil, err
						}
						f.Time = start.Add(fr.At)
						frames[k] = f
						r.frames++
					}
					t0 := time.Now()
					texts, _ := d.Decode(frames[k])
					took := time.Since(t0)
					if read, _ := judge(item{want: fr.Scene.Text}, texts); read {
						ttfr = max(0, fr.At-visibleAt) + took
						break
					}
				}
				r.ttfr[i] = append(r.ttfr[i], ttfr)
			}
		}
		results = append(results, r)
	}
	return results, nil
}

// reportVideos prints the time-to-first-read table of each frame rate.
func reportVideos(w io.Writer, results []videoResult) {
	for _, r := range results {
		fmt.Fprintf(w, "## time to first read, %g fps (%d videos of a badge brought in, %d frames, wild seed)\n\n", r.fps, r.videos, r.frames)
		fmt.Fprintf(w, "| decoder | read within %v | median ms | p95 ms | never read within %v |\n|---|---|---|---|---|\n", readWithin, readWithin)
		for i, d := range r.decoders {
			ts := append([]time.Duration(nil), r.ttfr[i]...)
			sort.Slice(ts, func(a, b int) bool { return ts[a] < ts[b] })
			read := 0
			for _, t := range ts {
				if t != never {
					read++
				}
			}
			n := len(ts)
			if n == 0 {
				continue
			}
			median, p95 := ts[n/2], ts[min(n-1, (n*95+99)/100-1)]
			fmt.Fprintf(w, "| %s | %d/%d | %s | %s | %.1f%% |\n", d.Name(), read, n, ttfrMs(median), ttfrMs(p95), 100*float64(n-read)/float64(n))
		}
		fmt.Fprintln(w)
	}
}

func ttfrMs(d time.Duration) string {
	if d == never {
		return "never"
	}
	return ms(d)
}
