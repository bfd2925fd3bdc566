// Package pennylanetest is a fake Pennylane for tests: an httptest server
// that follows the contract of Pennylane's Company API v2 as Badgeuse uses
// it (shared/reference/apis.md §2.11), with failures to inject.
//
// Pennylane API documentation: https://pennylane.readme.io/docs/getting-started
//
// It checks the Bearer token (401) and scopes (403 naming the scope),
// accepts and ignores X-Use-2026-API-Changes, validates required fields
// (422) and types (400: amounts must be strings), computes totals as
// strings with two decimals, numbers invoices when they are finalized
// ("F-2026-0001"), paginates lists with items/has_more/next_cursor (400 on
// a limit outside 1–100), filters on external_reference (or not:
// NoExternalReferenceFilter), id, status and customer_id, sends the
// ratelimit-* headers on every answer, and answers 429 with a plain-text
// body and retry-after past 25 requests in 5 seconds. Customers' external
// references are unique. Errors use either documented shape (ErrorShape).
package pennylanetest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Error shapes Pennylane documents.
const (
	ShapeGuide   = "guide"   // {"error": "unprocessable_entity", "message": "...", "details": {...}}
	ShapeOpenAPI = "openapi" // {"error": "<message>", "status": 422}
)

// Failure modes of the next creates of invoices (Fail).
type Failure int

// Failures.
const (
	// Down answers 503 without creating anything.
	Down Failure = iota + 1
	// CreateThen502 creates the invoice, then answers 502: the caller
	// cannot know it exists.
	CreateThen502
	// CreateThenHang creates the invoice, then answers only after Hang
	// (longer than the client's timeout).
	CreateThenHang
)

// Server is a fake Pennylane.
type Server struct {
	*httptest.Server
	Token string
	// Scopes the token has; nil means every scope.
	Scopes     []string
	ErrorShape string
	// Limit and Window are the rate limit (25 per 5 s).
	Limit  int
	Window time.Duration
	// Hang is how long CreateThenHang waits before answering.
	Hang time.Duration
	// NoExternalReferenceFilter makes a filter on external_reference of
	// GET /customer_invoices match nothing, as users have seen it do.
	NoExternalReferenceFilter bool

	mu        sync.Mutex
	customers []map[string]any
	invoices  []map[string]any
	lines     map[int64][]map[string]any
	nextID    int64
	numbers   int
	failures  []Failure
	sent      []time.Time
	requests  int
	throttled int
}

// NewServer starts a fake Pennylane with the token "plt_test", closed when
// the test ends.
func NewServer(tb testing.TB) *Server {
	s := &Server{Token: "plt_test", ErrorShape: ShapeGuide, Limit: 25, Window: 5 * time.Second, Hang: 3 * time.Second,
		nextID: 9000, lines: map[int64][]map[string]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/external/v2/customers", s.scoped("customers:all", s.createCustomer))
	mux.HandleFunc("GET /api/external/v2/customers", s.scoped("customers:readonly", s.listCustomers))
	mux.HandleFunc("POST /api/external/v2/customer_invoices", s.scoped("customer_invoices:all", s.createInvoice))
	mux.HandleFunc("GET /api/external/v2/customer_invoices", s.scoped("customer_invoices:readonly", s.listInvoices))
	mux.HandleFunc("PUT /api/external/v2/customer_invoices/{id}/finalize", s.scoped("customer_invoices:all", s.finalize))
	s.Server = httptest.NewServer(mux)
	tb.Cleanup(s.Close)
	return s
}

// APIURL returns the base URL to configure (pennylane.api_url).
func (s *Server) APIURL() string { return s.URL + "/api/external/v2" }

// Fail makes the next creates of invoices fail, one failure each.
func (s *Server) Fail(fs ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, fs...)
}

// Invoices returns the invoices created, oldest first.
func (s *Server) Invoices() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.invoices)
}

// InvoiceLines returns the lines of an invoice.
func (s *Server) InvoiceLines(id int64) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.lines[id])
}

// Customers returns the customers created.
func (s *Server) Customers() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.customers)
}

// Requests returns how many requests were served, and how many of them
// were throttled (429).
func (s *Server) Requests() (served, throttled int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests, s.throttled
}

func cloneAll(ms []map[string]any) []map[string]any {
	b, _ := json.Marshal(ms)
	var out []map[string]any
	json.Unmarshal(b, &out)
	return out
}

func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// fail writes an error in the configured shape.
func (s *Server) fail(w http.ResponseWriter, status int, code, message string, details map[string]string) {
	if s.ErrorShape == ShapeOpenAPI {
		s.writeJSON(w, status, map[string]any{"error": message, "status": status})
		return
	}
	v := map[string]any{"error": code, "message": message}
	if details != nil {
		v["details"] = details
	}
	s.writeJSON(w, status, v)
}

