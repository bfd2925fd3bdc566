package admin

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

// Billing is what the billing pages need besides the services: checking
// the connections, writing receipts, making an invoice now.
// central/billing.Worker implements it.
type Billing interface {
	CheckHelloAsso(ctx context.Context) error
	CheckPennylane(ctx context.Context) error
	WriteReceipt(ctx context.Context, w io.Writer, sale int64) error
	// RequestInvoice has a sale's invoice made now (ECONFLICT: it has
	// one; EINVALID: Pennylane is not set up).
	RequestInvoice(ctx context.Context, sale int64) (bool, error)
	// RequestSettlementInvoice has the month's next invoice from a space
	// with its own Pennylane company to a space that owes it made: the
	// first, or the complement for visits synced after it. visits (the
	// month's, that direction) and amount (the invoice's) are what the
	// treasurer confirmed (false: asked before, nothing more; EINVALID:
	// the month is not over, the figures changed, nothing is owed, the
	// host has no company of its own).
	RequestSettlementInvoice(ctx context.Context, month string, host, seller int64, visits int, amount int64) (bool, error)
	// SettlementInvoices returns the invoices asked between spaces for a
	// month.
	SettlementInvoices(ctx context.Context, month string) ([]*central.SettlementInvoice, error)
	// CheckSpaceBooks checks a space's own HelloAsso or Pennylane
	// ("helloasso", "pennylane"; EINVALID: it uses the network's).
	CheckSpaceBooks(ctx context.Context, space int64, provider string) error
}

// webhookPath is where centrald serves HelloAsso's notifications
// (central/billing.WebhookPath).
const webhookPath = "/hooks/helloasso"

