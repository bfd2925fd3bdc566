package pennylane

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
)

var _ billing.InvoiceAPI = (*Invoicer)(nil)

// Invoicer is billing's view of Pennylane: it converts billing's
// customers and invoices (cents, domain types) to Pennylane's (decimal
// strings, VAT codes, first and last names) and back.
type Invoicer struct {
	Client *Client
}

// NewInvoicer returns the invoicer of the API at baseURL with a token.
func NewInvoicer(baseURL, token string) *Invoicer {
	return &Invoicer{Client: NewClient(baseURL, token)}
}

// Provider names Pennylane in central.Invoice.
const Provider = "pennylane"

func toInvoice(inv *Invoice) *central.Invoice {
	ci := &central.Invoice{Provider: Provider, ID: strconv.FormatInt(inv.ID, 10), Number: inv.InvoiceNumber, Status: inv.Status}
	if inv.PublicFileURL != nil {
		ci.URL = *inv.PublicFileURL
	}
	return ci
}

// FindInvoices implements billing.InvoiceAPI: the invoices with an
// external reference, oldest (lowest id) first.
func (iv *Invoicer) FindInvoices(ctx context.Context, ref string) ([]*central.Invoice, error) {
	invs, err := iv.Client.FindInvoices(ctx, ref)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(invs, func(a, b *Invoice) int { return cmp.Compare(a.ID, b.ID) })
	out := make([]*central.Invoice, len(invs))
	for i, inv := range invs {
		out[i] = toInvoice(inv)
	}
	return out, nil
}

// FindCustomerInvoices implements billing.InvoiceAPI: the customer's
// invoices whose subject (pdf_invoice_subject) holds mark, oldest first.
func (iv *Invoicer) FindCustomerInvoices(ctx context.Context, customer, mark string) ([]*central.Invoice, error) {
	id, err := strconv.ParseInt(customer, 10, 64)
	if err != nil {
		return nil, central.Errorf(central.EINVALID, "Pennylane customer id %q is not a number.", customer)
	}
	invs, err := iv.Client.FindCustomerInvoices(ctx, id)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(invs, func(a, b *Invoice) int { return cmp.Compare(a.ID, b.ID) })
	var out []*central.Invoice
	for _, inv := range invs {
		if mark != "" && strings.Contains(inv.Subject, mark) {
			out = append(out, toInvoice(inv))
		}
	}
	return out, nil
}

// Customer implements billing.InvoiceAPI: found by its external
// reference, else created; a create refused because the reference is
// taken (an earlier attempt whose answer was lost) finds it again.
func (iv *Invoicer) Customer(ctx context.Context, c *billing.Customer) (string, error) {
	found, err := iv.Client.FindCustomer(ctx, c.Ref)
	if err != nil {
		return "", err
	}
	if found == nil {
		found, err = iv.Client.CreateCustomer(ctx, newCustomer(c))
		var pe *Error
		if errors.As(err, &pe) && (pe.Status == http.StatusUnprocessableEntity || pe.Status == http.StatusConflict) {
			if again, ferr := iv.Client.FindCustomer(ctx, c.Ref); ferr == nil && again != nil {
				found, err = again, nil
			}
		}
		if err != nil {
			return "", err
		}
	}
	return strconv.FormatInt(found.ID, 10), nil
}

// newCustomer makes Pennylane's customer: a company when one paid, else
// an individual, whose one name is split into the first and last names
// Pennylane requires.
func newCustomer(c *billing.Customer) *NewCustomer {
	country := c.Address.Country
	if country == "" {
		country = "FR"
	}
	n := &NewCustomer{
		CustomerType: "individual",
		BillingAddress: Address{Address: c.Address.Address, PostalCode: c.Address.ZipCode, City: c.Address.City,
			CountryAlpha2: country},
		ExternalReference: c.Ref, BillingLanguage: "fr_FR", PaymentConditions: "upon_receipt",
	}
	if c.Email != "" {
		n.Emails = []string{c.Email}
	}
	if c.Company != "" {
		n.CustomerType, n.Name = "company", c.Company
		return n
	}
	words := strings.Fields(c.Name)
	switch len(words) {
	case 0:
		n.FirstName, n.LastName = "-", "-"
	case 1:
		n.FirstName, n.LastName = words[0], words[0]
	default:
		n.FirstName, n.LastName = strings.Join(words[:len(words)-1], " "), words[len(words)-1]
	}
	return n
}

// CreateInvoice implements billing.InvoiceAPI: the invoice, in euros,
// dated and due on n.Date (it is paid).
func (iv *Invoicer) CreateInvoice(ctx context.Context, n *billing.NewInvoice) (*central.Invoice, error) {
	customer, err := strconv.ParseInt(n.Customer, 10, 64)
	if err != nil {
		return nil, central.Errorf(central.EINVALID, "Pennylane customer id %q is not a number.", n.Customer)
	}
	day := n.Date.Format(time.DateOnly)
	req := &NewInvoice{CustomerID: customer, Date: day, Deadline: day, Draft: n.Draft, Currency: "EUR", Language: "fr_FR",
		ExternalReference: n.Ref, Subject: n.Subject, FreeText: n.FreeText, SpecialMention: n.SpecialMention}
	for _, l := range n.Lines {
		req.Lines = append(req.Lines, InvoiceLine{Label: l.Label, Quantity: l.Quantity,
			UnitPrice: central.Money(l.UnitPrice).Decimal(), Unit: "piece", VATRate: l.VATCode})
	}
	inv, err := iv.Client.CreateInvoice(ctx, req)
	if err != nil {
		return nil, err
	}
	return toInvoice(inv), nil
}

// Check implements billing.InvoiceAPI.
func (iv *Invoicer) Check(ctx context.Context) error { return iv.Client.Check(ctx) }
