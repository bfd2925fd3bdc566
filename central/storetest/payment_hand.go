package storetest

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// testHandPayments: a sale records how it was paid and when; a sale not
// paid yet is listed as owed until its payment is recorded, once, on a
// day not to come; a day's cash and cheques are listed for the deposit.
func testHandPayments(t *testing.T) {
	f := newFixture(t) // today is 2026-11-26
	card := f.product(access.Pack, 10, 0)
	m := f.member("Alice")
	sell := func(p central.PaidBy, source string) *central.Sale {
		t.Helper()
		s, err := f.ledger.CreateSale(f.ctx, central.NewSale{Member: m, Product: card, Source: source, PaidBy: p})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	other := sell(central.PaidBy{}, central.SourceCLI)
	if other.PaidBy.Method != central.PaidOther || other.PaidBy.Day != day("2026-11-26") {
		t.Errorf("a sale that says nothing: paid %+v, want other on 2026-11-26", other.PaidBy)
	}
	if s := sell(central.PaidBy{}, central.SourceHelloAsso); s.PaidBy.Method != central.PaidHelloAsso {
		t.Errorf("a HelloAsso sale: paid %q", s.PaidBy.Method)
	}
	cash := sell(central.PaidBy{Method: central.PaidCash, Payer: "  Jean   Martin "}, central.SourceAdmin)
	if cash.PaidBy.Payer != "Jean Martin" {
		t.Errorf("payer %q, want it tidied", cash.PaidBy.Payer)
	}
	owed := sell(central.PaidBy{Method: central.Unpaid}, central.SourceAdmin)
	refundedOwed := sell(central.PaidBy{Method: central.Unpaid}, central.SourceAdmin)
	if !owed.PaidBy.Day.IsZero() {
		t.Errorf("an unpaid sale has a payment day %s", owed.PaidBy.Day)
	}
	if _, err := f.ledger.RefundSale(f.ctx, refundedOwed.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ledger.CreateSale(f.ctx, central.NewSale{Member: m, Product: card, Source: central.SourceCLI,
		PaidBy: central.PaidBy{Method: central.PaidCash, Bank: "Crédit Mutuel"}}); central.ErrorCode(err) != central.EINVALID {
		t.Errorf("a bank for cash: %v, want EINVALID", err)
	}
	if _, err := f.ledger.CreateSale(f.ctx, central.NewSale{Member: m, Product: card, Source: central.SourceCLI,
		PaidBy: central.PaidBy{Method: "bitcoin"}}); central.ErrorCode(err) != central.EINVALID {
		t.Errorf("an unknown method: %v, want EINVALID", err)
	}

	unpaid, _, err := f.ledger.FindSales(f.ctx, central.SaleFilter{Unpaid: true})
	if err != nil || len(unpaid) != 1 || unpaid[0].ID != owed.ID {
		t.Fatalf("unpaid sales %v (%v), want only sale %d (the refunded one owes nothing)", unpaid, err, owed.ID)
	}

	for _, tc := range []struct {
		id   int64
		p    central.PaidBy
		code string
	}{
		{owed.ID, central.PaidBy{Method: central.Unpaid}, central.EINVALID},
		{owed.ID, central.PaidBy{Method: central.PaidCheque, Day: day("2026-11-27")}, central.EINVALID},
		{refundedOwed.ID, central.PaidBy{Method: central.PaidCash}, central.ECONFLICT},
		{cash.ID, central.PaidBy{Method: central.PaidCash}, central.ECONFLICT},
		{9999, central.PaidBy{Method: central.PaidCash}, central.ENOTFOUND},
	} {
		if _, err := f.ledger.PaySale(f.ctx, tc.id, tc.p); central.ErrorCode(err) != tc.code {
			t.Errorf("PaySale(%d, %+v) = %v, want %s", tc.id, tc.p, err, tc.code)
		}
	}
	paid, err := f.ledger.PaySale(f.ctx, owed.ID, central.PaidBy{Method: central.PaidCheque, Day: day("2026-11-25"),
		Bank: "La Banque Postale", Number: "1234567", Payer: "Jean Martin"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (central.PaidBy{Method: central.PaidCheque, Day: day("2026-11-25"), Bank: "La Banque Postale",
		Number: "1234567", Payer: "Jean Martin"}); paid.PaidBy != want {
		t.Errorf("paid %+v, want %+v", paid.PaidBy, want)
	}
	if _, err := f.ledger.PaySale(f.ctx, owed.ID, central.PaidBy{Method: central.PaidCash}); central.ErrorCode(err) != central.ECONFLICT {
		t.Errorf("paying twice: %v, want ECONFLICT", err)
	}
	if unpaid, _, _ := f.ledger.FindSales(f.ctx, central.SaleFilter{Unpaid: true}); len(unpaid) != 0 {
		t.Errorf("still unpaid after the payment: %v", unpaid)
	}
	d := day("2026-11-25")
	deposit, _, err := f.ledger.FindSales(f.ctx, central.SaleFilter{PaidOn: &d, Deposited: true})
	if err != nil || len(deposit) != 1 || deposit[0].ID != owed.ID {
		t.Errorf("the deposit of 2026-11-25: %v (%v), want the cheque", deposit, err)
	}
	if _, n, err := f.audit.FindAuditEvents(f.ctx, central.AuditFilter{Action: "sale.paid"}); err != nil || n != 1 {
		t.Errorf("%d payments in the audit log (%v), want 1", n, err)
	}
}
