package storetest

import (
	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// SQLStore returns the services of db (central/sqlstore, whatever its
// engine) as the suite sees them: each engine's test opens its database
// and runs the suite on it.
func SQLStore(db *sqlstore.DB) *Store {
	return &Store{
		Members: sqlstore.NewMemberService(db), Products: sqlstore.NewProductService(db), Ledger: sqlstore.NewLedgerService(db),
		Badges: sqlstore.NewBadgeService(db), Kiosks: sqlstore.NewKioskService(db), Sync: sqlstore.NewSyncService(db),
		Entries: sqlstore.NewEntryService(db), Settings: sqlstore.NewSettingsService(db), Audit: sqlstore.NewAuditService(db),
		Outbox: sqlstore.NewOutboxService(db), Payments: sqlstore.NewPaymentService(db), Invoices: sqlstore.NewInvoiceService(db),
		Admin:        sqlstore.NewAdminService(db),
		Profiles:     sqlstore.NewProfileService(db),
		Calendar:     sqlstore.NewCalendarService(db),
		Guests:       sqlstore.NewGuestService(db),
		Bookings:     sqlstore.NewBookingService(db),
		Spaces:       sqlstore.NewSpaceService(db),
		Health:       sqlstore.NewKioskService(db),
		SigningKey:   db.SigningKey,
		SetReactions: func(r ...central.Reaction) { db.Reactions = r },
	}
}
