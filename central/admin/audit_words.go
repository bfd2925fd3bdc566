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
	ctx       context.Context
	s         *Server
	p         *page
	members   map[int64]string
	products  map[int64]string
	kiosks    map[int64]string
	users     map[int64]string
	events    map[int64]string
	people    map[int64]map[int64]string // an event's registrations: who registered
	resources map[int64]string           // read at once, when a line needs one
	spaces    map[int64]string           // read at once, when a line needs one
	spaceKeys map[string]string          // the spaces' names by Space.Key
	cancelled map[int64]bool             // the sales cancelled before they were paid
}

func (s *Server) newAuditNames(ctx context.Context, p *page) *auditNames {
	return &auditNames{ctx: ctx, s: s, p: p, members: map[int64]string{}, products: map[int64]string{},
		kiosks: map[int64]string{}, users: map[int64]string{}, events: map[int64]string{},
		people: map[int64]map[int64]string{}, cancelled: map[int64]bool{}}
}

func (s *Server) auditLines(ctx context.Context, p *page, es []*central.AuditEvent) []auditLine {
	n := s.newAuditNames(ctx, p)
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

// saleCancelled reports whether sale id was cancelled before it was
// ever paid (central.Sale.IsCancelled): a sale refunded is never paid
// after, so one refunded and not paid was not paid when it was. A sale
// not found reads as not cancelled.
func (n *auditNames) saleCancelled(id int64) bool {
	if c, ok := n.cancelled[id]; ok {
		return c
	}
	s, err := n.s.cfg.Ledger.FindSaleByID(n.ctx, id)
	c := err == nil && s.IsCancelled()
	n.cancelled[id] = c
	return c
}

// event names an event by its title: "l’événement « Atelier vélo »", or
// its number once deleted.
func (n *auditNames) event(id int64) string {
	if name, ok := n.events[id]; ok {
		return name
	}
	name := n.p.T("audit.event", id)
	if e, err := n.s.cfg.Calendar.FindEvent(n.ctx, id); err == nil && e.Title != "" {
		name = n.p.T("audit.event_titled", e.Title)
	}
	n.events[id] = name
	return name
}

// person names who a registration of an event is: the member's name (as
// the journal names members) or the name a non-member gave.
func (n *auditNames) person(event, id int64) string {
	names, ok := n.people[event]
	if !ok {
		names = map[int64]string{}
		if rs, err := n.s.cfg.Calendar.Registrations(n.ctx, event); err == nil {
			for _, r := range rs {
				names[r.ID] = r.Name
				if r.Member != 0 {
					names[r.ID] = n.member(r.Member)
				}
			}
		}
		n.people[event] = names
	}
	if name := names[id]; name != "" {
		return name
	}
	return n.p.T("audit.registration_number", id)
}

// resource names a bookable resource: "la ressource « Salle de réunion »".
func (n *auditNames) resource(id int64) string {
	if n.resources == nil {
		n.resources = map[int64]string{}
		if rs, err := n.s.cfg.Bookings.FindResources(n.ctx); err == nil {
			for _, r := range rs {
				n.resources[r.ID] = n.p.T("audit.resource_named", r.Name)
			}
		}
	}
	if name, ok := n.resources[id]; ok {
		return name
	}
	return n.p.T("audit.resource", id)
}

// space names a space of the network: "l’espace « Hangar »".
func (n *auditNames) space(id int64) string {
	if name, ok := n.spaceName(id); ok {
		return n.p.T("audit.space_named", name)
	}
	return n.p.T("audit.space", id)
}

// spaceName is a space's name as is (a detail's value: "Espace vendeur :
// Hangar"), false for a space not found.
func (n *auditNames) spaceName(id int64) (string, bool) {
	if n.spaces == nil {
		n.spaces, n.spaceKeys = map[int64]string{}, map[string]string{}
		if n.s != nil && n.s.cfg.Spaces != nil {
			if ss, err := n.s.cfg.Spaces.FindSpaces(n.ctx); err == nil {
				for _, sp := range ss {
					n.spaces[sp.ID] = sp.Name
					n.spaceKeys[sp.Key] = sp.Name
				}
			}
		}
	}
	name, ok := n.spaces[id]
	return name, ok
}

// spaceKeyName names the space a kiosk carries (Kiosk.Space, the name it
// was added with): its name now, or the key as is.
func (n *auditNames) spaceKeyName(key string) string {
	n.spaceName(0) // reads the spaces
	if name, ok := n.spaceKeys[key]; ok {
		return name
	}
	return key
}

// spaceValue says a space detail (a kiosk's, a convention's seller):
// its name, or its number for a space not found.
func (n *auditNames) spaceValue(id int64) string {
	if name, ok := n.spaceName(id); ok {
		return name
	}
	return n.p.T("audit.number", id)
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
		return n.event(id)
	case "resource":
		return n.resource(id)
	case "space":
		return n.space(id)
	case "join_request":
		return n.p.T("audit.join_request", id)
	case "entries", "tombstones": // what the purges erase
		return n.p.T("audit.object." + kind)
	case "setting":
		_, key, _ := strings.Cut(o, ":")
		return n.p.T("audit.quoted", settingLabel(n.p.Lang, key))
	}
	return o
}

