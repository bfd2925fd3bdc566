package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// The journal in words (issue 18): people read "alice@asso.fr a vendu
// « Carnet 10 entrées » à Alice Martin pour 80,00 €", not sale.create,
// member:13, a JSON object and cents. The stored event is unchanged (the
// CSV export keeps it for scripts); this file only says it.

// auditLine is one event of the journal, in the page's language.
type auditLine struct {
	Time   time.Time
	Who    string   // a person or a thing: an admin's e-mail, a member's or a kiosk's name
	Says   string   // what happened, a sentence without its subject
	Facts  []string // the details, each "Label : value"
	Object string   // the event's object, to show only its events
	Named  string   // the object in words
}

// auditNames looks up and remembers the names a page of the journal
// needs (one query per name at most).
type auditNames struct {
	ctx      context.Context
	s        *Server
	p        *page
	members  map[int64]string
	products map[int64]string
	kiosks   map[int64]string
	users    map[int64]string
}

func (s *Server) auditLines(ctx context.Context, p *page, es []*central.AuditEvent) []auditLine {
	n := &auditNames{ctx: ctx, s: s, p: p, members: map[int64]string{}, products: map[int64]string{},
		kiosks: map[int64]string{}, users: map[int64]string{}}
	out := make([]auditLine, 0, len(es))
	for _, e := range es {
		out = append(out, n.line(e))
	}
	return out
}

func (n *auditNames) member(id int64) string {
	if name, ok := n.members[id]; ok {
		return name
	}
	name := n.p.T("audit.erased_member")
	if m, err := n.s.cfg.Members.FindMemberByID(n.ctx, id); err == nil && m.Name != "" {
		name = m.Name
	}
	n.members[id] = name
	return name
}

func (n *auditNames) product(id int64) string {
	if name, ok := n.products[id]; ok {
		return name
	}
	name := n.p.T("audit.number", id)
	if p, err := n.s.cfg.Products.FindProductByID(n.ctx, id); err == nil {
		name = p.Name
	}
	n.products[id] = name
	return name
}

func (n *auditNames) kiosk(id int64) string {
	if name, ok := n.kiosks[id]; ok {
		return name
	}
	name := n.p.T("audit.kiosk_number", id)
	if k, err := n.s.cfg.Kiosks.FindKioskByID(n.ctx, id); err == nil && k.Name != "" {
		name = k.Name
	}
	n.kiosks[id] = name
	return name
}

func (n *auditNames) user(id int64) string {
	if name, ok := n.users[id]; ok {
		return name
	}
	name := n.p.T("audit.number", id)
	if u, err := n.s.cfg.Store.FindAdminUserByID(n.ctx, id); err == nil {
		name = u.Email
	}
	n.users[id] = name
	return name
}

// splitObject reads "member:12" as ("member", 12).
func splitObject(o string) (kind string, id int64) {
	kind, rest, _ := strings.Cut(o, ":")
	id, _ = strconv.ParseInt(rest, 10, 64)
	return kind, id
}

// who names an actor: an admin's login as is, "system", "cli" and
// "kiosk" (enrolling itself) in words, a kiosk or a member by name.
func (n *auditNames) who(actor string) string {
	switch kind, id := splitObject(actor); {
	case actor == "system":
		return n.p.T("audit.who.system")
	case actor == "cli":
		return n.p.T("audit.who.cli")
	case actor == "kiosk": // a kiosk putting itself in service: not known yet
		return n.p.T("audit.who.kiosk")
	case kind == "kiosk" && id > 0:
		return n.kiosk(id)
	case kind == "member" && id > 0:
		return n.member(id)
	case kind == "registration" && id > 0:
		return n.p.T("audit.who.registration", id)
	case actor == "public":
		return n.p.T("audit.who.public")
	}
	return actor
}