var _ = addMessages(map[string][2]string{
	"nav.payments":            {"Paiements", "Payments"},
	"nav.billing":             {"Réglages de HelloAsso et Pennylane, articles des formulaires →", "HelloAsso and Pennylane setup, form items →"},
	"billing.title":           {"Facturation : HelloAsso et Pennylane", "Billing: HelloAsso and Pennylane"},
	"billing.off":             {"La facturation n’est pas activée sur ce serveur.", "Billing is not enabled on this server."},
	"billing.ha_title":        {"HelloAsso (paiements)", "HelloAsso (payments)"},
	"billing.ha_step1":        {"Dans HelloAsso, Mon compte › Intégrations et API : créez une clé d’API, puis copiez son identifiant et son secret dans les champs ci-dessous.", "In HelloAsso, My account › Integrations and API: create an API key, then copy its id and secret into the fields below."},
	"billing.ha_step2":        {"Collez cette adresse comme URL de notification :", "Paste this address as the notification URL:"},
	"billing.ha_step3":        {"Associez ci-dessous chaque article de vos formulaires au produit qu’il vend.", "Below, map each item of your forms to the product it sells."},
	"billing.configured":      {"Identifiants enregistrés.", "Credentials saved."},
	"billing.not_configured":  {"Identifiants à saisir dans les réglages.", "Credentials to enter in the settings."},
	"billing.signature_on":    {"Signature des notifications vérifiée.", "Notification signatures checked."},
	"billing.signature_off":   {"Pas de clé de signature : chaque notification est vérifiée en relisant la commande chez HelloAsso.", "No signature key: each notification is checked by reading the order back from HelloAsso."},
	"billing.check":           {"Tester la connexion", "Check the connection"},
	"billing.check_failed":    {"La connexion a échoué : %s", "The connection failed: %s"},
	"billing.pl_title":        {"Pennylane (factures)", "Pennylane (invoices)"},
	"billing.pl_on":           {"Chaque vente crée sa facture dans Pennylane (%s).", "Each sale makes its invoice in Pennylane (%s)."},
	"billing.pl_off":          {"Pas de jeton d’API Pennylane : pas de facture, les reçus PDF restent disponibles.", "No Pennylane API token: no invoices; PDF receipts remain available."},
	"billing.pl_draft":        {"brouillons", "drafts"},
	"billing.pl_final":        {"finalisées", "finalized"},
	"billing.vat":             {"TVA : %s", "VAT: %s"},
	"billing.mappings":        {"Articles HelloAsso → produits", "HelloAsso items → products"},
	"billing.form":            {"Formulaire (la fin de son adresse)", "Form (the end of its address)"},
	"billing.form_help":       {"Dans helloasso.com/associations/mon-asso/adhesions/adhesion-2026, c’est adhesion-2026.", "In helloasso.com/associations/my-club/adhesions/membership-2026, it is membership-2026."},
	"billing.form_hint":       {"adhesion-2026", "membership-2026"},
	"billing.item":            {"Article (nom exact du tarif)", "Item (exact tier name)"},
	"billing.item_help":       {"Vide : tous les articles du formulaire.", "Empty: every item of the form."},
	"billing.every_item":      {"(tous les articles)", "(every item)"},
	"billing.map":             {"Associer", "Map"},
	"billing.unmap":           {"Supprimer", "Remove"},
	"billing.no_mapping":      {"Aucun article HelloAsso n’est encore relié à un produit.", "No HelloAsso item is linked to a product yet."},
	"done.helloasso_ok":       {"Connexion à HelloAsso réussie.", "Connected to HelloAsso."},
	"done.pennylane_ok":       {"Connexion à Pennylane réussie.", "Connected to Pennylane."},
	"done.mapping_saved":      {"Article HelloAsso relié au produit.", "HelloAsso item linked to the product."},
	"done.mapping_deleted":    {"Article HelloAsso délié de son produit.", "HelloAsso item unlinked from its product."},
	"done.payment_assigned":   {"Paiement attribué : la vente est enregistrée.", "Payment assigned: the sale is recorded."},
	"done.payment_ignored":    {"Paiement mis de côté.", "Payment set aside."},
	"done.payment_registered": {"Paiement attribué : le membre est inscrit à l’événement.", "Payment assigned: the member is registered for the event."},
	"payments.event":          {"Paiement de l’événement « %s » du %s.", "Payment of the event “%s” on %s."},
	"payments.register":       {"Inscrire à l’événement", "Register for the event"},
	"payments.event_help":     {"« Inscrire à l’événement » inscrit le membre choisi, comme si le paiement l’avait reconnu (confirmé s’il reste de la place, en liste d’attente sinon).", "“Register for the event” registers the member chosen, as if the payment had recognised them (confirmed while places are left, waiting list after)."},
	"done.invoice_requested":  {"Facture demandée à Pennylane : elle apparaîtra dans un instant.", "Invoice asked of Pennylane: it will show in a moment."},
	"payments.title":          {"Paiements HelloAsso", "HelloAsso payments"},
	"payments.unmatched":      {"À attribuer", "To assign"},
	"payments.none":           {"Aucun paiement en attente.", "No payment waiting."},
	"payments.recent":         {"Derniers paiements", "Latest payments"},
	"payments.dropped":        {"Notifications HelloAsso écartées", "HelloAsso notifications dropped"},
	"payments.dropped_help": {"HelloAsso a refusé ou ne connaît pas ces commandes (notification falsifiée ou erronée, commande d’une autre association, ou droits du client d’API insuffisants) : rien n’a été crédité. Une nouvelle notification de la même commande la relit.",
		"HelloAsso refused or does not know these orders (a forged or mistaken notification, another organization's order, or an API client without the rights): nothing was credited. A new notification of the same order reads it again."},
	"payments.order":     {"Commande", "Order"},
	"payments.answer":    {"Réponse de HelloAsso", "HelloAsso's answer"},
	"payments.no_recent": {"Aucun paiement reçu.", "No payment received yet."},
	"payments.for":       {"pour %s", "for %s"},
	"payments.member":    {"Membre", "Member"},
	"payments.choose":    {"— choisir —", "— choose —"},
	"payments.assign":    {"Attribuer", "Assign"},
	"payments.ignore":    {"Mettre de côté", "Set aside"},
	"payments.ignore_confirm": {"Mettre de côté ce paiement (%s, %s) ? Il ne sera crédité à personne et quittera cette liste (il reste dans les derniers paiements) ; on ne pourra plus l’attribuer. C’est pour un paiement déjà enregistré à la main, ou qui ne concerne pas les entrées.",
		"Set aside this payment (%s, %s)? It will be credited to nobody and leave this list (it stays in the latest payments); it can no longer be assigned. This is for a payment already recorded by hand, or one that has nothing to do with entries."},
	"payments.ignore_yes":         {"Oui, mettre de côté", "Yes, set it aside"},
	"payments.help":               {"Badgeuse n’a pas reconnu qui a payé. Choisissez le membre et ce qui a été acheté : « Attribuer » le lui crédite, comme si le paiement avait été reconnu.", "Badgeuse did not recognise who paid. Choose the member and what they bought: “Assign” credits it to them, as if the payment had been recognised."},
	"payments.help_no_member":     {"Pas encore membre ? Demandez à l’accueil ou à un administrateur de l’ajouter, puis revenez ici.", "Not a member yet? Have the door staff or an administrator add them, then come back here."},
	"payments.who":                {"Qui a payé ?", "Who paid?"},
	"payments.narrowed":           {"La liste ci-dessous propose les %d membres dont le nom ou l’e-mail ressemble à ceux du paiement. Pas dedans ? Cherchez-le ci-dessus.", "The list below offers the %d members whose name or e-mail looks like the payment’s. Not there? Search above."},
	"payments.found":              {"%d membres trouvés pour « %s » : choisissez dans la liste ci-dessous.", "%d members found for “%s”: choose from the list below."},
	"payments.found_one":          {"Trouvé : %s, choisi dans la liste ci-dessous.", "Found: %s, chosen in the list below."},
	"payments.found_more":         {"Plus de %d membres correspondent : seuls les premiers sont dans la liste. Précisez la recherche (nom complet ou e-mail).", "More than %d members match: only the first are in the list. Narrow the search (full name or e-mail)."},
	"payments.what":               {"Ce qui a été acheté", "What was bought"},
	"payments.new_member_first":   {"Pas encore membre ? L’ajouter d’abord", "Not a member yet? Add them first"},
	"payments.error.member":       {"Choisissez qui a payé dans la liste.", "Choose who paid from the list."},
	"payments.error.product":      {"Choisissez ce qui a été acheté dans la liste.", "Choose what was bought from the list."},
	"payments.error.member_gone":  {"Ce membre n’existe plus : choisissez-en un autre.", "This member no longer exists: choose another."},
	"payments.error.choose_again": {"Choisissez-en un autre dans la liste.", "Choose another from the list."},
	"payments.error.gone":         {"Ce paiement n’est plus à attribuer : il a déjà été crédité ou mis de côté, sans doute par quelqu’un d’autre. Rien n’a été changé.", "This payment is no longer waiting: it was already credited or set aside, probably by someone else. Nothing was changed."},
	"payments.new_member":         {"nouveau membre à confirmer", "new member to confirm"},
	"payments.form_item":          {"Formulaire / article", "Form / item"},
	"payments.payer":              {"Payeur", "Payer"},
	"payreason.no_product":        {"Aucun produit associé à cet article.", "No product mapped to this item."},
	"payreason.no_member":         {"Aucun membre avec cette adresse e-mail.", "No member with this e-mail address."},
	"payreason.no_email":          {"Pas d’adresse e-mail.", "No e-mail address."},
	"payreason.beneficiary":       {"Acheté pour une autre personne.", "Bought for someone else."},
	"payreason.inactive":          {"Le produit associé n’est plus vendu.", "The mapped product is no longer sold."},
	"payreason.member_erased":     {"Le membre a été effacé.", "The member was erased."},
	"payreason.donation":          {"Don, tenu à part des ventes (page Dons).", "Donation, kept apart from sales (Donations page)."},
	"payreason.space_donation": {"Don reçu par le compte HelloAsso propre d’un espace avant que Badgeuse tienne les dons de chaque espace, dont l’espace n’a pas pu être retrouvé : il devient un don de cet espace quand HelloAsso le renvoie ; sinon, à noter dans les comptes de l’espace, puis mettre de côté.",
		"Gift received by a space's own HelloAsso account before Badgeuse kept each space's donations, whose space could not be told: it becomes that space's donation when HelloAsso sends it again; otherwise record it in the space's books, then set it aside."},
	// Why a credited payment was reversed (central.ReasonRefund...): the
	// whole credit is taken back; the bureau sells again by hand what the
	// member keeps.
	"payreason.refund":         {"remboursé", "refunded"},
	"payreason.refunding":      {"remboursement en cours", "refund under way"},
	"payreason.partial_refund": {"remboursé en partie : crédit entier repris, revendre à la main ce qui reste", "partly refunded: whole credit taken back, sell the rest by hand"},
	"payreason.contested":      {"contesté par la banque du payeur", "disputed by the payer's bank"},
	"paystatus.waiting":        {"En attente du paiement", "Waiting for payment"},
	"paystatus.unmatched":      {"À attribuer", "To assign"},
	"paystatus.credited":       {"Crédité", "Credited"},
	"paystatus.refunded":       {"Remboursé", "Refunded"},
	"paystatus.ignored":        {"Mis de côté", "Set aside"},
	"sale.receipt":             {"Reçu", "Receipt"},
	"sale.receipt_due":         {"À régler", "Amount due"},                   // the document of a sale not paid yet (no receipt)
	"sale.receipt_cancelled":   {"Avis d’annulation", "Cancellation notice"}, // the document of a sale cancelled before it was paid (beside « Annulée »)
	"sale.invoice":             {"Facture", "Invoice"},
	"sale.make_invoice":        {"Créer la facture", "Make the invoice"},
})

