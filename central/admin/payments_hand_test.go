package admin_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestHandPaymentsFlow: the sell form records how a sale was paid; a sale
// not paid yet shows on the member's page as owed and in the sales to
// collect; the treasurer records its cheque (303), which then shows on
// the day's deposit slip with its payer, bank and number.
func TestHandPaymentsFlow(t *testing.T) {
	e := newEnv(t)
	seed(t, e) // Alice (member 1), a 10-entry card at 80 € (product 1), sold once
	tr := e.as(T)
	// The form goes through its confirmation page, which posts its
	// fields again with confirm=1.
	resp, _ := tr.post("/members/1/sales", url.Values{"product": {"1"}, "paid": {"cash"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "/sales/confirm?") || !strings.Contains(loc, "paid=cash") {
		t.Fatalf("the sale's confirmation lost its payment: %q", loc)
	}
	_, body := tr.get(resp.Header.Get("Location"))
	mustContain(t, body, `name="paid" value="cash"`, "<p id=\"confirm-paid\">Payé par\u00a0: <strong>Espèces</strong>")
	// The confirmation says how it is paid, the cheque's details, and the
	// product's price when the amount is another.
	resp, _ = tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {"70"}, "paid": {"cheque"}, "bank": {"Crédit Mutuel"}, "cheque": {"1234567"}})
	_, body = tr.get(resp.Header.Get("Location"))
	mustContain(t, body, "Payé par\u00a0: <strong>Chèque</strong> — Crédit Mutuel — N° de chèque 1234567", "Prix du produit\u00a0: 80,00")
	_, body = tr.get("/members/1/sales/confirm?product=1")
	mustContain(t, body, "Payé par\u00a0: <strong>Autre / non précisé</strong>")
	if strings.Contains(body, "Prix du produit") {
		t.Error("the confirmation gives the price again for a sale at the price")
	}
	resp, _ = tr.get("/members/1/sales/confirm?product=1&paid=bitcoin")
	mustStatus(t, resp, http.StatusBadRequest)
	resp, _ = tr.post("/members/1/sales", url.Values{"product": {"1"}, "paid": {"cash"}, "confirm": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	resp, _ = tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {"60"}, "paid": {"unpaid"}, "confirm": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	for _, bad := range []string{"bitcoin", "helloasso"} {
		resp, _ = tr.post("/members/1/sales", url.Values{"product": {"1"}, "paid": {bad}, "confirm": {"1"}})
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.Contains(loc, "sell_error=paid") {
			t.Errorf("paid=%s: back to %q, want the member's page with the error", bad, loc)
		}
	}
	sales, _, _ := e.ledger.FindSales(e.ctx(), central.SaleFilter{})
	if len(sales) != 3 || sales[0].PaidBy.Method != central.PaidOther || sales[1].PaidBy.Method != central.PaidCash ||
		sales[2].PaidBy.Method != central.Unpaid {
		t.Fatalf("sales recorded: %+v", sales)
	}
	owed := sales[2].ID

	_, body = tr.get("/members/1")
	mustContain(t, body, `id="owes">60,00`, "Pas encore payé", `action="/sales/`)
	_, body = tr.get("/sales/unpaid")
	mustContain(t, body, "Alice Martin", "60,00", "À encaisser en tout\u00a0: 60,00")

	// A read-only user sees what is owed, without the form.
	_, body = e.as(R).get("/sales/unpaid")
	if strings.Contains(body, `/paid"`) {
		t.Error("a read-only user gets the form recording a payment")
	}

	resp, _ = tr.post("/sales/"+itoa(owed)+"/paid", url.Values{"paid": {"cheque"}, "day": {"2026-11-26"},
		"bank": {"Crédit Coopératif"}, "cheque": {"0012345"}, "payer": {"Jean Martin"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/sales/unpaid?done=sale_paid" {
		t.Errorf("after recording a payment: Location %q", loc)
	}
	resp, _ = tr.post("/sales/"+itoa(owed)+"/paid", url.Values{"paid": {"cash"}})
	mustStatus(t, resp, http.StatusConflict)
	_, body = tr.get("/sales/unpaid")
	mustContain(t, body, "Rien à encaisser.")
	_, body = tr.get("/members/1")
	if strings.Contains(body, `id="owes"`) {
		t.Error("the member still owes after her payment")
	}
	_, body = tr.get("/sales/deposit?day=2026-11-26")
	mustContain(t, body, "Bordereau de remise de chèques", "Jean Martin", "Crédit Coopératif", "0012345", "60,00",
		"Total de 1 chèque", "Alice Martin", "80,00") // the cash sale, paid by Alice
}

// TestSaleMistakeKeepsPayment: a sale's amount typed wrong goes back to
// the member's page with what was typed; how it was paid and the cheque's
// details were lost ("Payé par" back on "Autre / non précisé", the bank,
// number and payer empty), to be typed again or, worse, left as is.
func TestSaleMistakeKeepsPayment(t *testing.T) {
	e := newEnv(t)
	tr := e.as(T)
	aliceAndProduct(t, e, &central.Product{Name: "Carnet 10 entrées", Kind: access.Pack, Entries: 10, Price: 8000})
	resp, _ := tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {"-5"}, "paid": {"cheque"},
		"bank": {"Crédit Coopératif"}, "cheque": {"0012345"}, "payer": {"Jean Martin"}})
	mustStatus(t, resp, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	if !strings.Contains(loc, "sell_error=amount") {
		t.Fatalf("a negative amount: back to %q", loc)
	}
	_, body := tr.get(loc)
	mustContain(t, body, `value="-5" aria-invalid="true"`, `<option value="cheque" selected>`, `<details open>`,
		`value="Crédit Coopératif"`, `value="0012345"`, `value="Jean Martin"`)
	mustNotContain(t, body, `<option value="other" selected>`)

	// Owed: "Pas encore payé" is kept too.
	resp, _ = tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {"dix"}, "paid": {"unpaid"}})
	_, body = tr.get(resp.Header.Get("Location"))
	mustContain(t, body, `<option value="unpaid" selected>`)
	// A method the form does not offer is not kept: "Autre / non précisé".
	resp, _ = tr.post("/members/1/sales", url.Values{"product": {"1"}, "paid": {"bitcoin"}})
	_, body = tr.get(resp.Header.Get("Location"))
	mustContain(t, body, `<option value="other" selected>`, "<details>")
}

// TestEnglishColons: labels before their values on the English pages had
// the French space before the colon ("Paid by : Cash", "Last login : …",
// "A space's own books : La Cantine").
func TestEnglishColons(t *testing.T) {
	e := newEnv(t)
	e.seedNetwork()
	a := e.as(central.RoleAdmin)
	if err := e.members.CreateMember(e.ctx(), &central.Member{Name: "Alice Martin"}); err != nil {
		t.Fatal(err)
	}
	pages := map[string][2]string{
		"/members/2/sales/confirm?product=1&paid=cheque&payer=Jean+Martin": {"<p id=\"confirm-paid\">Payé par\u00a0: <strong>Chèque</strong>", "Payeur\u00a0: Jean Martin"},
		"/settings":       {"Dernière connexion\u00a0: ", ""},
		"/spaces/2/books": {"<h1>Comptabilité propre d’un espace\u00a0: La Cantine</h1>", ""},
	}
	for p, want := range pages {
		resp, body := a.get(p)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, want[0], want[1])
	}
	a.get("/lang/en")
	english := map[string][]string{
		"/members/2/sales/confirm?product=1&paid=cheque&payer=Jean+Martin": {`<p id="confirm-paid">Paid by: <strong>Cheque</strong>`, "Payer: Jean Martin"},
		"/settings":       {"Last login: "},
		"/spaces/2/books": {"<h1>A space&#39;s own books: La Cantine</h1>"},
	}
	for p, want := range english {
		_, body := a.get(p)
		mustContain(t, body, want...)
		mustNotContain(t, body, "Paid by :", "Payer :", "Last login :", "own books :")
	}
}

