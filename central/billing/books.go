package billing

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// Books reads the ledger for receipts and the accountant's export. Set
// every service; Payments and Invoices may be nil.
type Books struct {
	Settings central.SettingsService
	Ledger   central.LedgerService
	Members  central.MemberService
	Products central.ProductService
	Payments central.PaymentService
	Invoices central.InvoiceService
	// Spaces tells each sale's selling space, whose association its
	// receipt names (space.go); nil: the network's for every sale.
	Spaces SpaceBooks
	// Now dates tax receipts (nil: time.Now).
	Now func() time.Time
}

// Receipt returns the receipt of a sale. Returns ENOTFOUND.
func (b *Books) Receipt(ctx context.Context, saleID int64) (*Receipt, error) {
	sale, err := b.Ledger.FindSaleByID(ctx, saleID)
	if err != nil {
		return nil, err
	}
	set, err := b.Settings.Settings(ctx)
	if err != nil {
		return nil, err
	}
	product, err := b.Products.FindProductByID(ctx, sale.Product)
	if err != nil {
		return nil, err
	}
	set, sp, err := productBooks(ctx, b.Spaces, set, sale.Product) // its selling space's association
	if err != nil {
		return nil, err
	}
	w := &Worker{Payments: b.Payments, Members: b.Members}
	buyer, err := w.buyer(ctx, sale)
	if err != nil {
		return nil, err
	}
	loc := sp.Location(set)
	r := &Receipt{
		Number: ReceiptNumber(sale.ID),
		Date:   sale.Created.In(loc),
		Seller: SellerFrom(set),
		Buyer:  Party{Name: buyer.name, Email: buyer.email, Address: oneLine(buyer.address)},
		Lines:  []Line{{Label: product.Name, Quantity: 1, Amount: sale.Amount}},
		Total:  sale.Amount,
	}
	r.Net, r.VAT = SplitVAT(sale.Amount, r.Seller.VATRate)
	if sale.Source == central.SourceHelloAsso {
		r.PaidWith = "HelloAsso"
	} else {
		r.Payment = sale.PaidBy
	}
	if sale.IsRefunded() {
		r.Refunded = sale.Refunded.In(loc)
	}
	if b.Invoices != nil && sale.InvoiceID != "" {
		inv, err := b.Invoices.FindInvoice(ctx, sale.ID)
		switch {
		case err == nil:
			r.Invoice = inv.Number
		case central.ErrorCode(err) != central.ENOTFOUND: // not recorded: no number
			return nil, err
		}
	}
	return r, nil
}