type billingData struct {
	WebhookURL   string
	Status       billingStatus
	Mappings     []*central.PaymentMapping
	Products     []*central.Product
	ProductNames map[int64]string
	Form         central.PaymentMapping
	Settings     billingSettings // billing_settings.go
}

// billingStatus is what the page says of the set-up, read from
// central/billing's keys (the admin imports no adapter): the same tests
// as billing's HelloAssoConfig.Configured and PennylaneConfig.Configured.
type billingStatus struct {
	HelloAsso    bool // client id and secret set
	SignatureKey bool
	Pennylane    bool // a token set
	Finalize     bool
	VATCode      string // "exempt", "FR_200"...
	LegalMention string
}

func newBillingStatus(set central.Settings) billingStatus {
	vat := set.Get("billing.vat_rate")
	switch vat {
	case "FR_200", "FR_100", "FR_55", "FR_21":
	default:
		vat = "exempt" // as billing's SellerFrom reads an unknown code
	}
	return billingStatus{
		HelloAsso:    set.Get("helloasso.client_id") != "" && set.Get("helloasso.client_secret") != "",
		SignatureKey: set.Get("helloasso.signature_key") != "",
		Pennylane:    set.Get("pennylane.token") != "",
		Finalize:     set.Get("pennylane.finalize") == "true",
		VATCode:      vat,
		LegalMention: set.Get("billing.legal_mention"),
	}
}

