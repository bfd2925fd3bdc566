package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

// follow gets the page a 303 sends to.
func (c *client) follow(resp *http.Response, _ string) (*http.Response, string) {
	c.e.t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		c.e.t.Fatalf("%s %s: status %d, want 303", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode)
	}
	return c.get(resp.Header.Get("Location"))
}

// TestOneTimeViews: making a badge or a link answers 303 to a one-time
// view; a reload says "déjà affiché" and makes nothing; the member's page
// offers to show the badge again (a reprint) while the view lives, only
// to the session that made it; the page says whether the new badge is a
// second one or replaces the first (issue 18).
func TestOneTimeViews(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	door := e.as(D)
	count := func() (all, valid int) {
		bs, _, err := e.badges.FindBadges(e.ctx(), central.BadgeFilter{Member: ptr(int64(1))})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bs {
			if !b.IsRevoked() {
				valid++
			}
		}
		return len(bs), valid
	}
	all0, valid0 := count()
	if valid0 == 0 {
		t.Fatal("seed: Alice has no valid badge")
	}

	resp, _ := door.post("/members/1/badges", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	view := resp.Header.Get("Location")
	if !strings.HasPrefix(view, "/shown/") {
		t.Fatalf("badge: 303 to %q, want /shown/…", view)
	}
	resp, body := door.get(view)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "badge-card", "<svg", "C’est un badge de plus", "marche toujours")
	// A reload: no QR, no new badge.
	resp, body = door.get(view)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Déjà affiché", "Réafficher pour réimprimer")
	if strings.Contains(body, "badge-card") {
		t.Error("a reload shows the QR code again")
	}
	if all, valid := count(); all != all0+1 || valid != valid0+1 {
		t.Errorf("badges %d (%d valid), want %d (%d valid): one more, the first still valid", all, valid, all0+1, valid0+1)
	}
	// The member's page offers the reprint, which shows the same card.
	_, body = door.get("/members/1")
	mustContain(t, body, view+"?again=1", "Réafficher le badge")
	_, body = door.get(view + "?again=1")
	mustContain(t, body, "badge-card", "<svg")
	// Another session sees nothing of it.
	other := e.as(A)
	resp, body = other.get(view + "?again=1")
	mustStatus(t, resp, http.StatusGone)
	if strings.Contains(body, "badge-card") {
		t.Error("another session sees the QR code")
	}
	if _, body = other.get("/members/1"); strings.Contains(body, view) {
		t.Error("another session is offered the reprint")
	}

	// Replace: says which badges stop working.
	resp, _ = door.post("/members/1/badges", url.Values{"replace": {"1"}})
	_, body = door.follow(resp, "")
	mustContain(t, body, "Ce badge remplace le n°", "n’ouvre plus la porte")
	if _, valid := count(); valid != 1 {
		t.Errorf("after a replacement %d valid badges, want 1", valid)
	}

	// Expired: gone, and no reprint offered.
	e.clock.Add(16 * time.Minute)
	resp, _ = door.get(view + "?again=1")
	mustStatus(t, resp, http.StatusGone)
	if _, body = door.get("/members/1"); strings.Contains(body, "/shown/") {
		t.Error("an expired view is still offered")
	}

	// The sheet: nobody ticked goes back to the list with a word.
	resp, _ = door.post("/badges/sheet", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = door.follow(resp, "")
	mustContain(t, body, "Aucun membre coché")
	resp, _ = door.post("/badges/sheet", url.Values{"member": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = door.follow(resp, "")
	mustContain(t, body, "Feuille de badges", "badge-card")
}

// TestSaleAsksFirst: a sale without confirm=1 sells nothing and goes to
// a page that says what will happen; confirming sells (issue 18).
func TestSaleAsksFirst(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	tr := e.as(T)
	sales := func() int {
		ss, _, err := e.store.SaleRows(e.ctx(), adminstore.SaleRowFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(ss)
	}
	n0 := sales()
	resp, _ := tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {"75"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if n := sales(); n != n0 {
		t.Fatalf("a sale was made before confirming: %d sales, want %d", n, n0)
	}
	resp, body := tr.follow(resp, "")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Confirmer la vente", "Alice Martin", "75,00\u00a0€", `name="confirm" value="1"`, `name="amount" value="75"`)
	resp, _ = tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {"75"}, "confirm": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if n := sales(); n != n0+1 {
		t.Errorf("%d sales after confirming, want %d", n, n0+1)
	}
}

// TestSellMistake: a sale with an unreadable amount goes back to the
// member's page (303), the message next to the field and the typed
// values kept, nothing sold; an error page leads back to the page the
// request came from (issue 18: never a dead end).
func TestSellMistake(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	tr := e.as(T)
	resp, _ := tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {"dix euros"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/members/1?") || !strings.HasSuffix(loc, "#sell") {
		t.Fatalf("a mistake goes to %q, want the member's page", loc)
	}
	_, body := tr.follow(resp, "")
	mustContain(t, body, "Alice Martin", `class="field-error"`, "Montant illisible", `value="dix euros"`, `aria-invalid="true"`, `<option value="1" selected>`)
	if ss, _, _ := e.store.SaleRows(e.ctx(), adminstore.SaleRowFilter{}); len(ss) != 1 {
		t.Errorf("%d sales, want the seed's 1", len(ss))
	}
	// An error page: back to where the user was.
	req, _ := http.NewRequest("POST", e.ts.URL+"/sales/999/refund", strings.NewReader(url.Values{"csrf": {tr.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", e.ts.URL+"/members/1?x=1")
	resp, body = tr.do(req)
	mustStatus(t, resp, http.StatusNotFound)
	mustContain(t, body, `href="/members/1?x=1"`, "Revenir corriger")
	req.Header.Set("Referer", "https://evil.example/members/1")
	_, body = tr.do(req)
	if strings.Contains(body, "evil.example") {
		t.Error("an error page links to another site")
	}
	// Without a page to go back to: the bureau's start page, and for
	// someone without a session (an old personal link, a public event)
	// the way to find her link, never the bureau’s login.
	resp, body = tr.get("/members/999")
	mustStatus(t, resp, http.StatusNotFound)
	mustContain(t, body, `href="/today">Retour à l’accueil`)
	for _, path := range []string{"/e/999"} {
		resp, body = e.client().get(path)
		if resp.StatusCode < 400 {
			t.Fatalf("GET %s: %d, want an error page", path, resp.StatusCode)
		}
		mustContain(t, body, `href="/m">Retrouver mon lien`)
		if strings.Contains(body, `href="/login"`) {
			t.Errorf("GET %s: the error page leads a member to the bureau's login", path)
		}
	}
}

// TestEntriesByName: the entries are filtered by typing a member's name,
// never her number (issue 18).
func TestEntriesByName(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	for _, name := range []string{"Alain Martin", "Zoé Durand"} {
		if err := e.members.CreateMember(e.ctx(), &central.Member{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	c := e.as(A)
	_, body := c.get("/entries")
	mustContain(t, body, `name="who"`, "Tapez un nom")
	if strings.Contains(body, "N° de membre") {
		t.Error("the filter asks for a member's number")
	}
	// One match: her entries, her name in the field and the title.
	_, body = c.get("/entries?who=alice")
	mustContain(t, body, `value="Alice Martin"`, `href="/members/1">Alice Martin</a>`, `href="/entries.csv?member=1"`)
	// Several: links to choose, each keeping the other filters.
	_, body = c.get("/entries?who=martin&decision=accepted")
	mustContain(t, body, "Plusieurs membres correspondent à «\u00a0martin\u00a0»", "Alain Martin", "decision=accepted&amp;member=1")
	// Nobody.
	_, body = c.get("/entries?who=personne")
	mustContain(t, body, "Aucun membre ne correspond à «\u00a0personne\u00a0».")
}
