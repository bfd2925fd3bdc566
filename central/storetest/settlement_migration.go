package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// SettlementOutboxRows are the outbox of a database of migration 0240
// (before settlement_invoices), with space 2 created: November's invoice
// from space 2 to space 1 made, October's on its way, one naming a space
// that does not exist, and a Slack post, in SQL both engines run.
const SettlementOutboxRows = `INSERT INTO outbox (topic, key, payload, created, next_try, done, outcome) VALUES
	('pennylane.settlement', 'pennylane.settlement:2026-11:2:1', '{"month":"2026-11","host":2,"seller":1}',
		'2026-12-02T09:00:00.000000Z', '2026-12-02T09:00:00.000000Z', '2026-12-02T09:00:05.000000Z', 'sent'),
	('pennylane.settlement', 'pennylane.settlement:2026-10:2:1', '{"month":"2026-10","host":2,"seller":1}',
		'2026-11-03T09:00:00.000000Z', '2026-11-03T09:00:00.000000Z', '', ''),
	('pennylane.settlement', 'pennylane.settlement:2026-11:99:1', '{"month":"2026-11","host":99,"seller":1}',
		'2026-12-02T09:00:00.000000Z', '2026-12-02T09:00:00.000000Z', '2026-12-02T09:00:01.000000Z', 'failed'),
	('slack.arrival', 'slack.arrival:1', '{"month":"2026-11","host":2,"seller":1}',
		'2026-12-02T09:00:00.000000Z', '2026-12-02T09:00:00.000000Z', '', '')`

// CheckSettlementOutboxRows checks SettlementOutboxRows after migration
// 0250: each invoice asked becomes its month's first, figures unknown (the
// worker figured them when it ran), made when its message was sent; other
// topics and a message naming no space are left out. No complement is
// offered without the first's figures.
func CheckSettlementOutboxRows(t *testing.T, spaces central.SettlementInvoiceStore) {
	t.Helper()
	ctx := context.Background()
	nov, err := spaces.SettlementInvoices(ctx, "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	if len(nov) != 1 || nov[0].Host != 2 || nov[0].Seller != 1 || nov[0].Seq != 1 || nov[0].Known ||
		!nov[0].Asked.Equal(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)) || !nov[0].Made.Equal(time.Date(2026, 12, 2, 9, 0, 5, 0, time.UTC)) {
		t.Fatalf("November %+v", nov)
	}
	oct, err := spaces.SettlementInvoices(ctx, "2026-10")
	if err != nil {
		t.Fatal(err)
	}
	if len(oct) != 1 || oct[0].Seq != 1 || oct[0].Known || !oct[0].Made.IsZero() {
		t.Fatalf("October %+v", oct)
	}
	if d := central.InvoicedFor(nov, 2, 1); !d.Unknown || d.NextSeq() != 2 ||
		d.Complement(central.SettlementLine{Host: 2, Seller: 1, Visits: 3, Rate: 350, Amount: 1050, Agreed: true}) != nil {
		t.Fatalf("invoiced %+v: no complement is offered without the first's figures", d)
	}
}
