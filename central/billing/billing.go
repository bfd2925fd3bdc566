// Package billing carries out the side effects of payments and sales:
// it reads HelloAsso orders back when a notification arrived, and makes
// each sale's invoice in Pennylane, both from the durable outbox with
// retries; it also writes receipts and the sales export for the
// accountant.
//
// HelloAsso: https://dev.helloasso.com/docs/getting-started (package helloasso)
// Pennylane: https://pennylane.readme.io/docs/getting-started (package pennylane)
//
// # The flow
//
//	POST /hooks/helloasso (helloasso.Webhook)
//	  → rate per source address, signature checked, order id kept,
//	    one outbox message helloasso.order per order (read once a minute at most)
//	Worker: helloasso.order
//	  → GET /v5/orders/{id} with our own token (a forged id: any 4xx, dropped and noted)
//	  → PaymentService.RecordPaymentOrder (central.RecordPaymentOrder): match, sale + outbox pennylane.invoice in one transaction
//	Worker: pennylane.invoice
//	  → invoice found by external_reference, or among the customer's by the
//	    mark of its subject? record it : create, record
//
// Donations are recorded apart from sales (central/donation.go); with
// donations.tax_receipts, taxreceipt.go makes each donor's tax receipt of a
// year (CERFA 11580 fields, PDF).
//
// Sales made in the admin or with the command line queue their invoice
// the same way (React, on central.SaleMade, in the sale's transaction).
//
// The package declares its settings (Settings: helloasso.*, pennylane.*,
// billing.vat_rate and .legal_mention, association.address and .siret;
// settings.go), which centrald adds to the domain's table, and passes
// helloasso.create_members with each order it records
// (central.PaymentOrder.CreateMembers): the store reads no billing key.
//
// # Exactly one invoice per sale
//
// Pennylane has no idempotency key. The invoice of sale 42 carries the
// external reference "badgeuse-sale-42", and its subject ends with
// "(réf. badgeuse-sale-42)"; before creating it, the worker looks it up by
// that reference, and, as users have seen that filter of GET
// /customer_invoices return nothing, among the customer's invoices by the
// mark of the subject. The id a create returns is recorded before
// anything else. A create that timed out, failed with a
// 5xx, or succeeded just before centrald died (before the invoice id was
// recorded) is found on the next attempt instead of being made twice. The
// outbox message's key is per sale, so a sale never has two messages, and
// a claimed message is leased: two workers do not handle it at once.
//
// Settings are read at every message: changing a token or a URL with
// `centrald settings set` takes effect without a restart.
package billing

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/outbox"
	"github.com/badgeuse/badgeuse/shared/backoff"
)

// Worker defaults.
const (
	DefaultPollInterval = 30 * time.Second
	batchSize           = 10
	lease               = 5 * time.Minute // a message a dead worker claimed is retried after this
	// maxOrderAttempts gives up reading an order back after about five
	// days of failures (6 h apart at the cap): HelloAsso will not answer.
	maxOrderAttempts = 30
	provider         = "pennylane"
)

// OrderAPI reads orders back from the payment provider
// (helloasso.Client). An order the provider does not know gives an error
// with code central.ENOTFOUND.
type OrderAPI interface {
	PaymentOrder(ctx context.Context, id string) (*central.PaymentOrder, error)
	// Check tells whether the credentials are right.
	Check(ctx context.Context) error
}

// InvoiceAPI makes invoices at the accounting tool (pennylane.Invoicer).
type InvoiceAPI interface {
	// FindInvoices returns the invoices with an external reference,
	// oldest first (Sale left 0).
	FindInvoices(ctx context.Context, externalRef string) ([]*central.Invoice, error)
	// FindCustomerInvoices returns the invoices of a customer (her id at
	// the provider) whose subject holds mark, oldest first (Sale left 0):
	// the second way to find an invoice (see SubjectMark).
	FindCustomerInvoices(ctx context.Context, customer, mark string) ([]*central.Invoice, error)
	// Customer returns the id of the customer with c.Ref as external
	// reference, made from c when there is none.
	Customer(ctx context.Context, c *Customer) (string, error)
	// CreateInvoice makes an invoice. It is never retried by itself: after
	// a failure the invoice may exist, and the caller looks it up first.
	CreateInvoice(ctx context.Context, n *NewInvoice) (*central.Invoice, error)
	// Check tells whether the token and its rights are right.
	Check(ctx context.Context) error
}