// scoped checks the token, its scope and the rate limit, and sets the
// ratelimit-* headers, before h runs (with s.mu held).
func (s *Server) scoped(scope string, h func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		locked := true
		defer func() {
			if locked {
				s.mu.Unlock()
			}
		}()
		s.requests++
		now := time.Now()
		for len(s.sent) > 0 && now.Sub(s.sent[0]) >= s.Window {
			s.sent = s.sent[1:]
		}
		reset := now.Add(s.Window)
		if len(s.sent) > 0 {
			reset = s.sent[0].Add(s.Window)
		}
		w.Header().Set("ratelimit-limit", strconv.Itoa(s.Limit))
		w.Header().Set("ratelimit-reset", strconv.FormatInt(reset.Unix(), 10))
		if len(s.sent) >= s.Limit {
			s.throttled++
			wait := int(math.Ceil(reset.Sub(now).Seconds()))
			w.Header().Set("ratelimit-remaining", "0")
			w.Header().Set("retry-after", strconv.Itoa(wait))
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprintf(w, "Rate limit exceeded. Please retry in %d seconds.", wait)
			return
		}
		s.sent = append(s.sent, now)
		w.Header().Set("ratelimit-remaining", strconv.Itoa(s.Limit-len(s.sent)))
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); !ok || tok != s.Token {
			s.fail(w, http.StatusUnauthorized, "unauthorized", "The access token is invalid", nil)
			return
		}
		if s.Scopes != nil && !slices.Contains(s.Scopes, scope) &&
			!(strings.HasSuffix(scope, ":readonly") && slices.Contains(s.Scopes, strings.TrimSuffix(scope, ":readonly")+":all")) {
			s.fail(w, http.StatusForbidden, "forbidden", fmt.Sprintf("Access to this resource requires scope %q.", scope), nil)
			return
		}
		// CreateThenHang answers late: release the lock while waiting.
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/customer_invoices") && len(s.failures) > 0 &&
			s.failures[0] == CreateThenHang {
			rec := httptest.NewRecorder()
			s.failures = s.failures[1:]
			h(rec, r)
			s.mu.Unlock()
			locked = false
			time.Sleep(s.Hang)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
			return
		}
		h(w, r)
	}
}

// decode reads a JSON object body; it answers 400 and returns nil when the
// body is not one.
func (s *Server) decode(w http.ResponseWriter, r *http.Request) map[string]any {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var v map[string]any
	if err != nil || json.Unmarshal(b, &v) != nil || v == nil {
		s.fail(w, http.StatusBadRequest, "bad_request", "Malformed JSON body", nil)
		return nil
	}
	return v
}

func str(v any) (string, bool) { s, ok := v.(string); return s, ok }

func nonEmpty(v any) bool { s, ok := v.(string); return ok && strings.TrimSpace(s) != "" }

func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request) {
	v := s.decode(w, r)
	if v == nil {
		return
	}
	typ, _ := str(v["customer_type"])
	addr, _ := v["billing_address"].(map[string]any)
	switch {
	case typ != "individual" && typ != "company":
		s.fail(w, 422, "unprocessable_entity", "customer_type must be individual or company", map[string]string{"field": "customer_type", "issue": "is invalid"})
		return
	case addr == nil:
		s.fail(w, 422, "unprocessable_entity", "Missing required field: billing_address", map[string]string{"field": "billing_address", "issue": "is required"})
		return
	case typ == "company" && !nonEmpty(v["name"]):
		s.fail(w, 422, "unprocessable_entity", "Missing required field: name", map[string]string{"field": "name", "issue": "is required"})
		return
	case typ == "individual" && (!nonEmpty(v["first_name"]) || !nonEmpty(v["last_name"])):
		s.fail(w, 422, "unprocessable_entity", "Missing required field: first_name, last_name", map[string]string{"field": "last_name", "issue": "is required"})
		return
	}
	if c, ok := addr["country_alpha2"].(string); ok && len(c) != 2 {
		s.fail(w, 422, "unprocessable_entity", "country_alpha2 is invalid", map[string]string{"field": "billing_address.country_alpha2", "issue": "is invalid"})
		return
	}
	ref, _ := str(v["external_reference"])
	if ref == "" {
		ref = fmt.Sprintf("pl-%d", s.nextID+1)
	}
	for _, c := range s.customers {
		if c["external_reference"] == ref {
			s.fail(w, 422, "unprocessable_entity", "External reference has already been taken", map[string]string{"field": "external_reference", "issue": "is taken"})
			return
		}
	}
	s.nextID++
	name, _ := str(v["name"])
	if typ == "individual" {
		name = strings.TrimSpace(fmt.Sprint(v["first_name"], " ", v["last_name"]))
	}
	c := map[string]any{"id": s.nextID, "customer_type": typ, "name": name, "first_name": v["first_name"],
		"last_name": v["last_name"], "emails": v["emails"], "billing_address": addr, "external_reference": ref,
		"billing_language": "fr_FR", "payment_conditions": v["payment_conditions"],
		"ledger_account": map[string]any{"id": 99, "url": s.APIURL() + "/ledger_accounts/99"},
		"created_at":     time.Now().UTC().Format(time.RFC3339), "updated_at": time.Now().UTC().Format(time.RFC3339)}
	s.customers = append(s.customers, c)
	s.writeJSON(w, http.StatusCreated, c)
}

