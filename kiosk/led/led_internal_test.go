package led

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/access"
)

// recPin is a gpiotest.Pin that records the levels written to it, and can
// be made to fail.
type recPin struct {
	gpiotest.Pin
	mu     sync.Mutex
	levels []gpio.Level
	fail   bool
}

func (p *recPin) Out(l gpio.Level) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail {
		return errors.New("gpiotest: pin broken")
	}
	p.levels = append(p.levels, l)
	return p.Pin.Out(l)
}

// highs counts the times the pin was switched on.
func (p *recPin) highs() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, l := range p.levels {
		if l == gpio.High {
			n++
		}
	}
	return n
}

// level is the pin's current level.
func (p *recPin) level() gpio.Level { return p.Read() }

// rig is an LED on four recording pins.
type rig struct {
	green, red, buzzer, relay *recPin
	led                       *LED
	logs                      *syncBuffer
}

func newRig(t *testing.T, scale float64, cfg Config) *rig {
	t.Helper()
	r := &rig{
		green:  &recPin{Pin: gpiotest.Pin{N: "GPIO17"}},
		red:    &recPin{Pin: gpiotest.Pin{N: "GPIO27"}},
		buzzer: &recPin{Pin: gpiotest.Pin{N: "GPIO22"}},
		relay:  &recPin{Pin: gpiotest.Pin{N: "GPIO23"}},
		logs:   &syncBuffer{},
	}
	cfg.Green, cfg.Red, cfg.Buzzer, cfg.Relay = r.green, r.red, r.buzzer, r.relay
	cfg.Logger = slog.New(slog.NewTextHandler(r.logs, nil))
	l, err := newLED(cfg, scale)
	if err != nil {
		t.Fatal(err)
	}
	r.led = l
	t.Cleanup(func() { l.Halt() })
	return r
}

// syncBuffer is a bytes.Buffer safe for the logger's and the test's use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond until it holds or within has passed.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(time.Millisecond)
	}
}

var refused = kiosk.Outcome{Reason: access.UnknownBadge}
var accepted = kiosk.Outcome{Accept: true, Reason: access.OKPack}

func TestFamilyOfEveryReason(t *testing.T) {
	for _, tc := range []struct {
		accept bool
		reason access.Reason
		want   family
	}{
		{true, access.OKUnlimited, famAccepted},
		{true, access.OKAlreadyToday, famAccepted},
		{true, access.OKSubscription, famAccepted},
		{true, access.OKPack, famAccepted},
		{false, access.NotABadge, famNotABadge},
		{false, access.MalformedBadge, famNotABadge},
		{false, access.UnknownBadge, famUnknown},
		{false, access.RevokedBadge, famRevoked},
		{false, access.MemberIsSuspended, famMember},
		{false, access.MemberIsArchived, famMember},
		{false, access.NoEntriesLeft, famEntitlement},
		{false, access.SubscriptionExpired, famEntitlement},
		{false, access.Closed, famClosed},
		{false, access.StaleState, famStale},
		{true, access.OKGuest, famAccepted},
		{true, access.OKEvent, famAccepted}, // an event's guest or registered member: the door opens as for anyone
		{false, access.NotValidHere, famElsewhere},
		{false, access.ExpiredCode, famExpired},
		{false, access.AlreadyInside, famInside},
		{false, access.MembershipExpired, famDues},
		{false, access.Reason("from_a_newer_central"), famNotABadge},
	} {
		if got := familyOf(tc.accept, tc.reason); got != tc.want {
			t.Errorf("familyOf(%v, %q) = %d, want %d", tc.accept, tc.reason, got, tc.want)
		}
	}
}

// pulses returns the on-times of out in p, in order.
func pulses(p pattern, out output) []time.Duration {
	var ds []time.Duration
	var since time.Duration
	on := false
	for _, c := range p.changes {
		if c.out != out {
			continue
		}
		if c.on && !on {
			since = c.at
		}
		if !c.on && on {
			ds = append(ds, c.at-since)
		}
		on = c.on
	}
	return ds
}

