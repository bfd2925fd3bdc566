package postgres

import (
	"context"
	"testing"

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
	db := upgradeFrom(t, pgtest.DB(t), 230, func(db *DB) error {
		_, err := db.SQL().ExecContext(context.Background(), storetest.GiftRows)
		return err
	})
	storetest.CheckGiftRows(t, sqlstore.NewPaymentService(db.DB), db.SQL())
}
