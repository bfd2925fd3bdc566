package sqlite

import (
	"context"
	"testing"

	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/central/storetest"
)

// TestGiftMigrationFlagsStoredDonations: 0240 moves "is this item a gift"
// from the domain's reading of HelloAsso's types to a stored flag; the
// payments of a database of 0230 are flagged from the types they kept,
// so a donation refunded before the upgrade is still one, and a gift set
// aside by hand before donations were recorded apart is still not.
func TestGiftMigrationFlagsStoredDonations(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	migrations = migrationsUpTo(t, 230)
	db := NewDB(dir)
	if err := db.Open(); err != nil {
		migrations = migrationFS
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, storetest.GiftRows); err != nil {
		db.Close()
		migrations = migrationFS
		t.Fatal(err)
	}
	db.Close()
	migrations = migrationFS

	db = NewDB(dir)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CheckGiftRows(t, sqlstore.NewPaymentService(db.DB), db.SQL())
}
