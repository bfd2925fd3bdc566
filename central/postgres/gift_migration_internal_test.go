package postgres

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/central/storetest"
)

// TestGiftMigrationFlagsStoredDonations: 0240 flags the payments of a
// database of 0230 from the HelloAsso types they kept, as on SQLite
// (central/sqlite's test of the same name): a donation refunded before
// the upgrade is still one, a gift set aside by hand before donations
// were recorded apart is still not.
func TestGiftMigrationFlagsStoredDonations(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	upTo := fstest.MapFS{}
	all, err := sqlstore.Migrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range all {
		if m.Version > 230 {
			continue
		}
		b, err := migrationFS.ReadFile(m.Path)
		if err != nil {
			t.Fatal(err)
		}
		upTo[m.Path] = &fstest.MapFile{Data: b}
	}
	migrations = upTo
	defer func() { migrations = migrationFS }()
	db := NewDB(url)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, storetest.GiftRows); err != nil {
		db.Close()
		t.Fatal(err)
	}
	db.Close()
	migrations = migrationFS

	db = NewDB(url)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CheckGiftRows(t, sqlstore.NewPaymentService(db.DB), db.SQL())
}
