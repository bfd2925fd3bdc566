package led_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/led"
	"github.com/badgeuse/badgeuse/shared/access"
)

func fixedTime() time.Time { return time.Date(2026, 3, 2, 14, 3, 52, 0, time.UTC) }

func ExampleConsole() {
	c := led.NewConsole(os.Stdout)
	c.Now = fixedTime
	c.Show(kiosk.Outcome{Accept: true, Reason: access.OKPack})
	c.Show(kiosk.Outcome{Reason: access.NoEntriesLeft})
	c.Fault(errors.New("camera V4L2 device /dev/video0: not found"))
	c.Fault(nil)
	// Output:
	// 14:03:52 ● VERT  accepté — une entrée décomptée / accepted — one entry used
	// 14:03:52 ● ROUGE refusé — plus d'entrées / refused — no entries left
	// 14:03:52 ⚠ PANNE panne / fault: camera V4L2 device /dev/video0: not found
	// 14:03:52 ✓ OK    panne terminée / fault cleared
}

func TestConsoleColourOnlyWhenAsked(t *testing.T) {
	var b bytes.Buffer
	c := led.NewConsole(&b)
	if c.Color {
		t.Fatal("colour on for a bytes.Buffer")
	}
	c.Show(kiosk.Outcome{Reason: access.Closed})
	if strings.Contains(b.String(), "\x1b[") {
		t.Errorf("ANSI codes written to a non-terminal: %q", b.String())
	}
	b.Reset()
	c.Color = true
	c.Show(kiosk.Outcome{Reason: access.Closed})
	if !strings.Contains(b.String(), "\x1b[1;31m● ROUGE\x1b[0m") {
		t.Errorf("no red label in %q", b.String())
	}
}

func TestConsoleFaultOnceUntilItChanges(t *testing.T) {
	var b bytes.Buffer
	c := led.NewConsole(&b)
	c.Fault(nil) // no fault yet: nothing to say
	for range 3 {
		c.Fault(errors.New("camera unplugged"))
	}
	c.Fault(errors.New("camera busy"))
	c.Fault(nil)
	c.Fault(nil)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3 (unplugged, busy, cleared):\n%s", len(lines), b.String())
	}
	for i, want := range []string{"camera unplugged", "camera busy", "fault cleared"} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %q, want it to say %q", i, lines[i], want)
		}
	}
}

func TestMessageForEveryReason(t *testing.T) {
	reasons := []access.Reason{
		access.OKUnlimited, access.OKAlreadyToday, access.OKSubscription, access.OKPack,
		access.NotABadge, access.MalformedBadge, access.UnknownBadge, access.RevokedBadge,
		access.MemberIsSuspended, access.MemberIsArchived, access.Closed, access.NoEntriesLeft,
		access.SubscriptionExpired, access.StaleState, access.MembershipExpired, kiosk.ReasonStorageError,
	}
	seen := map[string]access.Reason{}
	for _, r := range reasons {
		fr, en := led.Message(r)
		if fr == "" || en == "" || fr == string(r) || en == string(r) {
			t.Errorf("Message(%q) = %q, %q: want real texts", r, fr, en)
		}
		if other, dup := seen[en]; dup {
			t.Errorf("%q and %q both say %q", other, r, en)
		}
		seen[en] = r
	}
	if fr, en := led.Message("from_a_newer_central"); fr != "from_a_newer_central" || en != fr {
		t.Errorf("unknown reason: got %q, %q, want its code", fr, en)
	}
}
