package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestEventEndToEnd (issue 15): with the real binaries, central creates an
// event at the main space starting in 20 minutes (its doors let its
// people in from 30 minutes before), registers Alice (a member with a
// card), Fanny (a member without any pass) and Léa (not a member:
// `centrald event ticket` prints her ticket);
// the kiosk syncs, central goes away, and a video shows Alice's and
// Fanny's badges and Léa's ticket: all accepted offline with the reason
// event, Alice's
// taking nothing (the event does not consume). Léa's ticket for an event
// at La Cantine is refused as not_valid_here, her ticket for tomorrow's
// event as expired_code. After the push, `centrald event registrations
// --json` shows the three attended, and Alice's card still holds 10
// entries.
func TestEventEndToEnd(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	if id := c.run("space", "add", "--name", "La Cantine", "--timezone", "Europe/Paris"); id != "2" {
		t.Fatalf("space add printed %q, want 2", id)
	}
	now := time.Now()
	event := func(space string, start time.Time) string {
		return c.run("event", "add", "--title", "Atelier compta", "--start", start.Format(time.RFC3339),
			"--end", start.Add(2*time.Hour).Format(time.RFC3339), "--capacity", "30", "--space", space, "--public")
	}
	here := event("", now.Add(20*time.Minute))
	cantine := event("La Cantine", now.Add(20*time.Minute))
	tomorrow := event("", now.Add(24*time.Hour))
	register := func(ev string, who ...string) string {
		if out := c.run(append([]string{"event", "register", "--event", ev}, who...)...); out != "confirmed" {
			t.Fatalf("event register printed %q", out)
		}
		var last registrationLine
		for _, r := range registrations(t, c, ev) {
			last = r
		}
		return last.idString()
	}
	register(here, "--member", a.alice)
	// Fanny is a member with a badge and no pass at all: in a network she
	// is no space's, but her registration puts her on the event's kiosks.
	fanny := c.run("member", "add", "--name", "Fanny Sanspasse")
	fannyB := c.run("badge", "issue", "--member", fanny)
	register(here, "--member", fanny)
	lea := []string{"--name", "Léa Invitée", "--email", "lea@example.org"}
	ticket := func(ev, reg string) string {
		text := c.run("event", "ticket", "--event", ev, "--registration", reg)
		if !strings.HasPrefix(text, "BG2:") || strings.Contains(text, "\n") {
			t.Fatalf("event ticket printed %q", text)
		}
		return text
	}
	leaHere := ticket(here, register(here, lea...))
	leaCantine := ticket(cantine, register(cantine, lea...))
	leaTomorrow := ticket(tomorrow, register(tomorrow, lea...))
	if err := c.fails("event", "ticket", "--event", here, "--registration", "1"); !strings.Contains(err, "not a member") {
		t.Fatalf("a member's ticket: %q", err)
	}

	c.start()
	k := newKioskAt(t, c, "Entrée", "1")
	k.sync()
	c.kill() // the door decides offline
	got := k.run(video(t, a.aliceB, leaHere, leaCantine, leaTomorrow, fannyB))
	want := []struct{ decision, reason, member string }{
		{"accept", "event", a.alice}, {"accept", "event", ""}, {"refuse", "not_valid_here", ""}, {"refuse", "expired_code", ""},
		{"accept", "event", fanny},
	}
	if len(got) != len(want) {
		t.Fatalf("decisions %+v", got)
	}
	for i, w := range want {
		if g := got[i]; g.Decision != w.decision || g.Reason != w.reason || g.Member != w.member || g.Consumed != 0 {
			t.Errorf("decision %d = %s %s member %q consumed %d, want %s %s member %q, nothing used", i, g.Decision, g.Reason,
				g.Member, g.Consumed, w.decision, w.reason, w.member)
		}
	}

	c.start()
	k.sync()
	k.sync() // a second push changes nothing
	for _, r := range registrations(t, c, here) {
		if r.Status != "attended" {
			t.Errorf("registration %+v: want attended", r)
		}
	}
	for _, ev := range []string{cantine, tomorrow} {
		for _, r := range registrations(t, c, ev) {
			if r.Status != "confirmed" {
				t.Errorf("event %s: registration %+v, want still confirmed (refused at the door)", ev, r)
			}
		}
	}
	if b := c.balance(a.alice); b.EntriesLeft != 10 {
		t.Errorf("Alice's balance %+v after a free event, want 10 left", b)
	}
}

// registrationLine is a line of `centrald event registrations --json`.
type registrationLine struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
	Member int64  `json:"member"`
	Status string `json:"status"`
}

func (r registrationLine) idString() string { return strconv.FormatInt(r.ID, 10) }

func registrations(t *testing.T, c *central, event string) []registrationLine {
	t.Helper()
	var out []registrationLine
	for _, line := range strings.Split(c.run("event", "registrations", "--event", event, "--json"), "\n") {
		if line == "" {
			continue
		}
		var r registrationLine
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("event registrations printed %q: %v", line, err)
		}
		out = append(out, r)
	}
	return out
}
