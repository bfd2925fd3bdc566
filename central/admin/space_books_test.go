package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestSpaceBooksPage (issue 14): an admin gives a space its own books
// from its page (303): its association's name and Pennylane token (the
// secret never shown again, an empty secret kept, "-" clearing it); the
// selects' defaults posted with a part the space has none of do not make
// it the space's; a bad SIRET is refused in French (400, the typed value
// kept); an unknown space answers 404 and a treasurer 403.
func TestSpaceBooksPage(t *testing.T) {
	e := newEnv(t)
	e.seedNetwork()
	a := e.as(central.RoleAdmin)
	resp, body := a.get("/spaces")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	mustContain(t, body, `href="/spaces/2/books"`)
	resp, body = a.get("/spaces/2/books")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	mustContain(t, body, "Comptabilité propre d’un espace", `name="s.pennylane.token"`, `name="s.association.siret"`,
		`name="s.helloasso.client_secret"`)
	const token = "plt_cantine_company_0123456789"
	resp, _ = a.post("/spaces/2/books", url.Values{"s.association.name": {"Association La Cantine"},
		"s.association.address": {""}, "s.association.siret": {""}, "s.billing.vat_rate": {"exempt"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d", resp.StatusCode)
	}
	resp, _ = a.post("/spaces/2/books", url.Values{"s.pennylane.token": {token}, "s.pennylane.finalize": {"false"},
		"s.pennylane.api_url": {"https://app.pennylane.com/api/external/v2"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d", resp.StatusCode)
	}
	// HelloAsso's part posted as shown (defaults, empty secrets): nothing
	// of its own.
	resp, _ = a.post("/spaces/2/books", url.Values{"s.helloasso.client_id": {""}, "s.helloasso.client_secret": {""},
		"s.helloasso.api_url": {"https://api.helloasso.com/v5"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d", resp.StatusCode)
	}
	spaces := sqlstore.NewSpaceService(e.db.DB)
	books := func() map[string]string {
		all, err := spaces.FindSpaces(e.ctx())
		if err != nil {
			t.Fatal(err)
		}
		return all[1].Books
	}
	if b := books(); len(b) != 2 || b["association.name"] != "Association La Cantine" || b["pennylane.token"] != token {
		t.Fatalf("books %v: want the name and the token only", b)
	}
	_, body = a.get("/spaces/2/books?done=space_books_saved")
	mustContain(t, body, "Comptabilité de l’espace enregistrée.", `value="Association La Cantine"`, "enregistré (caché)")
	if strings.Contains(body, token) || strings.Contains(body, "/hooks/helloasso/spaces/2") {
		t.Fatal("the page shows the token, or a webhook URL for a space without HelloAsso of its own")
	}
	resp, _ = a.post("/spaces/2/books", url.Values{"s.pennylane.token": {""}}) // kept
	if resp.StatusCode != http.StatusSeeOther || books()["pennylane.token"] != token {
		t.Fatalf("an empty secret: status %d, books %v", resp.StatusCode, books())
	}
	resp, body = a.post("/spaces/2/books", url.Values{"s.association.siret": {"123"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "association.siret") || !strings.Contains(body, `value="123"`) {
		t.Errorf("a bad SIRET: status %d", resp.StatusCode)
	}
	resp, _ = a.post("/spaces/2/books", url.Values{"s.pennylane.token": {"-"}})
	if resp.StatusCode != http.StatusSeeOther || books()["pennylane.token"] != "" {
		t.Fatalf("clearing the token: status %d, books %v", resp.StatusCode, books())
	}
	if resp, _ := a.get("/spaces/9/books"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown space: status %d", resp.StatusCode)
	}
	if resp, _ := e.as(central.RoleTreasurer).post("/spaces/2/books", url.Values{"s.association.name": {"X"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a treasurer: status %d", resp.StatusCode)
	}
}

// TestSpaceBooksBySpaceAdmin: once the network has given Le Hangar its own
// Pennylane company, Le Hangar's admin reaches its books from her menu
// and changes its token (303); she may neither give her space a part of
// its own (its association: 403, nothing stored) nor end one (clearing
// its only Pennylane key: 403, kept), and another space's books answer
// 404. A space without books of its own shows no link.
func TestSpaceBooksBySpaceAdmin(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	spaces := sqlstore.NewSpaceService(e.db.DB)
	if err := spaces.SetSpaceBooks(e.ctx(), w.hangar.ID, "pennylane.token", "plt_hangar_first_0123456789"); err != nil {
		t.Fatal(err)
	}
	books := func() map[string]string {
		all, err := spaces.FindSpaces(e.ctx())
		if err != nil {
			t.Fatal(err)
		}
		return central.SpaceByID(all, w.hangar.ID).Books
	}
	hangarBooks := "/spaces/" + fmtInt(w.hangar.ID) + "/books"
	_, hangar := e.spaceUser(central.RoleAdmin, w.hangar.ID)
	_, body := hangar.get("/today")
	mustContain(t, body, `href="`+hangarBooks+`"`, "Comptabilité de l’espace")
	resp, body := hangar.get(hangarBooks)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, `name="s.pennylane.token"`, "Cette partie est celle du réseau.")
	mustNotContain(t, body, `name="s.association.name"`, `name="s.helloasso.client_secret"`, `href="/spaces"`)

	const token = "plt_hangar_second_0123456789"
	resp, _ = hangar.post(hangarBooks, url.Values{"s.pennylane.token": {token}})
	mustStatus(t, resp, http.StatusSeeOther)
	if b := books(); b["pennylane.token"] != token || len(b) != 1 {
		t.Fatalf("books %v: want the new token only", b)
	}
	resp, body = hangar.post(hangarBooks, url.Values{"s.association.name": {"Association Le Hangar"}})
	mustStatus(t, resp, http.StatusForbidden)
	mustContain(t, body, "Seul le bureau du réseau décide")
	resp, _ = hangar.post(hangarBooks, url.Values{"s.pennylane.token": {"-"}})
	mustStatus(t, resp, http.StatusForbidden)
	if b := books(); b["pennylane.token"] != token || len(b) != 1 {
		t.Fatalf("books %v after refused changes: want the token only", b)
	}
	for _, path := range []string{"/spaces/" + fmtInt(w.cantine.ID) + "/books", "/spaces/999/books"} {
		resp, _ = hangar.get(path)
		mustStatus(t, resp, http.StatusNotFound)
		resp, _ = hangar.post(path, url.Values{"s.pennylane.token": {token}})
		mustStatus(t, resp, http.StatusNotFound)
	}
	resp, _ = hangar.get("/spaces")
	mustStatus(t, resp, http.StatusForbidden)

	_, cantine := e.spaceUser(central.RoleAdmin, w.cantine.ID)
	_, body = cantine.get("/today")
	mustNotContain(t, body, "/books\"", "Comptabilité de l’espace")
	_, treasurer := e.spaceUser(central.RoleTreasurer, w.hangar.ID)
	resp, _ = treasurer.get(hangarBooks)
	mustStatus(t, resp, http.StatusForbidden)
}