// Customer is who an invoice is made out to.
type Customer struct {
	Ref     string // external reference: the same person, the same customer
	Name    string // full name of a person
	Company string // the company's name, when a company paid
	Email   string
	Address central.Payer // Address, ZipCode, City and Country (alpha-2; "" for unknown)
}

// NewInvoice is an invoice to make: paid, due on its date.
type NewInvoice struct {
	Ref            string // external reference (ExternalRef of the sale)
	Customer       string // id at the provider
	Date           time.Time
	Draft          bool
	Subject        string
	FreeText       string
	SpecialMention string // the VAT mention, when VAT does not apply
	Lines          []InvoiceLine
}

// InvoiceLine is a line of an invoice.
type InvoiceLine struct {
	Label     string
	Quantity  int
	UnitPrice int64  // cents, before tax
	VATCode   string // "exempt", "FR_200"...
}

// dropped is a handler's error that retrying cannot cure: the message is
// finished as failed, with the error as its note, for the bureau to see.
type dropped struct{ err error }

func (d *dropped) Error() string { return d.err.Error() }
func (d *dropped) Unwrap() error { return d.err }

// Worker sends billing's outbox messages: it reads HelloAsso orders back
// (central.TopicPaymentOrder) and makes Pennylane invoices
// (TopicInvoice). Set the services, then run Serve.
type Worker struct {
	Outbox   central.Outbox
	Settings central.SettingsService
	Payments central.PaymentService
	Ledger   central.LedgerService
	Members  central.MemberService
	Products central.ProductService
	Invoices central.InvoiceService
	// Spaces tells each sale's selling space, whose books (its own
	// Pennylane company, its association) its invoice is in (space.go);
	// nil: the network's books for every sale.
	Spaces SpaceBooks
	// Settlements settles a month between spaces, for the invoice from a
	// space with its own Pennylane company to another
	// (settlement_invoice.go); nil: none.
	Settlements Settler
	// SettlementInvoices keeps what each invoice between spaces asked
	// (the month's first and its complements); nil: none is asked.
	SettlementStore central.SettlementInvoiceStore
	Logger          *slog.Logger
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// PollInterval is how often Serve looks for due messages when
	// nothing wakes it (Kick).
	PollInterval time.Duration

	// NewOrderAPI and NewInvoiceAPI make the API clients from the current
	// settings (centrald sets them to the helloasso and pennylane
	// adapters). A client is kept while its settings do not change, so its
	// token cache and rate limiter last.
	NewOrderAPI   func(HelloAssoConfig) OrderAPI
	NewInvoiceAPI func(PennylaneConfig) InvoiceAPI

	// Wake, when set, is called when a message was just made due (the
	// Kick of centrald's one outbox loop, which runs Topics); nil: Kick
	// wakes Serve's own loop.
	Wake func()

	loopOnce sync.Once
	loop     *outbox.Worker // Serve and RunOnce's, made at the first call

	mu sync.Mutex
	// orderAPIs are the HelloAsso clients, by URL and credentials: the
	// network's organisation's and each space's with its own.
	orderAPIs map[string]OrderAPI
	// invAPIs are the Pennylane clients, by URL and token: the network's
	// company's and each space's with its own.
	invAPIs map[string]InvoiceAPI
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.Default()
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// React is billing's central.Reaction (centrald registers it in the
// store): a new sale causes its invoice, when Pennylane is set up (a token
// is set) and the sale is not free. The store calls it in the transaction
// that records the sale, so the invoice request exists if and only if the
// sale does.
func React(ev central.Event, set central.Settings) []central.OutboxMessage {
	if s, ok := ev.(central.SaleMade); ok && s.Sale.Amount > 0 && set.Get(SettingPennylaneToken) != "" {
		return []central.OutboxMessage{InvoiceMessage(s.Sale.ID)}
	}
	return nil
}

// Topics returns billing's topics as the outbox loop (central/outbox)
// runs them: batches, retried 30 s doubling to 6 h; an order is given up
// after maxOrderAttempts (HelloAsso has refused it for days), an invoice
// is retried until it is made.
func (w *Worker) Topics() []outbox.Topic {
	poll := cmp.Or(w.PollInterval, DefaultPollInterval)
	return []outbox.Topic{
		{Name: central.TopicPaymentOrder, Handle: w.handler(w.readOrder), Batch: batchSize, Lease: lease, Poll: poll,
			Retry: retryPace, MaxAttempts: maxOrderAttempts},
		{Name: TopicInvoice, Handle: w.handler(w.invoice), Batch: batchSize, Lease: lease, Poll: poll, Retry: retryPace},
		{Name: TopicSettlementInvoice, Handle: w.handler(w.settlementInvoice), Batch: batchSize, Lease: lease, Poll: poll,
			Retry: retryPace},
	}
}

// handler makes an outbox handler of a billing step: done when it
// returns nil, retried after its error.
func (w *Worker) handler(step func(context.Context, *central.OutboxItem) error) outbox.Handler {
	return func(ctx context.Context, it *central.OutboxItem) (outbox.Result, error) {
		err := step(ctx, it)
		var drop *dropped
		switch {
		case err == nil:
			return outbox.Sent(), nil
		case ctx.Err() != nil:
			return outbox.Result{}, ctx.Err() // stopping: taken back at the next start
		case errors.As(err, &drop):
			return outbox.GiveUp(err), nil
		}
		w.logger().Warn("billing: will retry", "topic", it.Topic, "message", it.ID, "attempt", it.Attempts+1, "err", err)
		return outbox.Retry(err, false), nil
	}
}

// outboxLoop returns the loop that Serve and RunOnce run: billing's topics
// alone, on the worker's fields as they are at the first call.
func (w *Worker) outboxLoop() *outbox.Worker {
	w.loopOnce.Do(func() {
		w.loop = &outbox.Worker{Outbox: w.Outbox, Topics: w.Topics(), Logger: w.logger(), Now: w.Now}
	})
	return w.loop
}

// Kick wakes the loop: a message was just stored (a notification).
func (w *Worker) Kick() {
	if w.Wake != nil {
		w.Wake()
		return
	}
	w.outboxLoop().Kick("")
}

// Serve sends due messages until ctx is done, with billing's own outbox
// loop (centrald serve runs Topics in its one loop for every consumer).
func (w *Worker) Serve(ctx context.Context) error {
	w.outboxLoop().Serve(ctx)
	return nil
}

// RunOnce handles the messages due now, a batch per topic, and returns
// how many it handled (sent or failed).
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	handled := 0
	for _, t := range w.Topics() {
		n, err := w.outboxLoop().Step(ctx, t.Name)
		handled += n
		if err != nil {
			return handled, fmt.Errorf("%s: %w", t.Name, err)
		}
	}
	return handled, nil
}

