// Package helloassotest is a fake HelloAsso for tests: an httptest server
// that follows the contract of HelloAsso's API v5 as Badgeuse uses it
// (shared/reference/apis.md §3.7), and sends notifications the way
// HelloAsso does.
//
// HelloAsso API documentation: https://dev.helloasso.com/docs/getting-started
// Notifications: https://dev.helloasso.com/docs/les-notifications
//
// It serves POST /oauth2/token (client_credentials and refresh_token
// grants, form-encoded; 400 {"error":"invalid_client"} or
// {"error":"invalid_grant"} on bad credentials) and GET /v5/orders/{id}
// (Bearer token required, 401 for a bad or expired one, 400 for an id out
// of int32's range, 404 for an unknown order, any status RefuseOrder sets),
// with orders the test puts in. Notify and Send post notifications
// ({"eventType","data"}, optional x-ha-signature) to a webhook URL.
package helloassotest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/billing/helloasso"
)

// Server is a fake HelloAsso.
type Server struct {
	*httptest.Server
	ClientID     string
	ClientSecret string
	// SignatureKey signs notifications when set.
	SignatureKey string

	mu       sync.Mutex
	now      func() time.Time
	ttl      time.Duration
	orders   map[int64]helloasso.Order
	access   map[string]time.Time // token → expiry
	refresh  map[string]bool
	failNext int           // GET /orders answers 503 this many times
	refuse   map[int64]int // order → the 4xx GET /orders answers for it
	stats    Stats
}

// Stats counts the requests the fake served.
type Stats struct {
	TokenGrants   int // client_credentials grants
	TokenRefreshs int // refresh_token grants
	OrderGets     int
	Unauthorized  int // 401 answers
}

// NewServer starts a fake HelloAsso, closed when the test ends. Its client
// id and secret are "client-id" and "client-secret".
func NewServer(tb testing.TB) *Server {
	s := &Server{ClientID: "client-id", ClientSecret: "client-secret", now: time.Now, ttl: 30 * time.Minute,
		orders: map[int64]helloasso.Order{}, refuse: map[int64]int{}, access: map[string]time.Time{}, refresh: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth2/token", s.token)
	mux.HandleFunc("GET /v5/orders/{id}", s.order)
	s.Server = httptest.NewServer(mux)
	tb.Cleanup(s.Close)
	return s
}

// APIURL returns the base URL to configure (helloasso.api_url).
func (s *Server) APIURL() string { return s.URL + "/v5" }

// SetClock sets the fake's clock (token expiry) and the tokens' lifetime.
func (s *Server) SetClock(now func() time.Time, ttl time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now, s.ttl = now, ttl
}

// Stats returns the counts of requests served.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// RevokeTokens makes every access token issued so far invalid, as if they
// had expired early.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access = map[string]time.Time{}
}

// FailOrders makes the next n GET /v5/orders answer 503.
func (s *Server) FailOrders(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = n
}

// RefuseOrder makes GET /v5/orders/{id} answer status (a 4xx: 401 or 403
// as HelloAsso documents, 400 or 404) for an order, even to a valid token:
// another organization's order, or rights our client lacks.
func (s *Server) RefuseOrder(id int64, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse[id] = status
}

// PutOrder stores (or replaces) an order.
func (s *Server) PutOrder(o helloasso.Order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders[o.ID] = clone(o)
}

// Order returns a stored order.
func (s *Server) Order(id int64) (helloasso.Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	return clone(o), ok
}

// RefundPart records a partial refund of an order's first payment (cents),
// as HelloAsso shows one: the payment stays Authorized, with the refund in
// its refundOperations.
func (s *Server) RefundPart(orderID, amount int64) helloasso.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[orderID]
	p := &o.Payments[0]
	p.RefundOperations = append(p.RefundOperations, helloasso.RefundOperation{
		ID: p.ID*10 + int64(len(p.RefundOperations)) + 1, Amount: amount, Status: "Processed"})
	s.orders[orderID] = o
	return clone(o)
}

// SetPaymentsState sets the state of every payment of an order
// ("Refunded" after a refund) and returns the order.
func (s *Server) SetPaymentsState(orderID int64, state string) helloasso.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[orderID]
	for i := range o.Payments {
		o.Payments[i].State = state
	}
	s.orders[orderID] = o
	return clone(o)
}

