package central_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestDonationKinds: which payments are donations, and which count.
func TestDonationKinds(t *testing.T) {
	for _, tc := range []struct {
		name       string
		p          central.Payment
		gift, kept bool
	}{
		{"recorded", central.Payment{Gift: true, Status: central.PaymentIgnored, Reason: central.ReasonDonation, State: central.PaymentPaid}, true, true},
		{"refunded", central.Payment{Gift: true, Status: central.PaymentReversed, Reason: central.ReasonRefund, State: central.PaymentRefunded}, true, false},
		{"set aside by hand before", central.Payment{Gift: true, Status: central.PaymentIgnored, Reason: central.ReasonNoProduct, State: central.PaymentPaid}, false, false},
		{"a gift to a space's organisation", central.Payment{Gift: true, Status: central.PaymentUnmatched, Reason: central.ReasonSpaceDonation, State: central.PaymentPaid}, false, false},
		{"a card", central.Payment{ItemType: "Product", Status: central.PaymentCredited, State: central.PaymentPaid}, false, false},
		{"a card refunded", central.Payment{ItemType: "Product", Status: central.PaymentReversed, State: central.PaymentRefunded}, false, false},
		// The domain reads the adapter's flag, never the provider's types.
		{"a donation type, not a gift", central.Payment{FormType: "Donation", ItemType: "Donation", Status: central.PaymentReversed, State: central.PaymentRefunded}, false, false},
	} {
		if g, k := tc.p.IsDonation(), tc.p.DonationKept(); g != tc.gift || k != tc.kept {
			t.Errorf("%s: donation %v kept %v, want %v %v", tc.name, g, k, tc.gift, tc.kept)
		}
	}
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	gift := func(email, name string, cents int64, when string) *central.Payment {
		return &central.Payment{PayerEmail: email, PayerName: name, Amount: cents, Date: at(when), Gift: true,
			Status: central.PaymentIgnored, Reason: central.ReasonDonation, State: central.PaymentPaid}
	}
	totals := central.DonationTotals([]*central.Payment{
		gift("a@x.org", "A", 1000, "2026-01-01T00:30:00+01:00"), // 2025 in UTC, 2026 in Paris
		gift("A@X.org", "A", 500, "2026-06-01T10:00:00Z"),
		gift("", "Bé Bop", 700, "2026-06-01T10:00:00Z"),
		gift("", "", 300, "2025-06-01T10:00:00Z"),
	}, time.UTC)
	if len(totals) != 2 || totals[0] != (central.DonationYear{Year: 2026, Count: 2, Donors: 2, Amount: 1200}) ||
		totals[1] != (central.DonationYear{Year: 2025, Count: 2, Donors: 2, Amount: 1300}) {
		t.Errorf("totals in UTC %+v", totals)
	}
}