func (n *auditNames) line(e *central.AuditEvent) auditLine {
	l := auditLine{Time: e.Time, Who: n.who(e.Actor), Object: e.Object}
	// Someone registered to an event, by the link of her mail: her name
	// (the registration's, of the event the line is about), not its number.
	if kind, reg := splitObject(e.Actor); kind == "registration" && reg > 0 {
		if okind, event := splitObject(e.Object); okind == "event" && event > 0 {
			if name := n.person(event, reg); name != n.p.T("audit.registration_number", reg) {
				l.Who = n.p.T("audit.who.registration_named", name)
			}
		}
	}
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
	case "sale.refund", "sale.cancel":
		if _, id := splitObject(e.Object); e.Action == "sale.refund" && n.saleCancelled(id) {
			// Journaled by a version before sale.cancel: the stored line
			// stays, but no money moved either way.
			key = "audit.say.sale.cancel"
		}
		l.Says = n.p.T(key, obj, n.member(num("member")), n.p.Money(num("amount")))
		use("member", "amount")
	case "badge.issue", "badge.revoke", "badge.issue_phone":
		l.Says = n.p.T(key, num("badge"), obj)
		use("badge")
	case "event.register":
		if m := num("member"); m != 0 && e.Actor == "member:"+strconv.FormatInt(m, 10) {
			l.Says = n.p.T("audit.say.event.register_self", obj)
		} else if m != 0 {
			l.Says = n.p.T(key, n.member(m), obj)
		} else { // a non-member, on the event's public page
			l.Says = n.p.T("audit.say.event.register_public", obj)
		}
		use("member", "registration")
	case "event.cancel", "event.promote", "event.attended":
		_, event := splitObject(e.Object)
		if e.Action == "event.cancel" && e.Actor == "registration:"+strconv.FormatInt(num("registration"), 10) {
			l.Says = n.p.T("audit.say.event.cancel_self", obj) // by the link of her mail
		} else {
			l.Says = n.p.T(key, n.person(event, num("registration")), obj)
		}
		use("registration")
	case "booking.create":
		if details["blocked"] == true {
			l.Says = n.p.T("audit.say.booking.block", obj)
		} else {
			l.Says = n.p.T(key, obj, n.member(num("member")))
		}
		use("booking", "member", "blocked")
	case "booking.cancel":
		// Its row names the booking only: say whose it was, and when.
		l.Says = n.p.T(key, obj)
		if b, err := n.s.cfg.Bookings.FindBooking(n.ctx, num("booking")); err == nil {
			use("booking")
			details["start"], details["end"] = b.Start.UTC().Format(time.RFC3339Nano), b.End.UTC().Format(time.RFC3339Nano)
			if b.Member != 0 {
				details["member"] = json.Number(strconv.FormatInt(b.Member, 10))
			}
		}
	case "payment.map":
		l.Says = n.p.T(key, n.product(num("product")))
		use("product")
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
	// A setting chosen from a list says the choice as the settings' page
	// does ("Aucun : seulement un relais…", "20 %"), not its stored value
	// ("none", "FR_200"): the network's settings, and a space's own
	// (space.policy, space.books: its "key").
	setting, _ := strings.CutPrefix(e.Object, "setting:")
	if k, ok := details["key"].(string); ok && strings.HasPrefix(e.Object, "space:") {
		setting = k
	}
	if v, ok := details["value"].(string); ok && setting != "" {
		for _, o := range settingWidgets[setting].Options {
			if o.Value == v && o.Label != "" {
				details["value"] = said(n.p.T(o.Label))
			}
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
		v := n.value(k, details[k])
		if v == "" {
			continue
		}
		// A choice and what it was before (profile.update's directory and
		// directory_before) make one fact: "Dans l’annuaire : oui (avant : non)".
		if base, ok := strings.CutSuffix(k, "_before"); ok {
			if _, ok := details[base]; ok && !used[base] {
				continue // said with its base
			}
		} else if before, ok := details[k+"_before"]; ok {
			if b := n.value(k+"_before", before); b != "" {
				v = n.p.T("audit.before", v, b)
			}
		}
		l.Facts = append(l.Facts, n.p.T("audit.fact", fieldLabel(n.p, k), v))
	}
	return l
}

// fieldLabel names a detail of the journal (audit.field.*, which
// TestAuditFieldsLabelled checks every detail written has), or shows
// its key.
func fieldLabel(p *page, key string) string {
	if catalogHas("audit.field." + key) {
		return p.T("audit.field." + key)
	}
	return key
}

// said is a detail's value already in the page's words (a registration's
// status), said as is.
type said string

// value says a detail's value, "" for nothing worth saying.
func (n *auditNames) value(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case said:
		return string(x)
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
		case "event":
			if i == 0 {
				return ""
			}
			return n.event(i)
		case "space", "seller", "host": // a kiosk's space, a convention's seller...
			if i == 0 {
				return ""
			}
			return n.spaceValue(i)
		case "badge", "sale", "link", "revoked", "guest", "registration", "booking", "payments":
			if i == 0 {
				return ""
			}
			return n.p.T("audit.number", i)
		}
		return strconv.FormatInt(i, 10)
	case string:
		if key == "valid" { // where a product is valid: "" for every space, or space ids
			return n.validSpaces(x)
		}
		if x == "" {
			return ""
		}
		switch key {
		case "status", "was": // a member's, or a registration's (event.register's status, event.cancel's was)
			if !catalogHas("status."+x) && catalogHas("registration."+x) {
				return n.p.T("registration." + x)
			}
			if key == "was" && !catalogHas("status."+x) {
				// A name or a place as it was (space.rename's, an event's
				// or a resource's place moved by it), said as it was:
				// not « [status.La Cantine] ».
				return x
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
		case "space": // a kiosk's: the key it carries
			return n.spaceKeyName(x)
		case "key": // a setting of a space's own (space.policy, space.books)
			return n.p.T("audit.quoted", settingLabel(n.p.Lang, x))
		case "reason": // why a payment waits, was set aside or refunded
			if catalogHas("payreason." + x) {
				return n.p.PayReason(x)
			}
		case "paid", "method": // how a sale was paid: cash, cheque...
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

// validSpaces says where a product is valid (product.spaces' "valid", as
// central.ProductSpaces keeps it): every space ("all"), its selling space
// only (""), or the spaces by name ("1,3").
func (n *auditNames) validSpaces(v string) string {
	switch v {
	case "all":
		return n.p.T("audit.all_spaces")
	case "":
		return n.p.T("audit.selling_space_only")
	}
	set, err := access.ParseSpaceSet(v)
	if err != nil {
		return v
	}
	var names []string
	for _, id := range set.IDs() {
		names = append(names, n.spaceValue(id))
	}
	return strings.Join(names, ", ")
}

// The sentences of the journal: the subject (who) comes before.
var _ = addMessages(map[string][2]string{
	"audit.who.system":                 {"Badgeuse (automatique)", "Badgeuse (automatic)"},
	"audit.who.cli":                    {"La ligne de commande", "The command line"},
	"audit.who.kiosk":                  {"La borne elle-même", "The kiosk itself"},
	"audit.quoted":                     {"« %s »", "“%s”"},
	"audit.fact":                       {"%s : %s", "%s: %s"},
	"audit.erased_member":              {"un membre effacé", "an erased member"},
	"audit.number":                     {"n° %d", "no. %d"},
	"audit.kiosk_number":               {"la borne n° %d", "kiosk no. %d"},
	"audit.sale":                       {"la vente n° %d", "sale no. %d"},
	"audit.event":                      {"l’événement n° %d", "event no. %d"},
	"audit.resource":                   {"la ressource n° %d", "resource no. %d"},
	"audit.who.registration":           {"Quelqu’un inscrit à un événement (inscription n° %d), par le lien de son e-mail,", "Someone registered for an event (registration no. %d), by the link of their e-mail,"},
	"audit.who.registration_named":     {"%s, par le lien de son e-mail,", "%s, by the link of their e-mail,"},
	"audit.who.public":                 {"la page publique de l’événement", "the event's public page"},
	"audit.field.title":                {"Titre", "Title"},
	"audit.field.capacity":             {"Places", "Places"},
	"audit.field.places_before":        {"Places avant", "Places before"},
	"audit.field.revision":             {"Changements d’horaire", "Changes of time"},
	"audit.field.consumes":             {"Décompte une entrée", "Uses an entry"},
	"audit.field.public":               {"Ouvert à tous", "Open to all"},
	"audit.field.registration":         {"Inscription", "Registration"},
	"audit.field.was":                  {"Avant", "Before"},
	"audit.field.blocked":              {"Bloqué par le bureau", "Blocked by the board"},
	"audit.field.note":                 {"Note", "Note"},
	"audit.field.resource":             {"Ressource", "Resource"},
	"audit.payment":                    {"le paiement n° %d", "payment no. %d"},
	"audit.mapping":                    {"le lien d’article HelloAsso n° %d", "HelloAsso item link no. %d"},
	"audit.yes":                        {"oui", "yes"},
	"audit.no":                         {"non", "no"},
	"audit.say.other":                  {"a enregistré « %s » (%s)", "recorded “%s” (%s)"},
	"audit.say.admin_user.create":      {"a ajouté l’utilisateur %s", "added the user %s"},
	"audit.say.admin_user.update":      {"a modifié l’utilisateur %s", "changed the user %s"},
	"audit.say.member.create":          {"a ajouté le membre %s", "added the member %s"},
	"audit.say.member.update":          {"a modifié le membre %s", "changed the member %s"},
	"audit.say.member.erase":           {"a effacé les données d’un membre (%s)", "erased a member's data (%s)"},
	"audit.say.member.link_create":     {"a créé le lien personnel de %s", "made %s's personal link"},
	"audit.say.member.link_revoke":     {"a révoqué le lien personnel de %s", "revoked %s's personal link"},
	"audit.say.badge.issue":            {"a créé le badge n° %d de %s", "issued badge no. %d to %s"},
	"audit.say.badge.revoke":           {"a révoqué le badge n° %d de %s", "revoked badge no. %d of %s"},
	"audit.say.kiosk.create":           {"a ajouté la borne %s", "added the kiosk %s"},
	"audit.say.kiosk.enroll":           {"a mis en service la borne %s", "set up the kiosk %s"},
	"audit.say.kiosk.update":           {"a modifié la borne %s", "changed the kiosk %s"},
	"audit.say.product.create":         {"a ajouté le produit %s", "added the product %s"},
	"audit.say.product.update":         {"a modifié le produit %s", "changed the product %s"},
	"audit.say.sale.create":            {"a vendu « %s » à %s pour %s", "sold “%s” to %s for %s"},
	"audit.say.sale.refund":            {"a remboursé %s de %s (%s)", "refunded %s of %s (%s)"},
	"audit.say.sale.cancel":            {"a annulé %s de %s (%s), qui n’était pas payée", "cancelled %s of %s (%s), which was not paid"},
	"audit.say.sale.invoice":           {"a fait la facture de %s", "made the invoice of %s"},
	"audit.say.setting.set":            {"a changé le réglage %s", "changed the setting %s"},
	"audit.field.name":                 {"Nom", "Name"},
	"audit.field.email":                {"E-mail", "E-mail"},
	"audit.field.status":               {"Statut", "Status"},
	"audit.field.slack_opt_out":        {"Sans Slack", "No Slack"},
	"audit.field.fields":               {"Changé", "Changed"},
	"audit.field.role":                 {"Rôle", "Role"},
	"audit.field.disabled":             {"Désactivé", "Disabled"},
	"audit.field.password":             {"Mot de passe changé", "Password changed"},
	"audit.field.link":                 {"Lien", "Link"},
	"audit.field.badge":                {"Badge", "Badge"},
	"audit.field.revoked":              {"Badges révoqués", "Badges revoked"},
	"audit.field.phone_badges_revoked": {"Badges de téléphone révoqués", "Phone badges revoked"},
	"audit.field.space":                {"Espace", "Space"},
	"audit.field.enroll_expires":       {"Code de mise en service valable jusqu’au", "Setup code valid until"},
	"audit.field.software":             {"Version du logiciel", "Software version"},
	"audit.field.kind":                 {"Type", "Kind"},
	"audit.field.entries":              {"Entrées", "Entries"},
	"audit.field.days":                 {"Jours", "Days"},
	"audit.field.price":                {"Prix", "Price"},
	"audit.field.active":               {"En vente", "On sale"},
	"audit.field.amount":               {"Montant", "Amount"},
	"audit.field.paid":                 {"Payé par", "Paid by"},
	"audit.field.member":               {"Membre", "Member"},
	"audit.field.product":              {"Produit", "Product"},
	"audit.field.sale":                 {"Vente", "Sale"},
	"audit.field.source":               {"Origine", "Source"},
	"audit.field.external_ref":         {"Référence du paiement", "Payment reference"},
	"audit.field.start":                {"Du", "From"},
	"audit.field.end":                  {"Au", "To"},
	"audit.field.value":                {"Nouvelle valeur", "New value"},
	"audit.field.key":                  {"Réglage", "Setting"},
	"audit.field.valid":                {"Valable à", "Valid at"},
	"audit.all_spaces":                 {"tous les espaces", "every space"},
	"audit.selling_space_only":         {"l’espace vendeur seulement", "the selling space only"},
	"audit.field.seller":               {"Espace vendeur", "Selling space"},
	"audit.field.rate":                 {"Tarif par visite", "Rate per visit"},
	"audit.field.slack_channel":        {"Salon Slack", "Slack channel"},
	"audit.field.address":              {"Adresse", "Address"},
	"audit.field.mail_name":            {"Nom d’expéditeur", "Sender name"},
	"audit.field.order":                {"Commande", "Order"},
	"audit.field.item":                 {"Article", "Item"},
	"audit.field.reason":               {"Raison", "Reason"},
	"audit.field.form":                 {"Formulaire", "Form"},
	"audit.field.provider":             {"Logiciel de facturation", "Invoicing software"},
	"audit.field.invoice_id":           {"Facture", "Invoice"},
	"audit.field.number":               {"Numéro", "Number"},
	"audit.field.expires":              {"Expire le", "Expires"},
	"audit.field.count":                {"Nombre", "Count"},
	"audit.field.before":               {"Avant le", "Before"},
	"audit.show_object":                {"Ne voir que ce qui concerne %s", "Only what concerns %s"},
	"audit.all":                        {"Tout le journal", "The whole log"},
	"audit.all_actions":                {"Toutes", "All"},
	"audit.what":                       {"Ce qui s’est passé", "What happened"},
})

// The journal's other sentences and details: events, bookings, spaces,
// payments (TestAuditActionsSaid, TestAuditFieldsLabelled).
var _ = addMessages(map[string][2]string{
	"audit.event_titled":              {"l’événement « %s »", "the event “%s”"},
	"audit.registration_number":       {"quelqu’un (inscription n° %d)", "someone (registration no. %d)"},
	"audit.resource_named":            {"la ressource « %s »", "the resource “%s”"},
	"audit.space":                     {"l’espace n° %d", "space no. %d"},
	"audit.space_named":               {"l’espace « %s »", "the space “%s”"},
	"audit.join_request":              {"la demande d’adhésion n° %d", "join request no. %d"},
	"audit.object.entries":            {"les anciennes entrées", "the old entries"},
	"audit.object.tombstones":         {"les traces des membres effacés", "the traces of erased members"},
	"audit.before":                    {"%s (avant : %s)", "%s (before: %s)"},
	"audit.say.badge.issue_phone":     {"a créé le badge sur téléphone n° %d de %s", "issued phone badge no. %d to %s"},
	"audit.say.join.request":          {"a confirmé %s", "confirmed %s"},
	"audit.say.join.accept":           {"a accepté %s", "accepted %s"},
	"audit.say.join.refuse":           {"a refusé %s", "refused %s"},
	"audit.say.member.mail_prefs":     {"a changé les préférences d’e-mail de %s", "changed the e-mail preferences of %s"},
	"audit.say.member.payer_email":    {"a confirmé l’adresse de paiement de %s", "confirmed the payment address of %s"},
	"audit.say.email.given_up":        {"n’a pas pu remettre un e-mail à %s", "could not deliver an e-mail to %s"},
	"audit.say.guest.issue":           {"a créé une invitation au nom de %s", "issued a guest pass in the name of %s"},
	"audit.say.guest.space":           {"a renommé le lieu des invitations de %s", "renamed the place of the guest passes of %s"},
	"audit.say.product.spaces":        {"a choisi les espaces du produit %s", "set the spaces of the product %s"},
	"audit.say.space.create":          {"a ajouté %s", "added %s"},
	"audit.say.space.rename":          {"a renommé %s", "renamed %s"},
	"audit.say.space.policy":          {"a changé la règle de porte de %s", "changed the door policy of %s"},
	"audit.say.space.books":           {"a changé la comptabilité propre de %s", "changed the own books of %s"},
	"audit.say.space.address":         {"a changé l’adresse de %s", "changed the address of %s"},
	"audit.say.space.messaging":       {"a changé le salon Slack et l’expéditeur des e-mails de %s", "changed the Slack channel and mail sender of %s"},
	"audit.say.space.convention":      {"a fixé la convention d’accueil de %s", "set the hosting convention of %s"},
	"audit.say.settlement.invoice":    {"a demandé la facture entre espaces de %s", "asked the invoice between spaces of %s"},
	"audit.say.sale.paid":             {"a enregistré le paiement de %s", "recorded the payment of %s"},
	"audit.say.sale.cheque":           {"a complété le chèque de %s", "completed the cheque of %s"},
	"audit.say.payment.waiting":       {"a reçu %s de HelloAsso, en attente", "received %s from HelloAsso, waiting"},
	"audit.say.payment.unmatched":     {"a reçu %s de HelloAsso, à attribuer", "received %s from HelloAsso, to assign"},
	"audit.say.payment.credited":      {"a crédité %s de HelloAsso", "credited %s from HelloAsso"},
	"audit.say.payment.refunded":      {"a noté le remboursement de %s (HelloAsso)", "recorded the refund of %s (HelloAsso)"},
	"audit.say.payment.ignored":       {"a mis de côté %s (HelloAsso)", "set aside %s (HelloAsso)"},
	"audit.say.payment.assign":        {"a attribué %s", "assigned %s"},
	"audit.say.payment.ignore":        {"a mis de côté %s", "set aside %s"},
	"audit.say.payment.map":           {"a relié un article HelloAsso au produit %s", "linked a HelloAsso item to the product %s"},
	"audit.say.payment.unmap":         {"a supprimé %s", "removed %s"},
	"audit.say.entries.purge":         {"a effacé %s", "erased %s"},
	"audit.say.tombstones.purge":      {"a supprimé %s", "removed %s"},
	"audit.say.event.create":          {"a créé %s", "created %s"},
	"audit.say.event.update":          {"a modifié %s", "changed %s"},
	"audit.say.event.register":        {"a inscrit %s à %s", "registered %s for %s"},
	"audit.say.event.register_self":   {"s’est inscrit·e à %s", "registered for %s"},
	"audit.say.event.register_public": {"a inscrit une personne (hors membres) à %s", "registered a non-member for %s"},
	"audit.say.event.cancel":          {"a annulé l’inscription de %s à %s", "cancelled the registration of %s for %s"},
	"audit.say.event.cancel_self":     {"a annulé son inscription à %s", "cancelled their registration for %s"},
	"audit.say.event.promote":         {"a fait passer %s de la liste d’attente à une place de %s", "moved %s from the waiting list to a place at %s"},
	"audit.say.event.attended":        {"a noté la présence de %s à %s", "recorded the attendance of %s at %s"},
	"audit.say.event.payment":         {"a rendu payant %s (formulaire HelloAsso)", "made %s paid (HelloAsso form)"},
	"audit.say.event.free":            {"a rendu %s de nouveau gratuit", "made %s free again"},
	"audit.say.resource.create":       {"a ajouté %s", "added %s"},
	"audit.say.resource.space":        {"a choisi l’espace de %s", "set the space of %s"},
	"audit.say.resource.update":       {"a modifié %s", "changed %s"},
	"audit.say.resource.withdraw":     {"a retiré %s des réservations", "withdrew %s from booking"},
	"audit.say.resource.restore":      {"a remis en service %s", "put %s back into service"},
	"audit.field.opens":               {"Réservable à partir de", "Bookable from"},
	"audit.field.closes":              {"Jusqu’à", "Until"},
	"audit.field.slot_minutes":        {"Durée d’un créneau (minutes)", "Slot length (minutes)"},
	"audit.field.max_hours_week":      {"Heures au plus par membre et par semaine", "Hours at most per member a week"},
	"audit.field.name_before":         {"Nom, avant", "Name, before"},
	"audit.field.space_before":        {"Espace, avant", "Space, before"},
	"audit.say.booking.create":        {"a réservé %s pour %s", "booked %s for %s"},
	"audit.say.booking.block":         {"a bloqué un créneau de %s", "blocked a slot of %s"},
	"audit.say.booking.cancel":        {"a annulé une réservation de %s", "cancelled a booking of %s"},
	"audit.say.profile.update":        {"a changé les choix de visibilité de %s", "changed the visibility choices of %s"},
	"audit.say.profile.hide":          {"a masqué de l’annuaire le profil de %s", "hid the profile of %s from the directory"},
	"audit.say.profile.unhide":        {"a de nouveau montré dans l’annuaire le profil de %s", "showed the profile of %s in the directory again"},
	"audit.field.method":              {"Moyen de paiement", "Payment method"},
	"audit.field.bank":                {"Banque", "Bank"},
	"audit.field.payer":               {"Nom du payeur", "Payer's name"},
	"audit.field.at_door":             {"Noté à la porte (borne)", "Recorded at the door (kiosk)"},
	"audit.field.directory":           {"Dans l’annuaire", "In the directory"},
	"audit.field.directory_before":    {"Dans l’annuaire, avant", "In the directory, before"},
	"audit.field.presence":            {"Présence montrée aux membres", "Presence shown to members"},
	"audit.field.presence_before":     {"Présence montrée aux membres, avant", "Presence shown to members, before"},
	"audit.field.month":               {"Mois", "Month"},
	"audit.field.seq":                 {"N° d’ordre", "Sequence no."},
	"audit.field.visits":              {"Visites", "Visits"},
	"audit.field.error":               {"Erreur", "Error"},
	"audit.field.lang":                {"Langue", "Language"},
	"audit.field.reminders_off":       {"Sans rappels", "No reminders"},
	"audit.field.event":               {"Événement", "Event"},
	"audit.field.payments":            {"Paiements", "Payments"},
	"audit.field.booking":             {"Réservation", "Booking"},
	"audit.field.by_bureau":           {"Réservé par le bureau à son nom", "Booked by the board in her name"},
	"audit.field.timezone":            {"Fuseau horaire", "Time zone"},
	"audit.field.deleted":             {"Lignes effacées", "Rows erased"},
})
