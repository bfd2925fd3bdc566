package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestEveryPage renders every page with data, in both languages, and
// checks that no message key is missing.
func TestEveryPage(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	seed(t, e)
	for _, lang := range []string{"fr", "en"} {
		c.get("/lang/" + lang)
		for _, path := range []string{"/today", "/members", "/members?q=ali", "/members/1", "/members/new", "/members/1/edit",
			"/members/import", "/products", "/sales", "/sales?month=2026-11", "/sales/unpaid", "/sales/deposit", "/sales/deposit?day=2026-11-26", "/register", "/register?year=2027", "/members?dues=paid", "/members?dues=unpaid", "/entries", "/entries?decision=refused&day=2026-11-26",
			"/kiosks", "/settings", "/audit", "/export", "/stats"} {
			resp, body := c.get(path)
			if resp.StatusCode != 200 {
				t.Errorf("%s %s: status %d\n%s", lang, path, resp.StatusCode, body)
				continue
			}
			if m := regexp.MustCompile(`\[[a-z_]+\.[a-z_.]+\]`).FindString(body); m != "" {
				t.Errorf("%s %s: untranslated message %s", lang, path, m)
			}
			if !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s %s: not in %s", lang, path, lang)
			}
		}
	}
}

// seed adds a member, a product, a sale, a kiosk and entries.
func seed(t testing.TB, e *env) {
	t.Helper()
	ctx := e.ctx()
	m := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := e.members.CreateMember(ctx, m); err != nil {
		t.Fatal(err)
	}
	p := &central.Product{Name: "Carnet 10 entrées", Kind: access.Pack, Entries: 10, Price: 8000}
	if err := e.products.CreateProduct(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ledger.CreateSale(ctx, central.NewSale{Member: m.ID, Product: p.ID, Source: central.SourceAdmin}); err != nil {
		t.Fatal(err)
	}
	k := &central.Kiosk{Name: "Porte"}
	if _, err := e.kiosks.CreateKiosk(ctx, k); err != nil {
		t.Fatal(err)
	}
	b, _, err := e.badges.IssueBadge(ctx, m.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	if _, err := e.sync.Push(ctx, &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: []*central.Entry{
		{ID: "0190b2a0-0000-7000-8000-000000000001", Seq: 1, Member: m.ID, Badge: b.Hash, KioskTime: now.Add(-2 * time.Minute),
			Accept: true, Reason: access.OKPack},
		{ID: "0190b2a0-0000-7000-8000-000000000002", Seq: 2, KioskTime: now.Add(-time.Minute), Reason: access.UnknownBadge},
	}}); err != nil {
		t.Fatal(err)
	}
}

func TestMemberFlow(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	resp, _ := c.post("/members", url.Values{"name": {"  Zoé   Durand "}, "email": {"zoe@example.org"}})
	mustStatus(t, resp, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "/members/") {
		t.Fatalf("redirect to %q", loc)
	}
	_, body := c.get(loc)
	mustContain(t, body, "Zoé Durand", "Membre ajouté.")

	resp, body = c.post("/members", url.Values{"name": {"Autre"}, "email": {"ZOE@example.org"}})
	mustStatus(t, resp, http.StatusConflict)
	// A mistake is said next to its field, with what was typed kept
	// (issue 18).
	mustContain(t, body, `<p class="field-error" id="email-error" role="alert">Un autre membre a déjà cette adresse e-mail.</p>`,
		`value="ZOE@example.org" autocomplete="off" aria-invalid="true" aria-describedby="email-error"`, `value="Autre"`)
	resp, body = c.post("/members", url.Values{"name": {""}, "email": {"zoe2@example.org"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `aria-invalid="true" aria-describedby="name-error"`, `id="name-error" role="alert">Le nom est obligatoire.</p>`, `value="zoe2@example.org"`)

	id := strings.TrimPrefix(strings.Split(loc, "?")[0], "/members/")
	resp, _ = c.post("/members/"+id+"/status", url.Values{"status": {"suspended"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = c.get("/members?status=suspended")
	mustContain(t, body, "Zoé Durand", "Suspendu")
	_, body = c.get("/members?status=active")
	if strings.Contains(body, "Zoé Durand") {
		t.Error("a suspended member listed as active")
	}
	// The audit log names the admin who made the change, in words
	// (issue 18: no member.update, no member:12).
	_, body = c.get("/audit?object=member:" + id)
	mustContain(t, body, "admin@example.org", "a modifié le membre Zoé Durand", "a ajouté le membre Zoé Durand", "Statut\u00a0: Suspendu")
	for _, code := range []string{"member.update", "member.create", "member:"} {
		if strings.Contains(textOf(body), code) {
			t.Errorf("the journal shows the code %q", code)
		}
	}
}