// billingEnabled answers 404 when centrald was started without billing.
func (s *Server) billingEnabled(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.Payments == nil || s.cfg.Billing == nil {
		s.fail(w, r, http.StatusNotFound, "billing.off")
		return false
	}
	return true
}

// billingPage is the guided setup of HelloAsso and Pennylane, and the
// mapping of HelloAsso's form items to products (GET /billing).
func (s *Server) billingPage(w http.ResponseWriter, r *http.Request) {
	failed := ""
	if v, ok := s.resultView(r, "check", "billing_check"); ok {
		failed = v.(string)
	}
	s.renderBilling(w, r, http.StatusOK, failed, central.PaymentMapping{})
}

func (s *Server) renderBilling(w http.ResponseWriter, r *http.Request, status int, errText string, form central.PaymentMapping) {
	s.renderBillingInvalid(w, r, status, errText, form, "")
}

// renderBillingInvalid renders the page with the field of a refused
// setting (invalid) flagged.
func (s *Server) renderBillingInvalid(w http.ResponseWriter, r *http.Request, status int, errText string, form central.PaymentMapping, invalid string) {
	if !s.billingEnabled(w, r) {
		return
	}
	ctx := r.Context()
	set, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d := billingData{WebhookURL: s.publicURL(r) + webhookPath, Status: newBillingStatus(set),
		ProductNames: map[int64]string{}, Form: form, Settings: newBillingSettings(set, invalid)}
	if d.Mappings, err = s.cfg.Payments.FindPaymentMappings(ctx, central.SourceHelloAsso); err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.Products, _, err = s.cfg.Products.FindProducts(ctx, central.ProductFilter{}); err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, p := range d.Products {
		d.ProductNames[p.ID] = p.Name
	}
	p := s.newPage(r, "billing.title", d)
	p.Error = errText
	s.renderStatus(w, r, status, "billing", p)
}

