package admin

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// Between the spaces of a network (issue 14): the month's settlement
// (GET /settlement?month=YYYY-MM) per pair of spaces, the visits each
// received of passes the other sold and what each owes at their
// convention's rate; as CSV (/settlement.csv, French Excel as the other
// exports) and, per pair, as a PDF a treasurer attaches to an invoice
// (/settlement.pdf?month=&a=&b=); and the conventions, set by the
// treasurer (POST /settlement/conventions). The space page (GET /spaces)
// sets each space's Slack channel and mail sender name (admins).

// SettlementPDFs draws a pair's settlement (central/billing; centrald
// wires it).
type SettlementPDFs interface {
	WriteSettlementPDF(w io.Writer, st *central.Settlement, pair central.SettlementPair, association string, created time.Time) error
}

type settlementRow struct {
	central.SettlementPair
	AName, BName string
	PDF          string
	// Debtor owes Creditor Owed once both ways are set off (0: even).
	Debtor, Creditor string
	Owed             int64
}

type conventionRow struct {
	Host, Seller string
	Rate         int64
}

// settlementInvoiceRow is a direction the host invoices via Pennylane
// (its own company): what the month counts now (Visits, Amount), the
// invoices asked (Asked, by Seq) and the one offered once the month is
// over (Next: the first, or the complement for visits synced after the
// last; nil when there is nothing more).
type settlementInvoiceRow struct {
	Host, Seller         int64
	HostName, SellerName string
	Visits               int
	Amount               int64
	Asked                []*central.SettlementInvoice
	Invoiced             central.Invoiced
	Next                 *central.SettlementInvoice
	// Fewer is how many visits fewer than invoiced the month counts (an
	// entry corrected): shown, never invoiced back (a credit note is the
	// treasurer's, by hand).
	Fewer int
}

type settlementData struct {
	Month, Prev, Next string
	Rows              []settlementRow
	Invoices          []settlementInvoiceRow
	Conventions       []conventionRow
	Spaces            []*central.Space
	CSV               string
	PDF               bool
}

// settlementMonth is the month asked (?month=YYYY-MM), else the current
// one in the space's time zone.
func settlementMonth(r *http.Request, p *page, now time.Time) (string, error) {
	m := r.URL.Query().Get("month")
	if m == "" {
		return now.In(p.loc).Format("2006-01"), nil
	}
	m = m[:min(len(m), 10)] // refused below if longer than YYYY-MM; the error quotes it
	if _, _, err := central.ParseMonth(m); err != nil {
		return "", err
	}
	return m, nil
}

func (s *Server) settlementSources() central.SettlementSources {
	return central.SettlementSources{Spaces: s.cfg.Spaces, Visits: s.cfg.Entries, Sales: s.cfg.Ledger}
}

// settle reads the month asked and settles it; a mistake or a failure is
// answered, and ok is false.
func (s *Server) settle(w http.ResponseWriter, r *http.Request, p *page) (month string, st *central.Settlement, ok bool) {
	month, err := settlementMonth(r, p, s.now())
	if err != nil {
		s.failErr(w, r, err)
		return "", nil, false
	}
	if st, err = s.settlementSources().Settle(r.Context(), month, nil); err != nil {
		s.failErr(w, r, err)
		return "", nil, false
	}
	return month, st, true
}

