package postgres

import (
	"context"
	"testing"
	"testing/fstest"

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
	ctx := context.Background()
	url := pgtest.DB(t)
	upTo := fstest.MapFS{}
	all, err := sqlstore.Migrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range all {
		if m.Version <= 240 {
			b, err := migrationFS.ReadFile(m.Path)
			if err != nil {
				t.Fatal(err)
			}
			upTo[m.Path] = &fstest.MapFile{Data: b}
		}
	}
	migrations = upTo
	defer func() { migrations = migrationFS }()
	db := NewDB(url)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	err = sqlstore.NewSpaceService(db.DB).CreateSpace(ctx, &central.Space{Name: "La Cantine"})
	if err == nil {
		_, err = db.DB.SQL().ExecContext(ctx, storetest.SettlementOutboxRows)
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	migrations = migrationFS

	db = NewDB(url)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CheckSettlementOutboxRows(t, sqlstore.NewSpaceService(db.DB))
}