func oneLine(a central.Payer) string {
	var parts []string
	for _, s := range []string{a.Address, strings.TrimSpace(a.ZipCode + " " + a.City)} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// CSVHeader is the first line of the sales export.
var CSVHeader = []string{"vente", "date", "membre", "nom", "produit", "type", "quantite", "montant_ttc", "montant_ht",
	"tva", "code_tva", "source", "reference_paiement", "facture"}

// WriteSalesCSV writes the sales made from from (inclusive) to to
// (exclusive; zero times: no bound) for the accountant: UTF-8 with a BOM
// and semicolons, amounts with a decimal comma, as French spreadsheets
// open them. A refunded sale is followed by its refund, a line of
// negative amounts dated the day of the refund: "remboursement", or
// "annulation" for a sale cancelled before it was paid.
func (b *Books) WriteSalesCSV(ctx context.Context, w io.Writer, from, to time.Time) error {
	set, err := b.Settings.Settings(ctx)
	if err != nil {
		return err
	}
	loc := set.Location()
	// Each sale's VAT is its selling space's association's (its own books,
	// or the network's).
	booksOf, err := booksOfProducts(ctx, b.Spaces, set)
	if err != nil {
		return err
	}
	sellers := map[int64]Seller{}
	products := map[int64]*central.Product{}
	ps, _, err := b.Products.FindProducts(ctx, central.ProductFilter{})
	if err != nil {
		return err
	}
	for _, p := range ps {
		products[p.ID] = p
	}
	names := map[int64]string{}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	in := func(t time.Time) bool { return (from.IsZero() || !t.Before(from)) && (to.IsZero() || t.Before(to)) }
	const pageSize = 500
	for offset := 0; ; offset += pageSize {
		sales, _, err := b.Ledger.FindSales(ctx, central.SaleFilter{Offset: offset, Limit: pageSize})
		if err != nil {
			return err
		}
		for _, s := range sales {
			name, ok := names[s.Member]
			if !ok && s.Member != 0 {
				m, err := b.Members.FindMemberByID(ctx, s.Member)
				switch {
				case err == nil:
					name = m.Name
				case central.ErrorCode(err) != central.ENOTFOUND: // erased: no name
					return err
				}
				names[s.Member] = name
			}
			product, kind := fmt.Sprint(s.Product), string(s.Kind)
			if p := products[s.Product]; p != nil {
				product = p.Name
			}
			a, ok := sellers[s.Product]
			if !ok {
				books, _ := booksOf(s.Product)
				a = SellerFrom(books)
				sellers[s.Product] = a
			}
			net, vat := SplitVAT(s.Amount, a.VATRate)
			row := func(t time.Time, label string, sign int64) []string {
				return []string{strconv.FormatInt(s.ID, 10), t.In(loc).Format(time.DateOnly), memberID(s.Member), name,
					product, label, strconv.FormatInt(sign, 10), central.Money(sign * s.Amount).DecimalComma(), central.Money(sign * net).DecimalComma(), central.Money(sign * vat).DecimalComma(),
					a.VATCode, s.Source, s.ExternalRef, s.InvoiceID}
			}
			if in(s.Created) {
				if err := cw.Write(csvCells(row(s.Created, kind, 1))); err != nil {
					return err
				}
			}
			if s.IsRefunded() && in(s.Refunded) {
				undone := "remboursement"
				if s.IsCancelled() { // not paid: no money went back
					undone = "annulation"
				}
				if err := cw.Write(csvCells(row(s.Refunded, undone, -1))); err != nil {
					return err
				}
			}
		}
		if len(sales) < pageSize {
			break
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCells defuses the cells a spreadsheet would run as a formula (=, +,
// -, @, tab, CR at the start: a member's name is typed by anyone) with a
// leading apostrophe, as the admin's exports do (OWASP CSV injection);
// numbers ("-120,00") stay numbers.
func csvCells(cells []string) []string {
	for i, v := range cells {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			if _, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64); err != nil {
				cells[i] = "'" + v
			}
		}
	}
	return cells
}

func memberID(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// WebhookPath is where centrald serves HelloAsso's notifications.
const WebhookPath = "/hooks/helloasso"

// WebhookURL returns the URL to paste in HelloAsso (Mon compte >
// Intégrations et API > Notifications) for a centrald reachable at base
// ("https://badgeuse.example.org").
func WebhookURL(base string) string { return strings.TrimRight(base, "/") + WebhookPath }

// SpaceWebhookPattern is where centrald serves the notifications of a
// space's own HelloAsso organisation (central.Space.Books), verified with
// that space's signature key: /hooks/helloasso/spaces/{space id}.
const SpaceWebhookPattern = WebhookPath + "/spaces/{space}"

// SpaceWebhookURL returns the URL to paste in a space's own HelloAsso
// organisation.
func SpaceWebhookURL(base string, space int64) string {
	return strings.TrimRight(base, "/") + WebhookPath + "/spaces/" + strconv.FormatInt(space, 10)
}

// The admin's billing pages use the worker (admin.Billing).

// CheckHelloAsso checks the HelloAsso settings: it gets a token (the
// setup page's "check the connection").
func (w *Worker) CheckHelloAsso(ctx context.Context) error {
	set, err := w.Settings.Settings(ctx)
	if err != nil {
		return err
	}
	return w.checkHelloAsso(ctx, set)
}

// CheckSpaceBooks checks a space's own HelloAsso or Pennylane settings
// (provider "helloasso" or "pennylane"; its books page's "check the
// connection"). Returns EINVALID when the space has none of its own,
// ENOTFOUND for an unknown space or provider.
func (w *Worker) CheckSpaceBooks(ctx context.Context, space int64, provider string) error {
	group := map[string]string{"helloasso": central.BooksHelloAsso, "pennylane": central.BooksPennylane}[provider]
	if group == "" || w.Spaces == nil {
		return central.Errorf(central.ENOTFOUND, "Space %d not found.", space)
	}
	set, err := w.Settings.Settings(ctx)
	if err != nil {
		return err
	}
	all, err := w.Spaces.FindSpaces(ctx)
	if err != nil {
		return err
	}
	sp := central.SpaceByID(all, space)
	if sp == nil {
		return central.Errorf(central.ENOTFOUND, "Space %d not found.", space)
	}
	if !sp.OwnBooks(group) {
		return central.Errorf(central.EINVALID, "This space uses the network's account there: check it on the billing page.")
	}
	if group == central.BooksHelloAsso {
		return w.checkHelloAsso(ctx, sp.Apply(set))
	}
	return w.checkPennylane(ctx, sp.Apply(set))
}

func (w *Worker) checkHelloAsso(ctx context.Context, set central.Settings) error {
	h := HelloAssoFrom(set)
	if !h.Configured() {
		return central.Errorf(central.EINVALID, "Set helloasso.client_id and helloasso.client_secret first.")
	}
	api, err := w.orderClient(h)
	if err != nil {
		return err
	}
	if err := api.Check(ctx); err != nil {
		return fmt.Errorf("HelloAsso: %w", err)
	}
	return nil
}

// CheckPennylane checks the Pennylane settings: it lists one invoice.
func (w *Worker) CheckPennylane(ctx context.Context) error {
	set, err := w.Settings.Settings(ctx)
	if err != nil {
		return err
	}
	return w.checkPennylane(ctx, set)
}

func (w *Worker) checkPennylane(ctx context.Context, set central.Settings) error {
	p := PennylaneFrom(set)
	if !p.Configured() {
		return central.Errorf(central.EINVALID, "Set pennylane.token first.")
	}
	api, err := w.invoiceClient(p)
	if err != nil {
		return err
	}
	if err := api.Check(ctx); err != nil {
		return fmt.Errorf("Pennylane: %w", err) //lint:ignore ST1005 a name, shown to the bureau as it is
	}
	return nil
}

// WriteReceipt writes the receipt of a sale as a PDF. Returns ENOTFOUND.
func (w *Worker) WriteReceipt(ctx context.Context, out io.Writer, sale int64) error {
	b := &Books{Settings: w.Settings, Ledger: w.Ledger, Members: w.Members, Products: w.Products,
		Payments: w.Payments, Invoices: w.Invoices, Spaces: w.Spaces}
	r, err := b.Receipt(ctx, sale)
	if err != nil {
		return err
	}
	return r.WritePDF(out)
}