// object names an event's object in words.
func (n *auditNames) object(o string) string {
	kind, id := splitObject(o)
	switch kind {
	case "member":
		return n.member(id)
	case "product":
		return n.product(id)
	case "kiosk":
		return n.kiosk(id)
	case "admin_user":
		return n.user(id)
	case "sale":
		return n.p.T("audit.sale", id)
	case "payment":
		return n.p.T("audit.payment", id)
	case "mapping":
		return n.p.T("audit.mapping", id)
	case "event":
		return n.p.T("audit.event", id)
	case "resource":
		return n.p.T("audit.resource", id)
	case "setting":
		_, key, _ := strings.Cut(o, ":")
		return n.p.T("audit.quoted", settingLabel(n.p.Lang, key))
	}
	return o
}

func (n *auditNames) line(e *central.AuditEvent) auditLine {
	l := auditLine{Time: e.Time, Who: n.who(e.Actor), Object: e.Object}
	details := map[string]any{}
	if e.Details != "" {
		d := json.NewDecoder(strings.NewReader(e.Details))
		d.UseNumber()
		_ = d.Decode(&details) // a detail that does not read is left out
	}
	num := func(k string) int64 {
		if v, ok := details[k].(json.Number); ok {
			i, _ := v.Int64()
			return i
		}
		return 0
	}
	obj := n.object(e.Object)
	l.Named = obj
	used := map[string]bool{}
	use := func(keys ...string) {
		for _, k := range keys {
			used[k] = true
		}
	}
	key := "audit.say." + e.Action
	switch e.Action {
	case "sale.create":
		l.Says = n.p.T(key, n.product(num("product")), n.member(num("member")), n.p.Money(num("amount")))
		use("product", "member", "amount")
	case "sale.refund":
		l.Says = n.p.T(key, obj, n.member(num("member")), n.p.Money(num("amount")))
		use("member", "amount")
	case "badge.issue", "badge.revoke":
		l.Says = n.p.T(key, num("badge"), obj)
		use("badge")
	default:
		if catalogHas(key) {
			l.Says = n.p.T(key, obj)
		} else {
			l.Says = n.p.T("audit.say.other", n.p.AuditAction(e.Action), obj)
		}
	}
	if e.Object == "setting:"+central.SettingHours {
		if v, ok := details["value"].(string); ok {
			details["value"] = n.p.HoursWords(v)
		}
	}
	keys := make([]string, 0, len(details))
	for k := range details {
		if !used[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if v := n.value(k, details[k]); v != "" {
			label := k
			if catalogHas("audit.field." + k) {
				label = n.p.T("audit.field." + k)
			}
			l.Facts = append(l.Facts, n.p.T("audit.fact", label, v))
		}
	}
	return l
}

// value says a detail's value, "" for nothing worth saying.
func (n *auditNames) value(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return n.p.T("audit.yes")
		}
		return n.p.T("audit.no")
	case []any:
		var parts []string
		for _, y := range x {
			if s := n.value(key, y); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", ")
	case json.Number:
		i, err := x.Int64()
		if err != nil {
			return x.String()
		}
		switch key {
		case "amount", "price", "rate":
			return n.p.Money(i)
		case "member":
			if i == 0 {
				return ""
			}
			return n.member(i)
		case "product":
			if i == 0 {
				return ""
			}
			return n.product(i)
		case "badge", "sale", "link", "revoked", "guest":
			if i == 0 {
				return ""
			}
			return n.p.T("audit.number", i)
		}
		return strconv.FormatInt(i, 10)
	case string:
		if x == "" {
			return ""
		}
		switch key {
		case "status": // a member's, or a registration's (confirmed...)
			if !catalogHas("status."+x) && catalogHas("registration."+x) {
				return n.p.T("registration." + x)
			}
			return n.p.Status(access.MemberStatus(x))
		case "role":
			return n.p.Role(central.Role(x))
		case "kind":
			return n.p.Kind(access.Kind(x))
		case "fields":
			if catalogHas("audit.field." + x) {
				return strings.ToLower(n.p.T("audit.field." + x))
			}
		case "source":
			if catalogHas("source." + x) {
				return n.p.T("source." + x)
			}
		case "key": // a setting of a space's own (space.policy, space.books)
			return n.p.T("audit.quoted", settingLabel(n.p.Lang, x))
		case "valid": // where a product is valid: "all", or space ids
			if x == "all" {
				return n.p.T("audit.all_spaces")
			}
		case "reason": // why a payment waits, was set aside or refunded
			if catalogHas("payreason." + x) {
				return n.p.PayReason(x)
			}
		case "paid": // how a sale was paid: cash, cheque...
			if catalogHas("paid." + x) {
				return n.p.T("paid." + x)
			}
		case "value": // a setting's new value: a switch is stored as true/false
			switch x {
			case "true":
				return n.p.T("audit.yes")
			case "false":
				return n.p.T("audit.no")
			}
		}
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return n.p.DateTime(t)
		}
		if d, err := access.ParseDay(x); err == nil {
			return n.p.Day(d)
		}
		return x
	case map[string]any:
		b, _ := json.Marshal(x)
		return string(b)
	}
	return fmt.Sprint(v)
}

