package central_test

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestSettlementComplement (issue 14): what is left to invoice of a
// direction is the visits the month counts more than invoiced, at the
// convention's rate, as the next Seq; nothing when there are none more,
// fewer (a credit note is the treasurer's), no rate, or an invoice whose
// figures were not kept. Other directions' invoices do not count.
func TestSettlementComplement(t *testing.T) {
	line := func(visits int) central.SettlementLine {
		return central.SettlementLine{Host: 2, Seller: 1, Visits: visits, Rate: 350, Amount: int64(visits) * 350, Agreed: true}
	}
	inv := func(host int64, seq, visits int) *central.SettlementInvoice {
		return &central.SettlementInvoice{Month: "2026-11", Host: host, Seller: 1, Seq: seq, Visits: visits, Rate: 350,
			Amount: int64(visits) * 350, Known: true}
	}
	unknown := &central.SettlementInvoice{Month: "2026-11", Host: 2, Seller: 1, Seq: 1}
	for _, c := range []struct {
		name        string
		invs        []*central.SettlementInvoice
		line        central.SettlementLine
		seq, visits int // 0: none
	}{
		{"the first", nil, line(3), 1, 3},
		{"another direction's do not count", []*central.SettlementInvoice{inv(3, 1, 3)}, line(3), 1, 3},
		{"all invoiced", []*central.SettlementInvoice{inv(2, 1, 3)}, line(3), 0, 0},
		{"two more", []*central.SettlementInvoice{inv(2, 1, 3)}, line(5), 2, 2},
		{"one more after a complement", []*central.SettlementInvoice{inv(2, 1, 3), inv(2, 2, 2)}, line(6), 3, 1},
		{"fewer", []*central.SettlementInvoice{inv(2, 1, 3)}, line(2), 0, 0},
		{"no convention", nil, central.SettlementLine{Host: 2, Seller: 1, Visits: 3}, 0, 0},
		{"figures not kept", []*central.SettlementInvoice{unknown}, line(5), 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := central.InvoicedFor(c.invs, 2, 1).Complement(c.line)
			if c.seq == 0 {
				if got != nil {
					t.Fatalf("complement %+v, want none", got)
				}
				return
			}
			if got == nil || got.Seq != c.seq || got.Visits != c.visits || got.Amount != int64(c.visits)*350 || got.Rate != 350 ||
				!got.Known || got.Host != 2 || got.Seller != 1 {
				t.Fatalf("complement %+v, want Seq %d for %d visits", got, c.seq, c.visits)
			}
			got.Month = "2026-11"
			if err := got.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