// TestPatternTable checks the patterns against the table in the package
// documentation, and that no two families look alike.
func TestPatternTable(t *testing.T) {
	table, fault := patterns(DefaultAcceptTime, DefaultRelayTime)
	short, long := 400*time.Millisecond, 700*time.Millisecond
	for _, tc := range []struct {
		fam       family
		count     int
		min, max  time.Duration // bounds of each red pulse
		firstLong bool
		lastLong  bool // 1 short, then 2 long
	}{
		{famNotABadge, 1, time.Second, 2 * time.Second, false, false},
		{famUnknown, 2, 0, short, false, false},
		{famRevoked, 3, 0, 150 * time.Millisecond, false, false},
		{famMember, 4, 0, short, false, false},
		{famEntitlement, 2, long, time.Second, false, false},
		{famClosed, 3, 600 * time.Millisecond, time.Second, false, false},
		{famStale, 3, 0, time.Second, true, false},
		{famExpired, 3, 0, time.Second, false, false},
		{famInside, 5, 0, 150 * time.Millisecond, false, false},
		{famDues, 3, 0, time.Second, false, true},
	} {
		p := table[tc.fam]
		red := pulses(p, red)
		if len(red) != tc.count {
			t.Errorf("family %d: %d red pulses %v, want %d", tc.fam, len(red), red, tc.count)
			continue
		}
		for _, d := range red {
			if d < tc.min || d > tc.max {
				t.Errorf("family %d: red pulse of %v, want between %v and %v", tc.fam, d, tc.min, tc.max)
			}
		}
		if tc.firstLong && !(red[0] > long && red[1] < short && red[2] < short) {
			t.Errorf("family %d: red pulses %v, want 1 long then 2 short", tc.fam, red)
		}
		if tc.lastLong && !(red[0] < short && red[1] > long && red[2] > long) {
			t.Errorf("family %d: red pulses %v, want 1 short then 2 long", tc.fam, red)
		}
		if got := pulses(p, buzzer); len(got) != 1 || got[0] != refuseBeep {
			t.Errorf("family %d: buzzer %v, want one beep of %v", tc.fam, got, refuseBeep)
		}
		if len(pulses(p, green)) != 0 || len(pulses(p, relay)) != 0 {
			t.Errorf("family %d: a refusal lights green or opens the door", tc.fam)
		}
	}
	acc := table[famAccepted]
	if got := pulses(acc, green); len(got) != 1 || got[0] != DefaultAcceptTime {
		t.Errorf("accepted: green %v, want one of %v", got, DefaultAcceptTime)
	}
	if got := pulses(acc, relay); len(got) != 1 || got[0] != DefaultRelayTime {
		t.Errorf("accepted: relay %v, want one of %v", got, DefaultRelayTime)
	}
	if got := pulses(acc, buzzer); len(got) != 1 || got[0] != acceptBeep {
		t.Errorf("accepted: buzzer %v, want one beep of %v", got, acceptBeep)
	}
	if len(pulses(acc, red)) != 0 {
		t.Error("accepted: red LED lit")
	}
	if got := pulses(fault, red); len(got) != 1 || fault.period < 1500*time.Millisecond {
		t.Errorf("fault: red %v every %v, want one short flash every 2 s", got, fault.period)
	}
	seen := map[string]family{}
	for fam := famNotABadge; fam < numFamilies; fam++ {
		key := strings.Trim(strings.ReplaceAll(fmtDurations(pulses(table[fam], red)), " ", ","), "[]")
		if other, dup := seen[key]; dup {
			t.Errorf("families %d and %d show the same red pattern %s", other, fam, key)
		}
		seen[key] = fam
	}
}

func fmtDurations(ds []time.Duration) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String() + " ")
	}
	return b.String()
}

func TestAcceptedLightsGreenOpensDoorThenStops(t *testing.T) {
	r := newRig(t, 0.02, Config{}) // green 40 ms, relay 60 ms
	r.led.Show(accepted)
	waitFor(t, time.Second, "green, relay and buzzer on", func() bool {
		return r.green.highs() == 1 && r.relay.highs() == 1 && r.buzzer.highs() == 1
	})
	waitFor(t, time.Second, "everything off at the end", func() bool {
		return r.green.level() == gpio.Low && r.relay.level() == gpio.Low && r.buzzer.level() == gpio.Low
	})
	if r.red.highs() != 0 {
		t.Error("red LED lit for an accepted badge")
	}
}

func TestRefusedBlinksRed(t *testing.T) {
	r := newRig(t, 0.05, Config{})
	r.led.Show(kiosk.Outcome{Reason: access.RevokedBadge}) // 3 fast blinks
	waitFor(t, 2*time.Second, "3 red blinks, then red off", func() bool {
		return r.red.highs() == 3 && r.red.level() == gpio.Low && r.buzzer.level() == gpio.Low
	})
	time.Sleep(50 * time.Millisecond)
	if n := r.red.highs(); n != 3 {
		t.Errorf("red blinked %d times, want 3", n)
	}
	if r.green.highs() != 0 || r.relay.highs() != 0 {
		t.Error("a refusal lit green or opened the door")
	}
}

func TestNewerShowCutsThePatternRunning(t *testing.T) {
	r := newRig(t, 1, Config{}) // real durations: the 1.5 s red would outlast the test
	r.led.Show(kiosk.Outcome{Reason: access.NotABadge})
	waitFor(t, time.Second, "red on", func() bool { return r.red.level() == gpio.High })
	start := time.Now()
	r.led.Show(accepted)
	waitFor(t, time.Second, "red off and green on", func() bool {
		return r.red.level() == gpio.Low && r.green.level() == gpio.High
	})
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("the new pattern started %v after Show", d)
	}
}

