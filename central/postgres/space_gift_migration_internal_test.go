package postgres

import (
	"context"
	"testing"

	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/central/storetest"
)

// TestSpaceGiftMigration: 0260 on PostgreSQL (central/sqlite's test of
// the same name): the gifts left waiting as space_donation become their
// space's donations when the space can be told; what the bureau set aside
// by hand stays as it is.
func TestSpaceGiftMigration(t *testing.T) {
	for _, oneOrg := range []bool{false, true} {
		db := upgradeFrom(t, pgtest.DB(t), 250, func(db *DB) error {
			_, err := db.SQL().ExecContext(context.Background(), storetest.SpaceGiftRows(oneOrg))
			return err
		})
		storetest.CheckSpaceGiftRows(t, sqlstore.NewPaymentService(db.DB), oneOrg)
	}
}
