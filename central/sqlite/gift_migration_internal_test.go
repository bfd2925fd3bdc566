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
	db := upgradeFrom(t, t.TempDir(), 230, func(db *DB) error {
		_, err := db.SQL().ExecContext(context.Background(), storetest.GiftRows)
		return err
	})
	storetest.CheckGiftRows(t, sqlstore.NewPaymentService(db.DB), db.SQL())
}