func clone(o helloasso.Order) helloasso.Order {
	b, _ := json.Marshal(o)
	var c helloasso.Order
	json.Unmarshal(b, &c)
	return c
}

func randomToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "form-encoded body required"})
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.PostForm.Get("grant_type") {
	case "client_credentials":
		if r.PostForm.Get("client_id") != s.ClientID || r.PostForm.Get("client_secret") != s.ClientSecret {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_client", "error_description": "Invalid client credentials"})
			return
		}
		s.stats.TokenGrants++
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		if r.PostForm.Get("client_id") != s.ClientID || !s.refresh[rt] {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "Invalid refresh token"})
			return
		}
		delete(s.refresh, rt)
		s.stats.TokenRefreshs++
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	access, refresh := randomToken(), randomToken()
	s.access[access] = s.now().Add(s.ttl)
	s.refresh[refresh] = true
	writeJSON(w, http.StatusOK, map[string]any{"access_token": access, "token_type": "bearer",
		"expires_in": int(s.ttl / time.Second), "refresh_token": refresh})
}

func (s *Server) order(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if exp, known := s.access[tok]; !ok || !known || !s.now().Before(exp) {
		s.stats.Unauthorized++
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "you must add a valid JWT into Authorization Header with the format : Bearer TOKEN"})
		return
	}
	s.stats.OrderGets++
	if s.failNext > 0 {
		s.failNext--
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "Service unavailable"})
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 32)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []map[string]string{{"message": "The value is not valid."}}})
		return
	}
	if status := s.refuse[id]; status != 0 {
		writeJSON(w, status, map[string]string{"message": http.StatusText(status)})
		return
	}
	o, ok := s.orders[id]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Order not found"})
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// Notification returns the body of a notification about an order, as
// HelloAsso builds it from its state now: eventType "Order" carries the
// order, "Payment" its first payment with the order (light), payer and
// items.
func (s *Server) Notification(eventType string, orderID int64) []byte {
	o, _ := s.Order(orderID)
	var data any = o
	if eventType == "Payment" && len(o.Payments) > 0 {
		p := o.Payments[0]
		light := o
		light.Items, light.Payments, light.Payer = nil, nil, nil
		light.FormName = "Formulaire " + o.FormSlug
		p.Order, p.Payer = &light, o.Payer
		data = p
	}
	b, _ := json.Marshal(map[string]any{"eventType": eventType, "data": data})
	return b
}

// Notify posts a notification about an order to url, signed when the
// fake has a SignatureKey, and returns the HTTP status.
func (s *Server) Notify(url, eventType string, orderID int64) (int, error) {
	body := s.Notification(eventType, orderID)
	sig := ""
	if s.SignatureKey != "" {
		sig = helloasso.Sign(s.SignatureKey, body)
	}
	return Send(url, body, sig, nil)
}

