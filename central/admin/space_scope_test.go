package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// routeSpaces are the routes that bureau users of one space may use
// (issue 14), written out: each narrows what it shows to her space. Every
// other logged-in route is the network's and answers 403 to them.
var routeSpaces = []string{
	"POST /logout", "GET /account", "POST /account/password", "GET /today",
	"GET /members", "GET /members/new", "POST /members", "GET /members/{id}", "GET /members/{id}/edit",
	"POST /members/{id}", "POST /members/{id}/status", "POST /members/{id}/erase", "POST /members/{id}/badges",
	"POST /members/{id}/badges/{badge}/revoke", "POST /members/{id}/badges/{badge}/email", "POST /members/{id}/link",
	"POST /members/{id}/link/revoke", "POST /members/{id}/link/email", "POST /members/{id}/guests",
	"GET /members/{id}/guests/{pass}", "POST /members/{id}/guests/{pass}/mail", "GET /shown/{id}",
	"GET /kiosks", "POST /kiosks", "POST /kiosks/{id}", "POST /kiosks/{id}/disabled",
	"GET /entries", "GET /entries.csv",
	"GET /sales", "GET /sales.csv",
	"GET /products", "POST /products", "POST /products/{id}/active", "POST /members/{id}/sales",
	"GET /members/{id}/sales/confirm", "GET /sales/unpaid", "GET /sales/deposit", "POST /sales/{id}/paid",
	"POST /sales/{id}/refund",
	"GET /export", "GET /export/members.csv", "GET /export/products.csv",
	"GET /stats", "GET /stats/visits-days.csv", "GET /stats/visits-weeks.csv", "GET /stats/members.csv",
	"GET /stats/guests.csv", "GET /stats/hours.csv", "GET /stats/sales.csv",
	"GET /events", "POST /events", "GET /events/{id}", "GET /events/{id}/edit", "POST /events/{id}/edit", "GET /events/{id}/registrations.csv",
	"POST /events/{id}/registrations/{reg}/attended", "POST /events/{id}/registrations/{reg}/cancel", "POST /events/{id}/registrations",
	"POST /events/{id}/payment",
	"GET /resources", "POST /resources", "GET /resources/{id}/edit", "POST /resources/{id}/edit", "POST /resources/{id}/withdraw", "POST /resources/{id}/restore", "POST /resources/{id}/blocks", "POST /resources/book",
	"POST /resources/{id}/blocks/{block}/cancel", "POST /resources/{id}/bookings/{booking}/cancel",
	"GET /spaces/{id}/books", "POST /spaces/{id}/books", "POST /spaces/{id}/books/check/{provider}",
	// Her space's own donations and tax receipts (TestSpaceDonations).
	"GET /donations", "GET /donations.csv", "POST /donations/receipts",
}

// TestRoutesSpaceTable: every route's space policy is the one written out
// above (a route added to spaceRoutes, or dropped, fails here).
func TestRoutesSpaceTable(t *testing.T) {
	e := newEnv(t)
	for _, rt := range e.srv.Routes() {
		if want := slices.Contains(routeSpaces, rt.Pattern); rt.Spaced() != want {
			t.Errorf("%s: spaced %v, want %v", rt.Pattern, rt.Spaced(), want)
		}
		if rt.Public && rt.Spaced() {
			t.Errorf("%s: a public route has no space", rt.Pattern)
		}
	}
	for _, p := range routeSpaces {
		if _, ok := routeRoles[p]; !ok {
			t.Errorf("%s of routeSpaces is no route", p)
		}
	}
}

// spaceWorld is two spaces sharing one central: La Cantine (the main
// space, id 1) with its kiosk, Alice and her card of La Cantine; Le
// Hangar (id 2) with its kiosk, Bob (registered there) and his card of Le
// Hangar; Chloé holds a network pass sold by La Cantine. Each came once
// today, at her space.
type spaceWorld struct {
	cantine, hangar                  *central.Space
	alice, bob, chloe                *central.Member
	cantineKiosk, hangarKiosk        *central.Kiosk
	aliceEntry, bobEntry, chloeEntry string
}

