package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// The invoice between two spaces of a network (issue 14): a space with its
// own Pennylane company (central.Space.Books) invoices, from its company,
// the space whose passes its visitors used, for what that space owes it
// for a month at their convention (central.Settlement): "Facturer via
// Pennylane" on the settlement page. The month's first invoice, then one
// complement per time the month counts more visits than were invoiced (a
// kiosk offline across the month's end syncs late: central.Invoiced).
// Each invoices the figures the treasurer confirmed, carried by its
// request and kept (central.SettlementInvoiceStore), never those the month
// counts when the worker runs. Each is one outbox message whose key is
// its own (the first's pennylane.settlement:MONTH:HOST:SELLER, a
// complement's the same with :SEQ), and is looked up by its external
// reference (then by its subject's mark among the customer's) before it
// is made, as a sale's (package doc).

// TopicSettlementInvoice asks the billing worker to make a month's
// invoice from a host space to a seller space (payload
// SettlementInvoiceRequest).
const TopicSettlementInvoice = "pennylane.settlement"

// SettlementInvoiceRequest is the payload of a TopicSettlementInvoice
// message.
type SettlementInvoiceRequest struct {
	Month  string `json:"month"`  // YYYY-MM
	Host   int64  `json:"host"`   // the space that received the visits: it invoices
	Seller int64  `json:"seller"` // the space that sold the passes: it pays
	// Seq is the invoice's (1 the month's first, 2, 3... complements),
	// and Visits, Rate and Amount what it invoices, as the treasurer
	// confirmed them. Seq 0: a request made before they were carried
	// (the month's first, figured when the worker runs).
	Seq    int   `json:"seq,omitempty"`
	Visits int   `json:"visits,omitempty"`
	Rate   int64 `json:"rate,omitempty"`
	Amount int64 `json:"amount,omitempty"`
}

// SettlementInvoiceMessage is the outbox message that asks for an
// invoice: one per month, direction and Seq, ever.
func SettlementInvoiceMessage(inv *central.SettlementInvoice) central.OutboxMessage {
	payload, _ := json.Marshal(SettlementInvoiceRequest{Month: inv.Month, Host: inv.Host, Seller: inv.Seller, Seq: inv.Seq,
		Visits: inv.Visits, Rate: inv.Rate, Amount: inv.Amount})
	key := TopicSettlementInvoice + ":" + inv.Month + ":" + strconv.FormatInt(inv.Host, 10) + ":" + strconv.FormatInt(inv.Seller, 10)
	if inv.Seq > 1 {
		key += ":" + strconv.Itoa(inv.Seq)
	}
	return central.OutboxMessage{Topic: TopicSettlementInvoice, Key: key, Payload: string(payload)}
}

// SettlementRef is the external reference at Pennylane of the month's
// invoice seq from host to seller: the first's has no suffix (as before
// complements), a complement's ends with -SEQ.
func SettlementRef(month string, host, seller int64, seq int) string {
	ref := "badgeuse-settlement-" + month + "-" + strconv.FormatInt(host, 10) + "-" + strconv.FormatInt(seller, 10)
	if seq > 1 {
		ref += "-" + strconv.Itoa(seq)
	}
	return ref
}

// Settler makes a month's settlement (central.SettlementSources).
type Settler interface {
	Settle(ctx context.Context, month string, rate *int64) (*central.Settlement, error)
}

// settlementCase is what the invoice of a month's direction is made of.
type settlementCase struct {
	st           *central.Settlement // nil when the request carries its figures
	line         central.SettlementLine
	host, seller *central.Space
	hostBooks    central.Settings // the host's books (its own Pennylane company)
	set          central.Settings // the network's
}

// settlementBooks reads the two spaces and the host's books. It returns
// EINVALID when the host has no Pennylane company of its own.
func (w *Worker) settlementBooks(ctx context.Context, month string, host, seller int64) (*settlementCase, error) {
	if _, _, err := central.ParseMonth(month); err != nil {
		return nil, err
	}
	if w.Spaces == nil || w.Settlements == nil || w.SettlementStore == nil {
		return nil, central.Errorf(central.EINVALID, "Pennylane is not set up for this space (its own pennylane.token).")
	}
	set, err := w.Settings.Settings(ctx)
	if err != nil {
		return nil, err
	}
	all, err := w.Spaces.FindSpaces(ctx)
	if err != nil {
		return nil, err
	}
	c := &settlementCase{host: central.SpaceByID(all, host), seller: central.SpaceByID(all, seller), set: set}
	if c.host == nil || c.seller == nil || host == seller {
		return nil, central.Errorf(central.ENOTFOUND, "Space %d not found.", max(host, seller))
	}
	if !c.host.OwnBooks(central.BooksPennylane) {
		return nil, central.Errorf(central.EINVALID, "Pennylane is not set up for this space (its own pennylane.token).")
	}
	c.hostBooks = c.host.Apply(set)
	if !PennylaneFrom(c.hostBooks).Configured() {
		return nil, central.Errorf(central.EINVALID, "Pennylane is not set up for this space (its own pennylane.token).")
	}
	return c, nil
}