// retryPace paces a message's attempts: 30 s doubling to 6 h, give or take a
// tenth so that the messages of one outage do not all come back at once.
var retryPace = backoff.Policy{Min: 30 * time.Second, Max: 6 * time.Hour, Jitter: 0.1}

// orderClient returns the HelloAsso client of settings h: one per
// organisation (the network's, a space's own), kept while its settings do
// not change, at most maxInvoiceClients.
func (w *Worker) orderClient(h HelloAssoConfig) (OrderAPI, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	key := h.APIURL + "\x00" + h.ClientID + "\x00" + h.ClientSecret
	if w.NewOrderAPI == nil {
		return nil, errors.New("billing: no HelloAsso client (Worker.NewOrderAPI)")
	}
	if api, ok := w.orderAPIs[key]; ok {
		return api, nil
	}
	if w.orderAPIs == nil || len(w.orderAPIs) >= maxInvoiceClients {
		w.orderAPIs = map[string]OrderAPI{}
	}
	api := w.NewOrderAPI(h)
	w.orderAPIs[key] = api
	return api, nil
}

// invoiceClient returns the Pennylane client of settings p: one per
// company (the network's, a space's own), kept while its settings do not
// change, at most maxInvoiceClients (then they are made again).
func (w *Worker) invoiceClient(p PennylaneConfig) (InvoiceAPI, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	key := p.APIURL + "\x00" + p.Token
	if w.NewInvoiceAPI == nil {
		return nil, errors.New("billing: no Pennylane client (Worker.NewInvoiceAPI)")
	}
	if api, ok := w.invAPIs[key]; ok {
		return api, nil
	}
	if w.invAPIs == nil || len(w.invAPIs) >= maxInvoiceClients {
		w.invAPIs = map[string]InvoiceAPI{} // tokens changed many times: start over
	}
	api := w.NewInvoiceAPI(p)
	w.invAPIs[key] = api
	return api, nil
}

