package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestMembershipRegister: the register of a year lists the members whose
// dues cover part of it, with the day they joined and the year's dues, and
// counts the voting members; refunded dues do not count; the CSV is in
// the people's format by default and raw with ?format=raw. Member pages
// say until when dues run, and the members list filters on them.
func TestMembershipRegister(t *testing.T) {
	e := newEnv(t) // today is 2026-11-26: a calendar year paid now covers 2027 too
	ctx := e.ctx()
	year := &central.Product{Name: "Adhésion", Kind: access.Membership, Price: 2000}
	if err := e.products.CreateProduct(ctx, year); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, name := range []string{"Zoé Blanc", "Alice Martin", "Bruno Petit"} {
		m := &central.Member{Name: name}
		if err := e.members.CreateMember(ctx, m); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	sell := func(member int64, amount int64) *central.Sale {
		s, err := e.ledger.CreateSale(ctx, central.NewSale{Member: member, Product: year.ID, Amount: &amount, Source: central.SourceAdmin})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	sell(ids[0], 2000)
	sell(ids[1], 1500)
	sell(ids[1], 2500) // renewed: 2028
	refunded := sell(ids[2], 2000)
	if _, err := e.ledger.RefundSale(ctx, refunded.ID); err != nil {
		t.Fatal(err)
	}
	c := e.as(central.RoleTreasurer)
	resp, body := c.get("/register?year=2027")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "2 membres à jour", "Alice Martin", "Zoé Blanc", "26/11/2026", "15,00", "20,00", "35,00")
	if strings.Contains(body, "Bruno Petit") {
		t.Error("refunded dues count in the register")
	}
	if strings.Index(body, "Alice Martin") > strings.Index(body, "Zoé Blanc") {
		t.Error("the register is not in the order of names")
	}
	_, body = c.get("/members/" + itoa(ids[1]))
	mustContain(t, body, `id="dues">À jour jusqu’au 31/12/2028`)
	_, body = c.get("/members/" + itoa(ids[2]))
	mustContain(t, body, `id="dues" class="neg">Pas à jour`)
	_, body = c.get("/members?dues=unpaid")
	if !strings.Contains(body, "Bruno Petit") || strings.Contains(body, "Alice Martin") {
		t.Errorf("members without dues: want Bruno only")
	}
	_, body = c.get("/register?year=2028")
	mustContain(t, body, "1 membre à jour", "Alice Martin", "25,00")
	_, body = c.get("/register?year=2025")
	mustContain(t, body, "0 membre à jour", "Aucune cotisation")

	resp, body = c.get("/register.csv?year=2027")
	mustStatus(t, resp, http.StatusOK)
	if !strings.HasPrefix(body, "\ufeff") || !strings.Contains(body, "Nom;") || !strings.Contains(body, "Alice Martin;;Actif;26/11/2026") || !strings.Contains(body, "15,00") {
		t.Errorf("register CSV for people:\n%s", body)
	}
	_, body = c.get("/register.csv?year=2027&format=raw")
	if !strings.HasPrefix(body, "id,name,email,status,joined,dues_eur,dues_until") || !strings.Contains(body, "Alice Martin,,active,") {
		t.Errorf("raw register CSV:\n%s", body)
	}
	resp, _ = e.as(central.RoleDoor).get("/register")
	mustStatus(t, resp, http.StatusForbidden)
}

// TestMembershipProductForm: the products form sells dues for the
// calendar year (days ignored) or for a number of days (required).
func TestMembershipProductForm(t *testing.T) {
	e := newEnv(t)
	tr := e.as(central.RoleTreasurer)
	resp, _ := tr.post("/products", url.Values{"name": {"Adhésion 2027"}, "kind": {"membership_year"}, "days": {"30"}, "price": {"20"}})
	mustStatus(t, resp, http.StatusSeeOther)
	resp, _ = tr.post("/products", url.Values{"name": {"Adhésion un an"}, "kind": {"membership"}, "days": {"365"}, "price": {"20"}})
	mustStatus(t, resp, http.StatusSeeOther)
	resp, body := tr.post("/products", url.Values{"name": {"Adhésion ?"}, "kind": {"membership"}, "price": {"20"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Une adhésion en jours a besoin d’une durée")
	ps, _, _ := e.products.FindProducts(e.ctx(), central.ProductFilter{})
	if len(ps) != 2 || !ps[0].YearLong() || ps[1].Kind != access.Membership || ps[1].Days != 365 {
		t.Fatalf("products: %+v %+v", ps[0], ps[len(ps)-1])
	}
	_, body = tr.get("/products")
	mustContain(t, body, "Année civile", "365 jours", "Adhésion (cotisation)")
}
