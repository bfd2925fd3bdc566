package admin

import (
	"maps"
	"net/http"
	"strconv"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

// A space's own books (issue 14; central.Space.Books): a space that is a
// separate association sets its own association (what its receipts and
// invoices say), its Pennylane company and its HelloAsso organisation, on
// its page GET /spaces/{id}/books (admins; POST saves a part). Empty: the
// network's (Réglages › Facturation). Secrets are never shown again, as on
// the billing page.
//
// Whether a space keeps a part of its own is the network's decision (it
// takes the space's sales out of the network's books): a network admin
// starts and ends a part. The space's own admin then keeps the parts of
// its own up to date (a new token, a new address) from her menu, and is
// refused a change that would start or end one (ownChange).

// spaceBookParts are the keys of each part, in the page's order: those of
// billingSettingParts a space may set (central.Setting.Books).
var spaceBookParts = struct{ Seller, Pennylane, HelloAsso []string }{
	Seller: []string{central.SettingAssociationName, "association.address", "association.siret",
		"billing.vat_rate", "billing.legal_mention",
		// Its tax receipts' (central/billing TaxSettings, when centrald
		// adds them).
		"association.object", "association.rna", "donations.tax_receipts", "donations.tax_articles"},
	Pennylane: []string{"pennylane.token", "pennylane.finalize", "pennylane.api_url"},
	HelloAsso: []string{"helloasso.client_id", "helloasso.client_secret", "helloasso.signature_key", "helloasso.api_url"},
}

type spaceBooksData struct {
	Space *central.Space
	// Own tells, by group, whether the space keeps its own.
	Own                          map[string]bool
	Seller, Pennylane, HelloAsso []settingField
	// WebhookURL is the space's own HelloAsso notification URL.
	WebhookURL string
	// Check offers the connection checks (billing is on).
	Check bool
	// Network tells that the user is the network's: she may start and end
	// the space's own parts, and go back to the spaces.
	Network bool
}

// spaceBooksPage shows a space's own books (GET /spaces/{id}/books).
func (s *Server) spaceBooksPage(w http.ResponseWriter, r *http.Request) {
	s.renderSpaceBooks(w, r, http.StatusOK, "", "")
}

func (s *Server) renderSpaceBooks(w http.ResponseWriter, r *http.Request, status int, invalid, errText string) {
	sp, ok := s.bookSpace(w, r)
	if !ok {
		return
	}
	values := central.Settings(sp.Books)
	fields := func(keys []string) []settingField {
		var fs []settingField
		for _, k := range keys {
			if _, known := central.LookupSetting(k); known && central.IsBooksKey(k) {
				fs = append(fs, newSettingField(values, k))
			}
		}
		markInvalid(fs, invalid)
		keepTyped(r, fs, invalid, errText)
		return fs
	}
	p := spaceBookParts
	d := &spaceBooksData{Space: sp, Seller: fields(p.Seller), Pennylane: fields(p.Pennylane), HelloAsso: fields(p.HelloAsso),
		Own: map[string]bool{}, WebhookURL: s.publicURL(r) + spaceWebhookPath(sp.ID), Check: s.cfg.Billing != nil,
		Network: requestScope(r).Network()}
	for _, g := range []string{central.BooksAssociation, central.BooksPennylane, central.BooksHelloAsso} {
		d.Own[g] = sp.OwnBooks(g)
	}
	pg := s.newPage(r, "space_books.title", d)
	pg.Error = errText
	s.renderStatus(w, r, status, "space_books", pg)
}

// spaceWebhookPath is where centrald serves the HelloAsso notifications of
// a space's own organisation (billing.SpaceWebhookPath; the admin imports
// no adapter).
func spaceWebhookPath(space int64) string {
	return webhookPath + "/spaces/" + strconv.FormatInt(space, 10)
}

// bookSpace returns the space of the path's id, or answers 404.
func (s *Server) bookSpace(w http.ResponseWriter, r *http.Request) (*central.Space, bool) {
	id, ok := pathID(r, "id")
	if !ok || s.cfg.Spaces == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return nil, false
	}
	all, err := s.cfg.Spaces.FindSpaces(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return nil, false
	}
	sp := central.SpaceByID(all, id)
	if sp == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return nil, false
	}
	return sp, true
}

// spaceBooksSave stores what a part of the page posted, when it changed
// (POST /spaces/{id}/books): s.KEY as on the billing page, an empty secret
// kept, "-" clearing it, an empty value removing the space's own. A value
// shown as its default while the space has none of its own (a select's
// first choice) is not stored: it would make the group the space's.
func (s *Server) spaceBooksSave(w http.ResponseWriter, r *http.Request) {
	sp, ok := s.bookSpace(w, r)
	if !ok {
		return
	}
	lang := requestLang(r)
	p := spaceBookParts
	type change struct{ key, val string }
	var changes []change
	for _, k := range append(append(append([]string(nil), p.Seller...), p.Pennylane...), p.HelloAsso...) {
		v, present := r.PostForm["s."+k]
		def, known := central.LookupSetting(k)
		if !present || len(v) != 1 || !known || def.Books == "" {
			continue
		}
		val, current := strings.TrimSpace(v[0]), sp.Books[k]
		switch {
		case def.Secret && val == "":
			continue
		case def.Secret && val == "-":
			val = ""
		}
		if sameSetting(def, val, current) || current == "" && val != "" && sameSetting(def, val, def.Default) {
			continue
		}
		changes = append(changes, change{k, val})
	}
	if !requestScope(r).Network() {
		// Where central connects (an API's address) is the network's to
		// say: a space's admin pointed it at any host, the LAN's or the
		// cloud's metadata service, and read what answered with the
		// connection check.
		for _, c := range changes {
			if strings.HasSuffix(c.key, ".api_url") {
				s.renderSpaceBooks(w, r, http.StatusForbidden, c.key, translate(lang, "space_books.api_url_network"))
				return
			}
		}
		after := maps.Clone(sp.Books)
		for _, c := range changes {
			if c.val == "" {
				delete(after, c.key)
			} else {
				if after == nil {
					after = map[string]string{}
				}
				after[c.key] = c.val
			}
		}
		if ownChange(sp, &central.Space{Books: after}) {
			s.renderSpaceBooks(w, r, http.StatusForbidden, "", translate(lang, "space_books.network_decides"))
			return
		}
	}
	for _, c := range changes {
		k, val := c.key, c.val
		if err := s.cfg.Spaces.SetSpaceBooks(r.Context(), sp.ID, k, val); err != nil {
			if central.ErrorCode(err) == central.EINVALID {
				s.renderSpaceBooks(w, r, http.StatusBadRequest, k, errorText(lang, err))
				return
			}
			s.failErr(w, r, err)
			return
		}
	}
	redirect(w, r, "/spaces/"+strconv.FormatInt(sp.ID, 10)+"/books", "space_books_saved")
}

