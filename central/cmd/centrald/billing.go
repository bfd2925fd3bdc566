package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
	"github.com/badgeuse/badgeuse/central/billing/pennylane"
)

// Billing: HelloAsso payments in, Pennylane invoices out. serve mounts
// HelloAsso's webhook at POST /hooks/helloasso (mountBilling) and plugs the
// billing worker's handlers into the one outbox loop (outbox.go); the
// commands below map HelloAsso's form
// items to products, list sales and the payments waiting for the bureau,
// and write receipts and the accountant's export.

// The admin's billing pages run on the billing worker.
var _ admin.Billing = (*billing.Worker)(nil)

func init() {
	central.AddSettings(billing.Settings...) // helloasso.*, pennylane.*, billing.*, association.address and .siret
	commands = append(commands,
		command{"helloasso map", "--form SLUG --item NAME --product ID", "sell a product with a HelloAsso form item (--item \"\" for every item of the form)", cmdHelloAssoMap},
		command{"helloasso mappings", "[--json]", "list the HelloAsso form items mapped to products", cmdHelloAssoMappings},
		command{"helloasso unmap", "--mapping ID", "remove a mapping", cmdHelloAssoUnmap},
		command{"helloasso check", "", "check the HelloAsso settings (gets a token) and print the webhook URL to paste in HelloAsso", cmdHelloAssoCheck},
		command{"payments unmatched", "[--json]", "list the paid HelloAsso payments waiting for the bureau (no member or no product)", cmdPaymentsUnmatched},
		command{"payments assign", "--payment ID --member ID [--product ID]", "credit an unmatched payment to a member (the mapped product unless --product)", cmdPaymentsAssign},
		command{"payments ignore", "--payment ID", "set an unmatched payment aside (not for Badgeuse: a donation...)", cmdPaymentsIgnore},
		command{"sales", "[--json | --csv] [--member ID] [--unpaid] [--from YYYY-MM-DD] [--to YYYY-MM-DD]", "list the sales; --csv writes the accountant's export", cmdSales},
		command{"receipt", "--sale ID --out FILE.pdf", "write the receipt of a sale as a PDF", cmdReceipt},
		command{"pennylane check", "", "check the Pennylane settings (lists one invoice)", cmdPennylaneCheck},
		command{"invoice", "--sale ID", "make the Pennylane invoice of a sale now (or find the one made); never makes two", cmdInvoice},
	)
}

// billingWorker returns serve's billing worker, made at the first call:
// the webhook wakes it and the admin's billing pages use it.
func (s *server) billingWorker() *billing.Worker {
	if s.billing != nil {
		return s.billing
	}
	s.billing = newBillingWorker(s.DB, s.Logger.With("component", "billing"))
	return s.billing
}

// newBillingWorker returns a billing worker on the database, with the
// HelloAsso and Pennylane adapters.
func newBillingWorker(db *database, logger *slog.Logger) *billing.Worker {
	return &billing.Worker{
		Outbox:   db.Outbox,
		Settings: db.Settings,
		Payments: db.Payment,
		Ledger:   db.Ledger,
		Members:  db.Member,
		Products: db.Product,
		Invoices: db.Invoice,
		Spaces:   db.Space, // a sale's invoice is in its selling space's books
		// The invoice between spaces of a space's own company.
		Settlements:     db.settlements(),
		SettlementStore: db.Space, // what each invoice between spaces asked
		Logger:          logger,
		NewOrderAPI: func(h billing.HelloAssoConfig) billing.OrderAPI {
			return helloasso.NewClient(h.APIURL, h.ClientID, h.ClientSecret)
		},
		NewInvoiceAPI: func(p billing.PennylaneConfig) billing.InvoiceAPI {
			return pennylane.NewInvoicer(p.APIURL, p.Token)
		},
	}
}

