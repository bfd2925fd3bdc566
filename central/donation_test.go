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
		{"a gift to a space's organisation", central.Payment{Gift: true, Space: 2, Status: central.PaymentIgnored, Reason: central.ReasonDonation, State: central.PaymentPaid}, true, true},
		{"a gift to a space's organisation refunded", central.Payment{Gift: true, Space: 2, Status: central.PaymentReversed, Reason: central.ReasonRefund, State: central.PaymentRefunded}, true, false},
		// Left waiting by an older centrald when its space was unknown.
		{"a space's gift left waiting", central.Payment{Gift: true, Status: central.PaymentUnmatched, Reason: central.ReasonSpaceDonation, State: central.PaymentPaid}, false, false},
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

// TestDonationsOf: whose donations payments are. A gift to a space's own
// organisation is that space's, never the network's nor another space's;
// a refund keeps it the space's (counting for nothing); what is no gift,
// or a gift set aside by hand, is nobody's.
func TestDonationsOf(t *testing.T) {
	kept := func(space int64) *central.Payment {
		return &central.Payment{Gift: true, Space: space, Status: central.PaymentIgnored, Reason: central.ReasonDonation, State: central.PaymentPaid}
	}
	refunded := func(space int64) *central.Payment {
		return &central.Payment{Gift: true, Space: space, Status: central.PaymentReversed, Reason: central.ReasonRefund, State: central.PaymentRefunded}
	}
	network, space2, space2Refunded, space3 := kept(0), kept(2), refunded(2), kept(3)
	byHand := &central.Payment{Gift: true, Space: 2, Status: central.PaymentIgnored, Reason: central.ReasonNoProduct, State: central.PaymentPaid}
	sale := &central.Payment{Space: 2, Status: central.PaymentCredited, State: central.PaymentPaid}
	waiting := &central.Payment{Gift: true, Status: central.PaymentUnmatched, Reason: central.ReasonSpaceDonation, State: central.PaymentPaid}
	all := []*central.Payment{network, space2, space2Refunded, space3, byHand, sale, waiting}
	for _, tc := range []struct {
		space int64
		want  []*central.Payment
	}{
		{0, []*central.Payment{network}},
		{2, []*central.Payment{space2, space2Refunded}},
		{3, []*central.Payment{space3}},
		{4, nil},
	} {
		got := central.DonationsOf(all, tc.space)
		if len(got) != len(tc.want) {
			t.Errorf("space %d: %d donations, want %d", tc.space, len(got), len(tc.want))
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("space %d: donation %d is %+v, want %+v", tc.space, i, got[i], tc.want[i])
			}
		}
	}
	// Totals of a space count its kept gifts only.
	if y := central.DonationTotals(central.DonationsOf(all, 2), time.UTC); len(y) != 1 || y[0].Count != 1 {
		t.Errorf("space 2's totals %+v, want one donation kept", y)
	}
	for _, tc := range []struct {
		books map[string]string
		owns  bool
	}{
		{nil, false},
		{map[string]string{"association.name": "Asso B"}, true},
		{map[string]string{"unknown.key": "x"}, false},
	} {
		if got := (&central.Space{ID: 2, Books: tc.books}).OwnsBooks(); got != tc.owns {
			t.Errorf("books %v: owns %v, want %v", tc.books, got, tc.owns)
		}
	}
}

// TestDonationYearAroundNewYear: a gift's year is that of its date on the
// association's clock (the network's time zone, Europe/Paris by default),
// never UTC's: the minutes around midnight on 31 December, in Paris and
// in a network set to another zone.
func TestDonationYearAroundNewYear(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	montreal, err := time.LoadLocation("America/Montreal")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(s string) time.Time { tm, _ := time.Parse("2006-01-02 15:04:05", s); return tm }
	for _, tc := range []struct {
		name string
		when time.Time
		loc  *time.Location
		year int
	}{
		{"23:30 in Paris, 22:30 UTC", utc("2026-12-31 22:30:00"), paris, 2026},
		{"23:59:59 in Paris", utc("2026-12-31 22:59:59"), paris, 2026},
		{"midnight in Paris, still 2026 in UTC", utc("2026-12-31 23:00:00"), paris, 2027},
		{"00:30 in Paris, 23:30 UTC", utc("2026-12-31 23:30:00"), paris, 2027},
		{"00:30 in Paris with HelloAsso's offset", time.Date(2027, 1, 1, 0, 30, 0, 0, time.FixedZone("", 3600)), paris, 2027},
		{"00:30 UTC on 1 January is 2027 in Paris too", utc("2027-01-01 00:30:00"), paris, 2027},
		{"23:30 in Montreal, 04:30 UTC the next year", utc("2027-01-01 04:30:00"), montreal, 2026},
		{"midnight in Montreal", utc("2027-01-01 05:00:00"), montreal, 2027},
	} {
		p := &central.Payment{PayerEmail: "hugo@example.org", Amount: 2500, Date: tc.when, Gift: true,
			Status: central.PaymentIgnored, Reason: central.ReasonDonation, State: central.PaymentPaid}
		got := central.DonationTotals([]*central.Payment{p}, tc.loc)
		if len(got) != 1 || got[0] != (central.DonationYear{Year: tc.year, Count: 1, Donors: 1, Amount: 2500}) {
			t.Errorf("%s (%s): totals %+v, want one gift of %d", tc.name, tc.when.UTC().Format(time.RFC3339), got, tc.year)
		}
	}
}
