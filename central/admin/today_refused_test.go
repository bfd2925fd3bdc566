package admin_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestRefusedElsewhereNamesTheMember: a door refuses a card of another
// space of the network (not_valid_here) without holding its member, so
// the entry comes without one; Today and the entries name her from her
// badge, where they said "Inconnu" (found using the demo).
func TestRefusedElsewhereNamesTheMember(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	ctx := e.ctx()
	badges, _, err := e.badges.FindBadges(ctx, central.BadgeFilter{Member: &w.alice.ID})
	if err != nil || len(badges) != 1 {
		t.Fatalf("Alice's badges: %v %v", badges, err)
	}
	now := e.clock.Now()
	if _, err := e.sync.Push(ctx, &central.Push{Kiosk: w.hangarKiosk.ID, Received: now, SentAt: now, Entries: []*central.Entry{
		{ID: "0190b2a0-0000-7000-8000-000000000201", Seq: 10, Badge: badges[0].Hash, KioskTime: now.Add(-30 * time.Second),
			Reason: access.NotValidHere},
		{ID: "0190b2a0-0000-7000-8000-000000000202", Seq: 11, KioskTime: now.Add(-20 * time.Second), Reason: access.UnknownBadge},
	}}); err != nil {
		t.Fatal(err)
	}
	_, network := e.spaceUser(central.RoleAdmin, 0)
	alice := `<a href="/members/` + fmtInt(w.alice.ID) + `">Alice Martin</a></td>`
	resp, body := network.get("/today")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, alice+`<td>Carte pas valable dans cet espace</td><td>Porte Hangar</td>`,
		`<span class="muted">Inconnu</span></td><td>Badge inconnu</td>`)
	resp, body = network.get("/entries")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, alice+"\n"+`<td><span class="tag suspended">Refusée</span></td>`+"\n"+`<td>Carte pas valable dans cet espace</td>`)
}

// TestTodayRefusalsBounded: a card left on a reader is refused again and
// again; Today lists the latest ten refusals and links to the day's
// others, instead of a page that grew by a screen every few minutes
// (found using the demo) and hid the silent doors below.
func TestTodayRefusalsBounded(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	ctx := e.ctx()
	now := e.clock.Now()
	var entries []*central.Entry
	for i := range 12 {
		entries = append(entries, &central.Entry{ID: fmt.Sprintf("0190b2a0-0000-7000-8000-0000000003%02d", i), Seq: int64(3 + i),
			KioskTime: now.Add(-time.Duration(40-i) * time.Second), Reason: access.UnknownBadge})
	}
	if _, err := e.sync.Push(ctx, &central.Push{Kiosk: 1, Received: now, SentAt: now, Entries: entries}); err != nil {
		t.Fatal(err)
	}
	door := e.as(D)
	resp, body := door.get("/today")
	mustStatus(t, resp, http.StatusOK)
	refused := body[strings.Index(body, `id="refused"`):strings.Index(body, `id="silent"`)]
	if n := strings.Count(refused, "<tr><td>"); n != 10 {
		t.Errorf("Today lists %d refusals, want the latest 10", n)
	}
	day := access.DayOf(now, time.UTC).String()
	link := `<a href="/entries?decision=refused&amp;day=` + day + `">Voir les 13 refus du jour →</a>`
	mustContain(t, refused, link)
	resp, body = door.get("/entries?decision=refused&day=" + day)
	mustStatus(t, resp, http.StatusOK)
	if n := strings.Count(body, `<span class="tag suspended">`); n != 13 {
		t.Errorf("the day's refusals: %d listed, want 13", n)
	}
}
