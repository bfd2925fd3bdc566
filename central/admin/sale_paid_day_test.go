package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestSalePaidDayRefused: « Paiement reçu » with a day to come (26
// November, the 27th typed) answered an error page, « Données
// incorrectes : Un paiement ne peut pas être daté d’un jour à venir. »,
// whose way back reloaded the form without what was typed. Now it
// answers 400 with the sales to collect, that sale's form as typed (the
// method, the day, the cheque's details open, where to go back after),
// the mistake next to the day; corrected, it records the payment and
// goes where it would have. The same for a day unreadable, and in English;
// a sale no longer in the list has the mistake on top of it.
func TestSalePaidDayRefused(t *testing.T) {
	e := newEnv(t)
	seed(t, e) // Alice (member 1), a 10-entry card at 80 € (product 1), sold once (sale 1, paid)
	tr := e.as(T)
	for range 2 { // sales 2 and 3, not paid yet
		resp, _ := tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {"60"}, "paid": {"unpaid"}, "confirm": {"1"}})
		mustStatus(t, resp, http.StatusSeeOther)
	}
	typed := url.Values{"paid": {"cheque"}, "day": {"2026-11-27"}, "bank": {"Crédit Mutuel"}, "cheque": {"1234567"},
		"payer": {"Jean Martin"}, "back": {"member"}}
	resp, body := tr.post("/sales/2/paid", typed)
	mustStatus(t, resp, http.StatusBadRequest)
	// formOf is the form of a sale on the page.
	formOf := func(body, action string) string {
		t.Helper()
		i := strings.Index(body, `<form method="post" action="`+action)
		if i < 0 {
			t.Fatalf("no form %s on the page:\n%s", action, body)
		}
		form, _, _ := strings.Cut(body[i:], "</form>")
		return form
	}
	form := formOf(body, "/sales/2/paid#paid-form-2")
	mustContain(t, form, `<input type="hidden" name="back" value="member">`, `<option value="cheque" selected>`,
		`name="day" type="date" value="2026-11-27" max="2026-11-26" aria-invalid="true" aria-describedby="paid-error-2">`,
		"<p class=\"field-error\" id=\"paid-error-2\" role=\"alert\">Le 27/11/2026 n’est pas encore arrivé\u00a0: un paiement est reçu aujourd’hui (26/11/2026) au plus tard.</p>",
		"<details open>", `value="Crédit Mutuel"`, `value="1234567"`, `value="Jean Martin"`)
	mustContain(t, body, "Ventes à encaisser", `action="/sales/3/paid#paid-form-3"`)
	mustNotContain(t, body, "Oups", "Données incorrectes", "day to come")
	other := formOf(body, "/sales/3/paid")
	mustContain(t, other, `value="2026-11-26" max="2026-11-26">`)
	mustNotContain(t, other, "field-error", "Jean Martin", `name="back"`)
	sale := func(id int64) *central.Sale {
		t.Helper()
		sales, _, err := e.ledger.FindSales(e.ctx(), central.SaleFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sales {
			if s.ID == id {
				return s
			}
		}
		t.Fatalf("no sale %d", id)
		return nil
	}
	if s := sale(2); s.PaidBy.Method != central.Unpaid {
		t.Fatalf("the sale after a day to come: %+v", s)
	}

	typed.Set("day", "demain")
	resp, body = tr.post("/sales/2/paid", typed)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `value="demain" max="2026-11-26" aria-invalid="true" aria-describedby="paid-error-2">`,
		`id="paid-error-2" role="alert">Date illisible (AAAA-MM-JJ).</p>`)

	typed.Set("day", "2026-11-25")
	resp, _ = tr.post("/sales/2/paid", typed)
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/members/1?done=sale_paid" {
		t.Errorf("corrected: Location %q, want the member's page", loc)
	}
	if s := sale(2); s.PaidBy.Method != central.PaidCheque || s.PaidBy.Day.String() != "2026-11-25" {
		t.Errorf("the sale corrected: %+v", s.PaidBy)
	}

	// Its form no longer in the list (paid meanwhile): the mistake on top.
	typed.Set("day", "2026-11-27")
	resp, body = tr.post("/sales/2/paid", typed)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `<p class="error" role="alert">Le 27/11/2026 n’est pas encore arrivé`)
	mustNotContain(t, body, `action="/sales/2/paid`)

	tr.get("/lang/en")
	resp, body = tr.post("/sales/3/paid", url.Values{"paid": {"cash"}, "day": {"2026-12-01"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `id="paid-error-3" role="alert">2026-12-01 has not come yet: a payment is received today (2026-11-26) at the latest.</p>`,
		`<option value="cash" selected>`)
}
