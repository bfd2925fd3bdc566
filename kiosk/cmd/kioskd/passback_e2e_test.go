package main

import "testing"

// TestAntiPassbackEndToEnd: with kiosk.passback set, a badge accepted is
// refused as already_inside when shown again within the time: at the same
// kiosk offline, and at another kiosk of the space after both synced.
// Without the setting the same scans are accepted (TestEndToEnd).
func TestAntiPassbackEndToEnd(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	c.run("settings", "set", "kiosk.passback", "10m")
	c.start()
	in := newKiosk(t, c, "Entrée")
	side := newKiosk(t, c, "Côté")
	in.sync()
	side.sync()
	got := in.run(video(t, a.aliceB, a.aliceB), "--debounce", "300ms")
	if len(got) != 2 || got[0].Reason != "pack" || got[1].Decision != "refuse" || got[1].Reason != "already_inside" {
		t.Fatalf("the same badge twice at one kiosk: %+v", got)
	}
	// The other kiosk knows only after the entry went through central.
	in.sync()
	side.sync()
	got = side.run(video(t, a.aliceB, a.brunoB))
	if len(got) != 2 || got[0].Reason != "already_inside" || got[1].Reason != "subscription" {
		t.Fatalf("at the other kiosk after sync: %+v", got)
	}
	side.sync()
	refused := 0
	for _, e := range c.entries() {
		if e.Reason == "already_inside" {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("central holds %d already_inside refusals, want 2 (the bureau sees them)", refused)
	}
}
