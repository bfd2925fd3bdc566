package pennylane_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/billing/pennylane"
	"github.com/badgeuse/badgeuse/central/billing/pennylane/pennylanetest"
)

var ctx = context.Background()

func newCustomer(ref string) *pennylane.NewCustomer {
	return &pennylane.NewCustomer{CustomerType: "individual", FirstName: "Alice", LastName: "Martin",
		BillingAddress: pennylane.Address{Address: "3 rue Victor Hugo", PostalCode: "69002", City: "Lyon", CountryAlpha2: "FR"},
		Emails:         []string{"alice@example.org"}, ExternalReference: ref}
}

func newInvoice(customer int64, ref, price, vat string, draft bool) *pennylane.NewInvoice {
	return &pennylane.NewInvoice{CustomerID: customer, Date: "2026-11-20", Deadline: "2026-11-20", Draft: draft,
		Currency: "EUR", Language: "fr_FR", ExternalReference: ref,
		Lines: []pennylane.InvoiceLine{{Label: "Carte 10 entrées", Quantity: 1, UnitPrice: price, Unit: "piece", VATRate: vat}}}
}

func wantStatus(t *testing.T, err error, status int) *pennylane.Error {
	t.Helper()
	var e *pennylane.Error
	if !errors.As(err, &e) || e.Status != status {
		t.Fatalf("err %v, want HTTP %d", err, status)
	}
	return e
}