// Send posts body to url with the signature header (when not "") and the
// extra headers (such as X-Forwarded-For to simulate HelloAsso's source
// address), and returns the HTTP status. Sending the same bytes again is
// a duplicate delivery.
func Send(url string, body []byte, signature string, headers map[string]string) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set(helloasso.SignatureHeader, signature)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("send notification: %w", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// NewOrder returns a paid order of one item (cents) on a form, paid by
// card by the payer (e-mail, first and last name), with HelloAsso's
// documented fields filled as a real order has them.
func NewOrder(id int64, formSlug, itemName string, amount int64, email, first, last string) helloasso.Order {
	itemID, paymentID := id*10+1, id*10+2
	date := "2026-11-20T09:30:00.1234567+01:00"
	return helloasso.Order{
		ID: id, Date: date, FormSlug: formSlug, FormType: "Shop",
		OrganizationName: "Mon Coworking", OrganizationSlug: "mon-coworking", OrganizationType: "Association1901",
		Amount: helloasso.Amount{Total: amount},
		Payer: &helloasso.Payer{Email: email, FirstName: first, LastName: last, Country: "FRA",
			Address: "3 rue Victor Hugo", ZipCode: "69002", City: "Lyon"},
		Items: []helloasso.Item{{
			ID: itemID, Name: itemName, PriceCategory: "Fixed", Amount: amount, InitialAmount: amount,
			Type: "Product", State: "Processed", Payments: []helloasso.ShareRef{{ID: paymentID, ShareAmount: amount}},
			User: &helloasso.User{FirstName: first, LastName: last},
		}},
		Payments: []helloasso.Payment{{
			ID: paymentID, Amount: amount, Date: date, PaymentMeans: "Card", InstallmentNumber: 1,
			State: "Authorized", CashOutState: "MoneyIn", RefundOperations: []helloasso.RefundOperation{},
			Items: []helloasso.PaymentShare{{ID: itemID, ShareAmount: amount, ShareItemAmount: amount}},
		}},
		Meta: &helloasso.Meta{CreatedAt: date, UpdatedAt: date},
	}
}

// AddOption adds a paid option (cents) to the first item of an order made
// by NewOrder, as HelloAsso shows one: in items[].options, outside the
// item's amount, and in the payment's amount, shareAmount and
// shareOptionsAmount and the order's total.
func AddOption(o helloasso.Order, name string, amount int64) helloasso.Order {
	o = clone(o)
	it := &o.Items[0]
	it.Options = append(it.Options, helloasso.Option{Name: name, Amount: amount, PriceCategory: "Fixed",
		OptionID: int64(len(it.Options) + 1)})
	for i := range it.Payments {
		it.Payments[i].ShareAmount += amount
	}
	p := &o.Payments[0]
	p.Amount += amount
	for i := range p.Items {
		if p.Items[i].ID == it.ID {
			p.Items[i].ShareAmount += amount
			p.Items[i].ShareOptionsAmount += amount
		}
	}
	o.Amount.Total += amount
	return o
}

// NewMembershipOrder returns a paid order of a membership form (formType
// and item type Membership), shaped as apis.md §3.3's membership order:
// the tier's name, the member as items[].user, a membership card URL.
func NewMembershipOrder(id int64, formSlug, tierName string, amount int64, email, first, last string) helloasso.Order {
	o := NewOrder(id, formSlug, tierName, amount, email, first, last)
	o.FormType = "Membership"
	it := &o.Items[0]
	it.Type, it.TierID = "Membership", 4242
	it.MembershipCardURL = "https://www.helloasso.com/associations/mon-coworking/adhesions/" + formSlug + "/carte-adherent"
	return o
}

// NewDonationOrder returns a paid order of a donation form, shaped as
// HelloAsso's documented one (apis.md §3.3): formType Donation, one item
// of type Donation without a name, the payer's postal address, the
// payment's receipt URL.
func NewDonationOrder(id int64, formSlug string, amount int64, email, first, last string) helloasso.Order {
	o := NewOrder(id, formSlug, "", amount, email, first, last)
	o.FormType = "Donation"
	it := &o.Items[0]
	it.Type, it.TierID, it.User = "Donation", 127, nil
	o.Payments[0].PaymentReceiptURL = "https://www.helloasso.com/associations/mon-coworking/formulaires/" + formSlug +
		"/paiement-attestation/" + strconv.FormatInt(it.ID, 10) + "/" + strconv.FormatInt(o.Payments[0].ID, 10)
	return o
}

// AddDonation adds to an order made by NewOrder the donation HelloAsso
// offers at the checkout of any form: an item of type Donation paid by
// the same payment (its amount, shareAmount and the order's total grow).
func AddDonation(o helloasso.Order, amount int64) helloasso.Order {
	o = clone(o)
	id := o.Items[len(o.Items)-1].ID + 100
	p := &o.Payments[0]
	o.Items = append(o.Items, helloasso.Item{ID: id, PriceCategory: "Pwyw", Amount: amount, InitialAmount: amount,
		Type: "Donation", State: "Processed", Payments: []helloasso.ShareRef{{ID: p.ID, ShareAmount: amount}}})
	p.Amount += amount
	p.Items = append(p.Items, helloasso.PaymentShare{ID: id, ShareAmount: amount, ShareItemAmount: amount})
	o.Amount.Total += amount
	return o
}