var vatRates = map[string]float64{"exempt": 0, "FR_200": 0.2, "FR_100": 0.1, "FR_55": 0.055, "FR_21": 0.021,
	"extracom": 0, "crossborder": 0}

// cents reads a decimal string ("12.34") as cents.
func cents(s string) (int64, bool) {
	whole, frac, _ := strings.Cut(strings.TrimSpace(s), ".")
	if len(frac) > 2 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	return n, err == nil
}

func money(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

func isDate(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func (s *Server) createInvoice(w http.ResponseWriter, r *http.Request) {
	if len(s.failures) > 0 && s.failures[0] == Down {
		s.failures = s.failures[1:]
		s.writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "service_unavailable", "message": "Service temporarily unavailable"})
		return
	}
	v := s.decode(w, r)
	if v == nil {
		return
	}
	custID, ok := v["customer_id"].(float64)
	if !ok {
		s.fail(w, 422, "unprocessable_entity", "Missing required field: customer_id", map[string]string{"field": "customer_id", "issue": "is required"})
		return
	}
	var customer map[string]any
	for _, c := range s.customers {
		if c["id"] == int64(custID) {
			customer = c
		}
	}
	if customer == nil {
		s.fail(w, 422, "unprocessable_entity", "Customer not found", map[string]string{"field": "customer_id", "issue": "is invalid"})
		return
	}
	for _, f := range []string{"date", "deadline"} {
		if !isDate(v[f]) {
			s.fail(w, 422, "unprocessable_entity", "Missing required field: "+f, map[string]string{"field": f, "issue": "is required"})
			return
		}
	}
	lines, ok := v["invoice_lines"].([]any)
	if !ok || len(lines) == 0 {
		s.fail(w, 422, "unprocessable_entity", "Missing required field: invoice_lines", map[string]string{"field": "invoice_lines", "issue": "is required"})
		return
	}
	var before, tax int64
	var stored []map[string]any
	for i, l := range lines {
		line, ok := l.(map[string]any)
		if !ok {
			s.fail(w, 400, "bad_request", "invoice_lines must be objects", nil)
			return
		}
		if _, isNum := line["raw_currency_unit_price"].(float64); isNum {
			s.fail(w, 400, "bad_request", "raw_currency_unit_price must be a string", map[string]string{"field": fmt.Sprintf("invoice_lines[%d].raw_currency_unit_price", i), "issue": "must be a string"})
			return
		}
		if _, ok := line["product_id"]; ok {
			s.fail(w, 422, "unprocessable_entity", "Unknown product", nil) // no products in this fake
			return
		}
		qty, okQ := line["quantity"].(float64)
		price, okP := str(line["raw_currency_unit_price"])
		unit := nonEmpty(line["unit"])
		rateCode, _ := str(line["vat_rate"])
		rate, okR := vatRates[rateCode]
		unitCents, okC := cents(price)
		if !okQ || !okP || !unit || !okR || !okC || qty <= 0 {
			s.fail(w, 422, "unprocessable_entity", fmt.Sprintf("invoice_lines[%d]: quantity, raw_currency_unit_price, unit and vat_rate are required", i),
				map[string]string{"field": fmt.Sprintf("invoice_lines[%d]", i), "issue": "is invalid"})
			return
		}
		net := int64(math.Round(qty * float64(unitCents)))
		t := int64(math.Round(float64(net) * rate))
		before, tax = before+net, tax+t
		stored = append(stored, map[string]any{"label": line["label"], "quantity": qty, "raw_currency_unit_price": price,
			"unit": line["unit"], "vat_rate": rateCode, "currency_amount": money(net + t), "currency_tax": money(t)})
	}
	draft, _ := v["draft"].(bool)
	if _, set := v["draft"]; !set {
		draft = true
	}
	s.nextID++
	id := s.nextID
	now := time.Now().UTC().Format(time.RFC3339)
	inv := map[string]any{"id": id, "label": v["label"], "invoice_number": "", "currency": "EUR",
		"amount": money(before + tax), "currency_amount": money(before + tax), "currency_amount_before_tax": money(before),
		"exchange_rate": "1.0", "date": v["date"], "deadline": v["deadline"], "currency_tax": money(tax), "tax": money(tax),
		"language": "fr_FR", "paid": false, "status": "draft", "draft": true, "public_file_url": nil,
		"remaining_amount_with_tax": money(before + tax), "special_mention": v["special_mention"],
		"pdf_invoice_subject": v["pdf_invoice_subject"], "pdf_invoice_free_text": v["pdf_invoice_free_text"],
		"customer":           map[string]any{"id": customer["id"], "url": fmt.Sprintf("%s/customers/%v", s.APIURL(), customer["id"])},
		"invoice_lines":      map[string]any{"url": fmt.Sprintf("%s/customer_invoices/%d/invoice_lines", s.APIURL(), id)},
		"external_reference": v["external_reference"], "created_at": now, "updated_at": now}
	if !draft {
		s.finalizeLocked(inv)
	}
	s.invoices = append(s.invoices, inv)
	s.lines[id] = stored
	if len(s.failures) > 0 && s.failures[0] == CreateThen502 {
		s.failures = s.failures[1:]
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
		return
	}
	s.writeJSON(w, http.StatusCreated, inv)
}

