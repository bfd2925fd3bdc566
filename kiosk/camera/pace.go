package camera

import (
	"context"
	"time"
)

// pacer spaces frames interval apart, like a live camera. When the reader
// falls behind by more than a frame, it starts counting again from now
// instead of bursting to catch up.
type pacer struct {
	interval time.Duration
	next     time.Time
	timer    *time.Timer // reused from one wait to the next
}

// start begins pacing at interval (0: no pacing); the first frame is due now.
func (p *pacer) start(interval time.Duration) {
	p.interval = interval
	p.next = time.Time{}
}

// wait blocks until the next frame is due, or ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	if p.interval <= 0 {
		return nil
	}
	now := time.Now()
	if p.next.IsZero() || now.Sub(p.next) > p.interval {
		p.next = now
	}
	if d := p.next.Sub(now); d > 0 {
		if err := p.sleep(ctx, d); err != nil {
			return err
		}
	}
	p.next = p.next.Add(p.interval)
	return nil
}

// sleep waits d or until ctx ends.
func (p *pacer) sleep(ctx context.Context, d time.Duration) error {
	if p.timer == nil {
		p.timer = time.NewTimer(d)
	} else {
		p.timer.Reset(d)
	}
	select {
	case <-p.timer.C:
		return nil
	case <-ctx.Done():
		p.timer.Stop()
		return ctx.Err()
	}
}

// stop releases the timer.
func (p *pacer) stop() {
	if p.timer != nil {
		p.timer.Stop()
	}
}