// mountBilling mounts HelloAsso's webhook on serve's mux.
func (s *server) mountBilling(mux *http.ServeMux) {
	s.billingWorker()
	// The webhook bounds its body (helloasso.MaxNotificationSize) and
	// takes its share of the bound on bodies in flight (bodies.go).
	// One webhook for the network's organisation and the spaces' own
	// (/hooks/helloasso/spaces/{id}): one limit per source address.
	hook := s.bodies.limit(2*helloasso.MaxNotificationSize, &helloasso.Webhook{
		Settings: s.billing.Settings,
		Spaces:   s.DB.Space,
		Orders:   s.DB.Outbox,
		Kick:     s.billing.Kick,
		Logger:   s.Logger.With("component", "helloasso"),
		// The same reverse proxy as the admin's (CENTRALD_TRUST_PROXY):
		// the webhook limits notifications per source address.
		TrustProxy: os.Getenv("CENTRALD_TRUST_PROXY") == "1",
	})
	mux.Handle("POST "+billing.WebhookPath, hook)
	mux.Handle("POST "+billing.SpaceWebhookPattern, hook)
}

func cmdHelloAssoMap(e *env, args []string) error {
	form := e.fs.String("form", "", "the HelloAsso form's slug (in its URL)")
	item := e.fs.String("item", "", "the item (tier) name as HelloAsso shows it; \"\" for every item of the form")
	product := e.fs.Int64("product", 0, "product id")
	db, err := e.start(args, "form", "item", "product")
	if err != nil {
		return err
	}
	m := &central.PaymentMapping{Source: central.SourceHelloAsso, Form: *form, Item: *item, Product: *product}
	if err := db.Payment.SetPaymentMapping(e.ctx, m); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, m.ID)
	return nil
}

// mappingJSON is a line printed by "helloasso mappings --json".
type mappingJSON struct {
	ID      int64  `json:"id"`
	Form    string `json:"form"`
	Item    string `json:"item"`
	Product int64  `json:"product"`
}

func cmdHelloAssoMappings(e *env, args []string) error {
	asJSON := e.fs.Bool("json", false, "print one JSON object per line")
	db, err := e.start(args)
	if err != nil {
		return err
	}
	ms, err := db.Payment.FindPaymentMappings(e.ctx, central.SourceHelloAsso)
	if err != nil {
		return err
	}
	lw := newListWriter(e.stdout, *asJSON, "ID\tFORM\tITEM\tPRODUCT")
	for _, m := range ms {
		item := m.Item
		if item == "" {
			item = "(every item)"
		}
		if err := lw.line(mappingJSON{ID: m.ID, Form: m.Form, Item: m.Item, Product: m.Product},
			"%d\t%s\t%s\t%d\n", m.ID, m.Form, item, m.Product); err != nil {
			return err
		}
	}
	return lw.flush()
}

func cmdHelloAssoUnmap(e *env, args []string) error {
	id := e.fs.Int64("mapping", 0, "mapping id (see helloasso mappings)")
	db, err := e.start(args, "mapping")
	if err != nil {
		return err
	}
	return db.Payment.DeletePaymentMapping(e.ctx, *id)
}

func cmdHelloAssoCheck(e *env, args []string) error {
	db, err := e.start(args)
	if err != nil {
		return err
	}
	if base := os.Getenv("CENTRALD_PUBLIC_URL"); base != "" {
		fmt.Fprintln(e.stdout, "webhook URL to paste in HelloAsso:", billing.WebhookURL(base))
	} else {
		fmt.Fprintln(e.stdout, "webhook URL to paste in HelloAsso: https://YOUR-CENTRAL"+billing.WebhookPath,
			"(set CENTRALD_PUBLIC_URL to print it)")
	}
	return checkConnection(e, db, "HelloAsso", (*billing.Worker).CheckHelloAsso)
}

func cmdPennylaneCheck(e *env, args []string) error {
	db, err := e.start(args)
	if err != nil {
		return err
	}
	return checkConnection(e, db, "Pennylane", (*billing.Worker).CheckPennylane)
}

// checkConnection runs a billing worker's check of a provider's settings
// and says when the connection is ok.
func checkConnection(e *env, db *database, provider string, check func(*billing.Worker, context.Context) error) error {
	ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
	defer cancel()
	if err := check(newBillingWorker(db, e.logger()), ctx); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, provider+": connection ok")
	return nil
}

