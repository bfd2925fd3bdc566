package sqlite_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/storetest"
)

// TestConformance runs the stores' conformance suite on SQLite.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t testing.TB, now func() time.Time) *storetest.Store {
		db := sqlite.NewDB(t.TempDir())
		db.Now = now
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := db.Close(); err != nil {
				t.Error(err)
			}
		})
		return storetest.SQLStore(db.DB)
	})
}