// settlementPage shows the month's settlement and the conventions (GET
// /settlement).
func (s *Server) settlementPage(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Spaces == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	d := &settlementData{PDF: s.cfg.SettlementPDF != nil}
	p := s.newPage(r, "settlement.title", d)
	month, st, ok := s.settle(w, r, p)
	if !ok {
		return
	}
	cs, err := s.cfg.Spaces.Conventions(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Month, d.Spaces, d.CSV = month, st.Spaces, "/settlement.csv?month="+month
	d.Prev = st.First.AddDays(-1).String()[:7]
	d.Next = st.Last.AddDays(1).String()[:7]
	for _, pr := range st.Pairs {
		row := settlementRow{SettlementPair: pr, AName: st.SpaceName(pr.A), BName: st.SpaceName(pr.B),
			PDF: fmt.Sprintf("/settlement.pdf?month=%s&a=%d&b=%d", month, pr.A, pr.B)}
		if net := pr.Net(); net > 0 {
			row.Debtor, row.Creditor, row.Owed = row.BName, row.AName, net
		} else if net < 0 {
			row.Debtor, row.Creditor, row.Owed = row.AName, row.BName, -net
		}
		d.Rows = append(d.Rows, row)
	}
	for _, c := range cs {
		d.Conventions = append(d.Conventions, conventionRow{Host: st.SpaceName(c.Host), Seller: st.SpaceName(c.Seller), Rate: c.Rate})
	}
	if s.cfg.Billing != nil {
		if d.Invoices, err = s.settlementInvoices(r, p, st); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	s.render(w, r, "settlement", p)
}

// settlementInvoices are the month's directions a host with its own
// Pennylane company invoices: those it invoiced (what, when) and, once
// the month is over and for who may ask, those owing it something more
// than invoiced (Next).
func (s *Server) settlementInvoices(r *http.Request, p *page, st *central.Settlement) ([]settlementInvoiceRow, error) {
	asked, err := s.cfg.Billing.SettlementInvoices(r.Context(), st.Month)
	if err != nil {
		return nil, err
	}
	offer := p.Can("POST /settlement/invoice") && st.Last.Before(access.DayOf(s.now(), p.loc))
	lines := slices.Clone(st.Lines)
	for _, inv := range asked { // a direction invoiced that now counts no visit (every one corrected)
		if !slices.ContainsFunc(lines, func(l central.SettlementLine) bool { return l.Host == inv.Host && l.Seller == inv.Seller }) {
			lines = append(lines, central.SettlementLine{Host: inv.Host, Seller: inv.Seller, Agreed: true})
		}
	}
	var rows []settlementInvoiceRow
	for _, l := range lines {
		host := central.SpaceByID(st.Spaces, l.Host)
		done := central.InvoicedFor(asked, l.Host, l.Seller)
		if host == nil || len(done.Invoices) == 0 && (!offer || !l.Agreed || l.Amount <= 0 || !host.OwnBooks(central.BooksPennylane)) {
			continue
		}
		row := settlementInvoiceRow{Host: l.Host, Seller: l.Seller, HostName: host.Name, SellerName: st.SpaceName(l.Seller),
			Visits: l.Visits, Amount: l.Amount, Asked: done.Invoices, Invoiced: done}
		if offer && host.OwnBooks(central.BooksPennylane) {
			row.Next = done.Complement(l)
		}
		if !done.Unknown && done.Visits > l.Visits {
			row.Fewer = done.Visits - l.Visits
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// settlementCSV exports the month's settlement, one line per direction
// of each pair (GET /settlement.csv?month=).
func (s *Server) settlementCSV(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Spaces == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	month, st, ok := s.settle(w, r, s.newPage(r, "", nil))
	if !ok {
		return
	}
	cw := s.newExport(w, r, "settlement-"+month)
	cw.header("month", "host_space", "seller_space", "visits", "rate_eur", "amount_eur", "agreed")
	for _, l := range st.Lines {
		cw.row(cw.month(month), st.SpaceName(l.Host), st.SpaceName(l.Seller), strconv.Itoa(l.Visits), cw.money(l.Rate), cw.money(l.Amount),
			cw.bool(l.Agreed))
	}
	cw.flush(s)
}

// settlementPDF downloads a pair's settlement of the month as a PDF (GET
// /settlement.pdf?month=&a=&b=).
func (s *Server) settlementPDF(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Spaces == nil || s.cfg.SettlementPDF == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	p := s.newPage(r, "", nil)
	month, st, ok := s.settle(w, r, p)
	if !ok {
		return
	}
	q := r.URL.Query()
	a, errA := strconv.ParseInt(q.Get("a"), 10, 64)
	b, errB := strconv.ParseInt(q.Get("b"), 10, 64)
	if errA != nil || errB != nil || a <= 0 || b <= 0 || a == b {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	a, b = min(a, b), max(a, b)
	if central.SpaceByID(st.Spaces, a) == nil || central.SpaceByID(st.Spaces, b) == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	pair := central.SettlementPair{A: a, B: b} // no visits either way: a statement of nothing owed
	for _, pr := range st.Pairs {
		if pr.A == a && pr.B == b {
			pair = pr
		}
	}
	set, err := s.cfg.Settings.Settings(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := s.cfg.SettlementPDF.WriteSettlementPDF(&buf, st, pair, set.AssociationName(), s.now().In(p.loc)); err != nil {
		s.failErr(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="releve-espaces-%s-%d-%d.pdf"`, month, a, b))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// settlementInvoice asks for the month's next invoice from a space with
// its own Pennylane company to the space whose passes its visitors used
// (POST /settlement/invoice: month, host, seller, and the figures the
// treasurer confirmed: visits, the month's, and amount, the invoice's),
// after the page's confirmation: the first, then a complement each time
// the month counts more visits; each once (billing's outbox keys).
func (s *Server) settlementInvoice(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Spaces == nil || s.cfg.Billing == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	month := r.PostFormValue("month")
	host, errH := strconv.ParseInt(r.PostFormValue("host"), 10, 64)
	seller, errS := strconv.ParseInt(r.PostFormValue("seller"), 10, 64)
	if _, _, err := central.ParseMonth(month); err != nil || errH != nil || errS != nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	// Figures missing or malformed are figures that changed: refused by
	// the worker unless nothing more is owed.
	visits, _ := strconv.Atoi(r.PostFormValue("visits"))
	amount, _ := strconv.ParseInt(r.PostFormValue("amount"), 10, 64)
	queued, err := s.cfg.Billing.RequestSettlementInvoice(r.Context(), month, host, seller, max(visits, -1), max(amount, -1))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	done := "settlement_invoiced"
	if r.PostFormValue("seq") != "1" {
		done = "settlement_complement"
	}
	if !queued {
		done = "settlement_invoice_asked"
	}
	redirect(w, r, "/settlement?month="+month, done)
}

// conventionSave sets the rate per visit one space pays another (POST
// /settlement/conventions: host, seller, rate, month to come back to).
func (s *Server) conventionSave(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Spaces == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	host, errH := strconv.ParseInt(r.PostFormValue("host"), 10, 64)
	seller, errS := strconv.ParseInt(r.PostFormValue("seller"), 10, 64)
	if errH != nil || errS != nil {
		s.failErr(w, r, central.Errorf(central.EINVALID, "A convention needs two spaces."))
		return
	}
	rate, err := central.ParseMoney(r.PostFormValue("rate"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if err := s.cfg.Spaces.SetConvention(r.Context(), &central.Convention{Host: host, Seller: seller, Rate: int64(rate)}); err != nil {
		s.failErr(w, r, err)
		return
	}
	back := "/settlement"
	if m := r.PostFormValue("month"); len(m) == 7 {
		if _, _, err := central.ParseMonth(m); err == nil {
			back += "?month=" + m
		}
	}
	redirect(w, r, back, "convention_saved")
}

type spacesData struct {
	Spaces []*central.Space
	// Rename is the name typed for space RenameID, refused for RenameErr
	// (said under its field); RenameID 0 when no form was refused.
	RenameID          int64
	Rename, RenameErr string
	// Address is the address typed for space AddressID, refused for
	// AddressErr; AddressID 0 when no form was refused.
	AddressID           int64
	Address, AddressErr string
}

// spaceList shows the spaces with their Slack channel and mail sender
// name (GET /spaces).
func (s *Server) spaceList(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Spaces == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	s.renderSpaces(w, r, http.StatusOK, &spacesData{})
}

func (s *Server) renderSpaces(w http.ResponseWriter, r *http.Request, status int, d *spacesData) {
	p := s.newPage(r, "spaces.title", d)
	var err error
	if d.Spaces, err = s.cfg.Spaces.FindSpaces(r.Context()); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.renderStatus(w, r, status, "spaces", p)
}

// spaceRename renames a space (POST /spaces/{id}/name: name), as
// `centrald space set --name` does (central.RenameSpace: no comma, no
// other space's name or key; its events, rooms and guest passes follow,
// journaled as space.rename); the main space's name is the setting
// space.name, as on Réglages. 303 to the page, or 400 with the name
// typed and the reason under it.
func (s *Server) spaceRename(w http.ResponseWriter, r *http.Request) {
	id, ok := s.spaceOfPath(w, r)
	if !ok {
		return
	}
	name := r.PostFormValue("name")
	if err := s.cfg.Spaces.RenameSpace(r.Context(), id, name); err != nil {
		if code := central.ErrorCode(err); code == central.EINVALID || code == central.ECONFLICT {
			s.renderSpaces(w, r, http.StatusBadRequest, &spacesData{RenameID: id, Rename: name, RenameErr: domainMessage(requestLang(r), err)})
			return
		}
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/spaces", "space_renamed") // the flash at the top says it
}

// spaceAddress sets a space's postal address (POST /spaces/{id}/address:
// address; "" for none), as `centrald space set --address` does: guests'
// mails and public event pages give it. 303 to the page, or 400 with the
// address typed and the reason under it.
func (s *Server) spaceAddress(w http.ResponseWriter, r *http.Request) {
	id, ok := s.spaceOfPath(w, r)
	if !ok {
		return
	}
	address := r.PostFormValue("address")
	if err := s.cfg.Spaces.SetSpaceAddress(r.Context(), id, address); err != nil {
		if central.ErrorCode(err) == central.EINVALID {
			s.renderSpaces(w, r, http.StatusBadRequest, &spacesData{AddressID: id, Address: address, AddressErr: domainMessage(requestLang(r), err)})
			return
		}
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/spaces", "space_address")
}

// spaceOfPath is the id of the space a /spaces/{id}/... form is about;
// false, after a 404, when this central has no spaces service or the id
// does not read.
func (s *Server) spaceOfPath(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := pathID(r, "id")
	if s.cfg.Spaces == nil || !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return 0, false
	}
	return id, true
}

// CommaName says, for a space whose name has a comma (named by a
// version that allowed it), why and how to rename it: the members export
// lists a member's spaces separated by ", ", where its name would read as
// two spaces. "" for any other name.
func (p *page) CommaName(sp *central.Space) string {
	if !strings.Contains(sp.Name, ",") {
		return ""
	}
	return p.T("spaces.comma", p.T("spaces.name"))
}

// spaceMessaging sets a space's Slack channel and mail sender name (POST
// /spaces/{id}/messaging: slack_channel, mail_name; empty: the
// network's).
func (s *Server) spaceMessaging(w http.ResponseWriter, r *http.Request) {
	id, ok := s.spaceOfPath(w, r)
	if !ok {
		return
	}
	if err := s.cfg.Spaces.SetSpaceMessaging(r.Context(), id, r.PostFormValue("slack_channel"), r.PostFormValue("mail_name")); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/spaces", "space_saved")
}

var _ = addMessages(map[string][2]string{
	"nav.settlement":                    {"Entre espaces", "Between spaces"},
	"spaces.comma":                      {"Ce nom contient une virgule : l’export des membres sépare les espaces de chacun par des virgules (colonne « Espaces »), où il se lirait comme deux espaces. Renommez-le sans virgule ci-dessous (« %s »).", "This name has a comma: the members export separates each member's spaces with commas (column “Spaces”), where it would read as two spaces. Rename it without a comma below (“%s”)."},
	"spaces.name":                       {"Nom de l’espace", "Space name"},
	"spaces.name_help":                  {"Sans virgule. Ses bornes, ses visites, ses événements, ses salles et ses invitations restent les siens ; les pages, e-mails et exports disent le nouveau nom.", "No comma. Its kiosks, visits, events, rooms and guest passes stay its own; pages, mails and exports say the new name."},
	"spaces.rename":                     {"Renommer", "Rename"},
	"spaces.address":                    {"Adresse de l’espace", "Space's address"},
	"spaces.address_help":               {"Rue, code postal et ville, sur une ligne. Elle figure dans l’e-mail des invités et sur la page publique des événements de l’espace. Vide : aucune.", "Street, postcode and town, on one line. It is given in guests' mails and on the public pages of the space's events. Empty: none."},
	"spaces.address_save":               {"Enregistrer l’adresse", "Save the address"},
	"done.space_address":                {"Adresse enregistrée.", "Address saved."},
	"done.space_renamed":                {"Espace renommé.", "Space renamed."},
	"settlement.invoice_title":          {"Facturer via Pennylane", "Invoice via Pennylane"},
	"settlement.invoice_help":           {"Un espace qui a sa propre société Pennylane facture, depuis celle-ci, l’espace qui lui doit les visites du mois, une fois le mois terminé. Une facture par mois et par sens, puis un complément si des visites arrivent après (une borne restée hors ligne à la fin du mois).", "A space with its own Pennylane company invoices, from it, the space that owes it the month's visits, once the month is over. One invoice per month and direction, then a complement if visits arrive after it (a kiosk left offline at the month's end)."},
	"settlement.invoice_line":           {"%s facture %s : %d visites, %s", "%s invoices %s: %d visits, %s"},
	"settlement.invoice_confirm":        {"Créer dans la société Pennylane de %s une facture de %s à %s ? Elle ne sera faite qu’une fois.", "Make in %s's Pennylane company an invoice of %s to %s? It is made once only."},
	"settlement.invoice_yes":            {"Oui, facturer", "Yes, invoice"},
	"settlement.invoiced":               {"Facture %[2]d : %[1]d visites, %[3]s, demandée le %[4]s", "Invoice %[2]d: %[1]d visits, %[3]s, asked on %[4]s"},
	"settlement.invoiced.one":           {"Facture %[2]d : %[1]d visite, %[3]s, demandée le %[4]s", "Invoice %[2]d: %[1]d visit, %[3]s, asked on %[4]s"},
	"settlement.invoiced_unknown":       {"Facture %d demandée le %s (ses chiffres n’étaient pas encore gardés : voyez-la dans Pennylane)", "Invoice %d asked on %s (its figures were not kept yet: see it in Pennylane)"},
	"settlement.invoice_made":           {"faite dans Pennylane le %s.", "made in Pennylane on %s."},
	"settlement.invoice_pending":        {"en cours.", "on its way."},
	"settlement.invoiced_total":         {"Déjà facturé : %d visites, %s.", "Invoiced so far: %d visits, %s."},
	"settlement.invoiced_total.one":     {"Déjà facturé : %d visite, %s.", "Invoiced so far: %d visit, %s."},
	"settlement.unknown_help":           {"Sans les chiffres de la première facture, Badgeuse ne propose pas de complément : comparez le relevé et la facture dans Pennylane.", "Without the first invoice's figures, Badgeuse offers no complement: compare the statement with the invoice in Pennylane."},
	"settlement.complement":             {"Le mois compte maintenant %d visites : %d de plus que facturé, %s.", "The month now counts %d visits: %d more than invoiced, %s."},
	"settlement.complement_title":       {"Facturer le complément", "Invoice the complement"},
	"settlement.complement_confirm":     {"Créer dans la société Pennylane de %[2]s une facture complémentaire de %[3]s à %[4]s pour %[1]d visites de plus ? Elle ne sera faite qu’une fois.", "Make in %[2]s's Pennylane company a complementary invoice of %[3]s to %[4]s for %[1]d more visits? It is made once only."},
	"settlement.complement_confirm.one": {"Créer dans la société Pennylane de %[2]s une facture complémentaire de %[3]s à %[4]s pour %[1]d visite de plus ? Elle ne sera faite qu’une fois.", "Make in %[2]s's Pennylane company a complementary invoice of %[3]s to %[4]s for %[1]d more visit? It is made once only."},
	"settlement.fewer":                  {"Le mois compte maintenant %d visites de moins que facturé (une entrée corrigée) : Badgeuse ne fait pas d’avoir ; s’il en faut un, la trésorière ou le trésorier le fait à la main dans Pennylane.", "The month now counts %d visits fewer than invoiced (an entry corrected): Badgeuse makes no credit note; if one is needed, the treasurer makes it by hand in Pennylane."},
	"settlement.fewer.one":              {"Le mois compte maintenant %d visite de moins que facturé (une entrée corrigée) : Badgeuse ne fait pas d’avoir ; s’il en faut un, la trésorière ou le trésorier le fait à la main dans Pennylane.", "The month now counts %d visit fewer than invoiced (an entry corrected): Badgeuse makes no credit note; if one is needed, the treasurer makes it by hand in Pennylane."},
	"done.settlement_complement":        {"Complément demandé : sa facture sera créée dans Pennylane dans un instant.", "Complement asked for: its invoice will be made in Pennylane in a moment."},
	"done.settlement_invoiced":          {"Facture demandée : elle sera créée dans Pennylane dans un instant.", "Invoice asked for: it will be made in Pennylane in a moment."},
	"done.settlement_invoice_asked":     {"Cette facture a déjà été demandée : rien de plus n’est fait.", "This invoice was already asked for: nothing more is done."},
	"settlement.title":                  {"Entre espaces : relevé du mois", "Between spaces: the month's settlement"},
	"settlement.help":                   {"Chaque visite d’un pass réseau dans un autre espace que celui qui l’a vendu est due par l’espace vendeur à l’espace qui a reçu la visite, au tarif par visite de leur convention. Comptent les visites payées par une entrée de carte et celles couvertes par un abonnement ou un forfait illimité, celles des invités qui prennent une entrée de leur hôte comme les siennes ; pas celles que le membre doit (rien pour les payer).", "Each visit of a network pass at a space other than the one that sold it is owed by the selling space to the space that received it, at their convention's rate per visit. Visits paid by an entry of a card count, and those a subscription or an unlimited plan covered, guests' that take an entry of their host's as hers; not those the member owes (nothing paid them)."},
	"settlement.month":                  {"Mois", "Month"},
	"settlement.show":                   {"Afficher", "Show"},
	"settlement.months":                 {"Mois précédent et suivant", "Previous and next month"},
	"settlement.pair":                   {"Espaces", "Spaces"},
	"settlement.at_a":                   {"Visites reçues par le premier", "Visits received by the first"},
	"settlement.at_b":                   {"Visites reçues par le second", "Visits received by the second"},
	"settlement.balance":                {"Solde", "Balance"},
	"settlement.visits_owed":            {"%d visites : %s", "%d visits: %s"},
	"settlement.visits_owed.one":        {"%d visite : %s", "%d visit: %s"},
	"settlement.owes":                   {"%s doit %s à %s", "%s owes %s to %s"},
	"settlement.even":                   {"Rien à régler", "Nothing to settle"},
	"settlement.unagreed":               {"Des visites sans convention dans un sens : fixez son tarif ci-dessous.", "Visits without a convention one way: set its rate below."},
	"settlement.pdf":                    {"Relevé PDF", "PDF statement"},
	"settlement.none":                   {"Aucune visite entre espaces ce mois-ci.", "No visits between spaces this month."},
	"settlement.conventions":            {"Conventions entre espaces", "Conventions between spaces"},
	"settlement.conv_help":              {"Le tarif par visite que l’espace vendeur paie à l’espace qui reçoit la visite ; chaque sens a le sien. Les montants de cette page en découlent.", "The rate per visit the selling space pays the space that receives the visit; each way has its own. This page's amounts follow from it."},
	"settlement.host":                   {"Espace qui reçoit la visite", "Space receiving the visit"},
	"settlement.seller":                 {"Espace qui a vendu le pass (paie)", "Space that sold the pass (pays)"},
	"settlement.rate":                   {"Tarif par visite", "Rate per visit"},
	"settlement.save":                   {"Enregistrer la convention", "Save the convention"},
	"settlement.no_conventions":         {"Aucune convention pour l’instant.", "No convention yet."},
	"settlement.one_space":              {"Il n’y a qu’un espace. Les espaces s’ajoutent depuis le terminal du serveur : un·e bénévole technique peut lancer centrald space add.", "There is only one space. Spaces are added from the server's terminal: a technical volunteer can run centrald space add."},
	"done.convention_saved":             {"Convention enregistrée.", "Convention saved."},
	"csv.host_space":                    {"Espace qui reçoit", "Receiving space"},
	"csv.seller_space":                  {"Espace vendeur", "Selling space"},
	"csv.rate_eur":                      {"Tarif par visite (€)", "Rate per visit (€)"},
	"csv.agreed":                        {"Convention", "Convention"},
	"nav.spaces":                        {"Espaces", "Spaces"},
	"spaces.title":                      {"Espaces", "Spaces"},
	"spaces.help":                       {"Les arrivées et le récapitulatif du jour d’un espace vont dans son salon Slack (avec le jeton du bot) ; les e-mails qu’une visite provoque (solde bas) portent son nom d’expéditeur. Vides : le salon de Réglages > Slack (« ID du salon des arrivées ») et le nom de l’association.", "A space's arrivals and daily digest go to its Slack channel (with the bot token); the mails a visit causes (low balance) carry its sender name. Empty: the channel of Settings > Slack (“Arrivals channel ID”) and the association's name."},
	"spaces.slack_channel":              {"Salon Slack (ID, comme C0123456789)", "Slack channel (ID, such as C0123456789)"},
	"spaces.mail_name":                  {"Nom d’expéditeur des e-mails", "Mail sender name"},
	"spaces.save":                       {"Enregistrer", "Save"},
	"done.space_saved":                  {"Espace enregistré.", "Space saved."},
})
