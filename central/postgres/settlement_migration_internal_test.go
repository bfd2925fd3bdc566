package postgres

import (
	"context"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/central/storetest"
)

// TestSettlementInvoiceMigrationKeepsAskedInvoices is central/sqlite's
// test of the same name on PostgreSQL (its 0250 reads the outbox's
// payloads with json_to_record): the invoices a database of 0240 asked
// become each month's first invoice (storetest.CheckSettlementOutboxRows).
func TestSettlementInvoiceMigrationKeepsAskedInvoices(t *testing.T) {
	db := upgradeFrom(t, pgtest.DB(t), 240, func(db *DB) error {
		ctx := context.Background()
		if err := sqlstore.NewSpaceService(db.DB).CreateSpace(ctx, &central.Space{Name: "La Cantine"}); err != nil {
			return err
		}
		_, err := db.SQL().ExecContext(ctx, storetest.SettlementOutboxRows)
		return err
	})
	storetest.CheckSettlementOutboxRows(t, sqlstore.NewSpaceService(db.DB))
}
