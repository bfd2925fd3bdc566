package postgres

import (
	"io/fs"
	"testing"

	"github.com/badgeuse/badgeuse/central/storetest"
)

// upgradeFrom opens the database at url made by the migrations up to
// version, seeded, then upgraded (storetest.UpgradeFrom).
func upgradeFrom(t *testing.T, url string, version int, seed func(*DB) error) *DB {
	return storetest.UpgradeFrom(t, func() *DB { return NewDB(url) }, func(f fs.FS) { migrations = f }, migrationFS, version, seed)
}
