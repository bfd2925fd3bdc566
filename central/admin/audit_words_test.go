package admin_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestAuditCommunityWords: the journal says an event's registrations, a
// member's visibility choices and the bookings in words, in both
// languages: "Statut : [status.confirmed]" (a registration's status read
// as a member's), "La ligne de commande Inscription à un événement :
// l’événement n° 2" (no verb, a number for the event),
// "directory_before / directory / presence_before / presence : oui" and
// "booking : 1" (raw fields) were shown.
func TestAuditCommunityWords(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	ctx := e.ctx()
	alice := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := e.members.CreateMember(ctx, alice); err != nil {
		t.Fatal(err)
	}
	day := e.clock.Now().Add(48 * time.Hour)
	ev := &central.CalendarEvent{Title: "Atelier vélo", Start: day, End: day.Add(2 * time.Hour), Capacity: 10}
	if err := e.cfg.Calendar.CreateEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	r := &central.Registration{Event: ev.ID, Member: alice.ID}
	if err := e.cfg.Calendar.Register(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cfg.Calendar.CancelRegistration(ctx, ev.ID, r.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.cfg.Profiles.SaveProfile(ctx, &central.Profile{Member: alice.ID, InDirectory: true}); err != nil {
		t.Fatal(err)
	}
	room := &central.Resource{Name: "Salle de réunion", Opens: 8 * 60, Closes: 20 * 60, Slot: time.Hour}
	if err := e.cfg.Bookings.CreateResource(ctx, room); err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	at9 := time.Date(2026, 11, 27, 9, 0, 0, 0, paris)
	b := &central.Booking{Resource: room.ID, Member: alice.ID, Start: at9, End: at9.Add(time.Hour)}
	if err := e.cfg.Bookings.Book(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := e.cfg.Bookings.CancelBooking(ctx, b.ID, 0); err != nil {
		t.Fatal(err)
	}

	resp, body := c.get("/audit")
	mustStatus(t, resp, http.StatusOK)
	text := textOf(body)
	mustContain(t, text, "a créé l’événement «\u00a0Atelier vélo\u00a0»",
		"a inscrit Alice Martin à l’événement «\u00a0Atelier vélo\u00a0»", "Statut\u00a0: confirmé·e",
		"a annulé l’inscription d’Alice Martin à l’événement «\u00a0Atelier vélo\u00a0»", "Avant\u00a0: confirmé·e",
		"a changé les choix de visibilité d’Alice Martin", "Dans l’annuaire\u00a0: oui (avant\u00a0: non)",
		"Présence montrée aux membres\u00a0: non (avant\u00a0: non)",
		"a ajouté la ressource «\u00a0Salle de réunion\u00a0»",
		"a réservé la ressource «\u00a0Salle de réunion\u00a0» pour Alice Martin", "Du\u00a0: 27/11/2026 09:00",
		"a annulé une réservation de la ressource «\u00a0Salle de réunion\u00a0»", "Membre\u00a0: Alice Martin")
	mustNotContain(t, text, "[status.", "directory", "presence", "booking", "Réservation\u00a0: ", "Inscription\u00a0: ",
		"l’événement n°", "Inscription à un événement\u00a0:", "ressource n°")

	c.get("/lang/en")
	_, body = c.get("/audit")
	text = textOf(body)
	mustContain(t, text, "registered Alice Martin for the event “Atelier vélo”", "Status: confirmed",
		"cancelled the registration of Alice Martin for the event “Atelier vélo”",
		"In the directory: yes (before: no)", "booked the resource “Salle de réunion” for Alice Martin")
	mustNotContain(t, text, "[status.", "directory_before", "booking:")
}

// TestAuditEventByNumber: an event the journal cannot find any more is
// said by its number, in a sentence.
func TestAuditEventByNumber(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	db, err := sql.Open("sqlite", e.db.Path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO audit (time, actor, action, object, details)
		VALUES ('2026-11-26T08:00:00.000000Z', 'cli', 'event.update', 'event:2', '{"title":"Atelier"}')`); err != nil {
		t.Fatal(err)
	}
	_, body := c.get("/audit")
	mustContain(t, textOf(body), "La ligne de commande a modifié l’événement n° 2.")
}

// TestWordingFixes: words a review found wrong: a member already in today
// (inclusive, as the rest of the admin), the sales list's column of
// receipts and refunds (it said "Statut"), and /billing's empty list of
// HelloAsso items linked to products (it said "Aucune association.", as
// if of the association running the space).
func TestWordingFixes(t *testing.T) {
	b := newBillingEnv(t)
	c := b.as(A)
	now := b.clock.Now()
	if _, err := b.ledger.CreateSale(b.ctx(), central.NewSale{Member: b.alice, Product: b.card, Source: central.SourceAdmin}); err != nil {
		t.Fatal(err)
	}
	k := &central.Kiosk{Name: "Porte"}
	if _, err := b.kiosks.CreateKiosk(b.ctx(), k); err != nil {
		t.Fatal(err)
	}
	if _, err := b.sync.Push(b.ctx(), &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: []*central.Entry{
		{ID: "0190b2a0-0000-7000-8000-000000000003", Seq: 1, Member: b.alice, KioskTime: now.Add(-30 * time.Second),
			Accept: true, Reason: access.OKAlreadyToday},
	}}); err != nil {
		t.Fatal(err)
	}
	_, body := c.get("/entries")
	mustContain(t, body, "Déjà venu·e aujourd’hui")
	mustNotContain(t, body, "Déjà venu aujourd")

	_, body = c.get("/sales")
	mustContain(t, body, `<th scope="col">Reçu, facture, remboursement</th>`, `class="receipt">Reçu</a>`)
	mustNotContain(t, body, `<th scope="col">Statut</th>`)

	resp, _ := c.post("/billing/mappings/1/delete", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = c.get("/billing?done=mapping_deleted")
	mustContain(t, body, "Aucun article HelloAsso n’est encore relié à un produit.", "Article HelloAsso délié de son produit.")
	mustNotContain(t, body, "Aucune association", "Association supprimée")
	_, body = c.get("/audit")
	mustContain(t, textOf(body), "a relié un article HelloAsso au produit Carte 10 entrées",
		"a supprimé le lien d’article HelloAsso n° 1")
}

// TestAuditSpaceNames: the journal names the spaces of a network in a
// detail's value: a kiosk's space, a convention's selling space and where
// a product is valid showed as "Espace vendeur : 1", "Valable à : 1,2"
// (ids) or not at all (a product valid at its selling space only).
func TestAuditSpaceNames(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	ctx := e.ctx()
	main, cantine := e.seedNetwork() // a kiosk of La Cantine, a pass valid everywhere
	spaces := sqlstore.NewSpaceService(e.db.DB)
	if err := spaces.SetConvention(ctx, &central.Convention{Host: cantine.ID, Seller: main.ID, Rate: 350}); err != nil {
		t.Fatal(err)
	}
	card := &central.Product{Name: "Carte Cantine", Kind: access.Pack, Entries: 10, Price: 9000}
	if err := e.products.CreateProduct(ctx, card); err != nil {
		t.Fatal(err)
	}
	if err := spaces.SetProductSpaces(ctx, card.ID, cantine.ID, central.ProductSpaces{}); err != nil {
		t.Fatal(err)
	}
	day := &central.Product{Name: "Journée duo", Kind: access.Pack, Entries: 1, Price: 1500}
	if err := e.products.CreateProduct(ctx, day); err != nil {
		t.Fatal(err)
	}
	if err := spaces.SetProductSpaces(ctx, day.ID, main.ID, central.ProductSpaces{List: access.Spaces(main.ID, cantine.ID)}); err != nil {
		t.Fatal(err)
	}

	_, body := c.get("/audit")
	text := textOf(body)
	mustContain(t, text, "a ajouté la borne Cantine", "Espace\u00a0: La Cantine",
		"a fixé la convention d’accueil de l’espace «\u00a0La Cantine\u00a0»", "Espace vendeur\u00a0: "+main.Name,
		"Valable à\u00a0: tous les espaces", "Valable à\u00a0: l’espace vendeur seulement",
		"Valable à\u00a0: "+main.Name+", La Cantine")
	mustNotContain(t, text, "Espace vendeur\u00a0: 1", "Espace\u00a0: 1", "Espace\u00a0: 2", "Valable à\u00a0: 1,2")

	c.get("/lang/en")
	_, body = c.get("/audit")
	text = textOf(body)
	mustContain(t, text, "Selling space: "+main.Name, "Valid at: every space", "Valid at: the selling space only",
		"Valid at: "+main.Name+", La Cantine")
}

// TestAuditRegistrationLink: someone who cancels her registration by the
// link of her e-mail is named in the journal; it said "l’inscription n° 1
// (par son lien) a annulé l’inscription d’Alice Martin à …".
func TestAuditRegistrationLink(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	ctx := e.ctx()
	alice := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := e.members.CreateMember(ctx, alice); err != nil {
		t.Fatal(err)
	}
	day := e.clock.Now().Add(48 * time.Hour)
	ev := &central.CalendarEvent{Title: "Atelier vélo", Start: day, End: day.Add(2 * time.Hour), Capacity: 10}
	if err := e.cfg.Calendar.CreateEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	r := &central.Registration{Event: ev.ID, Member: alice.ID}
	if err := e.cfg.Calendar.Register(ctx, r); err != nil {
		t.Fatal(err)
	}
	byLink := central.NewContextWithActor(ctx, fmt.Sprintf("registration:%d", r.ID))
	if _, err := e.cfg.Calendar.CancelRegistration(byLink, ev.ID, r.ID); err != nil {
		t.Fatal(err)
	}
	_, body := c.get("/audit")
	text := textOf(body)
	mustContain(t, text, "Alice Martin, par le lien de son e-mail, a annulé son inscription à l’événement «\u00a0Atelier vélo\u00a0».")
	mustNotContain(t, text, "l’inscription n°", "par son lien")

	c.get("/lang/en")
	_, body = c.get("/audit")
	mustContain(t, textOf(body), "Alice Martin, by the link of their e-mail, cancelled their registration for the event “Atelier vélo”.")
}

// TestAuditSettingChoices: a setting chosen from a list is said in the
// journal as the settings' page offers it; it showed the stored value
// ("Nouvelle valeur : none", "FR_200", "refuse").
func TestAuditSettingChoices(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	for k, v := range map[string]string{"smtp.tls": "none", "billing.vat_rate": "FR_200", central.SettingStalePolicy: "refuse"} {
		if err := e.settings.SetSetting(e.ctx(), k, v); err != nil {
			t.Fatal(err)
		}
	}
	_, body := c.get("/audit")
	text := textOf(body)
	mustContain(t, text, "Nouvelle valeur\u00a0: Aucun\u00a0: seulement un relais sur cette machine", "Nouvelle valeur\u00a0: 20 %",
		"Nouvelle valeur\u00a0: refuse tout le monde sauf l’équipe")
	mustNotContain(t, text, "Nouvelle valeur\u00a0: none", "FR_200", "Nouvelle valeur\u00a0: refuse Ne voir")
	c.get("/lang/en")
	_, body = c.get("/audit")
	mustContain(t, textOf(body), "New value: None: only a relay on this machine", "New value: 20%")
}

// TestAuditOlderRefundOfUnpaidSale: an older version journaled a sale
// cancelled before it was ever paid as a refund (action sale.refund), and
// the journal said « a remboursé la vente n° 2 » though no money moved.
// The stored line is left as it is (the CSV export keeps it), but the
// journal says what happened: the sale, refunded and never paid (a sale
// refunded is never paid after), was cancelled. A paid sale's refund
// still says refunded.
func TestAuditOlderRefundOfUnpaidSale(t *testing.T) {
	e := newEnv(t)
	seed(t, e) // Alice (member 1), a 10-entry card at 80 € (product 1), sold once (sale 1, paid)
	ctx := e.ctx()
	unpaid, err := e.ledger.CreateSale(ctx, central.NewSale{Member: 1, Product: 1, Source: central.SourceAdmin,
		PaidBy: central.PaidBy{Method: central.Unpaid}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{unpaid.ID, 1} { // cancel the unpaid sale, refund the paid one
		if _, err := e.ledger.RefundSale(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("sqlite", e.db.Path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// What an older version wrote for the cancel.
	if res, err := db.Exec(`UPDATE audit SET action = 'sale.refund' WHERE action = 'sale.cancel'`); err != nil {
		t.Fatal(err)
	} else if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%d sale.cancel lines, want 1", n)
	}

	c := e.as(central.RoleAdmin)
	_, body := c.get("/audit?object=sale:2")
	text := textOf(body)
	mustContain(t, text, "a annulé la vente n° 2 d’Alice Martin (80,00\u00a0€), qui n’était pas payée")
	mustNotContain(t, text, "a remboursé")
	_, body = c.get("/audit?object=sale:1")
	mustContain(t, textOf(body), "a remboursé la vente n° 1 d’Alice Martin (80,00\u00a0€)")
	c.get("/lang/en")
	_, body = c.get("/audit?object=sale:2")
	mustContain(t, textOf(body), "cancelled sale no. 2 of Alice Martin (€80.00), which was not paid")

	var stored string // the journal itself is unchanged
	if err := db.QueryRow(`SELECT action FROM audit WHERE object = 'sale:2' AND action LIKE 'sale.%' AND action <> 'sale.create'`).Scan(&stored); err != nil || stored != "sale.refund" {
		t.Fatalf("stored action %q %v, want sale.refund", stored, err)
	}
}
