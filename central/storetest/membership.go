package storetest

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// testMembershipSales: dues sold for the calendar year after the cut-off
// cover the next year; renewing starts the day after; dues in days count
// from the payment; the balance says until when; a refund takes them back;
// the pull gives kiosks the dues as entitlements and the door policy.
func testMembershipSales(t *testing.T) {
	f := newFixture(t) // the clock says 2026-11-26, after the default cut-off 11-01
	year := f.product(access.Membership, 0, 0)
	month := f.product(access.Membership, 0, 30)
	alice, bruno, chloe := f.member("Alice"), f.member("Bruno"), f.member("Chloé")

	first := f.sell(alice, year)
	if first.Start != day("2026-11-26") || first.End != day("2027-12-31") {
		t.Fatalf("dues paid on 2026-11-26: %s..%s, want 2026-11-26..2027-12-31", first.Start, first.End)
	}
	renewed := f.sell(alice, year)
	if renewed.Start != day("2028-01-01") || renewed.End != day("2028-12-31") {
		t.Fatalf("dues renewed: %s..%s, want 2028-01-01..2028-12-31", renewed.Start, renewed.End)
	}
	if b := f.balance(alice); !b.MembershipValid || b.MembershipUntil != day("2028-12-31") {
		t.Fatalf("Alice's balance: valid %v until %s, want valid until 2028-12-31", b.MembershipValid, b.MembershipUntil)
	}
	if s := f.sell(bruno, month); s.Start != day("2026-11-26") || s.End != day("2026-12-25") {
		t.Fatalf("30 days' dues: %s..%s", s.Start, s.End)
	}
	if b := f.balance(chloe); b.MembershipValid || !b.MembershipUntil.IsZero() {
		t.Fatalf("Chloé without dues: valid %v until %s", b.MembershipValid, b.MembershipUntil)
	}

	// Without a cut-off, a calendar year is this year only.
	if err := f.set.SetSetting(f.ctx, central.SettingMembershipCutoff, ""); err != nil {
		t.Fatal(err)
	}
	if s := f.sell(chloe, year); s.End != day("2026-12-31") {
		t.Fatalf("dues without a cut-off end %s, want 2026-12-31", s.End)
	}

	if _, err := f.ledger.RefundSale(f.ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	if b := f.balance(alice); b.MembershipValid || b.MembershipUntil != day("2028-12-31") {
		t.Fatalf("after refunding the first dues: valid %v until %s, want not valid (the renewal starts in 2028)", b.MembershipValid, b.MembershipUntil)
	}

	if err := f.set.SetSetting(f.ctx, central.SettingRequireMembership, "oui"); err != nil {
		t.Fatal(err)
	}
	k := f.kiosk("door", "")
	var kinds []access.Kind
	p := f.pull(k, 0, "", 0)
	if !p.Settings.RequireMembership {
		t.Errorf("pull settings %+v: door.require_membership not sent", p.Settings)
	}
	for _, m := range p.Members {
		if m.ID != bruno {
			continue
		}
		for _, e := range m.Entitlements {
			kinds = append(kinds, e.Kind)
			if e.Kind == access.Membership && e.End != day("2026-12-25") {
				t.Errorf("Bruno's dues pulled until %s", e.End)
			}
		}
	}
	if len(kinds) != 1 || kinds[0] != access.Membership {
		t.Errorf("Bruno's entitlements pulled: %v, want his dues", kinds)
	}
}

// testMembersDuesFilter: the members list says whose dues cover today
// and filters on it.
func testMembersDuesFilter(t *testing.T) {
	f := newFixture(t)
	year := f.product(access.Membership, 0, 0)
	alice, bruno := f.member("Alice"), f.member("Bruno")
	f.sell(alice, year)
	for _, tc := range []struct {
		paid bool
		want int64
	}{{true, alice}, {false, bruno}} {
		paid := tc.paid
		ms, n, err := f.members.FindMembers(f.ctx, central.MemberFilter{DuesPaid: &paid})
		if err != nil || n != 1 || ms[0].ID != tc.want {
			t.Fatalf("members with dues paid %v: %d (%v), want member %d", paid, n, err, tc.want)
		}
		if ms[0].Balance.MembershipValid != paid || (paid && ms[0].Balance.MembershipUntil != day("2027-12-31")) {
			t.Errorf("member %d: dues valid %v until %s", ms[0].ID, ms[0].Balance.MembershipValid, ms[0].Balance.MembershipUntil)
		}
	}
}