func (s *Server) finalizeLocked(inv map[string]any) {
	s.numbers++
	inv["invoice_number"] = fmt.Sprintf("F-2026-%04d", s.numbers)
	inv["draft"], inv["status"] = false, "upcoming"
	inv["public_file_url"] = fmt.Sprintf("%s/public/invoice/%v.pdf", s.URL, inv["id"])
}

func (s *Server) finalize(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	for _, inv := range s.invoices {
		if inv["id"] == id {
			if inv["draft"] != true {
				s.fail(w, 422, "unprocessable_entity", "Invoice is already finalized", nil)
				return
			}
			s.finalizeLocked(inv)
			s.writeJSON(w, http.StatusOK, inv)
			return
		}
	}
	s.fail(w, http.StatusNotFound, "not_found", "Customer invoice not found", nil)
}

func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request) {
	s.list(w, r, s.customers, false)
}

func (s *Server) listInvoices(w http.ResponseWriter, r *http.Request) {
	s.list(w, r, s.invoices, s.NoExternalReferenceFilter)
}

// list serves a filtered page: limit 1–100 (400 otherwise), filter a JSON
// array of {field, operator: eq, value}, cursor the opaque offset. With
// noRef, a filter on external_reference matches nothing.
func (s *Server) list(w http.ResponseWriter, r *http.Request, all []map[string]any, noRef bool) {
	q := r.URL.Query()
	limit := 20
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			s.fail(w, http.StatusBadRequest, "bad_request", "limit must be between 1 and 100", map[string]string{"field": "limit", "issue": "is out of range"})
			return
		}
		limit = n
	}
	var filters []struct {
		Field    string `json:"field"`
		Operator string `json:"operator"`
		Value    any    `json:"value"`
	}
	if f := q.Get("filter"); f != "" {
		if err := json.Unmarshal([]byte(f), &filters); err != nil {
			s.fail(w, http.StatusBadRequest, "bad_request", "filter must be a JSON array", nil)
			return
		}
		for _, f := range filters {
			if f.Operator != "eq" || (f.Field != "external_reference" && f.Field != "id" && f.Field != "status" &&
				f.Field != "customer_id") {
				s.fail(w, http.StatusBadRequest, "bad_request", "unsupported filter "+f.Field+" "+f.Operator, nil)
				return
			}
		}
	}
	var match []map[string]any
	for _, o := range all {
		ok := true
		for _, f := range filters {
			v := o[f.Field]
			if f.Field == "customer_id" { // an invoice's customer is {"id", "url"}
				c, _ := o["customer"].(map[string]any)
				v = c["id"]
			}
			if fmt.Sprint(v) != fmt.Sprint(f.Value) || f.Field == "external_reference" && noRef {
				ok = false
			}
		}
		if ok {
			match = append(match, o)
		}
	}
	// Default sort -id: newest first.
	slices.Reverse(match)
	offset := 0
	if c := q.Get("cursor"); c != "" {
		b, err := base64.StdEncoding.DecodeString(c)
		if err == nil {
			offset, err = strconv.Atoi(string(b))
		}
		if err != nil || offset < 0 {
			s.fail(w, http.StatusBadRequest, "bad_request", "invalid cursor", nil)
			return
		}
	}
	end := min(offset+limit, len(match))
	items := []map[string]any{}
	if offset < len(match) {
		items = match[offset:end]
	}
	var next any
	hasMore := end < len(match)
	if hasMore {
		next = base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"items": items, "has_more": hasMore, "next_cursor": next})
}