// ownChange reports whether a space's books, from before to after, start
// or end a part of its own: the network's decision.
func ownChange(before, after *central.Space) bool {
	for _, g := range []string{central.BooksAssociation, central.BooksPennylane, central.BooksHelloAsso} {
		if before.OwnBooks(g) != after.OwnBooks(g) {
			return true
		}
	}
	return false
}

// OwnBooksLink is the way to her space's books, in the menu of an admin
// of a space that keeps a part of its own ("" otherwise: a network admin
// reaches them from Espaces).
func (p *page) OwnBooksLink() string {
	sc := scopeOf(p.ctx)
	if sc.Network() || !p.Can("GET /spaces/{id}/books") {
		return ""
	}
	for _, g := range []string{central.BooksAssociation, central.BooksPennylane, central.BooksHelloAsso} {
		if sc.Space.OwnBooks(g) {
			return "/spaces/" + strconv.FormatInt(sc.Space.ID, 10) + "/books"
		}
	}
	return ""
}

// spaceBooksCheck tests a space's own HelloAsso or Pennylane connection
// (POST /spaces/{id}/books/check/{provider}, admins).
func (s *Server) spaceBooksCheck(w http.ResponseWriter, r *http.Request) {
	sp, ok := s.bookSpace(w, r)
	if !ok {
		return
	}
	provider := r.PathValue("provider")
	if s.cfg.Billing == nil || provider != "helloasso" && provider != "pennylane" {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err := s.cfg.Billing.CheckSpaceBooks(r.Context(), sp.ID, provider); err != nil {
		// The providers' messages hold no secret; show them as they are.
		msg := domainMessage(requestLang(r), err)
		if central.ErrorCode(err) == central.EINTERNAL {
			msg = err.Error()
		}
		s.log.Warn("admin: a space's billing connection check failed", "space", sp.ID, "provider", provider, "err", err)
		s.renderSpaceBooks(w, r, http.StatusBadGateway, "", translate(requestLang(r), "billing.check_failed", msg))
		return
	}
	redirect(w, r, "/spaces/"+strconv.FormatInt(sp.ID, 10)+"/books", provider+"_ok")
}

var _ = addMessages(map[string][2]string{
	"space_books.title": {"Comptabilité propre d’un espace", "A space's own books"},
	"space_books.link":  {"Comptabilité propre", "Own books"},
	"space_books.help": {"Un espace qui est une association distincte tient ses propres comptes : ses ventes sont facturées dans sa société Pennylane, ses reçus portent le nom de son association, et ses paiements HelloAsso arrivent de son organisation. Laissez une partie vide pour que l’espace utilise celle du réseau (Facturation). Une partie dont un champ est rempli est entièrement celle de l’espace : les champs laissés vides valent leur valeur par défaut, jamais celle du réseau.",
		"A space that is a separate association keeps its own books: its sales are invoiced in its Pennylane company, its receipts carry its association's name, and its HelloAsso payments come from its organisation. Leave a part empty for the space to use the network's (Billing). A part with one field filled is wholly the space's: the fields left empty have their default value, never the network's."},
	"space_books.own":        {"Propre à l’espace", "The space's own"},
	"space_books.network":    {"Celle du réseau", "The network's"},
	"space_books.webhook":    {"Adresse de notification HelloAsso de cet espace (à coller dans son organisation HelloAsso, Mon compte › Intégrations et API › Notifications) :", "This space's HelloAsso notification URL (to paste in its HelloAsso organisation, My account › Integrations and API › Notifications):"},
	"space_books.save":       {"Enregistrer cette partie", "Save this part"},
	"done.space_books_saved": {"Comptabilité de l’espace enregistrée.", "Space's books saved."},
	"space_books.network_only": {"Cette partie est celle du réseau. Pour que votre espace ait la sienne, demandez-le au bureau du réseau.",
		"This part is the network's. For your space to keep its own, ask the network's bureau."},
	"space_books.network_decides": {"Seul le bureau du réseau décide qu’un espace tient sa propre comptabilité ou la rend au réseau : modifiez les champs sans vider toute une partie, ou demandez-le au bureau du réseau.",
		"Only the network's bureau decides that a space keeps its own books or gives them back to the network: change the fields without emptying a whole part, or ask the network's bureau."},
	"space_books.api_url_network": {"Seul le bureau du réseau change l’adresse d’une API : c’est à ce serveur que la badgeuse se connecte.",
		"Only the network's bureau changes an API's address: it is the server the badgeuse connects to."},
	"nav.space_books": {"Comptabilité de l’espace", "Space's books"},
})
