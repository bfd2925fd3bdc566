package admin

import (
	"net/http"

	"github.com/badgeuse/badgeuse/central"
)

// The billing page's settings (GET /billing shows them, POST
// /billing/settings saves them, admins only): every helloasso.*,
// pennylane.*, billing.* and association.* key, in the page's three
// parts: HelloAsso, Pennylane, and what receipts and invoices say.

// billingSettingParts are the keys of each part, in the page's order; the
// api_url keys are in the part's "Avancé" fold. They are central/billing's
// keys, known when centrald added them (the admin imports no adapter).
var billingSettingParts = struct{ HelloAsso, Pennylane, Seller []string }{
	HelloAsso: []string{"helloasso.client_id", "helloasso.client_secret",
		"helloasso.signature_key", "helloasso.create_members", "helloasso.api_url"},
	Pennylane: []string{"pennylane.token", "pennylane.finalize", "pennylane.api_url"},
	Seller: []string{central.SettingAssociationName, "association.address", "association.siret",
		"billing.vat_rate", "billing.legal_mention",
		"association.object", "association.rna", "donations.tax_receipts", "donations.tax_articles"},
}

func billingSettingKeys() []string {
	p := billingSettingParts
	return append(append(append([]string(nil), p.HelloAsso...), p.Pennylane...), p.Seller...)
}

// billingSettings are the fields of the page's forms.
type billingSettings struct {
	HelloAsso, Pennylane, Seller []settingField
}

func newBillingSettings(values central.Settings, invalid string) billingSettings {
	fields := func(keys []string) []settingField {
		var fs []settingField
		for _, k := range keys {
			fs = append(fs, newSettingField(values, k))
		}
		markInvalid(fs, invalid)
		return fs
	}
	p := billingSettingParts
	return billingSettings{HelloAsso: fields(p.HelloAsso), Pennylane: fields(p.Pennylane), Seller: fields(p.Seller)}
}

// billingSettingsSave stores the billing settings that the form posted
// and that changed (POST /billing/settings); see saveSettings.
func (s *Server) billingSettingsSave(w http.ResponseWriter, r *http.Request) {
	if !s.billingEnabled(w, r) {
		return
	}
	badKey, badText, err := s.saveSettings(r, billingSettingKeys())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if badText != "" {
		s.renderBillingInvalid(w, r, http.StatusBadRequest, badText, central.PaymentMapping{}, badKey)
		return
	}
	redirect(w, r, "/billing", "billing_saved")
}

