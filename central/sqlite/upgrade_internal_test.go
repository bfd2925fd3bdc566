package sqlite

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/badgeuse/badgeuse/central/storetest"
)

// upgradeFrom opens a database in dir made by the migrations up to
// version, seeded, then upgraded (storetest.UpgradeFrom).
func upgradeFrom(t *testing.T, dir string, version int, seed func(*DB) error) *DB {
	return storetest.UpgradeFrom(t, func() *DB { return NewDB(dir) }, func(f fs.FS) { migrations = f }, migrationFS, version, seed)
}

// migrationsUpTo returns the embedded migrations numbered up to last.
func migrationsUpTo(t *testing.T, last int) fstest.MapFS {
	return storetest.MigrationsUpTo(t, migrationFS, last)
}