// maxInvoiceClients bounds the Pennylane clients a worker keeps: the
// network's and its spaces' companies (central.MaxSpaces), and a few old
// tokens.
const maxInvoiceClients = central.MaxSpaces + 10

// readOrder reads an order back from HelloAsso and records it. An order
// HelloAsso refuses or does not know (a forged or mistyped notification,
// another organization's order: any 4xx, see helloasso.IsRefused) is
// dropped: its message is finished as failed with HelloAsso's answer,
// which the bureau sees, and never retried; a new notification of the
// same order reads it again, no sooner than helloasso.OrderEvery.
func (w *Worker) readOrder(ctx context.Context, it *central.OutboxItem) error {
	var n central.PaymentNotice
	if err := json.Unmarshal([]byte(it.Payload), &n); err != nil || n.Order == "" {
		w.logger().Error("billing: bad payment notice dropped", "message", it.ID)
		return nil
	}
	set, err := w.Settings.Settings(ctx)
	if err != nil {
		return err
	}
	if n.Space != 0 {
		// A space's own organisation's order: read with its credentials.
		sp, err := w.ownHelloAsso(ctx, n.Space)
		if err != nil {
			return err
		}
		set = sp.Apply(set)
	}
	h := HelloAssoFrom(set)
	if !h.Configured() {
		return errors.New("HelloAsso is not set up (settings helloasso.client_id and helloasso.client_secret)")
	}
	api, err := w.orderClient(h)
	if err != nil {
		return err
	}
	o, err := api.PaymentOrder(ctx, n.Order)
	if central.ErrorCode(err) == central.ENOTFOUND {
		w.logger().Warn("billing: HelloAsso refuses or does not know the order of a notification: dropped (forged, mistyped or not ours)",
			"order", n.Order, "event", n.Event, "err", err)
		return &dropped{fmt.Errorf("order %s dropped: %w", n.Order, err)}
	} else if err != nil {
		return fmt.Errorf("read order %s: %w", n.Order, err)
	}
	o.CreateMembers, o.Space = h.CreateMembers, n.Space
	ps, err := w.Payments.RecordPaymentOrder(ctx, o)
	if err != nil {
		return fmt.Errorf("record order %s: %w", n.Order, err)
	}
	for _, p := range ps {
		w.logger().Info("billing: payment", "order", p.Order, "item", p.ExternalRef, "state", p.State,
			"status", p.Status, "reason", p.Reason, "sale", p.Sale)
	}
	return nil
}

// ownHelloAsso returns the space of a notice of its own organisation; a
// space gone or without HelloAsso of its own (since the notification) is
// dropped: its credentials are not the network's to use.
func (w *Worker) ownHelloAsso(ctx context.Context, id int64) (*central.Space, error) {
	if w.Spaces == nil {
		return nil, &dropped{fmt.Errorf("space %d: no spaces (Worker.Spaces)", id)}
	}
	all, err := w.Spaces.FindSpaces(ctx)
	if err != nil {
		return nil, err
	}
	sp := central.SpaceByID(all, id)
	if !sp.OwnBooks(central.BooksHelloAsso) {
		return nil, &dropped{fmt.Errorf("space %d has no HelloAsso organisation of its own", id)}
	}
	return sp, nil
}

// TopicInvoice asks the billing worker to make a sale's invoice in
// Pennylane (payload InvoiceRequest); React queues it for each sale.
const TopicInvoice = "pennylane.invoice"

