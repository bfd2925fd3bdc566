package admin

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
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

// settlementInvoiceRow is a direction the host may invoice via Pennylane:
// the host keeps its own company, the month is over and the seller owes
// it something at their convention.
type settlementInvoiceRow struct {
	Host, Seller         int64
	HostName, SellerName string
	Visits               int
	Amount               int64
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
	if s.cfg.Billing != nil && p.Can("POST /settlement/invoice") && st.Last.Before(access.DayOf(s.now(), p.loc)) {
		for _, l := range st.Lines {
			if host := central.SpaceByID(st.Spaces, l.Host); l.Agreed && l.Amount > 0 && host.OwnBooks(central.BooksPennylane) {
				d.Invoices = append(d.Invoices, settlementInvoiceRow{Host: l.Host, Seller: l.Seller, HostName: host.Name,
					SellerName: st.SpaceName(l.Seller), Visits: l.Visits, Amount: l.Amount})
			}
		}
	}
	s.render(w, r, "settlement", p)
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
		cw.row(month, st.SpaceName(l.Host), st.SpaceName(l.Seller), strconv.Itoa(l.Visits), cw.money(l.Rate), cw.money(l.Amount),
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

// settlementInvoice asks for the month's invoice from a space with its own
// Pennylane company to the space whose passes its visitors used (POST
// /settlement/invoice: month, host, seller), after the page's
// confirmation; once per month and direction (billing's outbox key).
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
	queued, err := s.cfg.Billing.RequestSettlementInvoice(r.Context(), month, host, seller)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	done := "settlement_invoiced"
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
}

// spaceList shows the spaces with their Slack channel and mail sender
// name (GET /spaces).
func (s *Server) spaceList(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Spaces == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	d := &spacesData{}
	p := s.newPage(r, "spaces.title", d)
	var err error
	if d.Spaces, err = s.cfg.Spaces.FindSpaces(r.Context()); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, r, "spaces", p)
}

// spaceMessaging sets a space's Slack channel and mail sender name (POST
// /spaces/{id}/messaging: slack_channel, mail_name; empty: the
// network's).
func (s *Server) spaceMessaging(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Spaces == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err := s.cfg.Spaces.SetSpaceMessaging(r.Context(), id, r.PostFormValue("slack_channel"), r.PostFormValue("mail_name")); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/spaces", "space_saved")
}