func TestCustomers(t *testing.T) {
	s := pennylanetest.NewServer(t)
	c := pennylane.NewClient(s.APIURL(), s.Token)
	if got, err := c.FindCustomer(ctx, "badgeuse:alice@example.org"); err != nil || got != nil {
		t.Fatalf("found %+v, %v before creating", got, err)
	}
	cu, err := c.CreateCustomer(ctx, newCustomer("badgeuse:alice@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	if cu.ID == 0 || cu.CustomerType != "individual" || cu.ExternalReference != "badgeuse:alice@example.org" {
		t.Fatalf("customer %+v", cu)
	}
	got, err := c.FindCustomer(ctx, "badgeuse:alice@example.org")
	if err != nil || got == nil || got.ID != cu.ID {
		t.Fatalf("found %+v, %v; want %d", got, err, cu.ID)
	}
	_, err = c.CreateCustomer(ctx, newCustomer("badgeuse:alice@example.org"))
	if e := wantStatus(t, err, 422); e.Code != "unprocessable_entity" || !strings.Contains(e.Message, "taken") || pennylane.Temporary(err) {
		t.Fatalf("duplicate: %+v", e)
	}
	bad := newCustomer("x")
	bad.LastName = ""
	_, err = c.CreateCustomer(ctx, bad)
	if e := wantStatus(t, err, 422); !strings.Contains(e.Details, "last_name") {
		t.Fatalf("details %q", e.Details)
	}
}

func TestInvoices(t *testing.T) {
	s := pennylanetest.NewServer(t)
	c := pennylane.NewClient(s.APIURL(), s.Token)
	cu, err := c.CreateCustomer(ctx, newCustomer("m1"))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("DraftExempt", func(t *testing.T) {
		inv, err := c.CreateInvoice(ctx, newInvoice(cu.ID, "sale-1", "120.00", "exempt", true))
		if err != nil {
			t.Fatal(err)
		}
		if !inv.Draft || inv.Status != "draft" || inv.InvoiceNumber != "" || inv.Amount != "120.00" || inv.Tax != "0.00" ||
			inv.ExternalReference != "sale-1" || inv.Customer == nil || inv.Customer.ID != cu.ID {
			t.Fatalf("invoice %+v", inv)
		}
		fin, err := c.FinalizeInvoice(ctx, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fin.Draft || fin.InvoiceNumber == "" || fin.ID != inv.ID {
			t.Fatalf("finalized %+v", fin)
		}
		_, err = c.FinalizeInvoice(ctx, inv.ID)
		wantStatus(t, err, 422)
		_, err = c.FinalizeInvoice(ctx, 1)
		wantStatus(t, err, 404)
	})
	t.Run("FinalizedWithVAT", func(t *testing.T) {
		inv, err := c.CreateInvoice(ctx, newInvoice(cu.ID, "sale-2", "100.00", "FR_200", false))
		if err != nil {
			t.Fatal(err)
		}
		if inv.Draft || !strings.HasPrefix(inv.InvoiceNumber, "F-2026-") || inv.Amount != "120.00" ||
			inv.CurrencyAmountBeforeTax != "100.00" || inv.Tax != "20.00" || inv.PublicFileURL == nil {
			t.Fatalf("invoice %+v", inv)
		}
	})
	t.Run("FindByExternalReference", func(t *testing.T) {
		invs, err := c.FindInvoices(ctx, "sale-2")
		if err != nil || len(invs) != 1 || invs[0].ExternalReference != "sale-2" {
			t.Fatalf("found %+v, %v", invs, err)
		}
		if invs, err := c.FindInvoices(ctx, "sale-3"); err != nil || len(invs) != 0 {
			t.Fatalf("found %+v, %v", invs, err)
		}
	})
	t.Run("ErrValidation", func(t *testing.T) {
		n := newInvoice(cu.ID, "sale-4", "10.00", "FR_200", true)
		n.Deadline = ""
		_, err := c.CreateInvoice(ctx, n)
		wantStatus(t, err, 422)
		n = newInvoice(cu.ID, "sale-4", "10.00", "FR_999", true)
		_, err = c.CreateInvoice(ctx, n)
		wantStatus(t, err, 422)
	})
}

// fakeTime makes a client's rate limiter wait on a fake clock.
func fakeTime(c *pennylane.Client) *time.Duration {
	var mu sync.Mutex
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	var slept time.Duration
	c.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c.Sleep = func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		now, slept = now.Add(d), slept+d
		return nil
	}
	return &slept
}

func TestFindInvoicesPages(t *testing.T) {
	s := pennylanetest.NewServer(t)
	s.Limit = 1000
	c := pennylane.NewClient(s.APIURL(), s.Token)
	fakeTime(c)
	cu, err := c.CreateCustomer(ctx, newCustomer("m1"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 130; i++ {
		ref := "dup"
		if i%2 == 1 {
			ref = "other"
		}
		if _, err := c.CreateInvoice(ctx, newInvoice(cu.ID, ref, "1.00", "exempt", true)); err != nil {
			t.Fatal(err)
		}
	}
	// 65 "dup" among 130: the filter is sent again with the cursor, or the
	// second page would bring unrelated invoices.
	invs, err := c.FindInvoices(ctx, "dup")
	if err != nil || len(invs) != 65 {
		t.Fatalf("found %d, %v; want 65", len(invs), err)
	}
}

func TestErrors(t *testing.T) {
	t.Run("GuideShape", func(t *testing.T) {
		s := pennylanetest.NewServer(t)
		err := pennylane.NewClient(s.APIURL(), "plt_secret_value_123").Check(ctx)
		if e := wantStatus(t, err, 401); e.Code != "unauthorized" || e.Message != "The access token is invalid" || pennylane.Temporary(err) {
			t.Fatalf("error %+v", e)
		}
		if strings.Contains(err.Error(), "plt_secret_value_123") {
			t.Fatalf("token in the error: %v", err)
		}
	})
	t.Run("OpenAPIShape", func(t *testing.T) {
		s := pennylanetest.NewServer(t)
		s.ErrorShape = pennylanetest.ShapeOpenAPI
		err := pennylane.NewClient(s.APIURL(), "wrong").Check(ctx)
		if e := wantStatus(t, err, 401); e.Code != "The access token is invalid" {
			t.Fatalf("error %+v", e)
		}
	})
	t.Run("MissingScope", func(t *testing.T) {
		s := pennylanetest.NewServer(t)
		s.Scopes = []string{"customers:all"}
		c := pennylane.NewClient(s.APIURL(), s.Token)
		_, err := c.CreateInvoice(ctx, newInvoice(1, "x", "1.00", "exempt", true))
		if e := wantStatus(t, err, 403); !strings.Contains(e.Message, "customer_invoices:all") {
			t.Fatalf("error %+v", e)
		}
		if _, err := c.FindCustomer(ctx, "x"); err != nil {
			t.Fatalf("customers:all covers reading customers: %v", err)
		}
	})
	t.Run("Temporary", func(t *testing.T) {
		s := pennylanetest.NewServer(t)
		c := pennylane.NewClient(s.APIURL(), s.Token)
		cu, _ := c.CreateCustomer(ctx, newCustomer("m1"))
		s.Fail(pennylanetest.Down, pennylanetest.CreateThen502)
		for i := 0; i < 2; i++ {
			_, err := c.CreateInvoice(ctx, newInvoice(cu.ID, "x", "1.00", "exempt", true))
			if !pennylane.Temporary(err) {
				t.Fatalf("failure %d: %v is not temporary", i, err)
			}
		}
		// Down created nothing; CreateThen502 created one.
		if n := len(s.Invoices()); n != 1 {
			t.Fatalf("%d invoices, want 1", n)
		}
		s.Hang = 300 * time.Millisecond
		s.Fail(pennylanetest.CreateThenHang)
		c.HTTPClient = &http.Client{Timeout: 100 * time.Millisecond}
		_, err := c.CreateInvoice(ctx, newInvoice(cu.ID, "y", "1.00", "exempt", true))
		if !pennylane.Temporary(err) {
			t.Fatalf("timeout %v is not temporary", err)
		}
	})
}

func TestRateLimit(t *testing.T) {
	t.Run("ServerThrottles", func(t *testing.T) {
		s := pennylanetest.NewServer(t)
		s.Limit, s.Window = 3, time.Second
		c := pennylane.NewClient(s.APIURL(), s.Token)
		for i := 0; i < 6; i++ {
			if err := c.Check(ctx); err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
		}
		served, throttled := s.Requests()
		if throttled == 0 || served != 6+throttled {
			t.Fatalf("served %d, throttled %d: want some 429 retried", served, throttled)
		}
	})
	t.Run("ClientKeepsUnder25Per5s", func(t *testing.T) {
		s := pennylanetest.NewServer(t)
		s.Limit = 1000
		c := pennylane.NewClient(s.APIURL(), s.Token)
		slept := fakeTime(c)
		for i := 0; i < 60; i++ {
			if err := c.Check(ctx); err != nil {
				t.Fatal(err)
			}
		}
		// 60 requests at 25 per 5 s: two full windows waited.
		if *slept != 10*time.Second {
			t.Fatalf("slept %v, want 10s", *slept)
		}
	})
}

// The fake keeps the client honest: amounts as JSON numbers and limits out
// of range are refused, as Pennylane does.
func TestFakeContract(t *testing.T) {
	s := pennylanetest.NewServer(t)
	do := func(method, path, body string) *http.Response {
		req, _ := http.NewRequest(method, s.APIURL()+path, bytes.NewBufferString(body))
		req.Header.Set("Authorization", "Bearer "+s.Token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := do("POST", "/customers", `{"customer_type":"company","name":"Acme","billing_address":{"address":"","postal_code":"","city":"","country_alpha2":"FR"}}`)
	if resp.StatusCode != 201 || resp.Header.Get("ratelimit-limit") != "25" || resp.Header.Get("ratelimit-remaining") == "" {
		t.Fatalf("create customer: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := do("POST", "/customer_invoices", `{"customer_id":9001,"date":"2026-11-20","deadline":"2026-11-20",
		"invoice_lines":[{"label":"x","quantity":1,"raw_currency_unit_price":10.5,"unit":"piece","vat_rate":"exempt"}]}`); resp.StatusCode != 400 {
		t.Fatalf("amount as a number: %d, want 400", resp.StatusCode)
	}
	for _, limit := range []string{"0", "101", "x"} {
		if resp := do("GET", "/customer_invoices?limit="+limit, ""); resp.StatusCode != 400 {
			t.Fatalf("limit %s: %d, want 400", limit, resp.StatusCode)
		}
	}
}