// InvoiceRequest is the payload of a TopicInvoice message.
type InvoiceRequest struct {
	Sale int64 `json:"sale"`
}

// InvoiceKey is the outbox key of a sale's invoice: one message per sale,
// ever.
func InvoiceKey(sale int64) string { return "pennylane.invoice:sale:" + strconv.FormatInt(sale, 10) }

// InvoiceMessage is the outbox message that asks for a sale's invoice.
func InvoiceMessage(sale int64) central.OutboxMessage {
	return central.OutboxMessage{Topic: TopicInvoice, Key: InvoiceKey(sale), Payload: `{"sale":` + strconv.FormatInt(sale, 10) + `}`}
}

// ExternalRef is the external reference of a sale's invoice at Pennylane.
func ExternalRef(sale int64) string { return "badgeuse-sale-" + strconv.FormatInt(sale, 10) }

// SubjectMark is what the subject of a sale's invoice ends with: its
// external reference again, in a field Pennylane returns whatever filters
// do, so that the invoice can be found among its customer's
// (InvoiceAPI.FindCustomerInvoices). The brackets keep sale 4's mark out
// of sale 42's subject.
func SubjectMark(sale int64) string { return "(réf. " + ExternalRef(sale) + ")" }

// invoice makes a sale's invoice, exactly once: see the package doc.
func (w *Worker) invoice(ctx context.Context, it *central.OutboxItem) error {
	var req InvoiceRequest
	if err := json.Unmarshal([]byte(it.Payload), &req); err != nil || req.Sale <= 0 {
		w.logger().Error("billing: bad invoice request dropped", "message", it.ID)
		return nil
	}
	_, err := w.makeInvoice(ctx, req.Sale)
	if errors.Is(err, errCancelled) {
		w.logger().Info("billing: a sale cancelled before it was paid is not invoiced", "sale", req.Sale)
		return nil
	}
	if central.ErrorCode(err) == central.ENOTFOUND {
		w.logger().Error("billing: invoice of a sale that does not exist dropped", "sale", req.Sale)
		return nil
	}
	return err
}

// RequestInvoice has the worker make a sale's invoice now (the admin's
// and the command line's "make the invoice"), through the sale's outbox
// message: the outbox's lease keeps two workers from making it at the
// same time. It reports whether the message is due now (false: a worker
// is on it, or it is done). Returns ENOTFOUND for an unknown sale,
// ECONFLICT when the sale has its invoice, EINVALID when Pennylane is not
// set up.
func (w *Worker) RequestInvoice(ctx context.Context, saleID int64) (bool, error) {
	sale, err := w.Ledger.FindSaleByID(ctx, saleID)
	if err != nil {
		return false, err
	}
	if sale.InvoiceID != "" {
		return false, central.Errorf(central.ECONFLICT, "Sale %d already has its invoice (%s).", sale.ID, sale.InvoiceID)
	}
	if sale.IsCancelled() {
		return false, central.Errorf(central.EINVALID, "Sale %d was cancelled before it was paid: there is nothing to invoice.", sale.ID)
	}
	set, err := w.Settings.Settings(ctx)
	if err != nil {
		return false, err
	}
	if set, _, err = productBooks(ctx, w.Spaces, set, sale.Product); err != nil {
		return false, err
	}
	if !PennylaneFrom(set).Configured() {
		return false, central.Errorf(central.EINVALID, "Pennylane is not set up (setting pennylane.token).")
	}
	due, err := w.Outbox.DueOutboxKey(ctx, InvoiceMessage(sale.ID), lease)
	if err != nil {
		return false, err
	}
	if due {
		w.Kick()
	}
	return due, nil
}

// errCancelled is makeInvoice's answer for a sale cancelled before it was
// paid (central.Sale.IsCancelled) and not invoiced yet: it makes none.
var errCancelled = errors.New("billing: the sale was cancelled before it was paid")

