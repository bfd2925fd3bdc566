package admin_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestFrenchNumbers: numbers of things in French messages were written
// « 10000 » (an event's capacity refused said « La capacité va de 1 à
// 10000 places. »), where French writes « 10 000 »: the counts of the
// bureau's messages that can pass 9 999 are written with a no-break
// space in French and a comma in English. And a product's price typed
// below zero said « Prix illisible » of a price read well: it says a
// price cannot be negative.
func TestFrenchNumbers(t *testing.T) {
	e := newEnv(t)
	a := e.as(central.RoleAdmin)
	resp, body := a.post("/events", url.Values{"title": {"Fête"}, "start": {"2026-12-03T18:00"},
		"end": {"2026-12-03T20:00"}, "capacity": {"10001"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "La capacité va de 1 à 10\u00a0000 places.")
	mustNotContain(t, body, "10000")

	resp, body = a.post("/products", url.Values{"name": {"Carnet"}, "kind": {"pack"}, "entries": {"20"}, "price": {"-5"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `aria-invalid="true" aria-describedby="price-error"`,
		"<p class=\"field-error\" id=\"price-error\" role=\"alert\">Le prix ne peut pas être négatif\u00a0: écrivez 0 pour un produit gratuit.</p>")
	mustNotContain(t, body, "Prix illisible")
	_, body = a.post("/products", url.Values{"name": {"Carnet"}, "kind": {"pack"}, "entries": {"20"}, "price": {"douze"}})
	mustContain(t, body, "Prix illisible (exemple\u00a0: 80,00).")

	// A card of 10 000 entries, valid 36 600 days: the products' list,
	// the sale's confirmation and the member's standing.
	aliceAndProduct(t, e, &central.Product{Name: "Carte", Kind: access.Pack, Entries: 10000, Days: 36600, Price: 100})
	_, body = a.get("/products")
	mustContain(t, body, "36\u00a0600 jours")
	_, body = a.get("/members/1/sales/confirm?product=1&paid=cash")
	mustContain(t, body, "Elle aura 10\u00a0000 entrées de plus.")
	resp, _ = a.post("/members/1/sales", url.Values{"product": {"1"}, "paid": {"cash"}, "confirm": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = a.get("/members/1")
	mustContain(t, body, "carnet\u00a0: 10\u00a0000 entrées restantes")

	a.get("/lang/en")
	_, body = a.get("/members/1/sales/confirm?product=1&paid=cash")
	mustContain(t, body, "She will have 10,000 more entries.")
	_, body = a.get("/members/1")
	mustContain(t, body, "card: 10,000 entries left")
	resp, body = a.post("/products", url.Values{"name": {"Carnet"}, "kind": {"pack"}, "entries": {"20"}, "price": {"-5"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "The price cannot be negative: write 0 for a free product.")
}
