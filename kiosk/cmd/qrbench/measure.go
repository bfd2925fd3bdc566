package main

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// outcome is one decoder on one image.
type outcome struct {
	texts []string
	err   error
	took  time.Duration
	read  bool // the expected text is among texts
	wrong bool // a text is neither expected nor known to be there
}

// setResult holds the outcomes of every decoder (outer index) on every
// image (inner index) of a set.
type setResult struct {
	set      imageSet
	decoders []decoder
	outcomes [][]outcome
}

// forgetter is a decoder with a memory of past frames (kiosk/qr remembers
// the last empty scene): Forget clears it.
type forgetter interface{ Forget() }

// measure runs each decoder on each image, repeat times, keeping the
// fastest time. Decoders take turns on each image so that they share the
// machine's conditions. The first run of an image follows the previous
// image, as frames do at a door (the reads and wrong reads are those of
// that run); a decoder's memory is cleared before the other runs, which
// would otherwise time a decoder that recognizes the frame it just saw.
func measure(ctx context.Context, s imageSet, decoders []decoder, repeat int) (setResult, error) {
	r := setResult{set: s, decoders: decoders, outcomes: make([][]outcome, len(decoders))}
	for i := range decoders {
		r.outcomes[i] = make([]outcome, len(s.items))
	}
	for j, it := range s.items {
		if err := ctx.Err(); err != nil {
			return r, fmt.Errorf("interrupted: %w", err)
		}
		for i, d := range decoders {
			var o outcome
			for k := 0; k < repeat; k++ {
				if m, ok := d.(forgetter); ok && k > 0 {
					m.Forget()
				}
				start := time.Now()
				texts, err := d.Decode(it.frame)
				took := time.Since(start)
				if k == 0 || took < o.took {
					o.took = took
				}
				if k == 0 {
					o.texts, o.err = texts, err
				}
			}
			o.read, o.wrong = judge(it, o.texts)
			r.outcomes[i][j] = o
		}
	}
	return r, nil
}

// measureStatic runs the decoders over a sequence of frames of one scene,
// in order, repeat times (each decoder's memory cleared before each round),
// keeping each frame's fastest time. The decoders whose forgetEach is set
// have their memory cleared before every frame (outside the timing).
func measureStatic(ctx context.Context, s imageSet, decoders []decoder, forgetEach []bool, repeat int) (setResult, error) {
	r := setResult{set: s, decoders: decoders, outcomes: make([][]outcome, len(decoders))}
	for i := range decoders {
		r.outcomes[i] = make([]outcome, len(s.items))
	}
	for k := 0; k < repeat; k++ {
		for _, d := range decoders {
			if m, ok := d.(forgetter); ok {
				m.Forget()
			}
		}
		for j, it := range s.items {
			if err := ctx.Err(); err != nil {
				return r, fmt.Errorf("interrupted: %w", err)
			}
			for i, d := range decoders {
				if m, ok := d.(forgetter); ok && forgetEach[i] {
					m.Forget()
				}
				start := time.Now()
				texts, err := d.Decode(it.frame)
				took := time.Since(start)
				o := &r.outcomes[i][j]
				if k == 0 || took < o.took {
					o.took = took
				}
				if len(texts) > 0 {
					o.texts = texts
				}
				if err != nil {
					o.err = err
				}
				read, wrong := judge(it, texts)
				o.read, o.wrong = o.read || read, o.wrong || wrong
			}
		}
	}
	return r, nil
}

// judge compares texts with what the image holds, byte for byte.
func judge(it item, texts []string) (read, wrong bool) {
	for _, t := range texts {
		switch {
		case it.want != "" && t == it.want:
			read = true
		case contains(it.also, t):
		default:
			wrong = true
		}
	}
	return read, wrong
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// stats summarizes one decoder on one set.
type stats struct {
	reads, wrong, errs int
	median, p95, mean  time.Duration
}

func summarize(os []outcome) stats {
	var s stats
	times := make([]time.Duration, 0, len(os))
	for _, o := range os {
		if o.read {
			s.reads++
		}
		if o.wrong {
			s.wrong++
		}
		if o.err != nil {
			s.errs++
		}
		times = append(times, o.took)
		s.mean += o.took
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	if n := len(times); n > 0 {
		s.mean /= time.Duration(n)
		s.median = times[n/2]
		s.p95 = times[min(n-1, (n*95+99)/100-1)]
	}
	return s
}