// makeInvoice makes the invoice of a sale in Pennylane, or finds the one
// made before, and records it; a sale cancelled before it was paid and
// not invoiced yet gets none (errCancelled). Calling it again for the same sale makes no
// second invoice; calling it twice at the same time could, so only the
// holder of the sale's outbox message calls it. Returns ENOTFOUND for an
// unknown sale and EINVALID when Pennylane is not set up.
func (w *Worker) makeInvoice(ctx context.Context, saleID int64) (*central.Invoice, error) {
	sale, err := w.Ledger.FindSaleByID(ctx, saleID)
	if err != nil {
		return nil, err
	}
	if sale.InvoiceID != "" {
		return w.Invoices.FindInvoice(ctx, saleID)
	}
	if sale.IsCancelled() {
		return nil, errCancelled // no sale happened: nothing to invoice
	}
	set, err := w.Settings.Settings(ctx)
	if err != nil {
		return nil, err
	}
	// The sale's selling space's books: its own Pennylane company and
	// association when it has them, else the network's.
	set, sp, err := productBooks(ctx, w.Spaces, set, sale.Product)
	if err != nil {
		return nil, err
	}
	p := PennylaneFrom(set)
	if !p.Configured() {
		return nil, central.Errorf(central.EINVALID, "Pennylane is not set up (setting pennylane.token).")
	}
	api, err := w.invoiceClient(p)
	if err != nil {
		return nil, err
	}
	ref := ExternalRef(sale.ID)
	found, err := api.FindInvoices(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("sale %d: look the invoice up: %w", sale.ID, err)
	}
	if len(found) > 0 {
		if len(found) > 1 {
			w.logger().Error("billing: several invoices for one sale; the first is kept", "sale", sale.ID,
				"count", len(found))
		}
		return w.record(ctx, companyBook(sp), sale.ID, found[0])
	}
	b, err := w.buyer(ctx, sale)
	if err != nil {
		return nil, err
	}
	customer, err := w.customer(ctx, api, companyBook(sp), sale, b)
	if err != nil {
		return nil, fmt.Errorf("sale %d: customer: %w", sale.ID, err)
	}
	// Users have seen the external_reference filter return nothing: the
	// invoice of a create whose answer was lost (a timeout, a 5xx, a
	// crash before it was recorded) is looked for among the customer's
	// invoices too, by the mark its subject ends with.
	found, err = api.FindCustomerInvoices(ctx, customer, SubjectMark(sale.ID))
	if err != nil {
		return nil, fmt.Errorf("sale %d: look the invoice up among its customer's: %w", sale.ID, err)
	}
	if len(found) > 0 {
		if len(found) > 1 {
			w.logger().Error("billing: several invoices for one sale; the first is kept", "sale", sale.ID,
				"count", len(found))
		}
		w.logger().Warn("billing: invoice found by its subject, not by its external reference", "sale", sale.ID,
			"invoice", found[0].ID)
		return w.record(ctx, companyBook(sp), sale.ID, found[0])
	}
	n, err := w.newInvoice(ctx, sale, customer, set, sp)
	if err != nil {
		return nil, err
	}
	inv, err := api.CreateInvoice(ctx, n)
	if err != nil {
		// Maybe made anyway (timeout, 5xx): the next attempt looks it up.
		return nil, fmt.Errorf("sale %d: create invoice: %w", sale.ID, err)
	}
	// The invoice's id is recorded before anything else is done with it,
	// logs included.
	rec, err := w.record(ctx, companyBook(sp), sale.ID, inv)
	if err != nil {
		return nil, err
	}
	w.logger().Info("billing: invoice made", "sale", sale.ID, "invoice", inv.ID, "number", inv.Number)
	return rec, nil
}

// record records inv as the invoice of sale, made in the company of
// book (companyBook).
func (w *Worker) record(ctx context.Context, book string, sale int64, inv *central.Invoice) (*central.Invoice, error) {
	inv.Sale, inv.Provider = sale, book
	if err := w.Invoices.RecordInvoice(ctx, inv); err != nil {
		return nil, fmt.Errorf("sale %d: record invoice %s: %w", sale, inv.ID, err)
	}
	return inv, nil
}