func TestFaultFlashesUntilCleared(t *testing.T) {
	r := newRig(t, 0.02, Config{}) // a 4 ms flash every 40 ms
	r.led.Fault(errors.New("camera missing"))
	waitFor(t, 2*time.Second, "3 fault flashes", func() bool { return r.red.highs() >= 3 })

	// A scan during a fault shows its own pattern, then the flashes resume.
	r.led.Show(accepted)
	waitFor(t, time.Second, "green on", func() bool { return r.green.level() == gpio.High })
	waitFor(t, time.Second, "green off", func() bool { return r.green.level() == gpio.Low })
	n := r.red.highs()
	waitFor(t, 2*time.Second, "the fault flashes to resume", func() bool { return r.red.highs() >= n+2 })

	r.led.Fault(nil)
	time.Sleep(10 * time.Millisecond) // a flash already due may still land
	waitFor(t, time.Second, "red off", func() bool { return r.red.level() == gpio.Low })
	n = r.red.highs()
	time.Sleep(150 * time.Millisecond) // several fault periods
	if got := r.red.highs(); got != n {
		t.Errorf("red flashed %d more times after Fault(nil)", got-n)
	}
}

func TestFailingPinDoesNotStopTheOthers(t *testing.T) {
	r := newRig(t, 0.02, Config{})
	r.red.mu.Lock()
	r.red.fail = true
	r.red.mu.Unlock()
	for range 3 {
		r.led.Show(refused)
		time.Sleep(30 * time.Millisecond)
	}
	r.led.Show(accepted)
	waitFor(t, time.Second, "green on despite the broken red pin", func() bool { return r.green.highs() == 1 })
	waitFor(t, time.Second, "green off", func() bool { return r.green.level() == gpio.Low })
	if n := strings.Count(r.logs.String(), "does not work"); n != 1 {
		t.Errorf("the broken pin was reported %d times, want once:\n%s", n, r.logs.String())
	}
	if !strings.Contains(r.logs.String(), "GPIO27") || !strings.Contains(r.logs.String(), "red LED") {
		t.Errorf("the report does not name the pin and what it drives:\n%s", r.logs.String())
	}
	err := r.led.Halt()
	if err == nil || !strings.Contains(err.Error(), "red LED") {
		t.Errorf("Halt: got %v, want the red LED's error", err)
	}

	// It works again: reported once more.
	r2 := newRig(t, 0.02, Config{})
	r2.red.mu.Lock()
	r2.red.fail = true
	r2.red.mu.Unlock()
	r2.led.Show(refused)
	time.Sleep(20 * time.Millisecond)
	r2.red.mu.Lock()
	r2.red.fail = false
	r2.red.mu.Unlock()
	r2.led.Show(refused)
	waitFor(t, time.Second, "the recovery reported", func() bool {
		return strings.Contains(r2.logs.String(), "works again")
	})
}

func TestHaltSwitchesOffAndStops(t *testing.T) {
	r := newRig(t, 1, Config{})
	r.led.Show(accepted) // 3 s of relay
	waitFor(t, time.Second, "relay on", func() bool { return r.relay.level() == gpio.High })
	if err := r.led.Halt(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*recPin{r.green, r.red, r.buzzer, r.relay} {
		if p.level() != gpio.Low {
			t.Errorf("%s still on after Halt", p.N)
		}
	}
	r.led.Show(accepted)
	r.led.Fault(errors.New("x"))
	time.Sleep(20 * time.Millisecond)
	if r.green.level() != gpio.Low || r.red.level() != gpio.Low {
		t.Error("Show or Fault after Halt changed a pin")
	}
	if err := r.led.Halt(); err != nil {
		t.Errorf("second Halt: %v", err)
	}
}

func TestConfig(t *testing.T) {
	if _, err := New(Config{Buzzer: &gpiotest.Pin{N: "GPIO22"}}); err == nil {
		t.Error("New accepted a config without any LED")
	}
	if _, err := New(Config{Red: &gpiotest.Pin{}, RelayTime: -time.Second}); err == nil {
		t.Error("New accepted a negative relay time")
	}
	only := &recPin{Pin: gpiotest.Pin{N: "GPIO27", L: gpio.High}}
	l, err := newLED(Config{Red: only, RelayTime: 10 * time.Millisecond}, 0.02)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Halt()
	if only.level() != gpio.Low {
		t.Error("New did not switch the pin off")
	}
	l.Show(accepted) // nothing to light: must not fail
	l.Show(refused)
	waitFor(t, time.Second, "red blinks with the only LED wired", func() bool { return only.highs() == 2 })
}

func TestActiveLowRelayAndBuzzer(t *testing.T) {
	r := newRig(t, 0.02, Config{RelayActiveLow: true, BuzzerActiveLow: true})
	waitFor(t, time.Second, "relay and buzzer high (off) at start", func() bool {
		return r.relay.level() == gpio.High && r.buzzer.level() == gpio.High && r.green.level() == gpio.Low
	})
	r.led.Show(accepted)
	waitFor(t, time.Second, "relay low (door open) and green on", func() bool {
		return r.relay.level() == gpio.Low && r.green.level() == gpio.High
	})
	waitFor(t, time.Second, "relay high again (door shut)", func() bool { return r.relay.level() == gpio.High })
	if err := r.led.Halt(); err != nil {
		t.Fatal(err)
	}
	if r.relay.level() != gpio.High || r.buzzer.level() != gpio.High {
		t.Error("Halt left an active-low relay or buzzer on")
	}
}
