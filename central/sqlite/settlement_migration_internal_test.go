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
	ctx := context.Background()
	dir := t.TempDir()
	migrations = migrationsUpTo(t, 240)
	defer func() { migrations = migrationFS }()
	db := NewDB(dir)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	err := sqlstore.NewSpaceService(db.DB).CreateSpace(ctx, &central.Space{Name: "La Cantine"})
	if err == nil {
		_, err = db.SQL().ExecContext(ctx, storetest.SettlementOutboxRows)
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	migrations = migrationFS

	db = NewDB(dir)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CheckSettlementOutboxRows(t, sqlstore.NewSpaceService(db.DB))
}