// The sentences of the journal: the subject (who) comes before.
var _ = addMessages(map[string][2]string{
	"audit.who.system":             {"Badgeuse (automatique)", "Badgeuse (automatic)"},
	"audit.who.cli":                {"La ligne de commande", "The command line"},
	"audit.who.kiosk":              {"La borne elle-même", "The kiosk itself"},
	"audit.quoted":                 {"« %s »", "“%s”"},
	"audit.fact":                   {"%s : %s", "%s: %s"},
	"audit.erased_member":          {"un membre effacé", "an erased member"},
	"audit.number":                 {"n° %d", "no. %d"},
	"audit.kiosk_number":           {"la borne n° %d", "kiosk no. %d"},
	"audit.sale":                   {"la vente n° %d", "sale no. %d"},
	"audit.event":                  {"l’événement n° %d", "event no. %d"},
	"audit.resource":               {"la ressource n° %d", "resource no. %d"},
	"audit.who.registration":       {"l’inscription n° %d (par son lien)", "registration no. %d (by its link)"},
	"audit.who.public":             {"la page publique de l’événement", "the event's public page"},
	"audit.field.title":            {"Titre", "Title"},
	"audit.field.capacity":         {"Places", "Places"},
	"audit.field.places_before":    {"Places avant", "Places before"},
	"audit.field.revision":         {"Changements d’horaire", "Changes of time"},
	"audit.field.consumes":         {"Décompte une entrée", "Uses an entry"},
	"audit.field.public":           {"Ouvert à tous", "Open to all"},
	"audit.field.registration":     {"Inscription", "Registration"},
	"audit.field.was":              {"Avant", "Before"},
	"audit.field.blocked":          {"Bloqué par le bureau", "Blocked by the board"},
	"audit.field.note":             {"Note", "Note"},
	"audit.field.resource":         {"Ressource", "Resource"},
	"audit.payment":                {"le paiement n° %d", "payment no. %d"},
	"audit.mapping":                {"l’association d’article n° %d", "item mapping no. %d"},
	"audit.yes":                    {"oui", "yes"},
	"audit.no":                     {"non", "no"},
	"audit.say.other":              {"%s : %s", "%s: %s"},
	"audit.say.admin_user.create":  {"a ajouté l’utilisateur %s", "added the user %s"},
	"audit.say.admin_user.update":  {"a modifié l’utilisateur %s", "changed the user %s"},
	"audit.say.member.create":      {"a ajouté le membre %s", "added the member %s"},
	"audit.say.member.update":      {"a modifié le membre %s", "changed the member %s"},
	"audit.say.member.erase":       {"a effacé les données d’un membre (%s)", "erased a member's data (%s)"},
	"audit.say.member.link_create": {"a créé le lien personnel de %s", "made %s's personal link"},
	"audit.say.member.link_revoke": {"a révoqué le lien personnel de %s", "revoked %s's personal link"},
	"audit.say.badge.issue":        {"a créé le badge n° %d de %s", "issued badge no. %d to %s"},
	"audit.say.badge.revoke":       {"a révoqué le badge n° %d de %s", "revoked badge no. %d of %s"},
	"audit.say.kiosk.create":       {"a ajouté la borne %s", "added the kiosk %s"},
	"audit.say.kiosk.enroll":       {"a mis en service la borne %s", "set up the kiosk %s"},
	"audit.say.kiosk.update":       {"a modifié la borne %s", "changed the kiosk %s"},
	"audit.say.product.create":     {"a ajouté le produit %s", "added the product %s"},
	"audit.say.product.update":     {"a modifié le produit %s", "changed the product %s"},
	"audit.say.sale.create":        {"a vendu « %s » à %s pour %s", "sold “%s” to %s for %s"},
	"audit.say.sale.refund":        {"a remboursé %s de %s (%s)", "refunded %s of %s (%s)"},
	"audit.say.sale.invoice":       {"a fait la facture de %s", "made the invoice of %s"},
	"audit.say.setting.set":        {"a changé le réglage %s", "changed the setting %s"},
	"audit.field.name":             {"Nom", "Name"},
	"audit.field.email":            {"E-mail", "E-mail"},
	"audit.field.status":           {"Statut", "Status"},
	"audit.field.slack_opt_out":    {"Sans Slack", "No Slack"},
	"audit.field.fields":           {"Changé", "Changed"},
	"audit.field.role":             {"Rôle", "Role"},
	"audit.field.disabled":         {"Désactivé", "Disabled"},
	"audit.field.password":         {"Mot de passe changé", "Password changed"},
	"audit.field.link":             {"Lien", "Link"},
	"audit.field.badge":            {"Badge", "Badge"},
	"audit.field.revoked":          {"Badges révoqués", "Badges revoked"},
	"audit.field.space":            {"Espace", "Space"},
	"audit.field.enroll_expires":   {"Code de mise en service valable jusqu’au", "Setup code valid until"},
	"audit.field.software":         {"Version du logiciel", "Software version"},
	"audit.field.kind":             {"Type", "Kind"},
	"audit.field.entries":          {"Entrées", "Entries"},
	"audit.field.days":             {"Jours", "Days"},
	"audit.field.price":            {"Prix", "Price"},
	"audit.field.active":           {"En vente", "On sale"},
	"audit.field.amount":           {"Montant", "Amount"},
	"audit.field.paid":             {"Payé par", "Paid by"},
	"audit.field.member":           {"Membre", "Member"},
	"audit.field.product":          {"Produit", "Product"},
	"audit.field.sale":             {"Vente", "Sale"},
	"audit.field.source":           {"Origine", "Source"},
	"audit.field.external_ref":     {"Référence du paiement", "Payment reference"},
	"audit.field.start":            {"Du", "From"},
	"audit.field.end":              {"Au", "To"},
	"audit.field.value":            {"Nouvelle valeur", "New value"},
	"audit.field.key":              {"Réglage", "Setting"},
	"audit.field.valid":            {"Valable à", "Valid at"},
	"audit.all_spaces":             {"tous les espaces", "every space"},
	"audit.field.seller":           {"Espace vendeur", "Selling space"},
	"audit.field.rate":             {"Tarif par visite", "Rate per visit"},
	"audit.field.slack_channel":    {"Salon Slack", "Slack channel"},
	"audit.field.mail_name":        {"Nom d’expéditeur", "Sender name"},
	"audit.field.order":            {"Commande", "Order"},
	"audit.field.item":             {"Article", "Item"},
	"audit.field.reason":           {"Raison", "Reason"},
	"audit.field.form":             {"Formulaire", "Form"},
	"audit.field.provider":         {"Logiciel de facturation", "Invoicing software"},
	"audit.field.invoice_id":       {"Facture", "Invoice"},
	"audit.field.number":           {"Numéro", "Number"},
	"audit.field.expires":          {"Expire le", "Expires"},
	"audit.field.count":            {"Nombre", "Count"},
	"audit.field.before":           {"Avant le", "Before"},
	"audit.show_object":            {"Ne voir que ce qui concerne %s", "Only what concerns %s"},
	"audit.all":                    {"Tout le journal", "The whole log"},
	"audit.all_actions":            {"Toutes", "All"},
	"audit.what":                   {"Ce qui s’est passé", "What happened"},
})
