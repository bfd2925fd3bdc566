package admin

import (
	"net/http"
	"sort"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

type auditData struct {
	Actor, Action, Object string
	ObjectName            string // the object in words, when the list shows only its events
	Lines                 []auditLine
	Actions               []string // the named actions, for the filter
	Pager                 pager
}

// auditList shows who changed what, when (GET /audit?actor=&action=&object=).
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, offset := pageOf(q)
	d := auditData{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Object: strings.TrimSpace(q.Get("object"))}
	es, n, err := s.cfg.Audit.FindAuditEvents(r.Context(), central.AuditFilter{Actor: d.Actor, Action: d.Action,
		Object: d.Object, Offset: offset, Limit: perPage})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "audit.title", nil)
	d.Lines, d.Pager = s.auditLines(r.Context(), p, es), newPager("/audit", q, page, n)
	if d.Object != "" {
		d.ObjectName = s.newAuditNames(r.Context(), p).object(d.Object)
	}
	for k := range catalog {
		if a, ok := strings.CutPrefix(k, "audit.action."); ok {
			d.Actions = append(d.Actions, a)
		}
	}
	sort.Strings(d.Actions)
	p.D = d
	s.render(w, r, "audit", p)
}

// AuditAction names an action of the audit log ("member.update") in the
// page's language; an action without a name shows as itself.
func (p *page) AuditAction(action string) string {
	if catalogHas("audit.action." + action) {
		return p.T("audit.action." + action)
	}
	return action
}

// The names of the audit log's actions (central/sqlstore writes them;
// TestAuditActionsNamed checks each has one).
var _ = addMessages(map[string][2]string{
	"audit.action.admin_user.create":  {"Utilisateur de l’admin ajouté", "Admin user added"},
	"audit.action.admin_user.update":  {"Utilisateur de l’admin modifié", "Admin user changed"},
	"audit.action.member.create":      {"Membre ajouté", "Member added"},
	"audit.action.member.update":      {"Membre modifié", "Member changed"},
	"audit.action.member.erase":       {"Données d’un membre effacées", "Member's data erased"},
	"audit.action.member.link_create": {"Lien personnel créé", "Personal link created"},
	"audit.action.member.link_revoke": {"Lien personnel révoqué", "Personal link revoked"},
	"audit.action.member.mail_prefs":  {"Préférences d’e-mail changées", "E-mail preferences changed"},
	"audit.action.member.payer_email": {"Adresse de paiement confirmée", "Payment address confirmed"},
	"audit.action.join.request":       {"Demande d’adhésion confirmée", "Join request confirmed"},
	"audit.action.email.given_up":     {"E-mail non distribué", "E-mail not delivered"},
	"audit.action.join.accept":        {"Demande d’adhésion acceptée", "Join request accepted"},
	"audit.action.join.refuse":        {"Demande d’adhésion refusée", "Join request refused"},
	"audit.action.badge.issue":        {"Badge créé", "Badge issued"},
	"audit.action.guest.issue":        {"Invitation créée", "Guest pass issued"},
	"audit.action.guest.space":        {"Invitations suivant un espace renommé", "Guest passes following a renamed space"},
	"audit.action.badge.issue_phone":  {"Badge sur téléphone créé", "Phone badge issued"},
	"audit.action.badge.revoke":       {"Badge révoqué", "Badge revoked"},
	"audit.action.kiosk.create":       {"Borne ajoutée", "Kiosk added"},
	"audit.action.kiosk.enroll":       {"Borne enrôlée", "Kiosk enrolled"},
	"audit.action.kiosk.update":       {"Borne modifiée", "Kiosk changed"},
	"audit.action.product.create":     {"Produit ajouté", "Product added"},
	"audit.action.product.update":     {"Produit modifié", "Product changed"},
	"audit.action.product.spaces":     {"Espaces d’un produit choisis", "Product's spaces set"},
	"audit.action.space.create":       {"Espace ajouté", "Space added"},
	"audit.action.space.rename":       {"Espace renommé", "Space renamed"},
	"audit.action.space.policy":       {"Règle de porte d’un espace", "Space's door policy set"},
	"audit.action.space.address":      {"Adresse d’un espace", "Space's address set"},
	"audit.action.space.messaging":    {"Salon Slack et expéditeur d’un espace", "Space's Slack channel and mail sender set"},
	"audit.action.space.books":        {"Comptabilité propre d’un espace (association, Pennylane, HelloAsso)", "Space's own books set (association, Pennylane, HelloAsso)"},
	"audit.action.space.convention":   {"Convention entre espaces", "Convention between spaces set"},
	"audit.action.settlement.invoice": {"Facture entre espaces demandée (Pennylane)", "Invoice between spaces asked (Pennylane)"},
	"audit.action.sale.create":        {"Vente enregistrée", "Sale recorded"},
	"audit.action.sale.refund":        {"Vente remboursée", "Sale refunded"},
	"audit.action.sale.cancel":        {"Vente annulée (pas payée)", "Sale cancelled (not paid)"},
	"audit.action.sale.paid":          {"Paiement d’une vente reçu", "Payment of a sale received"},
	"audit.action.sale.cheque":        {"Chèque complété (banque, numéro)", "Cheque completed (bank, number)"},
	"audit.action.sale.invoice":       {"Facture créée", "Invoice made"},
	"audit.action.payment.waiting":    {"Paiement HelloAsso en attente", "HelloAsso payment waiting"},
	"audit.action.payment.unmatched":  {"Paiement HelloAsso à attribuer", "HelloAsso payment to assign"},
	"audit.action.payment.credited":   {"Paiement HelloAsso crédité", "HelloAsso payment credited"},
	"audit.action.payment.refunded":   {"Paiement HelloAsso remboursé", "HelloAsso payment refunded"},
	"audit.action.payment.ignored":    {"Paiement HelloAsso mis de côté", "HelloAsso payment set aside"},
	"audit.action.payment.assign":     {"Paiement attribué", "Payment assigned"},
	"audit.action.payment.ignore":     {"Paiement mis de côté", "Payment set aside"},
	"audit.action.payment.map":        {"Article HelloAsso relié à un produit", "HelloAsso item linked to a product"},
	"audit.action.payment.unmap":      {"Article HelloAsso délié de son produit", "HelloAsso item unlinked from its product"},
	"audit.action.entries.purge":      {"Anciennes entrées effacées", "Old entries erased"},
	"audit.action.tombstones.purge":   {"Anciennes traces de membres effacés supprimées", "Old traces of erased members removed"},
	"audit.action.setting.set":        {"Réglage modifié", "Setting changed"},
})
