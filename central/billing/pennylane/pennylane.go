// Package pennylane makes customer invoices in Pennylane through its
// Company API v2.
//
// Pennylane API documentation: https://pennylane.readme.io/docs/getting-started
// Customer invoices: https://pennylane.readme.io/docs/create-a-customer-invoice-use-case
// Rate limits: https://pennylane.readme.io/docs/rate-limiting-1
// Errors: https://pennylane.readme.io/docs/error-handling-status-codes
// 2026 changes: https://pennylane.readme.io/docs/2026-api-changes-guide
//
// The client authenticates with a company API token (Bearer), opts in to
// the 2026 API changes on every request, sends amounts as decimal strings
// ("25.00") and VAT rates as codes ("exempt", "FR_200"), and keeps under
// Pennylane's limit of 25 requests per 5 seconds per token. A 429 (whose
// body is plain text, not JSON) is waited out for its retry-after and
// retried: the request was refused before it was processed.
//
// Pennylane has no idempotency key. A create that timed out or failed
// with a 5xx may have been carried out, so the client never retries one by
// itself: callers look the invoice up by its external_reference first
// (FindInvoices), and as users have seen that filter return nothing, among
// the customer's invoices too (FindCustomerInvoices), before creating it
// again.
package pennylane

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Limits of Pennylane's API v2.
const (
	RateLimit       = 25              // requests...
	RateWindow      = 5 * time.Second // ...per window, per token
	DefaultTimeout  = 30 * time.Second
	max429Retries   = 5
	maxRetryAfter   = time.Minute
	maxBody         = 4 << 20
	maxPageRequests = 100 // pages followed by FindInvoices
)

// Error is an error answer of Pennylane. Pennylane documents two shapes,
// {"error", "message", "details"} and {"error", "status"}; both are read.
type Error struct {
	Status int
	// Code is the "error" field: a code ("unprocessable_entity") or a
	// human message ("The access token is invalid"), depending on the
	// shape; for a 429, the plain-text body.
	Code    string
	Message string
	Details string // raw JSON, when given
	// RetryAfter is the retry-after of a 429.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("pennylane: HTTP %d", e.Status)
	if e.Code != "" {
		msg += ": " + e.Code
	}
	if e.Message != "" && e.Message != e.Code {
		msg += ": " + e.Message
	}
	if e.Details != "" {
		msg += " " + e.Details
	}
	return msg
}

// Temporary reports whether err may go away by itself: a network failure,
// a timeout, a 429 or a 5xx. After a temporary failure of a create, the
// object may exist: look it up before creating it again.
func Temporary(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Status == http.StatusTooManyRequests || e.Status >= 500 || e.Status == http.StatusConflict
	}
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF)
}

// Client calls Pennylane's API. It is safe for concurrent use; keep one
// per token so that its rate limiter sees every request.
type Client struct {
	BaseURL    string // https://app.pennylane.com/api/external/v2
	Token      string
	HTTPClient *http.Client
	// Sleep waits for d or until ctx is done; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now returns the current time; tests replace it.
	Now func() time.Time

	mu   sync.Mutex
	sent []time.Time // times of the last RateLimit requests
}

// NewClient returns a client of the API at baseURL with a company token.
func NewClient(baseURL, token string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), Token: token,
		HTTPClient: &http.Client{Timeout: DefaultTimeout}}
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// wait blocks until a request fits in the rate limit, and counts it.
func (c *Client) wait(ctx context.Context) error {
	for {
		c.mu.Lock()
		now := c.now()
		for len(c.sent) > 0 && now.Sub(c.sent[0]) >= RateWindow {
			c.sent = c.sent[1:]
		}
		if len(c.sent) < RateLimit {
			c.sent = append(c.sent, now)
			c.mu.Unlock()
			return nil
		}
		d := RateWindow - now.Sub(c.sent[0])
		c.mu.Unlock()
		if err := c.sleep(ctx, d); err != nil {
			return err
		}
	}
}

// do sends a request (body marshalled to JSON when not nil) and decodes a
// 2xx answer into out. A 429 is waited out and retried.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("pennylane: %w", err)
		}
	}
	u := c.BaseURL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	for attempt := 0; ; attempt++ {
		if err := c.wait(ctx); err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(payload))
		if err != nil {
			return fmt.Errorf("pennylane: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+c.Token)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("X-Use-2026-API-Changes", "true")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		err = c.send(req, out)
		var e *Error
		if errors.As(err, &e) && e.Status == http.StatusTooManyRequests && attempt < max429Retries {
			if err := c.sleep(ctx, e.RetryAfter); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("pennylane: %s %s: %w", method, path, err)
		}
		return nil
	}
}

