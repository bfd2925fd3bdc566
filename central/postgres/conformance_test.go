package postgres_test

import (
	"os"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
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
		return services(db)
	})
}

// services are db's services as the conformance suite sees them.
func services(db *postgres.DB) *storetest.Store {
	return &storetest.Store{
		Members: postgres.NewMemberService(db), Products: postgres.NewProductService(db), Ledger: postgres.NewLedgerService(db),
		Badges: postgres.NewBadgeService(db), Kiosks: postgres.NewKioskService(db), Sync: postgres.NewSyncService(db),
		Entries: postgres.NewEntryService(db), Settings: postgres.NewSettingsService(db), Audit: postgres.NewAuditService(db),
		Outbox: postgres.NewOutboxService(db), Payments: postgres.NewPaymentService(db), Invoices: postgres.NewInvoiceService(db),
		Admin:        postgres.NewAdminService(db),
		Profiles:     postgres.NewProfileService(db),
		Calendar:     postgres.NewCalendarService(db),
		Guests:       postgres.NewGuestService(db),
		Bookings:     postgres.NewBookingService(db),
		Spaces:       postgres.NewSpaceService(db),
		SigningKey:   db.SigningKey,
		SetReactions: func(r ...central.Reaction) { db.Reactions = r },
	}
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
