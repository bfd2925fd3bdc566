package sqlite

import (
	"context"
	"testing"

	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/central/storetest"
)

// TestMailTokenMigration: 0270 adds the lost-link form's purpose to
// mail_tokens by copying the table: the tokens of a database of 0260 are
// kept as they were, used ones still used.
func TestMailTokenMigration(t *testing.T) {
	db := upgradeFrom(t, t.TempDir(), 260, func(db *DB) error {
		_, err := db.SQL().ExecContext(context.Background(), storetest.MailTokenRows())
		return err
	})
	storetest.CheckMailTokenRows(t, sqlstore.NewAdminService(db.DB))
}