var _ = addMessages(map[string][2]string{
	"done.billing_saved":  {"Réglages de facturation enregistrés.", "Billing settings saved."},
	"billing.admin_only":  {"Seul un administrateur peut modifier ces réglages (identifiants HelloAsso, jeton Pennylane, TVA…).", "Only an administrator can change these settings (HelloAsso credentials, Pennylane token, VAT…)."},
	"billing.seller":      {"Reçus et factures", "Receipts and invoices"},
	"billing.seller_help": {"Ce que les reçus PDF et les factures Pennylane disent de l’association.", "What PDF receipts and Pennylane invoices say about the association."},
	"billing.col_form":    {"Formulaire", "Form"},
	"billing.col_item":    {"Article", "Item"},
	"billing.map_new":     {"Associer un article à un produit", "Map an item to a product"},

	"setting.helloasso.client_id":           {"Identifiant client de l’API HelloAsso", "Client id of the HelloAsso API"},
	"setting.helloasso.client_id.help":      {"HelloAsso › Mon compte › Intégrations et API › Ma clé API.", "HelloAsso › My account › Integrations and API › My API key."},
	"setting.helloasso.client_secret":       {"Secret client de l’API HelloAsso", "Client secret of the HelloAsso API"},
	"setting.helloasso.client_secret.help":  {"Au même endroit. Il n’est jamais réaffiché ici.", "In the same place. It is never shown here again."},
	"setting.helloasso.signature_key":       {"Clé de signature des notifications (facultatif)", "Notification signature key (optional)"},
	"setting.helloasso.signature_key.help":  {"Si HelloAsso vous en donne une. Sans clé, chaque notification est vérifiée en relisant la commande chez HelloAsso.", "If HelloAsso gives you one. Without it, each notification is checked by reading the order back from HelloAsso."},
	"setting.helloasso.create_members":      {"Créer un membre pour un payeur inconnu", "Create a member for an unknown payer"},
	"setting.helloasso.create_members.help": {"Oui : le paiement d’une personne qu’aucun membre ne reconnaît crée ce membre, suspendu jusqu’à ce que le bureau le confirme. Non : le paiement attend dans « À attribuer ».", "Yes: a payment from someone no member matches creates that member, suspended until the bureau confirms her. No: the payment waits in “To assign”."},
	"setting.helloasso.api_url":             {"Adresse de l’API HelloAsso", "HelloAsso API address"},
	"setting.helloasso.api_url.help":        {"https://api.helloasso.com/v5 ; à changer seulement pour des essais (bac à sable).", "https://api.helloasso.com/v5; change it for tests only (sandbox)."},
	"setting.pennylane.token":               {"Jeton d’API Pennylane", "Pennylane API token"},
	"setting.pennylane.token.help":          {"Pennylane › Paramètres › Connectivité › Développeurs : un jeton avec les droits customers:all et customer_invoices:all. Vide : pas de factures (les reçus PDF restent disponibles).", "Pennylane › Settings › Connectivity › Developers: a token with the scopes customers:all and customer_invoices:all. Empty: no invoices (PDF receipts remain available)."},
	"setting.pennylane.finalize":            {"Factures créées", "Invoices made"},
	"setting.pennylane.finalize.help":       {"En brouillon : la trésorerie les vérifie et les finalise dans Pennylane. Finalisées : numérotées tout de suite.", "As drafts: the treasurer checks and finalizes them in Pennylane. Finalized: numbered at once."},
	"setting.pennylane.finalize.false":      {"en brouillon", "as drafts"},
	"setting.pennylane.finalize.true":       {"finalisées", "finalized"},
	"setting.pennylane.api_url":             {"Adresse de l’API Pennylane", "Pennylane API address"},
	"setting.pennylane.api_url.help":        {"https://app.pennylane.com/api/external/v2 ; à changer seulement pour des essais.", "https://app.pennylane.com/api/external/v2; change it for tests only."},
	"setting.association.name":              {"Nom de l’association", "Association's name"},
	"setting.association.name.help":         {"Son nom légal, imprimé sur les reçus et factures. Vide : le nom de l’espace.", "Its legal name, printed on receipts and invoices. Empty: the space's name."},
	"setting.association.address":           {"Adresse de l’association", "Association's address"},
	"setting.association.address.help":      {"L’adresse postale, imprimée sur les reçus.", "The postal address, printed on receipts."},
	"setting.association.siret":             {"SIRET (facultatif)", "SIRET (optional)"},
	"setting.association.siret.help":        {"14 chiffres, imprimés sur les reçus.", "14 digits, printed on receipts."},
	"setting.association.object":            {"Objet de l’association", "Association's object"},
	"setting.association.object.help":       {"Son objet, tel que ses statuts le disent : imprimé sur les reçus fiscaux.", "Its object, as its statutes say: printed on tax receipts."},
	"setting.association.rna":               {"N° RNA ou SIREN", "RNA or SIREN number"},
	"setting.association.rna.help":          {"W suivi de 9 chiffres (RNA ; en Corse W2A ou W2B suivi de 7 chiffres), ou le SIREN (9 chiffres) : imprimé sur les reçus fiscaux.", "W and 9 digits (RNA; in Corsica W2A or W2B and 7 digits), or the SIREN (9 digits): printed on tax receipts."},
	"setting.donations.tax_receipts":        {"Reçus fiscaux des dons", "Tax receipts for donations"},
	"setting.donations.tax_receipts.help":   {"Oui si l’association peut délivrer des reçus fiscaux (intérêt général) : c’est au bureau d’en décider. Il faut aussi l’adresse, l’objet et le n° RNA ou SIREN.", "Yes if the association may issue tax receipts (general interest): the bureau decides. The address, object and RNA or SIREN number are needed too."},
	"setting.donations.tax_articles":        {"Articles du CGI certifiés", "Articles of the tax code certified"},
	"setting.donations.tax_articles.help":   {"Les articles ouvrant droit à la réduction d’impôt que le reçu certifie : 200 (particuliers), 238 bis (entreprises), 978 (IFI), séparés par des virgules.", "The articles giving the tax reduction the receipt certifies: 200 (individuals), 238 bis (companies), 978 (IFI), comma-separated."},
	"setting.billing.vat_rate":              {"TVA des ventes", "VAT of sales"},
	"setting.billing.vat_rate.help":         {"Les prix sont toutes taxes comprises. Les services d’une association à ses membres sont le plus souvent exonérés.", "Prices include taxes. An association's services to its members are most often exempt."},
	"setting.billing.legal_mention":         {"Mention des reçus et factures sans TVA", "Mention of receipts and invoices without VAT"},
	"setting.billing.legal_mention.help":    {"Par défaut « TVA non applicable, art. 261-7-1° du CGI » ; en franchise en base : « TVA non applicable, art. 293 B du CGI ».", "By default “TVA non applicable, art. 261-7-1° du CGI”; under the franchise en base: “TVA non applicable, art. 293 B du CGI”."},
	"vat.exempt":                            {"pas de TVA (exonérée)", "no VAT (exempt)"},
	"vat.FR_200":                            {"20 %", "20%"},
	"vat.FR_100":                            {"10 %", "10%"},
	"vat.FR_55":                             {"5,5 %", "5.5%"},
	"vat.FR_21":                             {"2,1 %", "2.1%"},
})