// settlementCase is settlementBooks with the month's settlement read. It
// also returns EINVALID when the seller owes the host nothing that month
// at a convention's rate.
func (w *Worker) settlementCase(ctx context.Context, month string, host, seller int64) (*settlementCase, error) {
	c, err := w.settlementBooks(ctx, month, host, seller)
	if err != nil {
		return nil, err
	}
	if c.st, err = w.Settlements.Settle(ctx, month, nil); err != nil {
		return nil, err
	}
	for _, l := range c.st.Lines {
		if l.Host == host && l.Seller == seller {
			c.line = l
		}
	}
	if !c.line.Agreed || c.line.Amount <= 0 {
		return nil, central.Errorf(central.EINVALID, "Nothing is owed to invoice this month (no visits at a convention's rate).")
	}
	return c, nil
}

// SettlementInvoices returns the invoices asked between spaces for a
// month (the settlement page shows them).
func (w *Worker) SettlementInvoices(ctx context.Context, month string) ([]*central.SettlementInvoice, error) {
	if w.SettlementStore == nil {
		return nil, nil
	}
	return w.SettlementStore.SettlementInvoices(ctx, month)
}

// RequestSettlementInvoice has the worker make the month's next invoice
// from host to seller in host's Pennylane company: the first, or the
// complement for the visits the month counts more than were invoiced.
// visits (the month's, that direction) and amount (the invoice's) are the
// figures the treasurer confirmed: when the month no longer counts them it
// is refused, to be confirmed again. The month must be over (its visits
// are then known). It reports whether the request is new (false: asked
// before, made or on its way, and nothing more to invoice). Returns
// EINVALID (the month not over, the figures changed, no company of the
// host's own, nothing owed) and ENOTFOUND.
func (w *Worker) RequestSettlementInvoice(ctx context.Context, month string, host, seller int64, visits int, amount int64) (bool, error) {
	c, err := w.settlementCase(ctx, month, host, seller)
	if err != nil {
		return false, err
	}
	if today := access.DayOf(w.now(), c.set.Location()); !today.After(c.st.Last) {
		return false, central.Errorf(central.EINVALID, "The month %s is not over: invoice it once it is.", month)
	}
	invs, err := w.SettlementStore.SettlementInvoices(ctx, month)
	if err != nil {
		return false, err
	}
	done := central.InvoicedFor(invs, host, seller)
	next := done.Complement(c.line)
	if next == nil {
		return false, nil // asked before: nothing more (fewer visits is a credit note, by hand)
	}
	if visits != c.line.Visits || amount != next.Amount {
		return false, central.Errorf(central.EINVALID, "The month's figures changed since the page was shown (now %d visits): check them and confirm again.",
			c.line.Visits)
	}
	next.Month = month
	queued, err := w.SettlementStore.AskSettlementInvoice(ctx, next, SettlementInvoiceMessage(next))
	if err != nil {
		return false, err
	}
	if queued {
		w.Kick()
	}
	return queued, nil
}

