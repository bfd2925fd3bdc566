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
// Pennylane" on the settlement page. One invoice per (month, host, seller)
// ever: the outbox message's key is theirs, and the invoice is looked up by
// its external reference (then by its subject's mark among the customer's)
// before it is made, as a sale's (package doc).

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
}

// SettlementInvoiceMessage is the outbox message that asks for the
// invoice: one per month and direction, ever.
func SettlementInvoiceMessage(month string, host, seller int64) central.OutboxMessage {
	payload, _ := json.Marshal(SettlementInvoiceRequest{Month: month, Host: host, Seller: seller})
	return central.OutboxMessage{Topic: TopicSettlementInvoice, Key: TopicSettlementInvoice + ":" + settlementSuffix(month, host, seller),
		Payload: string(payload)}
}

// SettlementRef is the external reference of the invoice at Pennylane.
func SettlementRef(month string, host, seller int64) string {
	return "badgeuse-settlement-" + settlementSuffix(month, host, seller)
}

func settlementSuffix(month string, host, seller int64) string {
	return month + "-" + strconv.FormatInt(host, 10) + "-" + strconv.FormatInt(seller, 10)
}

// Settler makes a month's settlement (central.SettlementSources).
type Settler interface {
	Settle(ctx context.Context, month string, rate *int64) (*central.Settlement, error)
}

// settlementCase is what the invoice of a month's direction is made of.
type settlementCase struct {
	st           *central.Settlement
	line         central.SettlementLine
	host, seller *central.Space
	hostBooks    central.Settings // the host's books (its own Pennylane company)
	set          central.Settings // the network's
}

// settlementCase reads the month's settlement and the two spaces. It
// returns EINVALID when the host has no Pennylane company of its own, or
// the seller owes it nothing that month at a convention's rate.
func (w *Worker) settlementCase(ctx context.Context, month string, host, seller int64) (*settlementCase, error) {
	if _, _, err := central.ParseMonth(month); err != nil {
		return nil, err
	}
	if w.Spaces == nil || w.Settlements == nil {
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

// RequestSettlementInvoice has the worker make the month's invoice from
// host to seller in host's Pennylane company. The month must be over (its
// visits are then known). It reports whether the request is new (false:
// asked before, made or on its way). Returns EINVALID (the month not
// over, no company of the host's own, nothing owed) and ENOTFOUND.
func (w *Worker) RequestSettlementInvoice(ctx context.Context, month string, host, seller int64) (bool, error) {
	c, err := w.settlementCase(ctx, month, host, seller)
	if err != nil {
		return false, err
	}
	if today := access.DayOf(w.now(), c.set.Location()); !today.After(c.st.Last) {
		return false, central.Errorf(central.EINVALID, "The month %s is not over: invoice it once it is.", month)
	}
	queued, err := w.Outbox.EnqueueOutbox(ctx, SettlementInvoiceMessage(month, host, seller))
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
	if err := json.Unmarshal([]byte(it.Payload), &req); err != nil || req.Host <= 0 || req.Seller <= 0 {
		w.logger().Error("billing: bad settlement invoice request dropped", "message", it.ID)
		return nil
	}
	c, err := w.settlementCase(ctx, req.Month, req.Host, req.Seller)
	if code := central.ErrorCode(err); code == central.EINVALID || code == central.ENOTFOUND {
		return &dropped{fmt.Errorf("settlement invoice %s: %w", req.Month, err)}
	} else if err != nil {
		return err
	}
	api, err := w.invoiceClient(PennylaneFrom(c.hostBooks))
	if err != nil {
		return err
	}
	ref := SettlementRef(req.Month, req.Host, req.Seller)
	found, err := api.FindInvoices(ctx, ref)
	if err != nil {
		return fmt.Errorf("settlement %s: look the invoice up: %w", ref, err)
	}
	if len(found) > 0 {
		w.logger().Info("billing: settlement invoice found", "ref", ref, "invoice", found[0].ID)
		return nil
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
		return nil
	}
	a := SellerFrom(c.hostBooks)
	net, _ := SplitVAT(c.line.Amount, a.VATRate)
	month := frenchMonths[c.st.First.Month-1] + " " + strconv.Itoa(c.st.First.Year)
	n := &NewInvoice{Ref: ref, Customer: customer, Date: w.now().In(c.host.Location(c.set)),
		Draft:   !PennylaneFrom(c.hostBooks).Finalize,
		Subject: fmt.Sprintf("%s — visites de %s, %s %s", a.Name, month, c.seller.Name, mark),
		FreeText: fmt.Sprintf("Relevé entre espaces, %s : %d visite(s) à %s de pass vendus par %s, à %s la visite (convention entre espaces).",
			month, c.line.Visits, c.host.Name, c.seller.Name, central.Money(c.line.Rate).French()),
		Lines: []InvoiceLine{{Label: fmt.Sprintf("Visites à %s de pass vendus par %s, %s (%d × %s)", c.host.Name, c.seller.Name,
			month, c.line.Visits, central.Money(c.line.Rate).French()), Quantity: 1, UnitPrice: net, VATCode: a.VATCode}},
	}
	if a.VATRate == 0 {
		n.SpecialMention = a.LegalMention
	}
	inv, err := api.CreateInvoice(ctx, n)
	if err != nil {
		return fmt.Errorf("settlement %s: create invoice: %w", ref, err) // maybe made: looked up next time
	}
	w.logger().Info("billing: settlement invoice made", "ref", ref, "invoice", inv.ID, "number", inv.Number,
		"amount", c.line.Amount)
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
