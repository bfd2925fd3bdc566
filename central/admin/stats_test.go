package admin_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// seedStats adds two members with a card and a subscription, and their
// entries on 25 and 26 November (Paris time) pushed by a kiosk.
func seedStats(t *testing.T, e *env) {
	t.Helper()
	ctx := e.ctx()
	card := &central.Product{Name: "Carnet 10 entrées", Kind: access.Pack, Entries: 10, Price: 8000}
	sub := &central.Product{Name: "Abonnement mensuel", Kind: access.Subscription, Days: 30, Price: 12000}
	for _, p := range []*central.Product{card, sub} {
		if err := e.products.CreateProduct(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	k := &central.Kiosk{Name: "Porte"}
	if _, err := e.kiosks.CreateKiosk(ctx, k); err != nil {
		t.Fatal(err)
	}
	seq := int64(0)
	for i, who := range []struct {
		name    string
		product int64
		times   []time.Time // UTC; Paris is one hour ahead in November
	}{
		{"Alice Martin", card.ID, []time.Time{time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC), time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)}},
		{"Bruno Petit", sub.ID, []time.Time{time.Date(2026, 11, 26, 7, 30, 0, 0, time.UTC), time.Date(2026, 11, 26, 7, 50, 0, 0, time.UTC)}},
	} {
		m := &central.Member{Name: who.name}
		if err := e.members.CreateMember(ctx, m); err != nil {
			t.Fatal(err)
		}
		if _, err := e.ledger.CreateSale(ctx, central.NewSale{Member: m.ID, Product: who.product, Source: central.SourceAdmin}); err != nil {
			t.Fatal(err)
		}
		b, _, err := e.badges.IssueBadge(ctx, m.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range who.times {
			seq++
			if _, err := e.sync.Push(ctx, &central.Push{Kiosk: k.ID, Received: at, SentAt: at, Entries: []*central.Entry{
				{ID: fmt.Sprintf("0190b2a0-0000-7000-8000-0000000002%02d", seq), Seq: seq, Member: m.ID, Badge: b.Hash,
					KioskTime: at, Accept: true, Reason: access.OKPack},
			}}); err != nil {
				t.Fatalf("member %d: %v", i, err)
			}
		}
	}
}

// TestStatsPage: the numbers of known visits and sales appear in the
// charts' tables, bars and CSV; the sales stay hidden from the door role.
func TestStatsPage(t *testing.T) {
	e := newEnv(t)
	seedStats(t, e)
	c := e.as(central.RoleAdmin)
	resp, body := c.get("/stats")
	mustStatus(t, resp, 200)
	cell := func(label, value string) string {
		return fmt.Sprintf(`<tr><td>%s</td><td class="num">%s</td></tr>`, label, value)
	}
	mustContain(t, body,
		`<a href="/stats"`,                                                        // in the menu
		cell("25/11/2026", "1"), cell("26/11/2026", "2"), cell("24/11/2026", "0"), // visits per day: Bruno's two entries are one visit
		cell("Semaine du 23/11/2026", "3"),   // visits per week (Monday 23)
		cell("novembre 2026", "2"),           // distinct members in November
		"<title>26/11/2026\u00a0: 2</title>", // the bar's title
		`role="img"`, `aria-label="Visites par jour"`, `<desc id="days-desc">`,
		`<td>novembre 2026</td><td class="num">1</td><td class="num">1</td><td class="num">200,00`+"\u00a0€</td>", // a card and a subscription
		`<p class="big" id="owed">8</p>`, // Alice's card: 10 entries, 2 visits
		`href="/stats/visits-days.csv"`, `href="/stats/sales.csv"`,
		"jeudi, 9 h — passages\u00a0: 1", // Alice on Thursday 26 at 9:00 Paris
		"jeudi, 8 h — passages\u00a0: 2", // Bruno at 8:30 and 8:50
		"Les entrées ne sont gardées que 90 jours")
	if m := regexp.MustCompile(`\[[a-z_]+\.[a-z_.]+\]`).FindString(body); m != "" {
		t.Errorf("untranslated message %s", m)
	}
	c.get("/lang/en")
	_, body = c.get("/stats")
	mustContain(t, body, `aria-label="Visits per day"`, cell("2026-11-26", "2"), cell("November 2026", "2"), "Thursday, 8:00 — entries: 2")

	resp, body = c.get("/stats/visits-days.csv?format=raw")
	mustStatus(t, resp, 200)
	mustContain(t, body, "day,visits\n", "2026-11-25,1\n", "2026-11-26,2\n")
	_, body = c.get("/stats/visits-weeks.csv?format=raw")
	mustContain(t, body, "week_start,visits\n", "2026-11-23,3\n")
	_, body = c.get("/stats/members.csv?format=raw")
	mustContain(t, body, "month,members\n", "2026-11,2\n", "2025-12,0\n")
	_, body = c.get("/stats/sales.csv?format=raw")
	mustContain(t, body, "month,cards,subscriptions,amount\n", "2026-11,1,1,200.00\n")
	_, body = c.get("/stats/hours.csv?format=raw")
	mustContain(t, body, "weekday,hour,entries\n", "4,8,2\n", "4,9,1\n", "3,9,1\n")

	// For people, as the other exports: BOM, ';', French headers and amounts.
	c.get("/lang/fr")
	_, body = c.get("/stats/sales.csv")
	mustContain(t, body, "\ufeffMois;Cartes;Abonnements;Montant\r\n", "novembre\u00a02026;1;1;200,00\r\n")
	_, body = c.get("/stats/visits-days.csv")
	mustContain(t, body, "\ufeffJour;Visites\r\n", "26/11/2026;2\r\n")

	_, body = e.as(central.RoleDoor).get("/stats")
	if strings.Contains(body, "h-sales") || strings.Contains(body, "/stats/sales.csv") || strings.Contains(body, `id="owed"`) {
		t.Error("the door role sees sales on the statistics page")
	}
	mustContain(t, body, cell("26/11/2026", "2"))
}

// TestStatsEmpty: with no visit nor sale the page says so and still draws
// its axes.
func TestStatsEmpty(t *testing.T) {
	e := newEnv(t)
	resp, body := e.as(central.RoleAdmin).get("/stats")
	mustStatus(t, resp, 200)
	mustContain(t, body, "Pas encore de données sur cette période.", `<p class="big" id="owed">0</p>`)
}
