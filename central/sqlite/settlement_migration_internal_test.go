package sqlite

import (
	"context"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/central/storetest"
)

// TestSettlementInvoiceMigrationKeepsAskedInvoices: 0250 keeps what each
// invoice between spaces asked; the invoices a database of 0240 asked (its
// outbox messages pennylane.settlement:MONTH:HOST:SELLER) become each
// month's first invoice (storetest.CheckSettlementOutboxRows). Without
// them, a month invoiced before the upgrade would be offered its first
// invoice again.
func TestSettlementInvoiceMigrationKeepsAskedInvoices(t *testing.T) {
	db := upgradeFrom(t, t.TempDir(), 240, func(db *DB) error {
		ctx := context.Background()
		if err := sqlstore.NewSpaceService(db.DB).CreateSpace(ctx, &central.Space{Name: "La Cantine"}); err != nil {
			return err
		}
		_, err := db.SQL().ExecContext(ctx, storetest.SettlementOutboxRows)
		return err
	})
	storetest.CheckSettlementOutboxRows(t, sqlstore.NewSpaceService(db.DB))
}
