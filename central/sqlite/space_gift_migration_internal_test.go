package sqlite

import (
	"context"
	"testing"

	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/central/storetest"
)

// TestSpaceGiftMigration: 0260 makes the gifts an older centrald left
// waiting as space_donation their space's donations when it can tell the
// space (the order's notice, or the one space with its own organisation),
// and leaves what the bureau set aside by hand as it is.
func TestSpaceGiftMigration(t *testing.T) {
	for _, oneOrg := range []bool{false, true} {
		db := upgradeFrom(t, t.TempDir(), 250, func(db *DB) error {
			_, err := db.SQL().ExecContext(context.Background(), storetest.SpaceGiftRows(oneOrg))
			return err
		})
		storetest.CheckSpaceGiftRows(t, sqlstore.NewPaymentService(db.DB), oneOrg)
	}
}