func (c *Client) send(req *http.Request, out any) error {
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		// Plain text ("Rate limit exceeded. Please retry in 2 seconds."):
		// never JSON-decoded.
		return &Error{Status: resp.StatusCode, Code: strings.TrimSpace(string(truncate(body, 200))),
			RetryAfter: retryAfter(resp.Header.Get("Retry-After"), c.now())}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return decodeError(resp.StatusCode, body)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// retryAfter reads a retry-after header (seconds, or an HTTP date),
// defaulting to one second and capped at a minute.
func retryAfter(h string, now time.Time) time.Duration {
	d := time.Second
	if n, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && n >= 0 {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}

func decodeError(status int, body []byte) *Error {
	e := &Error{Status: status}
	var v struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Details json.RawMessage `json:"details"`
	}
	if json.Unmarshal(body, &v) != nil {
		e.Message = strings.TrimSpace(string(truncate(body, 200)))
		return e
	}
	var code string
	if json.Unmarshal(v.Error, &code) == nil {
		e.Code = code
	}
	e.Message = v.Message
	if len(v.Details) > 0 && string(v.Details) != "null" {
		e.Details = string(truncate(v.Details, 500))
	}
	return e
}

// Address is a billing address. Country is ISO alpha-2.
type Address struct {
	Address       string `json:"address"`
	PostalCode    string `json:"postal_code"`
	City          string `json:"city"`
	CountryAlpha2 string `json:"country_alpha2"`
}

// NewCustomer is what it takes to create a customer.
type NewCustomer struct {
	CustomerType      string   `json:"customer_type"` // "individual" or "company"
	Name              string   `json:"name,omitempty"`
	FirstName         string   `json:"first_name,omitempty"`
	LastName          string   `json:"last_name,omitempty"`
	BillingAddress    Address  `json:"billing_address"`
	Emails            []string `json:"emails,omitempty"`
	ExternalReference string   `json:"external_reference,omitempty"`
	BillingLanguage   string   `json:"billing_language,omitempty"`
	PaymentConditions string   `json:"payment_conditions,omitempty"`
}

// Customer is a customer as Pennylane returns it (fields Badgeuse reads).
type Customer struct {
	ID                int64    `json:"id"`
	CustomerType      string   `json:"customer_type"`
	Name              string   `json:"name"`
	Emails            []string `json:"emails"`
	ExternalReference string   `json:"external_reference"`
}

// InvoiceLine is a line of a new invoice. UnitPrice is before tax.
type InvoiceLine struct {
	Label     string `json:"label,omitempty"`
	Quantity  int    `json:"quantity"`
	UnitPrice string `json:"raw_currency_unit_price"` // "100.00"
	Unit      string `json:"unit"`                    // "piece"
	VATRate   string `json:"vat_rate"`                // "exempt", "FR_200"...
}

// NewInvoice is what it takes to create a customer invoice, draft or
// finalized.
type NewInvoice struct {
	CustomerID        int64         `json:"customer_id"`
	Date              string        `json:"date"`     // YYYY-MM-DD
	Deadline          string        `json:"deadline"` // YYYY-MM-DD, always required
	Draft             bool          `json:"draft"`
	Currency          string        `json:"currency,omitempty"`
	Language          string        `json:"language,omitempty"`
	ExternalReference string        `json:"external_reference,omitempty"`
	Subject           string        `json:"pdf_invoice_subject,omitempty"`
	FreeText          string        `json:"pdf_invoice_free_text,omitempty"`
	SpecialMention    string        `json:"special_mention,omitempty"`
	Lines             []InvoiceLine `json:"invoice_lines"`
}

// Ref is a reference to another object.
type Ref struct {
	ID  int64  `json:"id"`
	URL string `json:"url"`
}

// Invoice is a customer invoice as Pennylane returns it (fields Badgeuse
// reads). Amounts are decimal strings.
type Invoice struct {
	ID                      int64   `json:"id"`
	InvoiceNumber           string  `json:"invoice_number"` // "" on a draft
	Status                  string  `json:"status"`
	Draft                   bool    `json:"draft"`
	Date                    string  `json:"date"`
	Deadline                string  `json:"deadline"`
	Amount                  string  `json:"amount"`
	CurrencyAmountBeforeTax string  `json:"currency_amount_before_tax"`
	Tax                     string  `json:"tax"`
	Currency                string  `json:"currency"`
	ExternalReference       string  `json:"external_reference"`
	Subject                 string  `json:"pdf_invoice_subject"`
	PublicFileURL           *string `json:"public_file_url"`
	SpecialMention          *string `json:"special_mention"`
	Customer                *Ref    `json:"customer"`
}

// page is the envelope of list answers.
type page[T any] struct {
	Items      []T     `json:"items"`
	HasMore    bool    `json:"has_more"`
	NextCursor *string `json:"next_cursor"`
}

// filterEq returns the filter parameter selecting field = value.
func filterEq(field, value string) string {
	b, _ := json.Marshal([]map[string]string{{"field": field, "operator": "eq", "value": value}})
	return string(b)
}

// list follows the pages of a list, re-sending the filter with each
// cursor (the cursor does not carry it).
func list[T any](ctx context.Context, c *Client, path, filter string) ([]T, error) {
	var all []T
	cursor := ""
	for i := 0; i < maxPageRequests; i++ {
		q := url.Values{"limit": {"100"}}
		if filter != "" {
			q.Set("filter", filter)
		}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var p page[T]
		if err := c.do(ctx, http.MethodGet, path, q, nil, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if !p.HasMore || p.NextCursor == nil || *p.NextCursor == "" {
			return all, nil
		}
		cursor = *p.NextCursor
	}
	return nil, fmt.Errorf("pennylane: %s: more than %d pages", path, maxPageRequests)
}

// CreateCustomer creates a customer (POST /customers). Not retried: after
// a temporary failure, look it up with FindCustomer.
func (c *Client) CreateCustomer(ctx context.Context, n *NewCustomer) (*Customer, error) {
	var cu Customer
	if err := c.do(ctx, http.MethodPost, "/customers", nil, n, &cu); err != nil {
		return nil, err
	}
	return &cu, nil
}

// FindCustomer returns the customer with an external reference, or nil.
func (c *Client) FindCustomer(ctx context.Context, externalRef string) (*Customer, error) {
	cs, err := list[Customer](ctx, c, "/customers", filterEq("external_reference", externalRef))
	if err != nil {
		return nil, err
	}
	for i := range cs {
		if cs[i].ExternalReference == externalRef {
			return &cs[i], nil
		}
	}
	return nil, nil
}

// CreateInvoice creates a customer invoice (POST /customer_invoices),
// finalized unless n.Draft. Not retried: after a temporary failure, look
// it up with FindInvoices before creating it again.
func (c *Client) CreateInvoice(ctx context.Context, n *NewInvoice) (*Invoice, error) {
	var inv Invoice
	if err := c.do(ctx, http.MethodPost, "/customer_invoices", nil, n, &inv); err != nil {
		return nil, err
	}
	return &inv, nil
}

// FindInvoices returns the customer invoices with an external reference
// (all pages).
func (c *Client) FindInvoices(ctx context.Context, externalRef string) ([]*Invoice, error) {
	invs, err := list[Invoice](ctx, c, "/customer_invoices", filterEq("external_reference", externalRef))
	if err != nil {
		return nil, err
	}
	var out []*Invoice
	for i := range invs {
		// Checked here too: a filter the API ignored must not make an
		// unrelated invoice look like ours.
		if invs[i].ExternalReference == externalRef {
			out = append(out, &invs[i])
		}
	}
	return out, nil
}

// FindCustomerInvoices returns a customer's invoices (all pages), with the
// filter customer_id: the second way to find an invoice, as users have
// seen the external_reference filter return nothing.
func (c *Client) FindCustomerInvoices(ctx context.Context, customer int64) ([]*Invoice, error) {
	invs, err := list[Invoice](ctx, c, "/customer_invoices", filterEq("customer_id", strconv.FormatInt(customer, 10)))
	if err != nil {
		return nil, err
	}
	var out []*Invoice
	for i := range invs {
		// Checked here too, as FindInvoices does.
		if invs[i].Customer != nil && invs[i].Customer.ID == customer {
			out = append(out, &invs[i])
		}
	}
	return out, nil
}

// FinalizeInvoice finalizes a draft (PUT /customer_invoices/{id}/finalize):
// it gets its legal number. Irreversible.
func (c *Client) FinalizeInvoice(ctx context.Context, id int64) (*Invoice, error) {
	var inv Invoice
	if err := c.do(ctx, http.MethodPut, "/customer_invoices/"+strconv.FormatInt(id, 10)+"/finalize", nil, nil, &inv); err != nil {
		return nil, err
	}
	return &inv, nil
}

// Check lists one invoice: it tells whether the token and its scopes are
// right.
func (c *Client) Check(ctx context.Context) error {
	var p page[Invoice]
	return c.do(ctx, http.MethodGet, "/customer_invoices", url.Values{"limit": {"1"}}, nil, &p)
}
