package led

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/badgeuse/badgeuse/kiosk"
)

// ANSI colours, used only on a terminal.
const (
	ansiGreen  = "\x1b[1;32m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[1;33m"
	ansiReset  = "\x1b[0m"
)

// Console is the indicator of a machine without GPIO (and of the demo): one
// line per outcome, French first then English, e.g.
//
//	14:03:52 ● VERT  accepté — une entrée décomptée / accepted — one entry used
//	14:04:10 ● ROUGE refusé — plus d'entrées / refused — no entries left
//
// It implements kiosk.Indicator and is safe for concurrent use.
type Console struct {
	// Color adds ANSI colours. NewConsole sets it when the writer is a
	// terminal; change it before the first Show.
	Color bool
	// Now gives the time printed at the start of each line (default time.Now).
	Now func() time.Time

	mu    sync.Mutex
	w     io.Writer
	fault string // the fault shown, "" for none
}

var _ kiosk.Indicator = (*Console)(nil)

// NewConsole returns a Console writing to w, in colour if w is a terminal.
func NewConsole(w io.Writer) *Console {
	return &Console{w: w, Color: isTerminal(w), Now: time.Now}
}

// isTerminal reports whether w is a terminal (or a Cygwin/MSYS one).
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// Show writes one line for o.
func (c *Console) Show(o kiosk.Outcome) {
	fr, en := Message(o.Reason)
	if o.Accept {
		c.line(ansiGreen, "● VERT ", fmt.Sprintf("accepté — %s / accepted — %s", fr, en))
	} else {
		c.line(ansiRed, "● ROUGE", fmt.Sprintf("refusé — %s / refused — %s", fr, en))
	}
}

// Fault writes a line when a fault starts or changes, and one when it ends.
// Repeating the same fault (each retry of a missing camera) writes nothing.
func (c *Console) Fault(err error) {
	text := ""
	if err != nil {
		text = err.Error()
	}
	c.mu.Lock()
	same := text == c.fault
	c.fault = text
	c.mu.Unlock()
	switch {
	case same:
	case err == nil:
		c.line(ansiGreen, "✓ OK   ", "panne terminée / fault cleared")
	default:
		c.line(ansiYellow, "⚠ PANNE", "panne / fault: "+text)
	}
}

// line writes "TIME LABEL TEXT", the label in colour if enabled.
func (c *Console) line(color, label, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	if c.Color {
		label = color + label + ansiReset
	}
	fmt.Fprintf(c.w, "%s %s %s\n", now().Format("15:04:05"), label, text)
}
