package led

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"periph.io/x/conn/v3/gpio"

	"github.com/badgeuse/badgeuse/kiosk"
)

// Default durations of the accepted pattern.
const (
	DefaultAcceptTime = 2 * time.Second // green LED on
	DefaultRelayTime  = 3 * time.Second // door strike released
)

// Config says which pins drive what. A nil pin is not wired.
type Config struct {
	Green  gpio.PinOut // green LED: accepted
	Red    gpio.PinOut // red LED: refused (blink patterns), faults
	Buzzer gpio.PinOut // active buzzer
	Relay  gpio.PinOut // door relay module (never the door strike itself)

	// RelayActiveLow and BuzzerActiveLow are for modules that switch on
	// when their input is low ("low level trigger"). Prefer modules set to
	// high level trigger: at boot, before kioskd runs, and if it stops
	// without Halt, an active-low relay may be left on, door open.
	RelayActiveLow  bool
	BuzzerActiveLow bool

	AcceptTime time.Duration // green LED on when accepted; 0: DefaultAcceptTime
	RelayTime  time.Duration // door relay closed when accepted; 0: DefaultRelayTime

	// Logger gets pin failures, once per failing pin (and once when it works
	// again). Nil: slog.Default().
	Logger *slog.Logger
}

// LED drives the door's LEDs, buzzer and relay. It implements
// kiosk.Indicator. One goroutine owns the pins; Show and Fault only leave it
// a message, so they never block. Call Halt when done.
type LED struct {
	table [numFamilies]pattern
	fault pattern
	outs  *outputs

	mu      sync.Mutex
	pending *pattern // a pattern to start, not yet taken by the goroutine
	faulty  bool     // a standing fault is shown
	halted  bool
	wake    chan struct{} // capacity 1: "look at the mailbox"
	done    chan struct{} // closed when the goroutine has stopped
	haltErr error
}

var _ kiosk.Indicator = (*LED)(nil)

// New switches every wired output off and starts driving them.
func New(cfg Config) (*LED, error) { return newLED(cfg, 1) }

// newLED is New with every duration multiplied by scale (tests).
func newLED(cfg Config, scale float64) (*LED, error) {
	if cfg.Green == nil && cfg.Red == nil {
		return nil, errors.New("led: no LED: wire at least the green or the red LED")
	}
	if cfg.AcceptTime < 0 || cfg.RelayTime < 0 {
		return nil, fmt.Errorf("led: accept time %v and relay time %v must not be negative", cfg.AcceptTime, cfg.RelayTime)
	}
	if cfg.AcceptTime == 0 {
		cfg.AcceptTime = DefaultAcceptTime
	}
	if cfg.RelayTime == 0 {
		cfg.RelayTime = DefaultRelayTime
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	l := &LED{
		outs: newOutputs(
			[numOutputs]gpio.PinOut{green: cfg.Green, red: cfg.Red, buzzer: cfg.Buzzer, relay: cfg.Relay},
			[numOutputs]bool{buzzer: cfg.BuzzerActiveLow, relay: cfg.RelayActiveLow},
			cfg.Logger),
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
	}
	table, fault := patterns(cfg.AcceptTime, cfg.RelayTime)
	for i, p := range table {
		l.table[i] = p.scaled(scale)
	}
	l.fault = fault.scaled(scale)
	l.outs.forceOff() // a known state; failures are logged
	go l.run()
	return l, nil
}

// Show starts the pattern for o, cutting the one still running. It returns
// at once.
func (l *LED) Show(o kiosk.Outcome) {
	p := l.table[familyOf(o.Accept, o.Reason)]
	l.post(func() { l.pending = &p })
}

// Fault starts (err != nil) or stops (err == nil) the fault flashes. The
// error itself is for the logs: the LED cannot tell it.
func (l *LED) Fault(err error) {
	l.post(func() { l.faulty = err != nil })
}

// post changes the mailbox under the lock and wakes the goroutine.
func (l *LED) post(change func()) {
	l.mu.Lock()
	if l.halted {
		l.mu.Unlock()
		return
	}
	change()
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default: // already woken: it will see the latest mailbox
	}
}

// Halt switches everything off and stops the goroutine. Later Show and
// Fault calls do nothing. It returns the pins' errors, if any.
func (l *LED) Halt() error {
	l.mu.Lock()
	already := l.halted
	l.halted = true
	l.mu.Unlock()
	if !already {
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
	<-l.done
	return l.haltErr
}

// run owns the pins until Halt.
func (l *LED) run() {
	defer close(l.done)
	var p player
	p.outs = l.outs
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		l.mu.Lock()
		show, faulty, halted := l.pending, l.faulty, l.halted
		l.pending = nil
		l.mu.Unlock()
		if halted {
			timer.Stop()
			l.haltErr = l.outs.forceOff()
			return
		}
		if next := p.update(time.Now(), show, faulty, l.fault); next.IsZero() {
			timer.Stop()
		} else {
			timer.Reset(time.Until(next))
		}
		select {
		case <-l.wake:
		case <-timer.C:
		}
	}
}

// player plays one pattern at a time on the outputs. Only run uses it.
type player struct {
	outs    *outputs
	cur     *pattern // nil when idle
	isFault bool     // cur is the fault pattern
	start   time.Time
	next    int // index of cur's next change
}

// play switches everything off and starts p at now.
func (pl *player) play(p *pattern, isFault bool, now time.Time) {
	pl.outs.allOff()
	pl.cur, pl.isFault, pl.start, pl.next = p, isFault, now, 0
}

// update starts show if any, starts or stops the fault pattern, applies the
// changes due at now, and returns when the next change is due (zero: none).
func (pl *player) update(now time.Time, show *pattern, faulty bool, fault pattern) time.Time {
	if show != nil {
		pl.play(show, false, now)
	}
	if pl.isFault && !faulty {
		pl.outs.allOff()
		pl.cur, pl.isFault = nil, false
	}
	if pl.cur == nil && faulty {
		pl.play(&fault, true, now)
	}
	if pl.cur == nil {
		return time.Time{}
	}
	next, done := pl.step(now)
	if !done {
		return next
	}
	pl.cur = nil
	if faulty { // a scan's pattern ended: the fault flashes resume
		pl.play(&fault, true, now)
		next, _ = pl.step(now)
		return next
	}
	return time.Time{}
}

// step applies cur's changes due at now and returns when the next one is
// due, or done when cur has ended. A periodic pattern never ends: it starts
// over, skipping periods missed.
func (pl *player) step(now time.Time) (next time.Time, done bool) {
	cs := pl.cur.changes
	for {
		for pl.next < len(cs) && !pl.start.Add(cs[pl.next].at).After(now) {
			c := cs[pl.next]
			pl.outs.set(c.out, c.on)
			pl.next++
		}
		if pl.next < len(cs) {
			return pl.start.Add(cs[pl.next].at), false
		}
		if pl.cur.period <= 0 {
			return time.Time{}, true
		}
		end := pl.start.Add(pl.cur.period)
		if end.After(now) {
			return end, false
		}
		if now.Sub(end) >= pl.cur.period {
			end = now // asleep for whole periods: start afresh, no catching up
		}
		pl.start, pl.next = end, 0
	}
}