// paymentJSON is a line printed by "payments unmatched --json" (a
// contract). Amount is in cents; member and product are what Badgeuse
// found (0: none), as hints for the bureau.
type paymentJSON struct {
	ID          int64  `json:"id"`
	Source      string `json:"source"`
	Order       string `json:"order"`
	Item        string `json:"item"`
	Form        string `json:"form"`
	ItemName    string `json:"item_name"`
	Amount      int64  `json:"amount"`
	Date        string `json:"date"`
	PayerName   string `json:"payer_name"`
	PayerEmail  string `json:"payer_email"`
	Beneficiary string `json:"beneficiary"`
	Reason      string `json:"reason"`
	Member      int64  `json:"member"`
	Product     int64  `json:"product"`
}

func cmdPaymentsUnmatched(e *env, args []string) error {
	asJSON := e.fs.Bool("json", false, "print one JSON object per line")
	db, err := e.start(args)
	if err != nil {
		return err
	}
	status := central.PaymentUnmatched
	ps, _, err := db.Payment.FindPayments(e.ctx, central.PaymentFilter{Status: &status})
	if err != nil {
		return err
	}
	loc, err := spaceZone(e.ctx, db)
	if err != nil {
		return err
	}
	lw := newListWriter(e.stdout, *asJSON, "ID\tDATE\tPAYER\tFORM / ITEM\tAMOUNT\tWHY")
	for _, p := range ps {
		date := ""
		if !p.Date.IsZero() {
			date = p.Date.UTC().Format(time.RFC3339)
		}
		j := paymentJSON{ID: p.ID, Source: p.Source, Order: p.Order, Item: p.ExternalRef, Form: p.Form,
			ItemName: p.ItemName, Amount: p.Amount, Date: date, PayerName: p.PayerName, PayerEmail: p.PayerEmail,
			Beneficiary: p.BeneficiaryName, Reason: p.Reason, Member: p.Member, Product: p.Product}
		if err := lw.line(j, "%d\t%s\t%s <%s>\t%s / %s\t%s\t%s\n", p.ID, p.Date.In(loc).Format(time.DateOnly),
			p.PayerName, p.PayerEmail, p.Form, p.ItemName, central.Money(p.Amount).Decimal(), p.Reason); err != nil {
			return err
		}
	}
	return lw.flush()
}

func cmdPaymentsAssign(e *env, args []string) error {
	id := e.fs.Int64("payment", 0, "payment id (see payments unmatched)")
	member := e.fs.Int64("member", 0, "member id")
	product := e.fs.Int64("product", 0, "product id (default: the mapped one)")
	db, err := e.start(args, "payment", "member")
	if err != nil {
		return err
	}
	svc := db.Payment
	if *product == 0 {
		p, err := svc.FindPaymentByID(e.ctx, *id)
		if err != nil {
			return err
		}
		if p.Product == 0 {
			return usagef("payments assign: payment %d has no mapped product: give --product", *id)
		}
		*product = p.Product
	}
	p, err := svc.AssignPayment(e.ctx, *id, *member, *product)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, p.Sale)
	return nil
}

func cmdPaymentsIgnore(e *env, args []string) error {
	id := e.fs.Int64("payment", 0, "payment id")
	db, err := e.start(args, "payment")
	if err != nil {
		return err
	}
	_, err = db.Payment.IgnorePayment(e.ctx, *id)
	return err
}

// saleJSON is a line printed by "sales --json" (a contract). Amount is
// in cents; pennylane_invoice_id is "" until the invoice is made.
type saleJSON struct {
	ID                 int64  `json:"id"`
	Member             int64  `json:"member"`
	Product            int64  `json:"product"`
	Amount             int64  `json:"amount"`
	Source             string `json:"source"`
	PennylaneInvoiceID string `json:"pennylane_invoice_id"`
	// Paid is how it was paid (cash, cheque, transfer, card, helloasso,
	// other) or "unpaid"; PaidDay the day (YYYY-MM-DD, "" while unpaid).
	Paid    string `json:"paid"`
	PaidDay string `json:"paid_day"`
}

