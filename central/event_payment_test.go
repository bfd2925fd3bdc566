package central_test

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestNewEventPayment: an event's payment takes the form its adapter read
// (the slug lower-case, as orders are matched) and a price in range.
func TestNewEventPayment(t *testing.T) {
	form := central.PaymentForm{Source: central.SourceHelloAsso, Form: "Atelier-Compta ", URL: "https://pay.example.org/f/atelier-compta"}
	p, err := central.NewEventPayment(7, form, 1500)
	if err != nil || *p != (central.EventPayment{Event: 7, Source: central.SourceHelloAsso, Form: "atelier-compta", URL: form.URL, Price: 1500}) {
		t.Fatalf("payment %+v %v", p, err)
	}
	for _, tc := range []struct {
		form  central.PaymentForm
		price int64
	}{{form, -1}, {form, 1_000_000_01}, {central.PaymentForm{Source: central.SourceHelloAsso, Form: " "}, 1500}} {
		if p, err := central.NewEventPayment(7, tc.form, tc.price); central.ErrorCode(err) != central.EINVALID {
			t.Errorf("%+v at %d: %+v %v, want EINVALID", tc.form, tc.price, p, err)
		}
	}
}
