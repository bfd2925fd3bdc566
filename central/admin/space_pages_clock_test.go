package admin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestSpacePagesClock: the pages of a space with its own time zone are on its
// clock for its bureau (and for a network user who picks it): on La
// Réunion, four hours ahead of the network's Paris, 01:30 on 27 November
// is that day there while Paris is still on the 26th. Its Today is the
// 27th and lists the arrival of 01:30 (at 01:30, not 22:30), not that of
// 23:00 the day before; its entries of the 27th are its 27th's.
func TestSpacePagesClock(t *testing.T) {
	e := newEnv(t)
	kaz := &central.Space{Name: "Le Kaz", Timezone: "Indian/Reunion"}
	if err := sqlstore.NewSpaceService(e.db.DB).CreateSpace(e.ctx(), kaz); err != nil {
		t.Fatal(err)
	}
	k := &central.Kiosk{Name: "Porte du Kaz", Space: kaz.Key}
	if _, err := e.kiosks.CreateKiosk(e.ctx(), k); err != nil {
		t.Fatal(err)
	}
	c := &community{e: e, kiosk: k.ID}
	alice, _ := c.member("Alice Hoarau", "")
	bob, _ := c.member("Bob Payet", "")
	e.clock.Set(time.Date(2026, 11, 26, 21, 45, 0, 0, time.UTC))    // 01:45 on the 27th on La Réunion, 22:45 on the 26th in Paris
	c.arrive(alice, time.Date(2026, 11, 26, 19, 0, 0, 0, time.UTC)) // 23:00 on the 26th there
	c.arrive(bob, time.Date(2026, 11, 26, 21, 30, 0, 0, time.UTC))  // 01:30 on the 27th there

	_, theirs := e.spaceUser(central.RoleAdmin, kaz.ID)
	_, body := theirs.get("/today")
	mustContain(t, body, "Bob Payet", "01:30")
	if strings.Contains(body, "Alice Hoarau") || strings.Contains(body, "22:30") {
		t.Errorf("Le Kaz's Today, on its clock (the 27th), shows the arrival of the 26th or Paris's time:\n%s", body)
	}
	mustContain(t, body, "Aujourd’hui · Le Kaz <small>27/11/2026</small>")
	_, body = theirs.get("/entries?day=2026-11-27")
	mustContain(t, body, "Bob Payet", "27/11/2026 01:30")
	if strings.Contains(body, "Alice Hoarau") {
		t.Errorf("Le Kaz's entries of its day (the 27th) list the 26th's:\n%s", body)
	}
	// The network's Today is on Paris's clock: both arrived on the 26th.
	// The network's Today is Paris's 26th: the space's arrivals of its
	// own 26th (a visit's day is its space's), at Paris's time.
	_, body = e.as(central.RoleAdmin).get("/today")
	mustContain(t, body, "Aujourd’hui <small>26/11/2026</small>", "Alice Hoarau", "20:00")
	if strings.Contains(body, "Bob Payet") {
		t.Errorf("the network's Today (the 26th in Paris) lists Le Kaz's arrival of its 27th")
	}
}