func cmdSales(e *env, args []string) error {
	asJSON := e.fs.Bool("json", false, "print one JSON object per line")
	asCSV := e.fs.Bool("csv", false, "write the accountant's export (CSV, semicolons, decimal commas)")
	member := e.fs.Int64("member", 0, "only this member's sales (not with --csv)")
	unpaid := e.fs.Bool("unpaid", false, "only the sales not paid yet (not with --csv)")
	fromS := e.fs.String("from", "", "with --csv: from this day (YYYY-MM-DD, inclusive)")
	toS := e.fs.String("to", "", "with --csv: to this day (YYYY-MM-DD, inclusive)")
	if err := e.flags(args); err != nil {
		return err
	}
	if *asJSON && *asCSV {
		return usagef("sales: --json or --csv, not both")
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	loc, err := spaceZone(e.ctx, db)
	if err != nil {
		return err
	}
	if *asCSV {
		var from, to time.Time
		if *fromS != "" {
			if from, err = time.ParseInLocation(time.DateOnly, *fromS, loc); err != nil {
				return usagef("--from: want YYYY-MM-DD")
			}
		}
		if *toS != "" {
			if to, err = time.ParseInLocation(time.DateOnly, *toS, loc); err != nil {
				return usagef("--to: want YYYY-MM-DD")
			}
			to = to.AddDate(0, 0, 1)
		}
		return books(db).WriteSalesCSV(e.ctx, e.stdout, from, to)
	}
	f := central.SaleFilter{}
	if *member != 0 {
		f.Member = member
	}
	f.Unpaid = *unpaid
	sales, _, err := db.Ledger.FindSales(e.ctx, f)
	if err != nil {
		return err
	}
	lw := newListWriter(e.stdout, *asJSON, "ID\tDATE\tMEMBER\tPRODUCT\tAMOUNT\tSOURCE\tINVOICE\tREFUNDED")
	for _, s := range sales {
		refunded := ""
		if s.IsRefunded() {
			refunded = s.Refunded.In(loc).Format(time.DateOnly)
		}
		j := saleJSON{ID: s.ID, Member: s.Member, Product: s.Product, Amount: s.Amount, Source: s.Source,
			PennylaneInvoiceID: s.InvoiceID, Paid: string(s.PaidBy.Method), PaidDay: s.PaidBy.Day.String()}
		if err := lw.line(j, "%d\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", s.ID, s.Created.In(loc).Format(time.DateOnly), s.Member,
			s.Product, central.Money(s.Amount).Decimal(), s.Source, s.InvoiceID, refunded); err != nil {
			return err
		}
	}
	return lw.flush()
}

func books(db *database) *billing.Books {
	return &billing.Books{Settings: db.Settings, Ledger: db.Ledger,
		Members: db.Member, Products: db.Product,
		Payments: db.Payment, Invoices: db.Invoice, Spaces: db.Space}
}

func cmdReceipt(e *env, args []string) error {
	sale := e.fs.Int64("sale", 0, "sale id")
	out := e.fs.String("out", "", "the PDF file to write (- for stdout)")
	db, err := e.start(args, "sale", "out")
	if err != nil {
		return err
	}
	r, err := books(db).Receipt(e.ctx, *sale)
	if err != nil {
		return err
	}
	if *out == "-" {
		return r.WritePDF(e.stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".receipt-*.pdf")
	if err != nil {
		return fmt.Errorf("receipt: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := r.WritePDF(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("receipt: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("receipt: %w", err)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("receipt: %w", err)
	}
	fmt.Fprintln(e.stdout, r.Number)
	return nil
}

func cmdInvoice(e *env, args []string) error {
	sale := e.fs.Int64("sale", 0, "sale id")
	db, err := e.start(args, "sale")
	if err != nil {
		return err
	}
	// Through the sale's outbox message, whose lease keeps this command
	// and serve's worker from making the invoice at the same time.
	w := newBillingWorker(db, e.logger())
	ctx, cancel := context.WithTimeout(e.ctx, 2*time.Minute)
	defer cancel()
	if _, err := w.RequestInvoice(ctx, *sale); err != nil {
		return err
	}
	ledger := db.Ledger
	for i := 0; i < 20; i++ {
		n, err := w.RunOnce(ctx)
		if err != nil {
			return err
		}
		s, err := ledger.FindSaleByID(ctx, *sale)
		if err != nil {
			return err
		}
		if s.InvoiceID != "" {
			inv, err := db.Invoice.FindInvoice(ctx, *sale)
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, strings.TrimSpace(inv.ID+" "+inv.Number))
			return nil
		}
		if n == 0 {
			break
		}
	}
	return fmt.Errorf("invoice of sale %d not made yet: see the logs above; it will be retried (serve)", *sale)
}
