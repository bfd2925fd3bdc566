package helloasso_test

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/badgeuse/badgeuse/shared/clocktest"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
	"github.com/badgeuse/badgeuse/central/billing/helloasso/helloassotest"
)

func newClient(s *helloassotest.Server, c *clocktest.Clock) *helloasso.Client {
	cl := helloasso.NewClient(s.APIURL(), s.ClientID, s.ClientSecret)
	cl.Now = c.Now
	return cl
}

func TestTokenURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.helloasso.com/v5":          "https://api.helloasso.com/oauth2/token",
		"https://api.helloasso-sandbox.com/v5/": "https://api.helloasso-sandbox.com/oauth2/token",
		"http://127.0.0.1:8080/v5":              "http://127.0.0.1:8080/oauth2/token",
	} {
		if got, err := helloasso.TokenURL(in); err != nil || got != want {
			t.Errorf("TokenURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := helloasso.TokenURL("api.helloasso.com"); err == nil {
		t.Error("TokenURL accepted a URL without scheme")
	}
}

func TestClientToken(t *testing.T) {
	ctx := context.Background()
	s := helloassotest.NewServer(t)
	c := clocktest.New(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	s.SetClock(c.Now, 30*time.Minute)
	s.PutOrder(helloassotest.NewOrder(777, "carte-10", "Carte 10 entrées", 12000, "alice@example.org", "Alice", "Martin"))
	cl := newClient(s, c)

	t.Run("Cached", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			if _, err := cl.Order(ctx, 777); err != nil {
				t.Fatal(err)
			}
		}
		if st := s.Stats(); st.TokenGrants != 1 || st.OrderGets != 3 {
			t.Fatalf("stats %+v, want 1 grant for 3 gets", st)
		}
	})
	t.Run("RefreshedBeforeExpiry", func(t *testing.T) {
		c.Add(29*time.Minute + 30*time.Second) // within the margin
		if _, err := cl.Order(ctx, 777); err != nil {
			t.Fatal(err)
		}
		if st := s.Stats(); st.TokenGrants != 1 || st.TokenRefreshs != 1 || st.Unauthorized != 0 {
			t.Fatalf("stats %+v, want one refresh and no 401", st)
		}
	})
	t.Run("RenewedAfter401", func(t *testing.T) {
		s.RevokeTokens()
		if _, err := cl.Order(ctx, 777); err != nil {
			t.Fatal(err)
		}
		if st := s.Stats(); st.Unauthorized != 1 || st.TokenRefreshs != 2 {
			t.Fatalf("stats %+v, want one 401 then a refresh", st)
		}
	})
	t.Run("RefreshRefusedFallsBackToCredentials", func(t *testing.T) {
		c.Add(31 * 24 * time.Hour) // the refresh token is too old
		if _, err := cl.Order(ctx, 777); err != nil {
			t.Fatal(err)
		}
		if st := s.Stats(); st.TokenGrants != 2 {
			t.Fatalf("stats %+v, want a second grant", st)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := cl.Order(ctx, 404)
		if !helloasso.IsNotFound(err) {
			t.Fatalf("err %v, want not found", err)
		}
		for _, id := range []string{"404", "not-a-number"} {
			if _, err := cl.PaymentOrder(ctx, id); central.ErrorCode(err) != central.ENOTFOUND {
				t.Fatalf("order %s: err %v, want ENOTFOUND", id, err)
			}
		}
	})
	t.Run("ErrBadSecret", func(t *testing.T) {
		bad := helloasso.NewClient(s.APIURL(), s.ClientID, "wrong-secret-value")
		err := bad.Check(ctx)
		if !helloasso.IsUnauthorized(err) {
			t.Fatalf("err %v, want unauthorized", err)
		}
		if strings.Contains(err.Error(), "wrong-secret-value") {
			t.Fatalf("the error shows the secret: %v", err)
		}
		if err := cl.Check(ctx); err != nil {
			t.Fatalf("check with the right credentials: %v", err)
		}
	})
	t.Run("ErrUnavailable", func(t *testing.T) {
		s.FailOrders(1)
		_, err := cl.Order(ctx, 777)
		var he *helloasso.Error
		if !errors.As(err, &he) || he.Status != 503 || helloasso.IsNotFound(err) || helloasso.IsUnauthorized(err) {
			t.Fatalf("err %v, want a 503", err)
		}
	})
}

// membership is the membership order of apis.md §3.3 (built from the
// OpenAPI and HelloAsso's documented example), with fields the OpenAPI
// does not list.
const membership = `{
  "eventType": "Order",
  "data": {
    "payer": {"email": "alice@example.org", "firstName": "Alice", "lastName": "Martin", "country": "FRA"},
    "items": [{
      "payments": [{"id": 555001, "shareAmount": 3000}],
      "name": "Adhésion annuelle 2026",
      "user": {"firstName": "Alice", "lastName": "Martin"},
      "priceCategory": "Fixed",
      "customFields": [{"id": 928, "name": "Téléphone", "type": "Phone", "answer": "0600000000"}],
      "options": [{"name": "Badge physique", "amount": 500, "priceCategory": "Fixed", "isRequired": false, "optionId": 12}],
      "membershipCardUrl": "https://www.helloasso.com/associations/mon-coworking/adhesions/adhesion-2026/carte-adherent",
      "tierId": 4242, "id": 777001, "amount": 3000, "type": "Membership", "initialAmount": 3000, "state": "Processed"
    }],
    "payments": [{"items": [{"id": 777001, "shareAmount": 3500, "shareItemAmount": 3000, "shareOptionsAmount": 500}],
                  "id": 555001, "amount": 3500, "date": "2026-11-20T09:30:00+01:00", "paymentMeans": "Card",
                  "installmentNumber": 1, "state": "Authorized", "cashOutState": "MoneyIn", "refundOperations": []}],
    "amount": {"total": 3500, "vat": 0, "discount": 0},
    "id": 777001, "date": "2026-11-20T09:30:00+01:00",
    "formSlug": "adhesion-2026", "formType": "Membership",
    "organizationName": "Mon Coworking", "organizationSlug": "mon-coworking",
    "organizationType": "Association1901", "organizationIsUnderColucheLaw": false,
    "checkoutIntentId": null, "isAnonymous": false, "isAmountHidden": false,
    "meta": {"createdAt": "2026-11-20T09:29:10+01:00", "updatedAt": "2026-11-20T09:30:00+01:00"}
  }
}`

// payment is HelloAsso's documented Payment notification (abridged).
const payment = `{"data": {"order": {"id": 20499, "date": "2024-06-07T14:11:15.7442115+02:00", "formSlug": "3", "formType": "Donation",
  "organizationName": "BordeauxChess", "organizationSlug": "bordeauxchess", "organizationType": "Association1901",
  "organizationIsUnderColucheLaw": false, "formName": "faire un don humanitaire", "meta": {"createdAt": "…", "updatedAt": "…"},
  "isAnonymous": false, "isAmountHidden": false},
  "payer": {"email": "hugo.dubois@example.org", "firstName": "Hugo", "lastName": "Dubois", "country": "FRA"},
  "items": [{"shareAmount": 2000, "shareItemAmount": 2000, "id": 20499, "amount": 2000, "type": "Donation", "state": "Processed"}],
  "cashOutState": "Transfered", "paymentReceiptUrl": "…", "id": 13790, "amount": 2000, "date": "…",
  "paymentMeans": "Card", "installmentNumber": 1, "state": "Authorized", "meta": {"createdAt": "…"}, "refundOperations": []},
 "eventType": "Payment"}`

func TestDecodeNotification(t *testing.T) {
	for _, tc := range []struct {
		name, body     string
		event          string
		order, payment int64
	}{
		{"Order", membership, "Order", 777001, 0},
		{"Payment", payment, "Payment", 20499, 13790},
		{"LowerCaseAndStringID", `{"eventType":"order","data":{"id":"42"}}`, "Order", 42, 0},
		{"Form", `{"eventType":"Form","data":{"formSlug":"x"}}`, "Form", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := helloasso.DecodeNotification([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if n.EventType != tc.event || n.OrderID != tc.order || n.PaymentID != tc.payment {
				t.Fatalf("got %+v", n)
			}
		})
	}
	for name, body := range map[string]string{
		"Empty":           ``,
		"NotJSON":         `<xml/>`,
		"NoEventType":     `{"data":{"id":1}}`,
		"OrderWithoutID":  `{"eventType":"Order","data":{}}`,
		"NegativeID":      `{"eventType":"Order","data":{"id":-3}}`,
		"PaymentNoOrder":  `{"eventType":"Payment","data":{"id":5}}`,
		"OrderIDIsObject": `{"eventType":"Order","data":{"id":{"x":1}}}`,
	} {
		t.Run("Err"+name, func(t *testing.T) {
			if n, err := helloasso.DecodeNotification([]byte(body)); !errors.Is(err, helloasso.ErrBadNotification) {
				t.Fatalf("decoded %+v, %v", n, err)
			}
		})
	}
}

func FuzzDecodeNotification(f *testing.F) {
	f.Add([]byte(membership))
	f.Add([]byte(payment))
	f.Add([]byte(`{"eventType":"Order","data":{"id":"1"}}`))
	f.Add([]byte(`{"eventType":"Payment","data":{"order":{"id":1e3}}}`))
	f.Add([]byte(`{"eventType":"Organization","data":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		n, err := helloasso.DecodeNotification(body)
		if err != nil {
			if n != nil || !errors.Is(err, helloasso.ErrBadNotification) {
				t.Fatalf("error %v with %+v", err, n)
			}
			return
		}
		if n.EventType == "" {
			t.Fatal("decoded without an event type")
		}
		switch n.EventType {
		case "Order", "Payment":
			if n.OrderID <= 0 {
				t.Fatalf("%s notification without an order id: %+v", n.EventType, n)
			}
		default:
			if n.OrderID != 0 {
				t.Fatalf("%s notification with an order id", n.EventType)
			}
		}
	})
}

func TestSignature(t *testing.T) {
	body := []byte(membership)
	sig := helloasso.Sign("key", body)
	if len(sig) != 64 || strings.ToLower(sig) != sig {
		t.Fatalf("signature %q, want 64 lowercase hex digits", sig)
	}
	if !helloasso.VerifySignature("key", body, sig) || !helloasso.VerifySignature("key", body, " "+strings.ToUpper(sig)) {
		t.Fatal("good signature refused")
	}
	for name, tc := range map[string]struct {
		key, sig string
		body     []byte
	}{
		"OtherKey":  {"other", sig, body},
		"Missing":   {"key", "", body},
		"Tampered":  {"key", sig, append([]byte(" "), body...)},
		"Truncated": {"key", sig[:63], body},
	} {
		if helloasso.VerifySignature(tc.key, tc.body, tc.sig) {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestPaymentOrder(t *testing.T) {
	var env struct{ Data helloasso.Order }
	if err := json.Unmarshal([]byte(membership), &env); err != nil {
		t.Fatal(err)
	}
	po := env.Data.PaymentOrder()
	if po.Source != central.SourceHelloAsso || po.ID != "777001" || po.Form != "adhesion-2026" || po.Date.IsZero() {
		t.Fatalf("order %+v", po)
	}
	if po.Payer.Country != "FR" || po.Payer.Email != "alice@example.org" {
		t.Fatalf("payer %+v, want country FR", po.Payer)
	}
	if len(po.Items) != 1 {
		t.Fatalf("items %+v", po.Items)
	}
	it := po.Items[0]
	// 3000 for the membership and 500 for its option (a badge): the
	// payment's shareAmount.
	if it.ID != "777001" || it.Name != "Adhésion annuelle 2026" || it.Amount != 3500 || it.State != central.PaymentPaid ||
		it.FirstName != "Alice" || it.Email != "" || it.Gift {
		t.Fatalf("item %+v", it)
	}
}

// TestPaymentOrderGift: the adapter tells central which items are gifts
// (central.PaymentItem.Gift): every item of a donation form, and a
// donation item (one-off, monthly, offline) of any form.
func TestPaymentOrderGift(t *testing.T) {
	for _, tc := range []struct {
		item, form string
		want       bool
	}{{"Donation", "Membership", true}, {"MonthlyDonation", "Donation", true}, {"OfflineDonation", "", true},
		{"Payment", "Donation", true}, {"Membership", "Membership", false}, {"Product", "Shop", false},
		{"Registration", "Event", false}} {
		o := helloasso.Order{ID: 1, FormType: tc.form, Items: []helloasso.Item{{ID: 1, Type: tc.item, State: "Processed"}}}
		if got := o.PaymentOrder().Items[0].Gift; got != tc.want {
			t.Errorf("item %s of a %s form: gift %v, want %v", tc.item, tc.form, got, tc.want)
		}
	}
}

func TestItemState(t *testing.T) {
	item := helloasso.Item{ID: 1, Amount: 3000, State: "Processed"}
	pay := func(id int64, state string) helloasso.Payment {
		return helloasso.Payment{ID: id, Amount: 3000, State: state, Items: []helloasso.PaymentShare{{ID: 1}}}
	}
	refund := func(p helloasso.Payment, amount int64, status string) helloasso.Payment {
		p.RefundOperations = append(p.RefundOperations, helloasso.RefundOperation{ID: int64(len(p.RefundOperations) + 1),
			Amount: amount, Status: status})
		return p
	}
	for _, tc := range []struct {
		name     string
		state    string
		payments []helloasso.Payment
		want     central.PaymentState
	}{
		{"Authorized", "Processed", []helloasso.Payment{pay(1, "Authorized")}, central.PaymentPaid},
		{"OfflineRegistered", "Registered", []helloasso.Payment{pay(1, "Registered")}, central.PaymentPaid},
		{"Pending", "Processed", []helloasso.Payment{pay(1, "Pending")}, central.PaymentPending},
		{"ItemWaiting", "Waiting", []helloasso.Payment{pay(1, "Authorized")}, central.PaymentPending},
		{"Refunded", "Processed", []helloasso.Payment{pay(1, "Refunded")}, central.PaymentRefunded},
		{"RefundedItemCanceled", "Canceled", []helloasso.Payment{pay(1, "Refunded")}, central.PaymentRefunded},
		{"FirstInstalment", "Processed", []helloasso.Payment{pay(1, "Authorized"), pay(2, "Pending")}, central.PaymentPaid},
		{"OtherItemsPayment", "Processed", []helloasso.Payment{{ID: 9, State: "Authorized", Items: []helloasso.PaymentShare{{ID: 2}}}}, central.PaymentPending},
		{"Refused", "Refused", []helloasso.Payment{pay(1, "Refused")}, central.PaymentPending},
		{"NoPayment", "Processed", nil, central.PaymentPending},
		// Money going back, in full or in part, for good or not yet:
		// never left credited.
		{"Refunding", "Processed", []helloasso.Payment{pay(1, "Refunding")}, central.PaymentRefunded},
		{"Contested", "Processed", []helloasso.Payment{pay(1, "Contested")}, central.PaymentRefunded},
		{"PartialRefund", "Processed", []helloasso.Payment{refund(pay(1, "Authorized"), 500, "Processed")}, central.PaymentRefunded},
		{"RefundOpsReachAmount", "Processed", []helloasso.Payment{refund(refund(pay(1, "Authorized"), 1000, ""), 2000, "")}, central.PaymentRefunded},
		{"RefusedRefundOp", "Processed", []helloasso.Payment{refund(pay(1, "Authorized"), 500, "Refused")}, central.PaymentPaid},
		{"InstalmentRefunded", "Processed", []helloasso.Payment{pay(1, "Authorized"), pay(2, "Refunded")}, central.PaymentRefunded},
		{"InstalmentContested", "Processed", []helloasso.Payment{pay(1, "Authorized"), pay(2, "Contested")}, central.PaymentRefunded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			it := item
			it.State = tc.state
			o := helloasso.Order{Items: []helloasso.Item{it}, Payments: tc.payments}
			if got := o.ItemState(&o.Items[0]); got != tc.want {
				t.Fatalf("state %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("Reversal", func(t *testing.T) {
		for _, tc := range []struct {
			payments []helloasso.Payment
			want     string
		}{
			{[]helloasso.Payment{pay(1, "Authorized")}, ""},
			{[]helloasso.Payment{pay(1, "Refunded")}, central.ReasonRefund},
			{[]helloasso.Payment{pay(1, "Refunding")}, central.ReasonRefunding},
			{[]helloasso.Payment{pay(1, "Contested")}, central.ReasonContested},
			{[]helloasso.Payment{refund(pay(1, "Authorized"), 500, "")}, central.ReasonPartialRefund},
			{[]helloasso.Payment{refund(pay(1, "Authorized"), 3000, "")}, central.ReasonRefund},
			{[]helloasso.Payment{pay(1, "Refunded"), pay(2, "Contested")}, central.ReasonContested},
		} {
			o := helloasso.Order{ID: 1, Items: []helloasso.Item{item}, Payments: tc.payments}
			if got := o.ItemReversal(&o.Items[0]); got != tc.want {
				t.Errorf("%+v: reversal %q, want %q", tc.payments, got, tc.want)
			}
			if got := o.PaymentOrder().Items[0].Reversal; got != tc.want {
				t.Errorf("%+v: PaymentOrder's reversal %q, want %q", tc.payments, got, tc.want)
			}
		}
	})
	t.Run("FreeItem", func(t *testing.T) {
		o := helloasso.Order{Items: []helloasso.Item{{ID: 1, State: "Processed", PriceCategory: "Free"}}}
		if got := o.ItemState(&o.Items[0]); got != central.PaymentPaid {
			t.Fatalf("state %s, want paid", got)
		}
	})
	t.Run("BeneficiaryEmailField", func(t *testing.T) {
		o := helloasso.Order{ID: 1, Items: []helloasso.Item{{ID: 1, State: "Processed", CustomFields: []helloasso.CustomField{
			{Name: "Téléphone", Answer: "bob@example.org"}, // not an e-mail question
			{Name: "E-mail du bénéficiaire", Answer: " bob@example.org "},
		}}}}
		if got := o.PaymentOrder().Items[0].Email; got != "bob@example.org" {
			t.Fatalf("email %q", got)
		}
	})
}

func TestAlpha2(t *testing.T) {
	for in, want := range map[string]string{"FRA": "FR", "fra": "FR", "BEL": "BE", "CHE": "CH", "ZWE": "ZW", "ABW": "AW",
		"BE": "BE", "XXX": "", "": "", "FRANCE": ""} {
		if got := helloasso.Alpha2(in); got != want {
			t.Errorf("Alpha2(%q) = %q, want %q", in, got, want)
		}
	}
}
