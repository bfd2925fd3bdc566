package main

import (
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

// TestGuestEndToEnd: the bureau issues guest passes with `centrald guest
// add`; at the door the pass of today is accepted with the reason guest,
// recorded under the host, without using the host's entries; a pass for
// another day is refused as expired_code, one made for another space as
// unknown. At central the guest's entry is not the host's visit.
func TestGuestEndToEnd(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	paris, _ := time.LoadLocation("Europe/Paris")
	today := time.Now().In(paris)
	pass := c.run("guest", "add", "--host", a.alice, "--name", "Léa Guest", "--day", today.Format("2006-01-02"))
	tomorrow := c.run("guest", "add", "--host", a.alice, "--name", "Léa Guest", "--day", today.AddDate(0, 0, 1).Format("2006-01-02"))
	// A pass for another space of the network: centrald refuses a space it
	// does not have, so the network has one.
	c.run("space", "add", "--name", "Ailleurs")
	elsewhere := c.run("guest", "add", "--host", a.alice, "--name", "Léa Guest", "--day", today.Format("2006-01-02"), "--space", "Ailleurs")
	for _, p := range []string{pass, tomorrow, elsewhere} {
		if !strings.HasPrefix(p, "BG2:") || strings.Contains(p, "\n") {
			t.Fatalf("guest add printed %q", p)
		}
	}
	if err := c.fails("guest", "add", "--host", a.alice, "--name", "Léa", "--day", today.AddDate(0, 0, -1).Format("2006-01-02")); !strings.Contains(err, "from today") {
		t.Fatalf("a pass for yesterday: %q", err)
	}
	c.start()
	k := newKiosk(t, c, "Entrée", "--space", "1")
	k.sync()
	got := k.run(video(t, pass, tomorrow, elsewhere))
	want := []struct{ decision, reason string }{{"accept", "guest"}, {"refuse", "expired_code"}, {"refuse", "unknown_badge"}}
	if len(got) != len(want) {
		t.Fatalf("decisions %+v", got)
	}
	for i, w := range want {
		if got[i].Decision != w.decision || got[i].Reason != w.reason {
			t.Errorf("decision %d = %s %s, want %s %s", i, got[i].Decision, got[i].Reason, w.decision, w.reason)
		}
	}
	if got[0].Member != a.alice || got[0].Consumed != 0 {
		t.Errorf("the guest's entry: member %q consumed %d, want her host %s and nothing used", got[0].Member, got[0].Consumed, a.alice)
	}
	k.sync()
	var guests int
	for _, e := range c.entries() {
		if e.Reason == "guest" && e.Member == mustInt(t, a.alice) {
			guests++
		}
	}
	if guests != 1 {
		t.Errorf("central holds %d guest entries of Alice, want 1", guests)
	}
	// Her own card still uses an entry that day: her guest was not her visit.
	if got := k.run(video(t, a.aliceB)); len(got) != 1 || got[0].Reason != "pack" {
		t.Fatalf("the host after her guest: %+v", got)
	}
	k.sync()
	if b := c.balance(a.alice); b.EntriesLeft != 9 {
		t.Errorf("Alice's balance %+v, want 9 left (her visit, not her guest's)", b)
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("%q is not a number", s)
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// TestGuestConsumesHostEntry: with guests.consumes_host_entry on, the
// kiosk (told by its pull) takes one of the host's entries for her guest,
// central's ledger debits the host once when the entry is synced (a second
// scan of the same pass and a second sync take nothing more), her balance
// shows it; a guest of a host without entries left is refused.
func TestGuestConsumesHostEntry(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	if out := c.run("settings", "set", "guests.consumes_host_entry", "true"); out != "" {
		t.Fatalf("settings set printed %q", out)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	today := time.Now().In(paris).Format("2006-01-02")
	pass := c.run("guest", "add", "--host", a.alice, "--name", "Léa Guest", "--day", today)
	// Bruno's subscription is his own: his guest needs an entry he has not.
	brunos := c.run("guest", "add", "--host", a.bruno, "--name", "Paul Guest", "--day", today)
	c.start()
	k := newKiosk(t, c, "Entrée")
	k.sync()
	got := k.run(video(t, pass, brunos))
	if len(got) != 2 || got[0].Reason != "guest" || got[0].Consumed == 0 || got[1].Decision != "refuse" || got[1].Reason != "no_entries_left" {
		t.Fatalf("decisions %+v: want Léa in on one of Alice's entries, Paul refused (no entries left)", got)
	}
	k.sync()
	if b := c.balance(a.alice); b.EntriesLeft != 9 {
		t.Fatalf("Alice's balance %+v after her guest, want 9 left", b)
	}
	// Léa scans again: the kiosk may take another entry of its own copy,
	// but central takes one per pass, and tells the kiosk so at its pull.
	k.run(video(t, pass))
	k.sync()
	k.sync()
	if b := c.balance(a.alice); b.EntriesLeft != 9 {
		t.Fatalf("Alice's balance %+v after her guest scanned twice, want 9 left", b)
	}
}

// TestGuestPassRenamedSpaceEndToEnd: a guest pass issued for La Cantine
// (signed for that name) still opens La Cantine's door once the space is
// renamed with `centrald space set --name`: the pull gives the kiosk the
// space's new name and its key, its first name, and the kiosk accepts a
// pass signed for either. A pass issued after the rename (signed for the
// new name) opens it too; one for another space of the network does not.
func TestGuestPassRenamedSpaceEndToEnd(t *testing.T) {
	c := newCentral(t)
	c.run("space", "add", "--name", "La Cantine", "--timezone", "Europe/Paris")
	c.run("space", "add", "--name", "Ailleurs", "--timezone", "Europe/Paris")
	card := c.run("product", "add", "--name", "Carte La Cantine", "--kind", "pack", "--entries", "10", "--price", "80",
		"--space", "La Cantine")
	bea := c.run("member", "add", "--name", "Béa Cantine")
	c.run("sell", "--member", bea, "--product", card)
	today := time.Now().In(access.Paris).Format("2006-01-02")
	before := c.run("guest", "add", "--host", bea, "--name", "Léa Guest", "--day", today, "--space", "La Cantine")
	elsewhere := c.run("guest", "add", "--host", bea, "--name", "Paul Guest", "--day", today, "--space", "Ailleurs")
	c.start()
	k := newKioskAt(t, c, "Cantine", "La Cantine")
	k.sync()
	if out := c.run("space", "set", "--space", "La Cantine", "--name", "La Cantine Croix-Rousse"); out != "" {
		t.Fatalf("space set printed %q", out)
	}
	after := c.run("guest", "add", "--host", bea, "--name", "Zoé Guest", "--day", today, "--space", "La Cantine Croix-Rousse")
	k.sync()
	got := k.run(video(t, before, after, elsewhere))
	want := []struct{ decision, reason string }{{"accept", "guest"}, {"accept", "guest"}, {"refuse", "unknown_badge"}}
	if len(got) != len(want) {
		t.Fatalf("decisions %+v", got)
	}
	for i, w := range want {
		if got[i].Decision != w.decision || got[i].Reason != w.reason {
			t.Errorf("decision %d = %s %s, want %s %s", i, got[i].Decision, got[i].Reason, w.decision, w.reason)
		}
	}
}