// TestSaleConfirmOnce: the sale's confirmation sent twice (a double tap
// on "Oui, enregistrer la vente", or back and send again) recorded two
// sales; now the second records nothing and says so.
func TestSaleConfirmOnce(t *testing.T) {
	e := newEnv(t)
	tr := e.as(T)
	aliceAndProduct(t, e, &central.Product{Name: "Journée", Kind: access.Pack, Entries: 1, Price: 1000})
	_, body := tr.get("/members/1/sales/confirm?product=1&paid=cash")
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(body, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	if form.Get("once") == "" || form.Get("confirm") != "1" {
		t.Fatalf("the confirmation's form: %v", form)
	}
	resp, _ := tr.post("/members/1/sales", form)
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/members/1?done=sale_created" {
		t.Errorf("first: %q", loc)
	}
	resp, _ = tr.post("/members/1/sales", form)
	mustStatus(t, resp, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	if loc != "/members/1?done=sale_once" {
		t.Errorf("again: %q", loc)
	}
	_, body = tr.get(loc)
	mustContain(t, body, "Vente déjà enregistrée\u00a0: le formulaire a été envoyé deux fois, elle ne compte qu’une fois.")
	if sales, _, _ := e.ledger.FindSales(e.ctx(), central.SaleFilter{}); len(sales) != 1 {
		t.Errorf("%d sales recorded, want 1", len(sales))
	}
	// A second sale is its own confirmation: recorded.
	_, body = tr.get("/members/1/sales/confirm?product=1&paid=cash")
	again := regexp.MustCompile(`name="once" value="([^"]+)"`).FindStringSubmatch(body)
	if again == nil || again[1] == form.Get("once") {
		t.Fatalf("the second confirmation's token: %v", again)
	}
	form.Set("once", again[1])
	resp, _ = tr.post("/members/1/sales", form)
	if loc := resp.Header.Get("Location"); loc != "/members/1?done=sale_created" {
		t.Errorf("second sale: %q", loc)
	}
	if sales, _, _ := e.ledger.FindSales(e.ctx(), central.SaleFilter{}); len(sales) != 2 {
		t.Errorf("%d sales recorded, want 2", len(sales))
	}
}

// TestCreateOnce: the new member's and the new event's forms sent twice
// (a double tap on a slow phone) added two members, two events; now the
// second goes to what the first made, and says so.
func TestCreateOnce(t *testing.T) {
	e := newEnv(t)
	a := e.as(A)
	onceOf := func(page string) url.Values {
		_, body := a.get(page)
		m := regexp.MustCompile(`name="once" value="([^"]+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no one-time token", page)
		}
		return url.Values{"once": {m[1]}}
	}
	for _, c := range []struct {
		page, post, first, again, said string
		form                           url.Values
	}{
		{"/members/new", "/members", "/members/1?done=member_created", "/members/1?done=member_once",
			"Membre déjà ajouté\u00a0: le formulaire a été envoyé deux fois", url.Values{"name": {"Alice Martin"}}},
		{"/events", "/events", "/events/1?done=event_created", "/events/1?done=event_once",
			"Événement déjà créé\u00a0: le formulaire a été envoyé deux fois", url.Values{"title": {"Atelier vélo"},
				"start": {"2026-12-03T18:00"}, "end": {"2026-12-03T20:00"}, "capacity": {"10"}}},
	} {
		form := onceOf(c.page)
		for k, v := range c.form {
			form[k] = v
		}
		resp, _ := a.post(c.post, form)
		if loc := resp.Header.Get("Location"); loc != c.first {
			t.Errorf("%s: %q, want %q", c.post, loc, c.first)
		}
		resp, _ = a.post(c.post, form)
		mustStatus(t, resp, http.StatusSeeOther)
		loc := resp.Header.Get("Location")
		if loc != c.again {
			t.Errorf("%s again: %q, want %q", c.post, loc, c.again)
		}
		_, body := a.get(loc)
		mustContain(t, body, c.said)
	}
	if ms, _, _ := e.members.FindMembers(e.ctx(), central.MemberFilter{}); len(ms) != 1 {
		t.Errorf("%d members, want 1", len(ms))
	}
	if evs, _ := e.cfg.Calendar.FindEvents(e.ctx(), central.EventFilter{}); len(evs) != 1 {
		t.Errorf("%d events, want 1", len(evs))
	}
	// A mistake keeps the token: corrected, the form adds the member.
	form := onceOf("/members/new")
	resp, body := a.post("/members", url.Values{"name": {""}, "once": form["once"]})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `name="once" value="`+form.Get("once")+`"`)
	form.Set("name", "Bob Durand")
	resp, _ = a.post("/members", form)
	if loc := resp.Header.Get("Location"); loc != "/members/2?done=member_created" {
		t.Errorf("after a mistake: %q", loc)
	}
}

// TestSaleNegativeAmount: a negative amount was answered "Montant
// illisible (exemple : 80,00)", though -5 reads well; now it says why.
func TestSaleNegativeAmount(t *testing.T) {
	e := newEnv(t)
	tr := e.as(T)
	aliceAndProduct(t, e, &central.Product{Name: "Journée", Kind: access.Pack, Entries: 1, Price: 1000})
	for amount, want := range map[string]string{
		"-5":    "Le montant payé ne peut pas être négatif\u00a0: pour rendre de l’argent, remboursez la vente.",
		"-12,5": "Le montant payé ne peut pas être négatif",
		"dix":   "Montant illisible (exemple\u00a0: 80,00).",
	} {
		resp, _ := tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {amount}, "paid": {"cash"}})
		mustStatus(t, resp, http.StatusSeeOther)
		_, body := tr.get(resp.Header.Get("Location"))
		mustContain(t, body, want, `aria-invalid="true" aria-describedby="amount-error"`)
		if amount != "dix" {
			mustNotContain(t, body, "Montant illisible")
		}
	}
	if sales, _, _ := e.ledger.FindSales(e.ctx(), central.SaleFilter{}); len(sales) != 0 {
		t.Errorf("%d sales recorded", len(sales))
	}
}

// aliceAndProduct makes the member Alice Martin (id 1) and the product p
// (id 1).
func aliceAndProduct(t *testing.T, e *env, p *central.Product) {
	t.Helper()
	if err := e.members.CreateMember(e.ctx(), &central.Member{Name: "Alice Martin"}); err != nil {
		t.Fatal(err)
	}
	if err := e.products.CreateProduct(e.ctx(), p); err != nil {
		t.Fatal(err)
	}
}

// TestSalesCSVSaysPayment: the sales export, the accountant's, did not say
// how a sale was paid, nor whether: a sale not paid yet read as any other.
// Now each line says how it was paid, on which day, and a cheque's bank,
// number and payer (raw: the codes, cash… unpaid, and the day YYYY-MM-DD).
func TestSalesCSVSaysPayment(t *testing.T) {
	e := newEnv(t)
	seed(t, e) // Alice (member 1), a 10-entry card at 80 € (product 1), sold once
	tr := e.as(T)
	tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {"70"}, "paid": {"cheque"}, "bank": {"Crédit Coopératif"},
		"cheque": {"0012345"}, "payer": {"Jean Martin"}, "confirm": {"1"}})
	tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {"60"}, "paid": {"unpaid"}, "confirm": {"1"}})
	today := access.DayOf(e.clock.Now(), access.Paris)
	_, body := tr.get("/sales.csv")
	mustContain(t, body, ";Montant (€);Origine;Référence externe;Début;Fin;Remboursée le;N° de facture;Entrées restantes;Payé par;Payé le;Banque;N° de chèque;Payeur;Annulée le\r\n",
		`;70,00;Admin;;`+today.Start(time.UTC).Format("02/01/2006")+`;;;;10;Chèque;`+today.Start(time.UTC).Format("02/01/2006")+`;Crédit Coopératif;"=""0012345""";Jean Martin;`+"\r\n",
		";60,00;Admin;;", ";10;Pas encore payé;;;;;\r\n")
	_, body = tr.get("/sales.csv?format=raw")
	mustContain(t, body, ",invoice_id,entries_left,paid,paid_day,bank,cheque,payer,cancelled\n",
		",10,cheque,"+today.String()+",Crédit Coopératif,0012345,Jean Martin,\n", ",10,unpaid,,,,,\n")
	tr.get("/lang/en")
	_, body = tr.get("/sales.csv")
	mustContain(t, body, ";Entries left;Paid by;Paid on;Bank;Cheque No.;Payer;Cancelled\r\n", ";Cheque;"+today.String()+";", ";Not paid yet;;;;;\r\n")
}

// TestUnpaidSaleCancelled: a sale recorded « Pas encore payé » by mistake
// (or the member changed her mind) is undone by its refund, whose box said
// « L’argent n’est pas rendu par Badgeuse : rendez-le vous-même. » for
// money never received. Now, for a sale not paid yet, the button says
// « Annuler la vente », its box that there is nothing to give back, and
// the flash « Vente annulée » (the paid sale's refund is unchanged).
func TestUnpaidSaleCancelled(t *testing.T) {
	e := newEnv(t)
	seed(t, e) // Alice (member 1), a 10-entry card at 80 € (product 1), sold once (sale 1, paid)
	tr := e.as(T)
	resp, _ := tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {"60"}, "paid": {"unpaid"}, "confirm": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	owed := regexp.MustCompile(`(?s)<details class="confirm"><summary class="button secondary">([^<]*)</summary>\s*<div class="confirm-box"><p>([^<]*)</p>\s*<form method="post" action="/sales/(\d+)/refund">`)
	for _, page := range []string{"/members/1", "/sales"} {
		_, body := tr.get(page)
		boxes := owed.FindAllStringSubmatch(html.UnescapeString(body), -1)
		if len(boxes) != 2 {
			t.Fatalf("%s: %d refund boxes, want 2", page, len(boxes))
		}
		for _, b := range boxes {
			switch b[3] {
			case "2": // not paid yet
				if b[1] != "Annuler la vente" || !strings.Contains(b[2], "Elle n’a pas été payée\u00a0: il n’y a rien à rendre.") ||
					strings.Contains(b[2], "rendez-le") {
					t.Errorf("%s: the unpaid sale's box %q: %q", page, b[1], b[2])
				}
			default:
				if b[1] != "Rembourser" || !strings.Contains(b[2], "rendez-le vous-même") {
					t.Errorf("%s: the paid sale's box %q: %q", page, b[1], b[2])
				}
			}
		}
	}
	resp, _ = tr.post("/sales/2/refund", url.Values{"back": {"member"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/members/1?done=sale_cancelled" {
		t.Errorf("after cancelling: Location %q", loc)
	}
	_, body := tr.get("/members/1?done=sale_cancelled")
	mustContain(t, body, "Vente annulée\u00a0: elle n’était pas payée.")
	_, body = tr.get("/sales/unpaid")
	mustContain(t, body, "Rien à encaisser.")
	tr.get("/lang/en")
	_, body = tr.get("/members/1?done=sale_cancelled")
	mustContain(t, body, "Sale cancelled: it was not paid.")
}

// TestCancelledSaleNotRefund: a sale cancelled while not paid yet
// (« Annuler la vente ») was called a refund everywhere after: « Vente
// remboursée » and « a remboursé … » in the journal, « Remboursée » on the
// sales list and the member's page (with « Pas encore payé » beside it),
// « Remboursée le » in the sales export. No money moved: it now says
// cancelled (« Vente annulée », « a annulé … », « Annulée », « Jamais
// payée », « Annulée le »); the raw export keeps its refunded column (the
// day its credit was withdrawn) and ends with a new cancelled one. A paid
// sale's refund is unchanged.
func TestCancelledSaleNotRefund(t *testing.T) {
	e := newEnv(t)
	seed(t, e) // Alice (member 1), a 10-entry card at 80 € (product 1), sold once (sale 1, paid)
	tr := e.as(T)
	resp, _ := tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {"60"}, "paid": {"unpaid"}, "confirm": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	for _, id := range []string{"2", "1"} { // cancel the unpaid sale, refund the paid one
		resp, _ = tr.post("/sales/"+id+"/refund", nil)
		mustStatus(t, resp, http.StatusSeeOther)
	}
	today := access.DayOf(e.clock.Now(), access.Paris).Start(time.UTC).Format("02/01/2006")
	ad := e.as(A) // the journal is the admins'
	_, body := ad.get("/audit?object=sale:2")
	mustContain(t, body, "Vente annulée", "a annulé la vente n° 2")
	mustNotContain(t, body, "a remboursé", "<td>Vente remboursée")
	_, body = ad.get("/audit?object=sale:1")
	mustContain(t, body, "Vente remboursée", "a remboursé la vente n° 1")
	_, body = ad.get("/audit?action=sale.cancel")
	mustContain(t, body, "a annulé la vente n° 2")
	mustNotContain(t, body, "n° 1 ")

	cell := regexp.MustCompile(`(?s)<tr class="refunded">.*?/sales/(\d+)/receipt.pdf.*?</a> · ([^<]*)</td>`)
	_, body = tr.get("/sales")
	got := map[string]string{}
	for _, m := range cell.FindAllStringSubmatch(body, -1) {
		got[m[1]] = m[2]
	}
	if got["2"] != "Annulée" || got["1"] != "Remboursée" {
		t.Errorf("sales list: %q", got)
	}
	_, body = tr.get("/members/1")
	mustContain(t, body, "Jamais payée", "Annulée")

	_, body = tr.get("/sales.csv")
	mustContain(t, body, ";Remboursée le;N° de facture;Entrées restantes;Payé par;Payé le;Banque;N° de chèque;Payeur;Annulée le\r\n",
		";60,00;Admin;;"+today+";;;;0;Jamais payée;;;;;"+today)
	_, body = tr.get("/sales.csv?format=raw")
	mustContain(t, body, ",entries_left,paid,paid_day,bank,cheque,payer,cancelled\n")
	raw := regexp.MustCompile(`(?m)^2,.*$`).FindString(body)
	cols := strings.Split(raw, ",")
	if len(cols) != 22 || cols[13] == "" || cols[16] != "unpaid" || cols[21] != cols[13] {
		t.Errorf("raw line of the cancelled sale: %q", raw)
	}
	if one := regexp.MustCompile(`(?m)^1,.*$`).FindString(body); !strings.HasSuffix(one, ",") {
		t.Errorf("raw line of the refunded sale: %q", one)
	}
	ad.get("/lang/en")
	_, body = ad.get("/audit?object=sale:2")
	mustContain(t, body, "Sale cancelled", "cancelled sale no. 2")
	tr.get("/lang/en")
	_, body = tr.get("/sales.csv")
	mustContain(t, body, ";Payer;Cancelled\r\n", ";Never paid;")
}

// TestChequeCompletedFromSlip: a cheque recorded without its bank or
// number (the treasurer did not have it at hand) left blank cells on the
// deposit slip, and nothing could complete it. The slip now says how many
// cheques lack them, and each such cheque has a small form (POST
// /sales/{id}/cheque, 303 back to the slip of its day) that completes it.
func TestChequeCompletedFromSlip(t *testing.T) {
	e := newEnv(t)
	seed(t, e) // Alice (member 1), a 10-entry card at 80 € (product 1), sold once (sale 1)
	tr := e.as(T)
	for _, v := range []url.Values{
		{"paid": {"cheque"}, "bank": {"Crédit Coopératif"}}, // sale 2: no number
		{"paid": {"cheque"}}, // sale 3: neither
		{"paid": {"cheque"}, "bank": {"La Banque Postale"}, "cheque": {"7654321"}}, // sale 4: complete
		{"paid": {"cash"}}, // sale 5
	} {
		v.Set("product", "1")
		v.Set("confirm", "1")
		resp, _ := tr.post("/members/1/sales", v)
		mustStatus(t, resp, http.StatusSeeOther)
	}
	day := access.DayOf(e.clock.Now(), access.Paris).String()
	_, body := tr.get("/sales/deposit?day=" + day)
	mustContain(t, body, "2 chèques sans banque ou sans numéro",
		`action="/sales/2/cheque"`, `action="/sales/3/cheque"`, `name="csrf"`, `maxlength="100"`, `maxlength="40"`)
	mustNotContain(t, body, `action="/sales/4/cheque"`, `action="/sales/5/cheque"`)

	resp, _ := tr.post("/sales/3/cheque", url.Values{"bank": {" Crédit  Mutuel "}, "cheque": {"1234567"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/sales/deposit?day="+day+"&done=cheque_completed" {
		t.Errorf("after completing: Location %q", loc)
	}
	_, body = tr.get("/sales/deposit?day=" + day + "&done=cheque_completed")
	mustContain(t, body, "Chèque complété.", "<td>Crédit Mutuel</td><td>1234567</td>", "1 chèque sans banque ou sans numéro")
	mustNotContain(t, body, `action="/sales/3/cheque"`)

	// Bounded, and for cheques only.
	resp, body = tr.post("/sales/2/cheque", url.Values{"cheque": {strings.Repeat("9", 41)}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "trop long")
	resp, _ = tr.post("/sales/5/cheque", url.Values{"bank": {"Crédit Mutuel"}, "cheque": {"1"}})
	mustStatus(t, resp, http.StatusBadRequest)
	resp, _ = tr.post("/sales/2/cheque", url.Values{"cheque": {"0012345"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = tr.get("/sales/deposit?day=" + day)
	mustNotContain(t, body, "sans banque ou sans numéro", `/cheque"`)
	mustContain(t, body, "<td>Crédit Coopératif</td><td>0012345</td>")

	_, body = e.as(A).get("/audit?action=sale.cheque")
	mustContain(t, body, "a complété le chèque de la vente n° 3")
	resp, _ = e.as(D).post("/sales/2/cheque", url.Values{"cheque": {"1"}})
	mustStatus(t, resp, http.StatusForbidden)

	tr.post("/sales/"+"1"+"/refund", nil)
	tr.post("/members/1/sales", url.Values{"product": {"1"}, "paid": {"cheque"}, "confirm": {"1"}})
	tr.get("/lang/en")
	_, body = tr.get("/sales/deposit?day=" + day)
	mustContain(t, body, "1 cheque without bank or number")
}

// TestUndoneInvoicedSaleSaysCreditNote: a sale refunded or cancelled after
// its invoice was made in Pennylane keeps that invoice there (Badgeuse
// sends no credit note), and the flash said only « Vente remboursée. » or
// « Vente annulée ». It now says to make the credit note (avoir) in
// Pennylane; a sale without an invoice keeps the short message.
func TestUndoneInvoicedSaleSaysCreditNote(t *testing.T) {
	e := newEnv(t)
	seed(t, e) // Alice (member 1), a 10-entry card at 80 € (product 1), sold once (sale 1, paid)
	tr := e.as(T)
	for _, paid := range []string{"unpaid", "cash", "cash"} { // sales 2, 3, 4
		resp, _ := tr.post("/members/1/sales", url.Values{"product": {"1"}, "amount": {"60"}, "paid": {paid}, "confirm": {"1"}})
		mustStatus(t, resp, http.StatusSeeOther)
	}
	invoices := sqlstore.NewInvoiceService(e.db.DB)
	for _, sale := range []int64{2, 3} {
		if err := invoices.RecordInvoice(context.Background(), &central.Invoice{Sale: sale, Provider: "pennylane",
			ID: "inv_" + strconv.FormatInt(sale, 10), Number: "F-2026-000" + strconv.FormatInt(sale, 10)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ sale, done, fr, en string }{
		{"2", "sale_cancelled_invoiced", "Vente annulée\u00a0: elle n’était pas payée. Sa facture reste dans Pennylane\u00a0: faites-y un avoir.",
			"Sale cancelled: it was not paid. Its invoice stays in Pennylane: make a credit note there."},
		{"3", "sale_refunded_invoiced", "Vente remboursée. Sa facture reste dans Pennylane\u00a0: faites-y un avoir.",
			"Sale refunded. Its invoice stays in Pennylane: make a credit note there."},
		{"4", "sale_refunded", "Vente remboursée.", "Sale refunded."},
	} {
		resp, _ := tr.post("/sales/"+c.sale+"/refund", url.Values{"back": {"member"}})
		mustStatus(t, resp, http.StatusSeeOther)
		loc := resp.Header.Get("Location")
		if !strings.HasPrefix(loc, "/members/1?done="+c.done) {
			t.Errorf("sale %s: Location %q, want done=%s", c.sale, loc, c.done)
			continue
		}
		tr.get("/lang/fr")
		_, body := tr.get(loc)
		mustContain(t, html.UnescapeString(body), c.fr)
		tr.get("/lang/en")
		_, body = tr.get(loc)
		mustContain(t, html.UnescapeString(body), c.en)
	}
}