// settlementInvoice makes the invoice of a TopicSettlementInvoice
// message, exactly once (see makeInvoice for the look-ups).
func (w *Worker) settlementInvoice(ctx context.Context, it *central.OutboxItem) error {
	var req SettlementInvoiceRequest
	if err := json.Unmarshal([]byte(it.Payload), &req); err != nil || req.Host <= 0 || req.Seller <= 0 || req.Seq < 0 {
		w.logger().Error("billing: bad settlement invoice request dropped", "message", it.ID)
		return nil
	}
	inv := &central.SettlementInvoice{Month: req.Month, Host: req.Host, Seller: req.Seller, Seq: req.Seq,
		Visits: req.Visits, Rate: req.Rate, Amount: req.Amount, Known: true}
	var c *settlementCase
	var err error
	if req.Seq == 0 { // asked before the figures were carried: the month's, now
		if c, err = w.settlementCase(ctx, req.Month, req.Host, req.Seller); err == nil {
			inv.Seq, inv.Visits, inv.Rate, inv.Amount = 1, c.line.Visits, c.line.Rate, c.line.Amount
		}
	} else {
		c, err = w.settlementBooks(ctx, req.Month, req.Host, req.Seller)
	}
	if err == nil {
		err = inv.Validate()
	}
	if code := central.ErrorCode(err); code == central.EINVALID || code == central.ENOTFOUND {
		return &dropped{fmt.Errorf("settlement invoice %s: %w", req.Month, err)}
	} else if err != nil {
		return err
	}
	api, err := w.invoiceClient(PennylaneFrom(c.hostBooks))
	if err != nil {
		return err
	}
	ref := SettlementRef(req.Month, req.Host, req.Seller, inv.Seq)
	found, err := api.FindInvoices(ctx, ref)
	if err != nil {
		return fmt.Errorf("settlement %s: look the invoice up: %w", ref, err)
	}
	if len(found) > 0 {
		w.logger().Info("billing: settlement invoice found", "ref", ref, "invoice", found[0].ID)
		return w.settlementInvoiceMade(ctx, inv, ref)
	}
	customer, err := w.spaceCustomer(ctx, api, c)
	if err != nil {
		return fmt.Errorf("settlement %s: customer: %w", ref, err)
	}
	mark := "(réf. " + ref + ")"
	if found, err = api.FindCustomerInvoices(ctx, customer, mark); err != nil {
		return fmt.Errorf("settlement %s: look the invoice up among its customer's: %w", ref, err)
	} else if len(found) > 0 {
		w.logger().Warn("billing: settlement invoice found by its subject", "ref", ref, "invoice", found[0].ID)
		return w.settlementInvoiceMade(ctx, inv, ref)
	}
	a := SellerFrom(c.hostBooks)
	net, _ := SplitVAT(inv.Amount, a.VATRate)
	first, _, _ := central.ParseMonth(req.Month)
	month := frenchMonths[first.Month-1] + " " + strconv.Itoa(first.Year)
	what, more := "visites", ""
	if inv.Seq > 1 {
		what, more = "complément "+strconv.Itoa(inv.Seq-1)+" des visites", " de plus, enregistrées après la facture du mois"
	}
	n := &NewInvoice{Ref: ref, Customer: customer, Date: w.now().In(c.host.Location(c.set)),
		Draft:   !PennylaneFrom(c.hostBooks).Finalize,
		Subject: fmt.Sprintf("%s — %s de %s, %s %s", a.Name, what, month, c.seller.Name, mark),
		FreeText: fmt.Sprintf("Relevé entre espaces, %s : %d visite(s)%s à %s de pass vendus par %s, à %s la visite (convention entre espaces).",
			month, inv.Visits, more, c.host.Name, c.seller.Name, central.Money(inv.Rate).French()),
		Lines: []InvoiceLine{{Label: fmt.Sprintf("Visites à %s de pass vendus par %s, %s (%d × %s)", c.host.Name, c.seller.Name,
			month, inv.Visits, central.Money(inv.Rate).French()), Quantity: 1, UnitPrice: net, VATCode: a.VATCode}},
	}
	if a.VATRate == 0 {
		n.SpecialMention = a.LegalMention
	}
	created, err := api.CreateInvoice(ctx, n)
	if err != nil {
		return fmt.Errorf("settlement %s: create invoice: %w", ref, err) // maybe made: looked up next time
	}
	w.logger().Info("billing: settlement invoice made", "ref", ref, "invoice", created.ID, "number", created.Number,
		"amount", inv.Amount)
	return w.settlementInvoiceMade(ctx, inv, ref)
}

// settlementInvoiceMade records that an invoice is made (or found), with
// its figures for one asked before they were kept. A failure is retried:
// the invoice is then found by its reference.
func (w *Worker) settlementInvoiceMade(ctx context.Context, inv *central.SettlementInvoice, ref string) error {
	if err := w.SettlementStore.SettlementInvoiceMade(ctx, inv); central.ErrorCode(err) == central.ENOTFOUND {
		// Asked before invoices were kept and no longer in the outbox
		// when the table was made: the invoice exists, nothing to record.
		w.logger().Warn("billing: settlement invoice made but not kept", "ref", ref)
	} else if err != nil {
		return fmt.Errorf("settlement %s: record it made: %w", ref, err)
	}
	return nil
}

// spaceCustomer returns the customer, in the host's company, of the
// seller space: its association (its own books, or the network's).
func (w *Worker) spaceCustomer(ctx context.Context, api InvoiceAPI, c *settlementCase) (string, error) {
	book, key := companyBook(c.host), "space:"+strconv.FormatInt(c.seller.ID, 10)
	if id, err := w.Invoices.BillingCustomer(ctx, book, key); err != nil || id != "" {
		return id, err
	}
	a := SellerFrom(c.seller.Apply(c.set))
	id, err := api.Customer(ctx, &Customer{Ref: "badgeuse:" + key, Name: a.Name, Company: a.Name,
		Address: central.Payer{Address: a.Address}})
	if err != nil {
		return "", err
	}
	if err := w.Invoices.SetBillingCustomer(ctx, book, key, id); err != nil {
		return "", err
	}
	return id, nil
}
