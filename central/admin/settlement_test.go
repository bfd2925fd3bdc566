package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// seedNetwork adds La Cantine to the main space, a network pass sold by
// the main space, and one visit of it at La Cantine today (the visit the
// main space owes La Cantine). It returns the two spaces.
func (e *env) seedNetwork() (main, cantine *central.Space) {
	e.t.Helper()
	ctx := e.ctx()
	spaces := sqlstore.NewSpaceService(e.db.DB)
	cantine = &central.Space{Name: "La Cantine"}
	if err := spaces.CreateSpace(ctx, cantine); err != nil {
		e.t.Fatal(err)
	}
	all, err := spaces.FindSpaces(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	p := &central.Product{Name: "Pass réseau", Kind: access.Pack, Entries: 10, Price: 12000}
	if err := e.products.CreateProduct(ctx, p); err != nil {
		e.t.Fatal(err)
	}
	if err := spaces.SetProductSpaces(ctx, p.ID, central.MainSpace, central.ProductSpaces{All: true}); err != nil {
		e.t.Fatal(err)
	}
	m := &central.Member{Name: "Nadia Réseau"}
	if err := e.members.CreateMember(ctx, m); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.ledger.CreateSale(ctx, central.NewSale{Member: m.ID, Product: p.ID, Source: central.SourceCLI}); err != nil {
		e.t.Fatal(err)
	}
	k := &central.Kiosk{Name: "Cantine", Space: cantine.Key}
	if _, err := e.kiosks.CreateKiosk(ctx, k); err != nil {
		e.t.Fatal(err)
	}
	now := e.clock.Now()
	if _, err := e.sync.Push(ctx, &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: []*central.Entry{
		{ID: "0190b2a0-0000-7000-8000-0000000019a1", Seq: 1, Member: m.ID, KioskTime: now, Accept: true, Reason: access.OKPack,
			KioskConsumed: 1},
	}}); err != nil {
		e.t.Fatal(err)
	}
	return all[0], cantine
}

// TestSettlementPage (issue 14): the treasurer sees the month's visits
// between spaces, sets the convention's rate (303 back to the month) and
// then sees what the main space owes La Cantine; the CSV opens in French
// Excel (BOM, semicolons, decimal commas); the PDF is a pair's statement.
// The door role and a treasurer of one space cannot see it; a bad rate is
// refused in French.
func TestSettlementPage(t *testing.T) {
	e := newEnv(t)
	main, _ := e.seedNetwork()
	c := e.as(central.RoleTreasurer)
	resp, body := c.get("/settlement?month=2026-11")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d\n%s", resp.StatusCode, body)
	}
	mustContain(t, body, `type="month"`, `value="2026-11"`, main.Name+" – La Cantine", "Des visites sans convention",
		"Aucune convention pour l’instant.", `href="/settlement.pdf?month=2026-11&amp;a=1&amp;b=2"`,
		"← octobre 2026", "décembre 2026 →") // months in words, not 2026-10

	resp, body = c.post("/settlement/conventions", url.Values{"host": {"2"}, "seller": {"1"}, "rate": {"3,50"}, "month": {"2026-11"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/settlement?month=2026-11&done=convention_saved" {
		t.Fatalf("convention: status %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	_, body = c.get("/settlement?month=2026-11&done=convention_saved")
	mustContain(t, body, "Convention enregistrée.", main.Name+" doit 3,50\u00a0€ à La Cantine", "1 visite\u00a0: 3,50\u00a0€")
	if strings.Contains(body, "Des visites sans convention") {
		t.Error("the pair still said to have no convention")
	}
	_, body = c.get("/settlement?month=2026-10")
	mustContain(t, body, "Aucune visite entre espaces ce mois-ci.")

	resp, body = c.get("/settlement.csv?month=2026-11")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "\ufeffMois;Espace qui reçoit;Espace vendeur;Visites;Tarif par visite (€);Montant (€);Convention\r\n") ||
		!strings.Contains(body, "novembre\u00a02026;La Cantine;"+main.Name+";1;3,50;3,50;oui\r\n") {
		t.Fatalf("CSV: status %d\n%q", resp.StatusCode, body)
	}
	resp, body = c.get("/settlement.pdf?month=2026-11&a=2&b=1")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-1.4") ||
		!strings.Contains(body, "La Cantine") {
		t.Fatalf("PDF: status %d, %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := c.get("/settlement.pdf?month=2026-11&a=2&b=9"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("PDF of an unknown space: status %d", resp.StatusCode)
	}

	resp, body = c.post("/settlement/conventions", url.Values{"host": {"2"}, "seller": {"2"}, "rate": {"1"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Une convention lie deux espaces différents.") {
		t.Errorf("a convention of a space with itself: status %d", resp.StatusCode)
	}
	resp, _ = c.post("/settlement/conventions", url.Values{"host": {"1"}, "seller": {"2"}, "rate": {"2000"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a rate over 1000 €: status %d", resp.StatusCode)
	}
	if resp, _ := c.get("/settlement?month=2026-13"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad month: status %d", resp.StatusCode)
	}
	if resp, _ := e.as(central.RoleDoor).get("/settlement"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the door role on /settlement: status %d", resp.StatusCode)
	}
	// A treasurer of one space: the settlement is the network's.
	_, local := e.spaceUser(central.RoleTreasurer, 2)
	if resp, _ := local.get("/settlement"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a treasurer of La Cantine on /settlement: status %d", resp.StatusCode)
	}
}

// TestSpacesPage (issue 14): an admin sets a space's Slack channel and
// mail sender name (303, kept as the store normalizes them); a channel
// name is refused in French; a treasurer cannot.
func TestSpacesPage(t *testing.T) {
	e := newEnv(t)
	e.seedNetwork()
	a := e.as(central.RoleAdmin)
	resp, body := a.get("/spaces")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	mustContain(t, body, "La Cantine", `name="slack_channel"`, `name="mail_name"`)
	resp, _ = a.post("/spaces/2/messaging", url.Values{"slack_channel": {"c0cantine01"}, "mail_name": {"La Cantine (Lyon)"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d", resp.StatusCode)
	}
	_, body = a.get("/spaces?done=space_saved")
	mustContain(t, body, "Espace enregistré.", `value="C0CANTINE01"`, `value="La Cantine (Lyon)"`)
	resp, body = a.post("/spaces/2/messaging", url.Values{"slack_channel": {"#cantine"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Salon Slack invalide") {
		t.Errorf("a channel name: status %d", resp.StatusCode)
	}
	if resp, _ := a.post("/spaces/9/messaging", url.Values{"slack_channel": {""}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown space: status %d", resp.StatusCode)
	}
	if resp, _ := e.as(central.RoleTreasurer).post("/spaces/2/messaging", url.Values{"mail_name": {"X"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a treasurer: status %d", resp.StatusCode)
	}
}
