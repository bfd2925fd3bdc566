package sqlite_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
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
		return services(db)
	})
}

// services are db's services as the conformance suite sees them.
func services(db *sqlite.DB) *storetest.Store {
	return &storetest.Store{
		Members: sqlite.NewMemberService(db), Products: sqlite.NewProductService(db), Ledger: sqlite.NewLedgerService(db),
		Badges: sqlite.NewBadgeService(db), Kiosks: sqlite.NewKioskService(db), Sync: sqlite.NewSyncService(db),
		Entries: sqlite.NewEntryService(db), Settings: sqlite.NewSettingsService(db), Audit: sqlite.NewAuditService(db),
		Outbox: sqlite.NewOutboxService(db), Payments: sqlite.NewPaymentService(db), Invoices: sqlite.NewInvoiceService(db),
		Admin:        sqlite.NewAdminService(db),
		Profiles:     sqlite.NewProfileService(db),
		Calendar:     sqlite.NewCalendarService(db),
		Guests:       sqlite.NewGuestService(db),
		Bookings:     sqlite.NewBookingService(db),
		Spaces:       sqlite.NewSpaceService(db),
		SigningKey:   db.SigningKey,
		SetReactions: func(r ...central.Reaction) { db.Reactions = r },
	}
}
