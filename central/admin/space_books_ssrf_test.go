package admin_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestSpaceBooksAPIURLNetworkOnly: a space's admin keeps its own Pennylane
// company's token up to date, but its API address was hers to change
// too: she pointed central at any host (the LAN's, the cloud's metadata
// service at 169.254.169.254), which the connection check and the
// invoices' worker then called with the token, the check telling her
// what answered. The address is the network's to change (403, kept);
// the same form posted as shown (the address unchanged) still saves.
func TestSpaceBooksAPIURLNetworkOnly(t *testing.T) {
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
	hangar.get(hangarBooks)
	resp, body := hangar.post(hangarBooks, url.Values{"s.pennylane.api_url": {"http://169.254.169.254/latest"}})
	mustStatus(t, resp, http.StatusForbidden)
	mustContain(t, body, "Seul le bureau du réseau change l’adresse d’une API")
	if u := books()["pennylane.api_url"]; u != "" {
		t.Fatalf("a space's admin set its API address to %q", u)
	}
	resp, _ = hangar.post(hangarBooks, url.Values{"s.pennylane.token": {"plt_hangar_second_0123456789"},
		"s.pennylane.api_url": {"https://app.pennylane.com/api/external/v2"}, "s.pennylane.finalize": {"false"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if b := books(); b["pennylane.token"] != "plt_hangar_second_0123456789" {
		t.Fatalf("books %v", b)
	}
}
