package postgres_test

import (
	"os"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/postgres"
	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/storetest"
)

// TestConformance runs the stores' conformance suite on PostgreSQL (a throwaway cluster, central/postgres/pgtest).
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t testing.TB, now func() time.Time) *storetest.Store {
		db := postgres.NewDB(pgtest.DBFrom(t, migrated(t)))
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

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// migrated is a template database with the schema migrated.
func migrated(t testing.TB) string {
	return pgtest.Template(t, "migrated", func(url string) error {
		db := postgres.NewDB(url)
		if err := db.Open(); err != nil {
			return err
		}
		return db.Close()
	})
}
