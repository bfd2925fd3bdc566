package admin

import (
	"net/http"
	"slices"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

type memberShowData struct {
	Member   *central.Member
	Balance  *central.Balance
	Badges   []*central.Badge
	Visits   []*central.Visit
	Entries  []*adminstore.EntryRow
	NEntries int
	Sales    []*adminstore.SaleRow
	Products []*central.Product
	Link     *central.MemberLink
	Reprints []secretView // badges made in this session that can be shown again
	// The sale form as typed, after a mistake (?sell_error=amount&amount=dix).
	SellError, SellProduct, SellAmount string
	// How it was paid, as typed: the method and the cheque's details.
	SellPaid, SellBank, SellCheque, SellPayer string
	// MailOn: e-mail is set up (the "send by e-mail" buttons);
	// MailFailures: her mails given up (mail.go).
	MailOn       bool
	MailFailures []mailFailure
	// Owed is what she owes: her sales not paid yet (cents).
	Owed int64
	// Guests are her latest guest passes, and whether each guest came;
	// Invite: the bureau may invite for her (GuestForm: as typed).
	Guests    []*adminstore.HostGuest
	Invite    bool
	GuestForm guestForm
	// sold are the products a user of a space sells (nil: the network's,
	// all): she sells those alone, and pays or refunds their sales.
	sold map[int64]bool
}

// SellAmountError reports whether the sale form's mistake is its amount's.
func (d memberShowData) SellAmountError() bool {
	return d.SellError == "sale.error.amount" || d.SellError == "sale.error.amount_negative"
}

// SellMethod is the sale form's "Payé par": as typed before a mistake,
// "other" at first.
func (d memberShowData) SellMethod() string {
	if d.SellPaid != "" {
		return d.SellPaid
	}
	return string(central.PaidOther)
}

// Sells reports whether the user may sell the product, or record the
// payment or the refund of its sales: her space sells it.
func (d memberShowData) Sells(product int64) bool { return d.sold == nil || d.sold[product] }

// ValidBadges counts the badges that open the door.
func (d memberShowData) ValidBadges() int {
	n := 0
	for _, b := range d.Badges {
		if !b.IsRevoked() {
			n++
		}
	}
	return n
}

// historyLength is how many visits, entries and sales a member's page shows.
const historyLength = 30

// memberShow shows a member with her balance, badges, link and history
// (GET /members/{id}).
func (s *Server) memberShow(w http.ResponseWriter, r *http.Request) {
	m, ok := s.memberOf(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	d := memberShowData{Member: m}
	var err error
	fail := func() bool {
		if err != nil {
			s.failErr(w, r, err)
			return true
		}
		return false
	}
	d.Balance, err = s.cfg.Ledger.MemberBalance(ctx, m.ID, d.Member.Balance.Day)
	if fail() {
		return
	}
	d.Badges, _, err = s.cfg.Badges.FindBadges(ctx, central.BadgeFilter{Member: &m.ID})
	if fail() {
		return
	}
	var nv int
	_, nv, err = s.cfg.Entries.FindVisits(ctx, central.VisitFilter{Member: &m.ID, Limit: 1})
	if fail() {
		return
	}
	off := max(nv-historyLength, 0)
	d.Visits, _, err = s.cfg.Entries.FindVisits(ctx, central.VisitFilter{Member: &m.ID, Offset: off, Limit: historyLength})
	if fail() {
		return
	}
	for i, j := 0, len(d.Visits)-1; i < j; i, j = i+1, j-1 { // newest first
		d.Visits[i], d.Visits[j] = d.Visits[j], d.Visits[i]
	}
	// A user of a space sees her visits and entries at that space only
	// (her sales, which make her balance, all).
	sc := requestScope(r)
	d.Visits = slices.DeleteFunc(d.Visits, func(v *central.Visit) bool { return !sc.HasKey(v.Space) })
	d.Entries, d.NEntries, err = s.cfg.Store.EntryRows(ctx, adminstore.EntryRowFilter{Member: &m.ID, Kiosks: sc.Kiosks(), Limit: historyLength})
	if fail() {
		return
	}
	d.Sales, _, err = s.cfg.Store.SaleRows(ctx, adminstore.SaleRowFilter{Member: &m.ID, Limit: historyLength})
	if fail() {
		return
	}
	var unpaid []*adminstore.SaleRow
	unpaid, _, err = s.cfg.Store.SaleRows(ctx, adminstore.SaleRowFilter{Member: &m.ID, Unpaid: true, Limit: 1000})
	if fail() {
		return
	}
	for _, u := range unpaid {
		d.Owed += u.Amount
	}
	active := true
	d.Products, _, err = s.cfg.Products.FindProducts(ctx, central.ProductFilter{Active: &active})
	if fail() {
		return
	}
	d.sold, err = s.productsSold(ctx, sc)
	if fail() {
		return
	}
	d.Products = slices.DeleteFunc(d.Products, func(p *central.Product) bool { return !d.Sells(p.ID) })
	d.Link, err = s.cfg.Store.ActiveMemberLink(ctx, m.ID)
	if fail() {
		return
	}
	d.Reprints = s.liveViews(sessionOwner(r), m.ID)
	if q := r.URL.Query(); q.Get("sell_error") == "amount" || q.Get("sell_error") == "amount_negative" ||
		q.Get("sell_error") == "product" || q.Get("sell_error") == "paid" {
		d.SellError, d.SellProduct, d.SellAmount = "sale.error."+q.Get("sell_error"), q.Get("product"), q.Get("amount")
		d.SellBank, d.SellCheque, d.SellPayer = q.Get("bank"), q.Get("cheque"), q.Get("payer")
		if m := central.PaymentMethod(q.Get("paid")); m.Valid() && m != central.PaidHelloAsso {
			d.SellPaid = string(m)
		}
	}
	d.Guests, err = s.cfg.Store.HostGuests(ctx, m.ID, historyLength)
	if fail() {
		return
	}
	if d.Invite = s.cfg.Guests != nil && s.cfg.Codes != nil; d.Invite {
		d.GuestForm = guestFormFrom(r.URL.Query(), s.spaceToday(ctx))
	}
	d.MailOn = m.Email != "" && s.mailsOn(ctx)
	d.MailFailures, err = s.memberMailFailures(ctx, m.ID)
	if fail() {
		return
	}
	s.render(w, r, "member_show", s.newPage(r, "member.title", d))
}