func seedSpaces(t testing.TB, e *env) *spaceWorld {
	t.Helper()
	ctx := e.ctx()
	spaces := sqlstore.NewSpaceService(e.db.DB)
	w := &spaceWorld{hangar: &central.Space{Name: "Le Hangar"}}
	if err := spaces.CreateSpace(ctx, w.hangar); err != nil {
		t.Fatal(err)
	}
	all, err := spaces.FindSpaces(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.cantine = all[0]
	w.cantineKiosk = &central.Kiosk{Name: "Porte Cantine"}
	w.hangarKiosk = &central.Kiosk{Name: "Porte Hangar", Space: w.hangar.Key}
	for _, k := range []*central.Kiosk{w.cantineKiosk, w.hangarKiosk} {
		if _, err := e.kiosks.CreateKiosk(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	card := &central.Product{Name: "Carte Cantine", Kind: access.Pack, Entries: 10, Price: 8000}
	hangarCard := &central.Product{Name: "Carte Hangar", Kind: access.Pack, Entries: 10, Price: 7000}
	pass := &central.Product{Name: "Pass réseau", Kind: access.Pack, Entries: 10, Price: 9000}
	for _, p := range []*central.Product{card, hangarCard, pass} {
		if err := e.products.CreateProduct(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := spaces.SetProductSpaces(ctx, hangarCard.ID, w.hangar.ID, central.ProductSpaces{}); err != nil {
		t.Fatal(err)
	}
	if err := spaces.SetProductSpaces(ctx, pass.ID, w.cantine.ID, central.ProductSpaces{All: true}); err != nil {
		t.Fatal(err)
	}
	w.alice = &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	w.bob = &central.Member{Name: "Bob Hangar", Email: "bob@example.org", Space: w.hangar.ID}
	w.chloe = &central.Member{Name: "Chloé Réseau", Email: "chloe@example.org"}
	now := e.clock.Now()
	for i, c := range []struct {
		m       *central.Member
		product *central.Product
		kiosk   *central.Kiosk
		entry   *string
	}{{w.alice, card, w.cantineKiosk, &w.aliceEntry}, {w.bob, hangarCard, w.hangarKiosk, &w.bobEntry}, {w.chloe, pass, w.cantineKiosk, &w.chloeEntry}} {
		if err := e.members.CreateMember(ctx, c.m); err != nil {
			t.Fatal(err)
		}
		if _, err := e.ledger.CreateSale(ctx, central.NewSale{Member: c.m.ID, Product: c.product.ID, Source: central.SourceAdmin}); err != nil {
			t.Fatal(err)
		}
		b, _, err := e.badges.IssueBadge(ctx, c.m.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		*c.entry = fmt.Sprintf("0190b2a0-0000-7000-8000-00000000010%d", i)
		if _, err := e.sync.Push(ctx, &central.Push{Kiosk: c.kiosk.ID, Received: now, SentAt: now, Entries: []*central.Entry{
			{ID: *c.entry, Seq: int64(i + 1), Member: c.m.ID, Badge: b.Hash, KioskTime: now.Add(-time.Duration(i+1) * time.Minute),
				Accept: true, Reason: access.OKPack}}}); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// spaceEvents are the events and resources of the two spaces of a
// spaceWorld: La Cantine's event (id 1, Alice registered) and meeting
// room (id 1, a block tomorrow), Le Hangar's event (Bob registered) and
// room, whose place names the space in other letters' case.
type spaceEvents struct {
	cantineEvent, hangarEvent *central.CalendarEvent
	aliceReg, bobReg          *central.Registration
	cantineRoom, hangarRoom   *central.Resource
	cantineBlock              *central.Booking
}

func seedSpaceEvents(t testing.TB, e *env, w *spaceWorld) *spaceEvents {
	t.Helper()
	ctx := e.ctx()
	now := e.clock.Now()
	se := &spaceEvents{
		cantineEvent: &central.CalendarEvent{Title: "Atelier Cantine", Start: now.Add(2 * time.Hour), End: now.Add(4 * time.Hour), Capacity: 10},
		hangarEvent: &central.CalendarEvent{Title: "Soirée Hangar", Space: w.hangar.Key, Start: now.Add(3 * time.Hour),
			End: now.Add(5 * time.Hour), Capacity: 10},
		cantineRoom: &central.Resource{Name: "Salle Cantine", Opens: 8 * 60, Closes: 20 * 60, Slot: time.Hour},
		hangarRoom: &central.Resource{Name: "Salle Hangar", Space: strings.ToLower(w.hangar.Name), Opens: 8 * 60, Closes: 20 * 60,
			Slot: time.Hour},
	}
	for _, ev := range []*central.CalendarEvent{se.cantineEvent, se.hangarEvent} {
		if err := e.cfg.Calendar.CreateEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	se.aliceReg = &central.Registration{Event: se.cantineEvent.ID, Member: w.alice.ID}
	se.bobReg = &central.Registration{Event: se.hangarEvent.ID, Member: w.bob.ID}
	for _, r := range []*central.Registration{se.aliceReg, se.bobReg} {
		if err := e.cfg.Calendar.Register(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, res := range []*central.Resource{se.cantineRoom, se.hangarRoom} {
		if err := e.cfg.Bookings.CreateResource(ctx, res); err != nil {
			t.Fatal(err)
		}
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	n := now.In(paris)
	at10 := time.Date(n.Year(), n.Month(), n.Day()+1, 10, 0, 0, 0, paris)
	se.cantineBlock = &central.Booking{Resource: se.cantineRoom.ID, Blocked: true, Note: "Ménage Cantine", Start: at10, End: at10.Add(time.Hour)}
	if err := e.cfg.Bookings.Book(ctx, se.cantineBlock); err != nil {
		t.Fatal(err)
	}
	return se
}

// spaceUser adds a bureau user of one space (0: the network) and returns
// her session.
func (e *env) spaceUser(role central.Role, space int64) (*central.AdminUser, *client) {
	e.t.Helper()
	u := &central.AdminUser{Email: fmt.Sprintf("%s-%d@example.org", role, space), Role: role, Space: space, PasswordHash: "x"}
	if err := e.store.CreateAdminUser(e.ctx(), u); err != nil {
		e.t.Fatal(err)
	}
	return u, e.sessionFor(u)
}

// TestRouteRolesSpaces extends TestRouteRoles to spaces: every route, as
// every role of the network, of space A (La Cantine, member 1, kiosk 1,
// product 1 and sale 1 are hers) and of space B (Le Hangar). Expected: 403
// when the role may not, or when the user is a space's and the route is
// the network's; 404 when a user of B names A's member, kiosk, event,
// resource, product, sale or space; otherwise neither (and no 5xx).
func TestRouteRolesSpaces(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	se := seedSpaceEvents(t, e, w)
	if w.alice.ID != 1 || w.cantineKiosk.ID != 1 || se.cantineEvent.ID != 1 || se.cantineRoom.ID != 1 || se.aliceReg.ID != 1 {
		t.Fatalf("seed: Alice %d, kiosk %d, event %d, room %d, registration %d: the paths below name 1", w.alice.ID,
			w.cantineKiosk.ID, se.cantineEvent.ID, se.cantineRoom.ID, se.aliceReg.ID)
	}
	if sale, err := e.ledger.FindSaleByID(e.ctx(), 1); err != nil || sale.Member != w.alice.ID || sale.Product != 1 {
		t.Fatalf("seed: sale 1 %+v (%v), want Alice's Carte Cantine (product 1): the paths below name 1", sale, err)
	}
	scopes := []struct {
		name  string
		space int64
	}{{"network", 0}, {"A", w.cantine.ID}, {"B", w.hangar.ID}}
	users := map[string]*central.AdminUser{}
	for _, role := range central.Roles {
		for _, sc := range scopes {
			users[string(role)+"/"+sc.name], _ = e.spaceUser(role, sc.space)
		}
	}
	n := 0
	for pattern, allowed := range routeRoles {
		if allowed == nil {
			continue
		}
		method, path, _ := strings.Cut(pattern, " ")
		if pattern == "POST /logout" || pattern == "POST /members/{id}/erase" {
			continue // they end the session or the member the next cases use: TestSpaceDataIsolation
		}
		path = strings.NewReplacer("{id}", "1", "{badge}", "1", "{pass}", "1", "{reg}", "1", "{block}", "1", "{booking}", "1", "{provider}", "helloasso").Replace(path)
		spaced := slices.Contains(routeSpaces, pattern)
		names := false
		for _, p := range []string{"/members/{id}", "/kiosks/{id}", "/events/{id}", "/resources/{id}", "/products/{id}", "/sales/{id}", "/spaces/{id}"} {
			names = names || strings.HasPrefix(pattern, method+" "+p)
		}
		for _, role := range central.Roles {
			for _, sc := range scopes {
				want := "allowed"
				switch {
				case !slices.Contains(allowed, role), sc.space != 0 && !spaced:
					want = "403"
				case sc.name == "B" && names:
					want = "404"
				}
				t.Run(fmt.Sprintf("%s/%s/%s", pattern, role, sc.name), func(t *testing.T) {
					c := e.sessionFor(users[string(role)+"/"+sc.name])
					var resp *http.Response
					var body string
					if method == "GET" {
						resp, body = c.get(path)
					} else {
						resp, body = c.post(path, url.Values{})
					}
					got := resp.StatusCode
					switch want {
					case "403":
						if got != http.StatusForbidden {
							t.Errorf("%s as %s of %s: status %d, want 403\n%s", pattern, role, sc.name, got, body)
						}
					case "404":
						if got != http.StatusNotFound {
							t.Errorf("%s as %s of %s: status %d, want 404\n%s", pattern, role, sc.name, got, body)
						}
					default:
						if got == http.StatusForbidden || got >= 500 {
							t.Errorf("%s as %s of %s: status %d, want allowed\n%s", pattern, role, sc.name, got, body)
						}
					}
					if got == http.StatusForbidden && (!strings.Contains(body, "<h1>Accès refusé</h1>") || !strings.Contains(body, `<a class="button" href="/today">`)) {
						t.Errorf("%s as %s of %s: the 403 is no refusal page with a way back to /today\n%s", pattern, role, sc.name, body)
					}
					if got == http.StatusForbidden && sc.space != 0 && slices.Contains(allowed, role) && !strings.Contains(body, "Cette page est celle du réseau") {
						t.Errorf("%s as %s of %s: the 403 page does not say the page is the network's", pattern, role, sc.name)
					}
				})
				n++
			}
		}
	}
	if n < 450 {
		t.Errorf("only %d route × role × space cases", n)
	}
}

// TestSpaceDataIsolation: a bureau user of Le Hangar cannot read or change
// La Cantine's member, kiosk or entries by guessing their ids; each
// attempt answers 403 or 404, changes nothing, and no export names them.
func TestSpaceDataIsolation(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	ctx := e.ctx()
	_, hangar := e.spaceUser(central.RoleAdmin, w.hangar.ID)
	_, cantine := e.spaceUser(central.RoleAdmin, w.cantine.ID)
	_, network := e.spaceUser(central.RoleAdmin, 0)
	alice := fmtInt(w.alice.ID)

	t.Run("Lists", func(t *testing.T) {
		_, body := hangar.get("/members")
		mustContain(t, body, "Bob Hangar", "Chloé Réseau")
		mustNotContain(t, body, "Alice Martin")
		_, body = cantine.get("/members")
		mustContain(t, body, "Alice Martin", "Chloé Réseau")
		mustNotContain(t, body, "Bob Hangar")
		_, body = network.get("/members")
		mustContain(t, body, "Alice Martin", "Chloé Réseau", "Bob Hangar")
		_, body = hangar.get("/members?q=alice")
		mustNotContain(t, body, "Alice Martin")
		_, body = hangar.get("/kiosks")
		mustContain(t, body, "Porte Hangar")
		mustNotContain(t, body, "Porte Cantine")
		_, body = hangar.get("/today")
		mustContain(t, body, "Bob Hangar")
		mustNotContain(t, body, "Alice Martin", "Chloé Réseau", "Porte Cantine")
		_, body = network.get("/today")
		mustContain(t, body, "Bob Hangar", "Alice Martin", "Chloé Réseau", `<select id="today-space" name="space">`)
		// A network user picks a space's day, and a space's entries (the
		// filters' space select; its kiosks only in the kiosk select).
		hangarID, cantineID := fmtInt(w.hangar.ID), fmtInt(w.cantine.ID)
		_, body = network.get("/today?space=" + hangarID)
		mustContain(t, body, "Aujourd’hui · Le Hangar", "Bob Hangar")
		mustNotContain(t, body, "Alice Martin", "Chloé Réseau", "Porte Cantine")
		_, body = network.get("/today?space=" + cantineID)
		mustContain(t, body, "Alice Martin", "Chloé Réseau")
		mustNotContain(t, body, "Bob Hangar")
		_, body = network.get("/entries")
		mustContain(t, body, `<select id="entries-space" name="space">`, "Bob Hangar", "Alice Martin", "Porte Cantine")
		_, body = network.get("/entries?space=" + hangarID)
		mustContain(t, body, "Bob Hangar", `href="/entries.csv?space=`+hangarID+`"`)
		mustNotContain(t, body, "Alice Martin", "Chloé Réseau", "Porte Cantine")
		// Hers whatever the query names, and no select.
		for _, p := range []string{"/today?space=" + cantineID, "/entries?space=" + cantineID} {
			_, body = hangar.get(p)
			mustContain(t, body, "Bob Hangar")
			mustNotContain(t, body, "Alice Martin", "Chloé Réseau", "Porte Cantine", `-space" name="space"`)
		}
	})

	t.Run("Exports", func(t *testing.T) {
		for _, p := range []string{"/export/members.csv", "/entries.csv", "/entries.csv?member=" + alice,
			"/entries.csv?kiosk=" + fmtInt(w.cantineKiosk.ID), "/entries?member=" + alice, "/entries?kiosk=" + fmtInt(w.cantineKiosk.ID),
			"/entries?who=Alice"} {
			resp, body := hangar.get(p)
			mustStatus(t, resp, http.StatusOK)
			mustNotContain(t, body, "Alice Martin", "alice@example.org", w.aliceEntry, w.chloeEntry, "Porte Cantine")
		}
		_, body := hangar.get("/export/members.csv")
		mustContain(t, body, "Bob Hangar", "Chloé Réseau")
		_, body = hangar.get("/entries.csv")
		mustContain(t, body, w.bobEntry)
		_, body = network.get("/entries.csv")
		mustContain(t, body, w.aliceEntry, w.bobEntry, w.chloeEntry)
	})

	t.Run("SharedMemberPage", func(t *testing.T) {
		// Chloé, a member of both: Le Hangar sees her entries at its
		// kiosks only (none), La Cantine hers there.
		chloe := "/members/" + fmtInt(w.chloe.ID)
		resp, body := hangar.get(chloe)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, "Chloé Réseau")
		mustNotContain(t, body, "Porte Cantine")
		_, body = cantine.get(chloe)
		mustContain(t, body, "Porte Cantine")
	})

	t.Run("Sales", func(t *testing.T) {
		// Le Hangar's books: the sales of what it sells (Bob's card), not
		// La Cantine's (Alice's card, Chloé's network pass).
		for _, p := range []string{"/sales", "/sales.csv", "/sales.csv?product=1", "/sales?product=3"} {
			resp, body := hangar.get(p)
			mustStatus(t, resp, http.StatusOK)
			mustNotContain(t, body, "Alice Martin", "Chloé Réseau", "Carte Cantine", "Pass réseau")
		}
		_, body := hangar.get("/sales.csv")
		mustContain(t, body, "Bob Hangar", "Carte Hangar")
		_, body = cantine.get("/sales.csv")
		mustContain(t, body, "Alice Martin", "Chloé Réseau")
		mustNotContain(t, body, "Bob Hangar")
		_, body = network.get("/sales.csv")
		mustContain(t, body, "Alice Martin", "Chloé Réseau", "Bob Hangar")
		// Refunds: of her space's sales only (the read-only list of
		// before now refunds hers: TestSpaceDataIsolation/Selling).
		_, body = hangar.get("/sales")
		for _, m := range []*central.Member{w.alice, w.chloe, w.bob} {
			ss, _, err := e.ledger.FindSales(ctx, central.SaleFilter{Member: &m.ID})
			if err != nil || len(ss) != 1 {
				t.Fatalf("%s's sales: %d %v", m.Name, len(ss), err)
			}
			if refund := "/sales/" + fmtInt(ss[0].ID) + "/refund"; m == w.bob {
				mustContain(t, body, refund)
			} else {
				mustNotContain(t, body, refund)
			}
		}
	})

	t.Run("GuessedMemberIDs", func(t *testing.T) {
		badges, _, _ := e.badges.FindBadges(ctx, central.BadgeFilter{Member: &w.alice.ID})
		for _, p := range []string{"/members/" + alice, "/members/" + alice + "/edit", "/members/" + alice + "/guests/1"} {
			resp, body := hangar.get(p)
			mustStatus(t, resp, http.StatusNotFound)
			mustNotContain(t, body, "Alice", "alice@example.org")
		}
		for _, c := range []struct {
			path string
			form url.Values
		}{
			{"/members/" + alice, url.Values{"name": {"Pirate"}, "email": {"pirate@example.org"}}},
			{"/members/" + alice + "/status", url.Values{"status": {"suspended"}}},
			{"/members/" + alice + "/erase", url.Values{"confirm": {"1"}}},
			{"/members/" + alice + "/badges", url.Values{}},
			{"/members/" + alice + "/badges/" + fmtInt(badges[0].ID) + "/revoke", url.Values{}},
			{"/members/" + alice + "/link", url.Values{}},
			{"/members/" + alice + "/guests", url.Values{"guest_name": {"Intrus"}, "guest_day": {"2026-11-27"}}},
		} {
			resp, body := hangar.post(c.path, c.form)
			mustStatus(t, resp, http.StatusNotFound)
			mustNotContain(t, body, "Alice", "alice@example.org")
		}
		m, err := e.members.FindMemberByID(ctx, w.alice.ID)
		if err != nil {
			t.Fatalf("Alice after the attempts: %v", err)
		}
		if m.Name != "Alice Martin" || m.Email != "alice@example.org" || m.Status != access.MemberActive {
			t.Errorf("Alice changed: %+v", m)
		}
		after, _, _ := e.badges.FindBadges(ctx, central.BadgeFilter{Member: &w.alice.ID})
		if len(after) != len(badges) || !after[0].Revoked.IsZero() {
			t.Errorf("Alice's badges changed: %d then %d", len(badges), len(after))
		}
		if l, err := e.store.ActiveMemberLink(ctx, w.alice.ID); err == nil && l != nil {
			t.Errorf("a link was made for Alice")
		}
		// Her own space's admin reaches her.
		resp, body := cantine.get("/members/" + alice)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, "Alice Martin")
	})

	t.Run("GuessedKioskIDs", func(t *testing.T) {
		k := fmtInt(w.cantineKiosk.ID)
		resp, _ := hangar.post("/kiosks/"+k, url.Values{"name": {"Pirate"}, "space": {fmtInt(w.hangar.ID)}})
		mustStatus(t, resp, http.StatusNotFound)
		resp, _ = hangar.post("/kiosks/"+k+"/disabled", url.Values{"disabled": {"1"}})
		mustStatus(t, resp, http.StatusNotFound)
		ks, _, _ := e.kiosks.FindKiosks(ctx, central.KioskFilter{})
		for _, got := range ks {
			if got.ID == w.cantineKiosk.ID && (got.Name != "Porte Cantine" || got.Disabled || got.Space != "") {
				t.Errorf("La Cantine's kiosk changed: %+v", got)
			}
		}
		// Nor move her own kiosk, nor enroll one, at another space.
		resp, _ = hangar.post("/kiosks/"+fmtInt(w.hangarKiosk.ID), url.Values{"name": {"Porte Hangar"}, "space": {fmtInt(w.cantine.ID)}})
		mustStatus(t, resp, http.StatusBadRequest)
		resp, _ = hangar.post("/kiosks", url.Values{"name": {"Porte volée"}, "space": {fmtInt(w.cantine.ID)}})
		mustStatus(t, resp, http.StatusBadRequest)
		// Her own kiosk: enrolled at her space without asking.
		resp, body := hangar.follow(hangar.post("/kiosks", url.Values{"name": {"Porte arrière"}}))
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, "sudo kioskd enroll --data /var/lib/kioskd --central "+e.ts.URL+" --token ")
		ks, _, _ = e.kiosks.FindKiosks(ctx, central.KioskFilter{})
		if last := ks[len(ks)-1]; last.Name != "Porte arrière" || last.Space != w.hangar.Key {
			t.Errorf("enrolled %+v, want Porte arrière at %q", last, w.hangar.Key)
		}
	})

	t.Run("Events", func(t *testing.T) {
		se := seedSpaceEvents(t, e, w)
		for _, c := range []struct {
			who        *client
			path       string
			has, hasnt []string
		}{
			{hangar, "/events", []string{"Soirée Hangar"}, []string{"Atelier Cantine"}},
			{cantine, "/events", []string{"Atelier Cantine"}, []string{"Soirée Hangar"}},
			{network, "/events", []string{"Atelier Cantine", "Soirée Hangar"}, nil},
			{hangar, "/today", []string{"Soirée Hangar"}, []string{"Atelier Cantine"}},
			{cantine, "/today", []string{"Atelier Cantine"}, []string{"Soirée Hangar"}},
			{hangar, "/events/" + fmtInt(se.hangarEvent.ID), []string{"Soirée Hangar", "Bob Hangar"}, nil},
			{hangar, "/events/" + fmtInt(se.hangarEvent.ID) + "/registrations.csv", []string{"bob@example.org"}, nil},
		} {
			resp, body := c.who.get(c.path)
			mustStatus(t, resp, http.StatusOK)
			mustContain(t, body, c.has...)
			mustNotContain(t, body, c.hasnt...)
		}
		// An event whose place names Le Hangar by its name, in other
		// letters' case, is Le Hangar's on Today too.
		now := e.clock.Now()
		named := &central.CalendarEvent{Title: "Réunion hangar", Space: strings.ToUpper(w.hangar.Name), Start: now.Add(time.Hour),
			End: now.Add(2 * time.Hour), Capacity: 5}
		if err := e.cfg.Calendar.CreateEvent(ctx, named); err != nil {
			t.Fatal(err)
		}
		_, body := hangar.get("/today")
		mustContain(t, body, "Réunion hangar")
		_, body = cantine.get("/today")
		mustNotContain(t, body, "Réunion hangar")
		// La Cantine's event by its id: not found, nothing said of it.
		ev := "/events/" + fmtInt(se.cantineEvent.ID)
		for _, p := range []string{ev, ev + "/registrations.csv"} {
			resp, body := hangar.get(p)
			mustStatus(t, resp, http.StatusNotFound)
			mustNotContain(t, body, "Atelier Cantine", "Alice", "alice@example.org")
		}
		reg := fmtInt(se.aliceReg.ID)
		for _, c := range []struct {
			path string
			form url.Values
		}{
			{ev + "/registrations/" + reg + "/attended", nil},
			{ev + "/registrations/" + reg + "/cancel", nil},
			{ev + "/payment", url.Values{"form": {"https://www.helloasso.com/associations/x/evenements/y"}, "price": {"10"}}},
			{ev + "/payment", url.Values{"free": {"1"}}},
			// Her own event's path with La Cantine's registration.
			{"/events/" + fmtInt(se.hangarEvent.ID) + "/registrations/" + reg + "/cancel", nil},
			{"/events/" + fmtInt(se.hangarEvent.ID) + "/registrations/" + reg + "/attended", nil},
		} {
			resp, body := hangar.post(c.path, c.form)
			mustStatus(t, resp, http.StatusNotFound)
			mustNotContain(t, body, "Atelier Cantine", "Alice")
		}
		rs, err := e.cfg.Calendar.Registrations(ctx, se.cantineEvent.ID)
		if err != nil || len(rs) != 1 || rs[0].Status != central.RegistrationConfirmed {
			t.Errorf("La Cantine's registrations changed: %+v, %v", rs, err)
		}
		// A new event is at her space, whatever the form says.
		resp, _ := hangar.post("/events", url.Values{"title": {"Apéro Hangar"}, "space": {w.cantine.Name},
			"start": {"2026-12-10T18:00"}, "end": {"2026-12-10T20:00"}, "capacity": {"30"}})
		mustStatus(t, resp, http.StatusSeeOther)
		es, _ := e.cfg.Calendar.FindEvents(ctx, central.EventFilter{})
		if last := es[len(es)-1]; last.Title != "Apéro Hangar" || last.Space != w.hangar.Key {
			t.Errorf("created %q at %q, want Apéro Hangar at %q", last.Title, last.Space, w.hangar.Key)
		}
		_, body = cantine.get("/events")
		mustNotContain(t, body, "Apéro Hangar")
		_, body = hangar.get("/events")
		mustContain(t, body, "Apéro Hangar")
		mustNotContain(t, body, `name="space"`)
		// A network user picks the space from a select (no free text a
		// typo would turn into a place no door knows), by its key.
		for _, path := range []string{"/events", "/resources"} {
			_, body = network.get(path)
			mustContain(t, body, `<select id="`, `name="space">`, `<option value="`+w.hangar.Key+`">`+w.hangar.Name+`</option>`)
			mustNotContain(t, body, `<input id="espace"`, `<input id="rspace"`)
		}
		resp, _ = network.post("/events", url.Values{"title": {"Fête du réseau"}, "space": {w.hangar.Key},
			"start": {"2026-12-11T18:00"}, "end": {"2026-12-11T20:00"}, "capacity": {"30"}})
		mustStatus(t, resp, http.StatusSeeOther)
		_, body = hangar.get("/events")
		mustContain(t, body, "Fête du réseau")
	})

	t.Run("Resources", func(t *testing.T) {
		bookings := func() []*central.Booking {
			bs, err := e.cfg.Bookings.FindBookings(ctx, central.BookingFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return bs
		}
		// The rooms of the Events subtest's seed.
		rooms, _ := e.cfg.Bookings.FindResources(ctx)
		var cantineRoom, hangarRoom *central.Resource
		for _, r := range rooms {
			switch r.Name {
			case "Salle Cantine":
				cantineRoom = r
			case "Salle Hangar":
				hangarRoom = r
			}
		}
		if cantineRoom == nil || hangarRoom == nil {
			t.Fatalf("rooms %+v", rooms)
		}
		before := bookings()
		_, body := hangar.get("/resources")
		mustContain(t, body, "Salle Hangar", "Bob Hangar")
		mustNotContain(t, body, "Salle Cantine", "Ménage Cantine", "Alice Martin")
		_, body = cantine.get("/resources")
		mustContain(t, body, "Salle Cantine", "Ménage Cantine")
		mustNotContain(t, body, "Salle Hangar")
		_, body = network.get("/resources")
		mustContain(t, body, "Salle Cantine", "Salle Hangar")

		paris, _ := time.LoadLocation("Europe/Paris")
		tomorrow := e.clock.Now().In(paris).AddDate(0, 0, 1).Format("2006-01-02")
		room := "/resources/" + fmtInt(cantineRoom.ID)
		for _, c := range []struct {
			path string
			form url.Values
		}{
			{room + "/blocks", url.Values{"day": {tomorrow}, "from": {"14:00"}, "to": {"15:00"}, "note": {"Pirate"}}},
			{room + "/blocks/" + fmtInt(before[0].ID) + "/cancel", nil},
			{"/resources/book", url.Values{"member": {fmtInt(w.bob.ID)}, "resource": {fmtInt(cantineRoom.ID)},
				"day": {tomorrow}, "from": {"15:00"}, "to": {"16:00"}}},
			{"/resources/book", url.Values{"member": {fmtInt(w.alice.ID)}, "resource": {fmtInt(hangarRoom.ID)},
				"day": {tomorrow}, "from": {"15:00"}, "to": {"16:00"}}},
		} {
			resp, body := hangar.post(c.path, c.form)
			mustStatus(t, resp, http.StatusNotFound)
			mustNotContain(t, body, "Salle Cantine", "Ménage Cantine", "Alice Martin")
		}
		if after := bookings(); len(after) != len(before) {
			t.Errorf("bookings %d, then %d after the attempts", len(before), len(after))
		}
		// Her own: Bob booked in her room; a new room is at her space.
		resp, _ := hangar.post("/resources/book", url.Values{"member": {fmtInt(w.bob.ID)}, "resource": {fmtInt(hangarRoom.ID)},
			"day": {tomorrow}, "from": {"15:00"}, "to": {"16:00"}})
		mustStatus(t, resp, http.StatusSeeOther)
		if after := bookings(); len(after) != len(before)+1 || after[len(after)-1].Member != w.bob.ID {
			t.Errorf("Bob's booking not made: %d bookings", len(after))
		}
		resp, _ = hangar.post("/resources", url.Values{"name": {"Atelier bois"}, "space": {w.cantine.Name}, "opens": {"08:00"},
			"closes": {"20:00"}, "slot": {"60"}, "max_hours": {"0"}})
		mustStatus(t, resp, http.StatusSeeOther)
		rooms, _ = e.cfg.Bookings.FindResources(ctx)
		for _, r := range rooms {
			if r.Name == "Atelier bois" && r.Space != w.hangar.Key {
				t.Errorf("new room at %q, want %q", r.Space, w.hangar.Key)
			}
		}
		_, body = cantine.get("/resources")
		mustNotContain(t, body, "Atelier bois")
	})

	t.Run("NetworkPages", func(t *testing.T) {
		for _, p := range []string{"/register", "/register.csv", "/settings", "/audit", "/export/audit.csv",
			"/payments", "/directory", "/sales/1/receipt.pdf"} {
			resp, body := hangar.get(p)
			mustStatus(t, resp, http.StatusForbidden)
			mustContain(t, body, "Cette page est celle du réseau")
			mustNotContain(t, body, "Alice")
		}
		// The menu offers only what she may open.
		_, body := hangar.get("/members")
		mustNotContain(t, body, `href="/settings"`, `href="/payments"`, `href="/audit"`)
		mustContain(t, body, `href="/kiosks"`, `href="/entries"`, `href="/products"`)
		_, body = hangar.get("/sales")
		mustNotContain(t, body, `href="/register"`, "receipt.pdf")
	})

	t.Run("StatsAndExports", func(t *testing.T) {
		// Her space's figures and exports only, whatever space, product or
		// member the query names: La Cantine sold Alice's card (80 €) and
		// Chloé's network pass (90 €), Le Hangar Bob's card (70 €).
		cantineID := fmtInt(w.cantine.ID)
		for _, p := range []string{"/stats", "/stats?space=" + cantineID, "/stats?space=0", "/stats?space=-1",
			"/stats/sales.csv", "/stats/sales.csv?space=" + cantineID, "/stats/sales.csv?format=raw&space=" + cantineID,
			"/stats/visits-days.csv?space=" + cantineID, "/stats/hours.csv?space=" + cantineID,
			"/export/products.csv", "/export/products.csv?space=" + cantineID, "/export/members.csv?space=" + cantineID,
			"/sales.csv?space=" + cantineID, "/entries.csv?space=" + cantineID} {
			resp, body := hangar.get(p)
			mustStatus(t, resp, http.StatusOK)
			// Chloé's pass is valid at Le Hangar: she is one of its
			// members (members.csv), never its sale.
			mustNotContain(t, body, "Carte Cantine", "Pass réseau", "Alice Martin", "80,00", "90,00", "80.00",
				"90.00", "170,00", "240,00", "170.00", "240.00", w.aliceEntry, w.chloeEntry)
			if !strings.HasPrefix(p, "/export/members.csv") {
				mustNotContain(t, body, "Chloé Réseau")
			}
		}
		_, body := hangar.get("/export/products.csv")
		mustContain(t, body, "Carte Hangar", "70,00")
		_, body = cantine.get("/export/products.csv")
		mustContain(t, body, "Carte Cantine", "Pass réseau")
		mustNotContain(t, body, "Carte Hangar")
		_, body = network.get("/export/products.csv")
		mustContain(t, body, "Carte Cantine", "Pass réseau", "Carte Hangar")
		_, body = hangar.get("/products")
		mustContain(t, body, `href="/export/products.csv"`)
		_, body = hangar.get("/export?space=" + cantineID)
		mustContain(t, body, "Exports CSV · Le Hangar", `href="/export/products.csv"`, `href="/sales.csv"`, `href="/export/members.csv"`)
		mustNotContain(t, body, `id="export-space"`, "?space=")

		// A network user: every space's by default, or the space she picks
		// (the export page's select, its links keep it).
		hangarID := fmtInt(w.hangar.ID)
		_, body = network.get("/export")
		mustContain(t, body, `<select id="export-space" name="space">`, `href="/export/members.csv"`, `href="/sales.csv"`)
		_, body = network.get("/export?space=" + hangarID)
		mustContain(t, body, "Exports CSV · Le Hangar", `href="/export/members.csv?space=`+hangarID+`"`,
			`href="/sales.csv?space=`+hangarID+`"`, `href="/export/products.csv?space=`+hangarID+`"`,
			`href="/entries.csv?space=`+hangarID+`"`, `href="/export/audit.csv"`)
		for _, c := range []struct {
			path      string
			has, hasn []string
		}{
			{"/export/members.csv?space=" + hangarID, []string{"Bob Hangar", "Chloé Réseau"}, []string{"Alice Martin"}},
			{"/export/members.csv?space=" + cantineID, []string{"Alice Martin", "Chloé Réseau"}, []string{"Bob Hangar"}},
			{"/export/members.csv?space=99", []string{"Alice Martin", "Bob Hangar"}, nil}, // no such space: the network
			{"/sales.csv?space=" + hangarID, []string{"Bob Hangar", "Carte Hangar"}, []string{"Alice Martin", "Pass réseau"}},
			{"/sales.csv?space=" + cantineID, []string{"Alice Martin", "Pass réseau"}, []string{"Bob Hangar"}},
			{"/export/products.csv?space=" + hangarID, []string{"Carte Hangar"}, []string{"Carte Cantine", "Pass réseau"}},
			{"/entries.csv?space=" + hangarID, []string{w.bobEntry}, []string{w.aliceEntry, w.chloeEntry}},
			{"/entries.csv?space=" + cantineID, []string{w.aliceEntry, w.chloeEntry}, []string{w.bobEntry}},
			{"/entries.csv", []string{w.aliceEntry, w.bobEntry, w.chloeEntry}, nil},
		} {
			resp, body := network.get(c.path)
			mustStatus(t, resp, http.StatusOK)
			mustContain(t, body, c.has...)
			mustNotContain(t, body, c.hasn...)
		}
	})

	t.Run("Products", func(t *testing.T) {
		// Le Hangar's products page: what it sells, not La Cantine's card
		// nor its network pass.
		resp, body := hangar.get("/products")
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, "Carte Hangar", "Il sera vendu par Le Hangar et valable à Le Hangar seulement.")
		mustNotContain(t, body, "Carte Cantine", "Pass réseau")
		_, body = cantine.get("/products")
		mustContain(t, body, "Carte Cantine", "Pass réseau")
		mustNotContain(t, body, "Carte Hangar")
		// A product she makes is sold by her space and valid there only.
		resp, _ = hangar.post("/products", url.Values{"name": {"Demi-journée Hangar"}, "kind": {"daypass"}, "price": {"6"}})
		mustStatus(t, resp, http.StatusSeeOther)
		places, err := sqlstore.NewSpaceService(e.db.DB).ProductPlaces(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ps, _, _ := e.products.FindProducts(ctx, central.ProductFilter{})
		made := ps[len(ps)-1]
		if made.Name != "Demi-journée Hangar" || places[made.ID] != (central.ProductPlace{Space: w.hangar.ID}) {
			t.Errorf("made %q at %+v, want Demi-journée Hangar sold by and valid at Le Hangar only", made.Name, places[made.ID])
		}
		_, body = hangar.get("/products")
		mustContain(t, body, "Demi-journée Hangar")
		_, body = cantine.get("/products")
		mustNotContain(t, body, "Demi-journée Hangar")
		// La Cantine's product by id: 404, still sold; hers she stops.
		for _, id := range []int64{1, 3, 999} {
			resp, body = hangar.post("/products/"+fmtInt(id)+"/active", url.Values{"active": {"0"}})
			mustStatus(t, resp, http.StatusNotFound)
			mustNotContain(t, body, "Carte Cantine", "Pass réseau")
		}
		for _, id := range []int64{1, 3} {
			if p, err := e.products.FindProductByID(ctx, id); err != nil || !p.Active {
				t.Errorf("La Cantine's product %d stopped by Le Hangar: %+v %v", id, p, err)
			}
		}
		resp, _ = hangar.post("/products/"+fmtInt(made.ID)+"/active", url.Values{"active": {"0"}})
		mustStatus(t, resp, http.StatusSeeOther)
		if p, _ := e.products.FindProductByID(ctx, made.ID); p.Active {
			t.Errorf("her product still sold after she stopped it")
		}
	})

	t.Run("Selling", func(t *testing.T) {
		// Products 1 (Carte Cantine) and 3 (Pass réseau) are La Cantine's,
		// 2 (Carte Hangar) Le Hangar's.
		const cantineCard, hangarCard, pass = "1", "2", "3"
		bob, chloe := fmtInt(w.bob.ID), fmtInt(w.chloe.ID)
		sales := func(m int64) []*central.Sale {
			t.Helper()
			ss, _, err := e.ledger.FindSales(ctx, central.SaleFilter{Member: &m})
			if err != nil {
				t.Fatal(err)
			}
			return ss
		}
		nBob, nChloe, nAlice := len(sales(w.bob.ID)), len(sales(w.chloe.ID)), len(sales(w.alice.ID))
		// Bob's page offers her space's products only.
		_, body := hangar.get("/members/" + bob)
		mustContain(t, body, `<option value="`+hangarCard+`"`)
		mustNotContain(t, body, `<option value="`+cantineCard+`"`, `<option value="`+pass+`"`, "Carte Cantine", "Pass réseau")
		// Selling La Cantine's products, or to La Cantine's member: 404,
		// no sale.
		for _, c := range []struct{ member, product string }{{bob, cantineCard}, {bob, pass}, {chloe, pass}, {bob, "999"},
			{fmtInt(w.alice.ID), hangarCard}} {
			resp, body := hangar.post("/members/"+c.member+"/sales", url.Values{"product": {c.product}, "paid": {"cash"}, "confirm": {"1"}})
			mustStatus(t, resp, http.StatusNotFound)
			mustNotContain(t, body, "Carte Cantine", "Pass réseau", "Alice")
			resp, body = hangar.post("/members/"+c.member+"/sales", url.Values{"product": {c.product}, "paid": {"cash"}})
			mustStatus(t, resp, http.StatusNotFound)
			mustNotContain(t, body, "Carte Cantine", "Pass réseau", "Alice")
			resp, body = hangar.get("/members/" + c.member + "/sales/confirm?paid=cash&product=" + c.product)
			mustStatus(t, resp, http.StatusNotFound)
			mustNotContain(t, body, "Carte Cantine", "Pass réseau", "Alice")
			mustNotContain(t, body, "Carte Cantine", "Pass réseau", "Alice")
		}
		// Her product in the query, La Cantine's in the form the sale reads.
		resp, _ := hangar.post("/members/"+bob+"/sales?product="+hangarCard, url.Values{"product": {cantineCard}, "paid": {"cash"}, "confirm": {"1"}})
		mustStatus(t, resp, http.StatusNotFound)
		if len(sales(w.bob.ID)) != nBob || len(sales(w.chloe.ID)) != nChloe || len(sales(w.alice.ID)) != nAlice {
			t.Fatalf("a sale was made by guessing ids")
		}
		// Her own product to Chloé (a member of both), owed; its
		// confirmation first.
		resp, body = hangar.get("/members/" + chloe + "/sales/confirm?paid=unpaid&product=" + hangarCard)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, "Carte Hangar", "Chloé Réseau")
		resp, _ = hangar.post("/members/"+chloe+"/sales", url.Values{"product": {hangarCard}, "paid": {"unpaid"}, "confirm": {"1"}})
		mustStatus(t, resp, http.StatusSeeOther)
		cs := sales(w.chloe.ID)
		if len(cs) != nChloe+1 || cs[len(cs)-1].Product != 2 || cs[len(cs)-1].PaidBy.Method != central.Unpaid {
			t.Fatalf("Chloé's sales %d, want %d with Carte Hangar owed last", len(cs), nChloe+1)
		}
		owed := cs[len(cs)-1]
		// La Cantine's sale to Chloé, owed too: Le Hangar's unpaid list,
		// deposit and Chloé's page offer no payment nor refund of it.
		their, err := e.ledger.CreateSale(ctx, central.NewSale{Member: w.chloe.ID, Product: 3, Source: central.SourceAdmin,
			PaidBy: central.PaidBy{Method: central.Unpaid}})
		if err != nil {
			t.Fatal(err)
		}
		_, body = hangar.get("/sales/unpaid")
		mustContain(t, body, "Carte Hangar")
		mustNotContain(t, body, "Pass réseau", "/sales/"+fmtInt(their.ID)+"/")
		_, body = cantine.get("/sales/unpaid")
		mustContain(t, body, "Pass réseau")
		mustNotContain(t, body, "Carte Hangar")
		_, body = hangar.get("/members/" + chloe)
		mustContain(t, body, "/sales/"+fmtInt(owed.ID)+"/paid", "/sales/"+fmtInt(owed.ID)+"/refund")
		for _, s := range cs[:nChloe] {
			mustNotContain(t, body, "/sales/"+fmtInt(s.ID)+"/refund")
		}
		mustNotContain(t, body, "/sales/"+fmtInt(their.ID)+"/paid", "/sales/"+fmtInt(their.ID)+"/refund")
		// Paying or refunding La Cantine's sales by id: 404, unchanged.
		alices := sales(w.alice.ID)
		for _, id := range []int64{their.ID, alices[0].ID, cs[0].ID, 9999} {
			resp, _ := hangar.post("/sales/"+fmtInt(id)+"/paid", url.Values{"paid": {"cash"}})
			mustStatus(t, resp, http.StatusNotFound)
			resp, _ = hangar.post("/sales/"+fmtInt(id)+"/refund", url.Values{})
			mustStatus(t, resp, http.StatusNotFound)
		}
		if got, _ := e.ledger.FindSaleByID(ctx, their.ID); got.PaidBy.Method != central.Unpaid || got.IsRefunded() {
			t.Errorf("La Cantine's owed sale changed by Le Hangar: %+v", got.PaidBy)
		}
		for _, s := range append(alices, cs[:nChloe]...) {
			if got, _ := e.ledger.FindSaleByID(ctx, s.ID); got.IsRefunded() {
				t.Errorf("La Cantine's sale %d refunded by Le Hangar", s.ID)
			}
		}
		// Hers: paid in cash, then refunded.
		resp, _ = hangar.post("/sales/"+fmtInt(owed.ID)+"/paid", url.Values{"paid": {"cash"}, "back": {"member"}})
		mustStatus(t, resp, http.StatusSeeOther)
		if got, _ := e.ledger.FindSaleByID(ctx, owed.ID); got.PaidBy.Method != central.PaidCash {
			t.Errorf("her sale paid by %q, want cash", got.PaidBy.Method)
		}
		_, body = hangar.get("/sales/deposit")
		mustContain(t, body, "Chloé Réseau")
		resp, _ = hangar.post("/sales/"+fmtInt(owed.ID)+"/refund", url.Values{})
		mustStatus(t, resp, http.StatusSeeOther)
		if got, _ := e.ledger.FindSaleByID(ctx, owed.ID); !got.IsRefunded() {
			t.Errorf("her sale not refunded")
		}
		// A treasurer of Le Hangar sells and refunds as its admin does.
		_, treasurer := e.spaceUser(central.RoleTreasurer, w.hangar.ID)
		resp, _ = treasurer.post("/members/"+bob+"/sales", url.Values{"product": {hangarCard}, "paid": {"cheque"}, "bank": {"Crédit Coopératif"}, "cheque": {"1234567"}, "confirm": {"1"}})
		mustStatus(t, resp, http.StatusSeeOther)
		bs := sales(w.bob.ID)
		if len(bs) != nBob+1 || bs[len(bs)-1].Product != 2 {
			t.Fatalf("Bob's sales after his treasurer's: %d, want %d", len(bs), nBob+1)
		}
		resp, _ = treasurer.post("/sales/"+fmtInt(bs[len(bs)-1].ID)+"/refund", url.Values{})
		mustStatus(t, resp, http.StatusSeeOther)
		resp, _ = treasurer.post("/sales/"+fmtInt(alices[0].ID)+"/refund", url.Values{})
		mustStatus(t, resp, http.StatusNotFound)
	})

	t.Run("EraseHersOnly", func(t *testing.T) {
		// Chloé holds a network pass: La Cantine's and Le Hangar's. Le
		// Hangar's bureau cannot erase her; Bob, Le Hangar's alone, it can.
		resp, body := hangar.post("/members/"+fmtInt(w.chloe.ID)+"/erase", url.Values{"confirm": {"1"}})
		mustStatus(t, resp, http.StatusForbidden)
		mustContain(t, body, "seul un compte du réseau peut l’effacer")
		if _, err := e.members.FindMemberByID(ctx, w.chloe.ID); err != nil {
			t.Errorf("Chloé erased by one space's bureau: %v", err)
		}
		resp, _ = hangar.post("/members/"+fmtInt(w.bob.ID)+"/erase", url.Values{"confirm": {"1"}})
		mustStatus(t, resp, http.StatusSeeOther)
		if _, err := e.members.FindMemberByID(ctx, w.bob.ID); central.ErrorCode(err) != central.ENOTFOUND {
			t.Errorf("Bob not erased by his space's bureau: %v", err)
		}
	})

	t.Run("NewMemberIsHerSpaces", func(t *testing.T) {
		resp, _ := hangar.post("/members", url.Values{"name": {"Dora Neuve"}})
		mustStatus(t, resp, http.StatusSeeOther)
		loc := resp.Header.Get("Location")
		resp, body := hangar.get(loc)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, "Dora Neuve")
		resp, _ = cantine.get(loc)
		mustStatus(t, resp, http.StatusNotFound)
		_, body = cantine.get("/export/members.csv")
		mustNotContain(t, body, "Dora Neuve")
	})
}

// TestSpaceStats: a user of a space counts her space's visits, members,
// guests and entries, and her space's books (the sales of the products it
// sells, the entries left on its cards); a network user counts the
// network's, or one space's with ?space=ID.
func TestSpaceStats(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	_, hangar := e.spaceUser(central.RoleAdmin, w.hangar.ID)
	_, cantine := e.spaceUser(central.RoleAdmin, w.cantine.ID)
	_, network := e.spaceUser(central.RoleAdmin, 0)
	// sum adds the last column of a CSV export's rows.
	sum := func(c *client, path string) int {
		t.Helper()
		resp, body := c.get(path)
		mustStatus(t, resp, http.StatusOK)
		n := 0
		for i, line := range strings.Split(strings.TrimSpace(body), "\n") {
			if i == 0 {
				continue // the header
			}
			cols := strings.Split(strings.TrimSpace(line), ";") // the French export: semicolons
			v, err := strconv.Atoi(cols[len(cols)-1])
			if err != nil {
				t.Fatalf("%s: line %q", path, line)
			}
			n += v
		}
		return n
	}
	hangarID := fmtInt(w.hangar.ID)
	for _, c := range []struct {
		who  *client
		path string
		want int
	}{
		{hangar, "/stats/visits-days.csv", 1}, {cantine, "/stats/visits-days.csv", 2}, {network, "/stats/visits-days.csv", 3},
		{network, "/stats/visits-days.csv?space=" + hangarID, 1}, {network, "/stats/visits-weeks.csv?space=" + hangarID, 1},
		{hangar, "/stats/visits-days.csv?space=" + fmtInt(w.cantine.ID), 1}, // her own space whatever she asks
		{hangar, "/stats/members.csv", 1}, {cantine, "/stats/members.csv", 2}, {network, "/stats/members.csv", 3},
		{network, "/stats/members.csv?space=" + hangarID, 1},
		{hangar, "/stats/hours.csv", 1}, {cantine, "/stats/hours.csv", 2}, {network, "/stats/hours.csv", 3},
		{network, "/stats/hours.csv?space=" + hangarID, 1},
		{hangar, "/stats/guests.csv", 0},
	} {
		if got := sum(c.who, c.path); got != c.want {
			t.Errorf("%s: %d, want %d", c.path, got, c.want)
		}
	}
	// Sales: Le Hangar sold Bob's card (70 €), La Cantine Alice's card
	// (80 €) and Chloé's network pass (90 €), whoever used them where.
	cantineID := fmtInt(w.cantine.ID)
	for _, c := range []struct {
		who          *client
		path         string
		cards, cents int
	}{
		{hangar, "/stats/sales.csv", 1, 7000}, {cantine, "/stats/sales.csv", 2, 17000}, {network, "/stats/sales.csv", 3, 24000},
		{network, "/stats/sales.csv?space=" + hangarID, 1, 7000}, {network, "/stats/sales.csv?space=" + cantineID, 2, 17000},
		{hangar, "/stats/sales.csv?space=" + cantineID, 1, 7000}, // her own space whatever she asks
		{hangar, "/stats/sales.csv?space=0", 1, 7000},
		{network, "/stats/sales.csv?space=99", 3, 24000}, // no such space: the network
	} {
		if cards, cents := salesSums(t, c.who, c.path); cards != c.cards || cents != c.cents {
			t.Errorf("%s: %d cards, %d cents; want %d, %d", c.path, cards, cents, c.cards, c.cents)
		}
	}
	// The page: her space's sales and the entries left on its cards (one
	// used of ten on each).
	_, treasurer := e.spaceUser(central.RoleTreasurer, w.hangar.ID)
	_, door := e.spaceUser(central.RoleDoor, w.hangar.ID)
	for _, c := range []struct {
		who   *client
		path  string
		title string
		owed  string
	}{
		{hangar, "/stats", "Statistiques · Le Hangar", `id="owed">9<`},
		{treasurer, "/stats", "Statistiques · Le Hangar", `id="owed">9<`},
		{hangar, "/stats?space=" + cantineID, "Statistiques · Le Hangar", `id="owed">9<`},
		{cantine, "/stats", "Statistiques · " + w.cantine.Name, `id="owed">18<`},
		{network, "/stats", "Statistiques", `id="owed">27<`},
		{network, "/stats?space=" + hangarID, "Statistiques · Le Hangar", `id="owed">9<`},
		{network, "/stats?space=" + cantineID, "Statistiques · " + w.cantine.Name, `id="owed">18<`},
	} {
		resp, body := c.who.get(c.path)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, c.title, c.owed, `href="/stats/sales.csv`)
	}
	_, body := hangar.get("/stats")
	mustContain(t, body, `href="/stats/sales.csv"`, "70,00", "Entrées encore à utiliser\u00a0: 9. Cartes en cours vendues par Le Hangar\u00a0: 1.")
	mustNotContain(t, body, `id="stats-space"`, "80,00", "90,00", "170,00", "240,00")
	_, body = network.get("/stats")
	mustContain(t, body, `<select id="stats-space" name="space">`, `href="/stats/sales.csv"`, "240,00")
	_, body = network.get("/stats?space=" + hangarID)
	mustContain(t, body, "/stats/visits-days.csv?space="+hangarID, `href="/stats/sales.csv?space=`+hangarID+`"`, "70,00")
	mustNotContain(t, body, "240,00")
	// Door staff read no sales, at a space as in the network.
	resp, _ := door.get("/stats/sales.csv")
	mustStatus(t, resp, http.StatusForbidden)
	_, body = door.get("/stats")
	mustContain(t, body, "Statistiques · Le Hangar")
	mustNotContain(t, body, "/stats/sales.csv", `id="owed"`)
}

// salesSums adds the cards and the amounts (in cents) of the sales per
// month export, read raw.
func salesSums(t *testing.T, c *client, path string) (cards, cents int) {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	resp, body := c.get(path + sep + "format=raw")
	mustStatus(t, resp, http.StatusOK)
	for i, line := range strings.Split(strings.TrimSpace(body), "\n") {
		cols := strings.Split(strings.TrimSpace(line), ",")
		if i == 0 {
			if strings.Join(cols, ",") != "month,cards,subscriptions,amount" {
				t.Fatalf("%s: header %q", path, line)
			}
			continue
		}
		n, err1 := strconv.Atoi(cols[1])
		euros, frac, _ := strings.Cut(cols[3], ".")
		e, err2 := strconv.Atoi(euros + frac)
		if err1 != nil || err2 != nil || len(frac) != 2 {
			t.Fatalf("%s: line %q", path, line)
		}
		cards, cents = cards+n, cents+e
	}
	return cards, cents
}

// TestAdminUserSpace: the admin users' form gives a user one space or the
// whole network, and changes it; an unknown space is refused; an admin
// cannot give herself a space (she would lose the network's pages).
func TestAdminUserSpace(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	me, c := e.spaceUser(central.RoleAdmin, 0)
	_, body := c.get("/settings")
	mustContain(t, body, `<select id="uspace" name="space"`, "tout le réseau", ">Le Hangar</option>", ">"+w.cantine.Name+"</option>")
	resp, _ := c.post("/settings/users", url.Values{"email": {"hangar@example.org"}, "role": {"door"},
		"space": {fmtInt(w.hangar.ID)}, "password": {"correct horse battery"}})
	mustStatus(t, resp, http.StatusSeeOther)
	u, err := e.store.FindAdminUserByEmail(e.ctx(), "hangar@example.org")
	if err != nil || u.Space != w.hangar.ID || u.Role != central.RoleDoor {
		t.Fatalf("created %+v, %v; want a door user of space %d", u, err, w.hangar.ID)
	}
	_, body = c.get("/settings")
	mustContain(t, body, `<span class="tag">Le Hangar</span>`)
	resp, _ = c.post("/settings/users", url.Values{"email": {"x@example.org"}, "role": {"door"}, "space": {"99"},
		"password": {"correct horse battery"}})
	mustStatus(t, resp, http.StatusBadRequest)
	if _, err := e.store.FindAdminUserByEmail(e.ctx(), "x@example.org"); central.ErrorCode(err) != central.ENOTFOUND {
		t.Errorf("a user of an unknown space was made: %v", err)
	}
	// Her space changes her sessions: they end.
	uc := e.sessionFor(u)
	resp, _ = c.post("/settings/users/"+fmtInt(u.ID), url.Values{"role": {"door"}, "space": {"0"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if u, _ = e.store.FindAdminUserByID(e.ctx(), u.ID); u.Space != 0 {
		t.Errorf("space %d, want 0 (the network)", u.Space)
	}
	if resp, _ := uc.get("/members"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("her session survived the change of space: %d", resp.StatusCode)
	}
	resp, _ = c.post("/settings/users/"+fmtInt(u.ID), url.Values{"space": {"abc"}})
	mustStatus(t, resp, http.StatusBadRequest)
	resp, _ = c.post("/settings/users/"+fmtInt(me.ID), url.Values{"space": {fmtInt(w.hangar.ID)}})
	mustStatus(t, resp, http.StatusBadRequest)
	if me, _ = e.store.FindAdminUserByID(e.ctx(), me.ID); me.Space != 0 {
		t.Errorf("an admin gave herself a space")
	}
}

func mustNotContain(t testing.TB, body string, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(body, n) {
			t.Errorf("page holds %q", n)
		}
	}
}

// TestSpaceMemberLinks: Alice, of La Cantine, refused at Le Hangar's door
// shows on the Today and entries pages of Le Hangar's bureau; her name
// linked to her page, which answers "Page introuvable" to that bureau (a
// dead end). Her name stays, without the link; the network's bureau still
// has it, and Bob's (Le Hangar's member) stays a link.
func TestSpaceMemberLinks(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	now := e.clock.Now()
	b, _, err := e.badges.IssueBadge(e.ctx(), w.alice.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.sync.Push(e.ctx(), &central.Push{Kiosk: w.hangarKiosk.ID, Received: now, SentAt: now, Entries: []*central.Entry{
		{ID: "0190b2a0-0000-7000-8000-000000000199", Seq: 9, Member: w.alice.ID, Badge: b.Hash, KioskTime: now.Add(-30 * time.Second),
			Reason: access.NotValidHere}}}); err != nil {
		t.Fatal(err)
	}
	_, hangar := e.spaceUser(central.RoleAdmin, w.hangar.ID)
	alice, bob := fmt.Sprintf(`href="/members/%d"`, w.alice.ID), fmt.Sprintf(`href="/members/%d"`, w.bob.ID)
	for _, p := range []string{"/today", "/entries", fmt.Sprintf("/entries?member=%d", w.alice.ID)} {
		resp, body := hangar.get(p)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, "Alice Martin")
		mustNotContain(t, body, alice)
		if !strings.Contains(p, "member=") {
			mustContain(t, body, bob)
		}
	}
	resp, _ := hangar.get(fmt.Sprintf("/members/%d", w.alice.ID))
	mustStatus(t, resp, http.StatusNotFound) // why the link goes

	network := e.as(central.RoleAdmin)
	for _, p := range []string{"/today?space=" + fmtInt(w.hangar.ID), "/entries"} {
		_, body := network.get(p)
		mustContain(t, body, alice, bob)
	}
}

// TestSpaceGuestPass: Le Hangar's bureau invites a guest of Bob (its
// member); the pass was signed for the main space (setting space.name),
// so Le Hangar's door, which checks a pass with its own space's name,
// refused the guest, and La Cantine's let her in. It is Le Hangar's now;
// the network's bureau still invites to the main space.
func TestSpaceGuestPass(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	_, hangar := e.spaceUser(central.RoleAdmin, w.hangar.ID)
	day := access.DayOf(e.clock.Now(), access.Paris).String()
	resp, _ := hangar.post(fmt.Sprintf("/members/%d/guests", w.bob.ID), url.Values{"guest_name": {"Léa Invitée"}, "guest_day": {day}})
	mustStatus(t, resp, http.StatusSeeOther)
	resp, _ = e.as(central.RoleAdmin).post(fmt.Sprintf("/members/%d/guests", w.alice.ID), url.Values{"guest_name": {"Paul Invité"}, "guest_day": {day}})
	mustStatus(t, resp, http.StatusSeeOther)
	passes, _, err := e.cfg.Guests.FindGuestPasses(e.ctx(), central.GuestFilter{})
	if err != nil || len(passes) != 2 {
		t.Fatalf("passes: %v %d", err, len(passes))
	}
	doors := doorSpaces(t, e, w.hangarKiosk, w.cantineKiosk)
	for _, g := range passes {
		want := doors[w.cantineKiosk.ID]
		if g.Host == w.bob.ID {
			want = doors[w.hangarKiosk.ID]
		}
		if g.Space != want {
			t.Errorf("%s's pass is for %q, its door checks %q", g.Name, g.Space, want)
		}
	}
}

// TestNetworkGuestPass: the network's bureau invites a guest of Bob, a
// member of Le Hangar only: the pass was signed for the main space, where
// Bob is no member, and refused at Le Hangar's door. It is Le Hangar's
// now; Chloé, of both spaces (a network pass), invites to the main space.
func TestNetworkGuestPass(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	network := e.as(central.RoleAdmin)
	day := access.DayOf(e.clock.Now(), access.Paris).String()
	for _, m := range []*central.Member{w.bob, w.chloe} {
		resp, _ := network.post(fmt.Sprintf("/members/%d/guests", m.ID), url.Values{"guest_name": {"Invité·e de " + m.Name}, "guest_day": {day}})
		mustStatus(t, resp, http.StatusSeeOther)
	}
	doors := doorSpaces(t, e, w.hangarKiosk, w.cantineKiosk)
	passes, _, err := e.cfg.Guests.FindGuestPasses(e.ctx(), central.GuestFilter{})
	if err != nil || len(passes) != 2 {
		t.Fatalf("passes: %v %d", err, len(passes))
	}
	for _, g := range passes {
		want := doors[w.cantineKiosk.ID]
		if g.Host == w.bob.ID {
			want = doors[w.hangarKiosk.ID]
		}
		if g.Space != want {
			t.Errorf("%s's pass is for %q, want %q", g.Name, g.Space, want)
		}
	}
}

// doorSpaces returns the space each kiosk's door checks passes for, by
// kiosk id, as the kiosks pull it.
func doorSpaces(t *testing.T, e *env, kiosks ...*central.Kiosk) map[int64]string {
	t.Helper()
	doors := map[int64]string{}
	for _, k := range kiosks {
		page, err := e.sync.Pull(e.ctx(), central.PullRequest{Kiosk: k.ID, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		doors[k.ID] = page.Settings.Space
	}
	return doors
}