var _ = addMessages(map[string][2]string{
	"nav.settlement":                {"Entre espaces", "Between spaces"},
	"settlement.invoice_title":      {"Facturer via Pennylane", "Invoice via Pennylane"},
	"settlement.invoice_help":       {"Un espace qui a sa propre société Pennylane facture, depuis celle-ci, l’espace qui lui doit les visites du mois, une fois le mois terminé. Une seule facture par mois et par sens.", "A space with its own Pennylane company invoices, from it, the space that owes it the month's visits, once the month is over. One invoice per month and direction."},
	"settlement.invoice_line":       {"%s facture %s : %d visites, %s", "%s invoices %s: %d visits, %s"},
	"settlement.invoice_confirm":    {"Créer dans la société Pennylane de %s une facture de %s à %s ? Elle ne sera faite qu’une fois.", "Make in %s's Pennylane company an invoice of %s to %s? It is made once only."},
	"settlement.invoice_yes":        {"Oui, facturer", "Yes, invoice"},
	"done.settlement_invoiced":      {"Facture demandée : elle sera créée dans Pennylane dans un instant.", "Invoice asked for: it will be made in Pennylane in a moment."},
	"done.settlement_invoice_asked": {"Cette facture a déjà été demandée : rien de plus n’est fait.", "This invoice was already asked for: nothing more is done."},
	"settlement.title":              {"Entre espaces : relevé du mois", "Between spaces: the month's settlement"},
	"settlement.help":               {"Chaque visite d’un pass réseau dans un autre espace que celui qui l’a vendu est due par l’espace vendeur à l’espace qui a reçu la visite, au tarif par visite de leur convention. Comptent les visites payées par une entrée de carte et celles couvertes par un abonnement ou un forfait illimité, celles des invités qui prennent une entrée de leur hôte comme les siennes ; pas celles que le membre doit (rien pour les payer).", "Each visit of a network pass at a space other than the one that sold it is owed by the selling space to the space that received it, at their convention's rate per visit. Visits paid by an entry of a card count, and those a subscription or an unlimited plan covered, guests' that take an entry of their host's as hers; not those the member owes (nothing paid them)."},
	"settlement.month":              {"Mois", "Month"},
	"settlement.show":               {"Afficher", "Show"},
	"settlement.months":             {"Mois précédent et suivant", "Previous and next month"},
	"settlement.pair":               {"Espaces", "Spaces"},
	"settlement.at_a":               {"Visites reçues par le premier", "Visits received by the first"},
	"settlement.at_b":               {"Visites reçues par le second", "Visits received by the second"},
	"settlement.balance":            {"Solde", "Balance"},
	"settlement.visits_owed":        {"%d visite(s) : %s", "%d visit(s): %s"},
	"settlement.owes":               {"%s doit %s à %s", "%s owes %s to %s"},
	"settlement.even":               {"Rien à régler", "Nothing to settle"},
	"settlement.unagreed":           {"Des visites sans convention dans un sens : fixez son tarif ci-dessous.", "Visits without a convention one way: set its rate below."},
	"settlement.pdf":                {"Relevé PDF", "PDF statement"},
	"settlement.none":               {"Aucune visite entre espaces ce mois-ci.", "No visits between spaces this month."},
	"settlement.conventions":        {"Conventions entre espaces", "Conventions between spaces"},
	"settlement.conv_help":          {"Le tarif par visite que l’espace vendeur paie à l’espace qui reçoit la visite ; chaque sens a le sien. Le même tarif sert la commande centrald settlement.", "The rate per visit the selling space pays the space that receives the visit; each way has its own. The command centrald settlement uses the same rate."},
	"settlement.host":               {"Espace qui reçoit la visite", "Space receiving the visit"},
	"settlement.seller":             {"Espace qui a vendu le pass (paie)", "Space that sold the pass (pays)"},
	"settlement.rate":               {"Tarif par visite", "Rate per visit"},
	"settlement.save":               {"Enregistrer la convention", "Save the convention"},
	"settlement.no_conventions":     {"Aucune convention pour l’instant.", "No convention yet."},
	"settlement.one_space":          {"Il n’y a qu’un espace : ajoutez-en avec centrald space add.", "There is only one space: add others with centrald space add."},
	"done.convention_saved":         {"Convention enregistrée.", "Convention saved."},
	"csv.host_space":                {"Espace qui reçoit", "Receiving space"},
	"csv.seller_space":              {"Espace vendeur", "Selling space"},
	"csv.rate_eur":                  {"Tarif par visite (€)", "Rate per visit (€)"},
	"csv.agreed":                    {"Convention", "Convention"},
	"nav.spaces":                    {"Espaces", "Spaces"},
	"spaces.title":                  {"Espaces", "Spaces"},
	"spaces.help":                   {"Les arrivées et le récapitulatif du jour d’un espace vont dans son salon Slack (avec le jeton du bot) ; les e-mails qu’une visite provoque (solde bas) portent son nom d’expéditeur. Vides : le salon slack.channel et le nom de l’association.", "A space's arrivals and daily digest go to its Slack channel (with the bot token); the mails a visit causes (low balance) carry its sender name. Empty: the channel slack.channel and the association's name."},
	"spaces.slack_channel":          {"Salon Slack (ID, comme C0123456789)", "Slack channel (ID, such as C0123456789)"},
	"spaces.mail_name":              {"Nom d’expéditeur des e-mails", "Mail sender name"},
	"spaces.save":                   {"Enregistrer", "Save"},
	"done.space_saved":              {"Espace enregistré.", "Space saved."},
})