// billingCheck tests a provider's connection with the current settings
// (POST /billing/check/{provider}); a failure is shown on the page it
// answers 303 to.
func (s *Server) billingCheck(w http.ResponseWriter, r *http.Request) {
	if !s.billingEnabled(w, r) {
		return
	}
	var err error
	done := ""
	switch r.PathValue("provider") {
	case "helloasso":
		err, done = s.cfg.Billing.CheckHelloAsso(r.Context()), "helloasso_ok"
	case "pennylane":
		err, done = s.cfg.Billing.CheckPennylane(r.Context()), "pennylane_ok"
	default:
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		// The providers' messages hold no secret; show them as they are.
		msg := domainMessage(requestLang(r), err)
		if central.ErrorCode(err) == central.EINTERNAL {
			msg = err.Error()
		}
		s.log.Warn("admin: billing connection check failed", "provider", r.PathValue("provider"), "err", err)
		s.redirectToResult(w, r, "billing_check", translate(requestLang(r), "billing.check_failed", msg), "/billing?check=", "")
		return
	}
	redirect(w, r, "/billing", done)
}

// mappingCreate maps a HelloAsso form item to a product (POST
// /billing/mappings: form, item, product).
func (s *Server) mappingCreate(w http.ResponseWriter, r *http.Request) {
	if !s.billingEnabled(w, r) {
		return
	}
	m := central.PaymentMapping{Source: central.SourceHelloAsso, Form: r.PostFormValue("form"), Item: r.PostFormValue("item")}
	m.Product, _ = strconv.ParseInt(r.PostFormValue("product"), 10, 64)
	if err := s.cfg.Payments.SetPaymentMapping(r.Context(), &m); err != nil {
		if code := central.ErrorCode(err); code == central.EINVALID || code == central.ENOTFOUND {
			s.renderBilling(w, r, http.StatusBadRequest, errorText(requestLang(r), err), m)
			return
		}
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/billing", "mapping_saved")
}

// mappingDelete removes a mapping (POST /billing/mappings/{id}/delete).
func (s *Server) mappingDelete(w http.ResponseWriter, r *http.Request) {
	// A closure: without billing, s.cfg.Payments is nil until checked.
	s.billingAction(w, r, func(ctx context.Context, id int64) error {
		return s.cfg.Payments.DeletePaymentMapping(ctx, id)
	}, "/billing", "mapping_deleted")
}

// billingAction serves a billing POST on /…/{id}: do, then back to the
// page with a flash message.
func (s *Server) billingAction(w http.ResponseWriter, r *http.Request, do func(context.Context, int64) error, back, flash string) {
	if !s.billingEnabled(w, r) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err := do(r.Context(), id); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, back, flash)
}

// PayReason translates why a payment is unmatched.
func (p *page) PayReason(reason string) string {
	if catalogHas("payreason." + reason) {
		return p.T("payreason." + reason)
	}
	return reason
}

// PayStatus translates a payment's status.
func (p *page) PayStatus(status central.PaymentStatus) string {
	return p.T("paystatus." + string(status))
}

// foldSpaces compares names: case and runs of spaces do not count.
func foldSpaces(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
