package led

import (
	"errors"
	"fmt"
	"log/slog"

	"periph.io/x/conn/v3/gpio"
)

// outputs are the wired pins with their last level. A pin that fails is
// reported once (and once again when it works again); the others go on.
// Only the LED's goroutine uses it, after New.
type outputs struct {
	pins      [numOutputs]gpio.PinOut
	activeLow [numOutputs]bool // on is gpio.Low
	on        [numOutputs]bool
	failed    [numOutputs]bool
	log       *slog.Logger
}

func newOutputs(pins [numOutputs]gpio.PinOut, activeLow [numOutputs]bool, log *slog.Logger) *outputs {
	return &outputs{pins: pins, activeLow: activeLow, log: log}
}

// set switches o on or off; an unwired output is ignored.
func (s *outputs) set(o output, on bool) error {
	pin := s.pins[o]
	if pin == nil {
		return nil
	}
	s.on[o] = on
	err := pin.Out(gpio.Level(on != s.activeLow[o]))
	s.report(o, err)
	if err != nil {
		return fmt.Errorf("led: %s on pin %s: %w", o, pin, err)
	}
	return nil
}

// report logs a pin's failure the first time, and its recovery.
func (s *outputs) report(o output, err error) {
	switch {
	case err != nil && !s.failed[o]:
		s.failed[o] = true
		s.log.Error("a GPIO output does not work; the others go on: check the wiring and the pin number",
			"output", o.String(), "pin", s.pins[o].String(), "err", err)
	case err == nil && s.failed[o]:
		s.failed[o] = false
		s.log.Info("a GPIO output works again", "output", o.String(), "pin", s.pins[o].String())
	}
}

// allOff switches off the outputs that are on.
func (s *outputs) allOff() {
	for o := range numOutputs {
		if s.on[o] {
			s.set(o, false)
		}
	}
}

// forceOff switches off every wired output, whatever its last level, and
// returns their errors.
func (s *outputs) forceOff() error {
	var errs []error
	for o := range numOutputs {
		errs = append(errs, s.set(o, false))
	}
	return errors.Join(errs...)
}
