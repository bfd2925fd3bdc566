package postgres

import (
	"context"
	"testing"

	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/central/storetest"
)

// TestMailTokenMigration: 0270 on PostgreSQL (central/sqlite's test of
// the same name): the tokens of a database of 0260 are kept as they were
// and the lost-link form's purpose is accepted.
func TestMailTokenMigration(t *testing.T) {
	db := upgradeFrom(t, pgtest.DB(t), 260, func(db *DB) error {
		_, err := db.SQL().ExecContext(context.Background(), storetest.MailTokenRows())
		return err
	})
	storetest.CheckMailTokenRows(t, sqlstore.NewAdminService(db.DB))
}