// newInvoice returns the invoice of a sale: one line for its product, at
// the association's VAT rate, with the VAT mention when it is exempt,
// dated today (its date of issue) and due at once (paid, or to pay:
// paidText).
func (w *Worker) newInvoice(ctx context.Context, sale *central.Sale, customer string, set central.Settings, sp *central.Space) (*NewInvoice, error) {
	product, err := w.Products.FindProductByID(ctx, sale.Product)
	if err != nil {
		return nil, fmt.Errorf("sale %d: %w", sale.ID, err)
	}
	a := SellerFrom(set)
	loc := sp.Location(set)
	net, _ := SplitVAT(sale.Amount, a.VATRate)
	n := &NewInvoice{
		Ref: ExternalRef(sale.ID), Customer: customer, Date: w.now().In(loc), Draft: !PennylaneFrom(set).Finalize,
		Subject: fmt.Sprintf("%s — vente n° %d du %s %s", a.Name, sale.ID, sale.Created.In(loc).Format("02/01/2006"),
			SubjectMark(sale.ID)),
		FreeText: paidText(sale, loc),
		Lines:    []InvoiceLine{{Label: product.Name, Quantity: 1, UnitPrice: net, VATCode: a.VATCode}},
	}
	if a.VATRate == 0 {
		n.SpecialMention = a.LegalMention
	}
	return n, nil
}

// paidText is the invoice's free text: « Payé le 20/11/2026. » (the day
// the money came in: the sale's, or the one the treasurer recorded), or
// for a sale not paid yet « À régler. » (it said « Payé le » its day).
func paidText(sale *central.Sale, loc *time.Location) string {
	if sale.PaidBy.Method == central.Unpaid {
		return "À régler."
	}
	day := sale.Created.In(loc).Format("02/01/2006")
	if d := sale.PaidBy.Day; !d.IsZero() {
		day = fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
	}
	return "Payé le " + day + payment(sale.Source) + "."
}

func payment(source string) string {
	if source == central.SourceHelloAsso {
		return " via HelloAsso"
	}
	return ""
}

// buyer is who a sale is invoiced to: the HelloAsso payer, else the
// member.
type buyer struct {
	name, email string
	address     central.Payer
	company     string
}

func (w *Worker) buyer(ctx context.Context, sale *central.Sale) (buyer, error) {
	var b buyer
	if sale.Source == central.SourceHelloAsso && sale.ExternalRef != "" && w.Payments != nil {
		src, ref := sale.Source, sale.ExternalRef
		ps, _, err := w.Payments.FindPayments(ctx, central.PaymentFilter{Source: &src, ExternalRef: &ref})
		if err != nil {
			return b, err
		}
		if len(ps) > 0 && ps[0].PayerName != "" {
			p := ps[0]
			return buyer{name: p.PayerName, email: p.PayerEmail, address: p.PayerAddress, company: p.PayerAddress.Company}, nil
		}
	}
	if sale.Member != 0 {
		m, err := w.Members.FindMemberByID(ctx, sale.Member)
		if err != nil && central.ErrorCode(err) != central.ENOTFOUND {
			return b, err
		}
		if m != nil {
			b.name, b.email = m.Name, m.Email
		}
	}
	if b.name == "" {
		b.name = fmt.Sprintf("Membre n° %d", sale.Member) // erased: no personal data left
	}
	return b, nil
}

// customer returns the accounting tool's customer of a sale's buyer:
// remembered in book (a company's customers: companyBook), or found or
// made by its external reference, derived from the e-mail so that the same
// person is one customer of each company.
func (w *Worker) customer(ctx context.Context, api InvoiceAPI, book string, sale *central.Sale, b buyer) (string, error) {
	key := strings.ToLower(b.email)
	if key == "" {
		key = "member:" + strconv.FormatInt(sale.Member, 10)
		if sale.Member == 0 {
			key = "sale:" + strconv.FormatInt(sale.ID, 10)
		}
	}
	if id, err := w.Invoices.BillingCustomer(ctx, book, key); err != nil || id != "" {
		return id, err
	}
	id, err := api.Customer(ctx, &Customer{Ref: "badgeuse:" + key, Name: b.name, Company: b.company, Email: b.email,
		Address: b.address})
	if err != nil {
		return "", err
	}
	if err := w.Invoices.SetBillingCustomer(ctx, book, key, id); err != nil {
		return "", err
	}
	return id, nil
}
