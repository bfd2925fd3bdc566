package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

type saleListData struct {
	Month    string // "2026-11" or ""
	Product  int64
	Source   string
	Products []*central.Product
	Sales    []*adminstore.SaleRow
	Totals   []adminstore.MonthTotal
	Sum      int64
	Pager    pager
	CSV      string
}

// saleFilter reads the sales filters (?month=YYYY-MM&product=ID&source=).
func saleFilter(q url.Values, loc *time.Location) (adminstore.SaleRowFilter, saleListData) {
	var f adminstore.SaleRowFilter
	var d saleListData
	if t, err := time.ParseInLocation("2006-01", q.Get("month"), loc); err == nil {
		d.Month = q.Get("month")
		f.Since, f.Until = t, t.AddDate(0, 1, 0)
	}
	if id, err := strconv.ParseInt(q.Get("product"), 10, 64); err == nil && id > 0 {
		d.Product, f.Product = id, &id
	}
	if src := q.Get("source"); src != "" && len(src) <= 32 {
		d.Source, f.Source = src, src
	}
	return f, d
}

// saleList lists sales with filters and totals per month (GET /sales).
func (s *Server) saleList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	settings, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	q := r.URL.Query()
	page, offset := pageOf(q)
	f, d := saleFilter(q, requestScope(r).clock(settings))
	f.Space = requestScope(r).MemberSpace()
	if d.Totals, err = s.cfg.Store.SaleMonthTotals(ctx, f, requestScope(r).clock(settings)); err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, t := range d.Totals {
		d.Sum += t.Amount
	}
	f.Offset, f.Limit = offset, perPage
	var n int
	if d.Sales, n, err = s.cfg.Store.SaleRows(ctx, f); err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.Products, err = s.spaceProducts(r); err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Pager = newPager("/sales", q, page, n)
	d.CSV = "/sales.csv"
	if v := filterQuery(q); v != "" {
		d.CSV += "?" + v
	}
	s.render(w, r, "sale_list", s.newPage(r, "sales.title", d))
}

// spaceProducts returns the products, or for a user of a space those her
// space sells.
func (s *Server) spaceProducts(r *http.Request) ([]*central.Product, error) {
	ps, _, err := s.cfg.Products.FindProducts(r.Context(), central.ProductFilter{})
	sc := requestScope(r)
	if err != nil || sc.Network() {
		return ps, err
	}
	places, err := s.cfg.Spaces.ProductPlaces(r.Context())
	if err != nil {
		return nil, err
	}
	var out []*central.Product
	for _, p := range ps {
		if places[p.ID].Space == sc.Space.ID {
			out = append(out, p)
		}
	}
	return out, nil
}

// filterQuery returns a list's filters without paging, for its CSV link.
func filterQuery(q url.Values) string {
	v := url.Values{}
	for k, vs := range q {
		if k != "page" && k != "done" {
			v[k] = vs
		}
	}
	return v.Encode()
}

// saleCSV exports the filtered sales (GET /sales.csv): of the products
// the user's space sells, or the space a network user picked (?space=ID).
func (s *Server) saleCSV(w http.ResponseWriter, r *http.Request) {
	r, ok := s.statsPlace(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	settings, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	f, _ := saleFilter(r.URL.Query(), requestScope(r).clock(settings))
	f.Space = requestScope(r).MemberSpace()
	sales, _, err := s.cfg.Store.SaleRows(ctx, f)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	spaces, sellers, err := s.productSellers(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	cw := s.newExport(w, r, "sales")
	cw.spaces = spaces // the space that sold it
	cw.header("id", "created", "member_id", "member", "product_id", "product", "kind", "entries", "amount_eur",
		"source", "external_ref", "start", "end", "refunded", "invoice_id", "entries_left",
		"paid", "paid_day", "bank", "cheque", "payer", // how it was paid (payments by hand), for the accountant
		"cancelled") // when a sale not paid was cancelled (raw: refunded too, the day its credit was withdrawn)
	for _, sale := range sales {
		p := sale.PaidBy
		paid, refunded, cancelled := cw.word("paid.", string(p.Method)), cw.time(sale.Refunded), ""
		if sale.IsCancelled() {
			cancelled = refunded
			if cw.people { // no money moved: not a refund, nor owed
				paid, refunded = translate(cw.lang, "sale.never_paid"), ""
			}
		}
		cw.spaceRow(sellers[sale.Product], i64(sale.ID), cw.time(sale.Created), i64(sale.Member), sale.MemberName, i64(sale.Product), sale.ProductName,
			cw.word("kind.", string(sale.Kind)), itoa(sale.Entries), cw.money(sale.Amount), cw.word("source.", sale.Source), sale.ExternalRef, cw.day(sale.Start),
			cw.day(sale.End), refunded, sale.InvoiceID, itoa(sale.Left),
			paid, cw.day(p.Day), p.Bank, p.Number, p.Payer, cancelled)
	}
	cw.flush(s)
}

// refundArgs are the "refund" partial's: a sale's refund button and the
// confirmation that says what the refund does.
type refundArgs struct {
	P    *page
	Sale *adminstore.SaleRow
	Back string // "member": back to the member's page
}

// Undone says how a refunded sale was undone: « Remboursée », or
// « Annulée » when it was not paid (no money moved).
func (p *page) Undone(sale *adminstore.SaleRow) string {
	if sale.IsCancelled() {
		return p.T("sale.cancelled")
	}
	return p.T("sale.refunded")
}

// Unpaid reports whether the sale is not paid yet: its refund cancels it,
// with nothing to give back.
func (a refundArgs) Unpaid() bool { return a.Sale.PaidBy.Method == central.Unpaid }

// Refund gives the "refund" partial its arguments.
func (p *page) Refund(sale *adminstore.SaleRow, back string) refundArgs {
	return refundArgs{P: p, Sale: sale, Back: back}
}
