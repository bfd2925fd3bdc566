package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/postgres"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// database is central's database, whatever the engine: the services the
// commands use, central/sqlstore's on either engine. Which engine is
// configuration only: --db postgres://... (or CENTRALD_DATABASE_URL) opens
// central/postgres; without it, central/sqlite opens the file of the data
// folder (--data).
type database struct {
	Admin    admin.Store
	Audit    central.AuditService
	Badge    central.BadgeService
	Booking  central.BookingService
	Calendar calendarService
	Entry    entryService
	Guest    central.GuestService
	Health   central.KioskHealthService
	Journal  email.Journal // the audit's mails given up
	Mail     interface {
		MailPrefs(ctx context.Context, member int64) (lang string, remindersOff bool, err error)
	}
	Invoice  central.InvoiceService
	Kiosk    central.KioskService
	Ledger   central.LedgerService
	Member   central.MemberService
	Outbox   outboxService
	Payment  central.PaymentService
	Product  central.ProductService
	Profile  central.ProfileService
	Settings central.SettingsService
	Space    spaceService
	Sync     central.SyncService

	// Name says which database it is, for logs: the SQLite file, or the
	// PostgreSQL server and database (never the password).
	Name string
	// SQLite is the SQLite database (nil on PostgreSQL): the commands on
	// its file (backup, restore, doctor) need it.
	SQLite *sqlite.DB

	signingKey func() (ed25519.PrivateKey, error)
	close      func() error
	ping       func(context.Context) error
	setNow     func(func() time.Time)
	reactions  *[]central.Reaction
}

// spaceService is the spaces and the invoices between them.
type spaceService interface {
	central.SpaceService
	central.SettlementInvoiceStore
}

// entryService is the entries and their retention.
type entryService interface {
	central.EntryService
	central.RetentionService
	// EachEntry calls fn for each entry of f, without holding them all
	// (centrald entries).
	EachEntry(ctx context.Context, f central.EntryFilter, fn func(*central.Entry) error) error
}

// calendarService is the events and the forms of paid events.
type calendarService interface {
	central.CalendarService
	central.EventPaymentService
}

// outboxService is the outbox and billing's payment notices.
type outboxService interface {
	central.Outbox
	central.PaymentNoticeQueue
}

// SigningKey returns central's code-signing key (central.CodeKeys).
func (db *database) SigningKey() (ed25519.PrivateKey, error) { return db.signingKey() }

// Close closes the database.
func (db *database) Close() error { return db.close() }

// Ping checks that the database answers (healthz, the watchdog).
func (db *database) Ping(ctx context.Context) error { return db.ping(ctx) }

// SetNow sets the store's clock (the demo dates its history).
func (db *database) SetNow(now func() time.Time) { db.setNow(now) }

// AddReaction adds a reaction to the domain's events, queued in the
// transaction of each change.
func (db *database) AddReaction(r central.Reaction) { *db.reactions = append(*db.reactions, r) }

// onStore returns the services of db, whatever its engine: one set of
// constructors (central/sqlstore); the engine package only opened it.
// name says which database it is, for logs.
func onStore(db *sqlstore.DB, name string) *database {
	return &database{
		Admin: sqlstore.NewAdminService(db), Audit: sqlstore.NewAuditService(db), Badge: sqlstore.NewBadgeService(db),
		Booking: sqlstore.NewBookingService(db), Calendar: sqlstore.NewCalendarService(db), Guest: sqlstore.NewGuestService(db),
		Health: sqlstore.NewKioskService(db), Journal: sqlstore.NewAuditService(db), Mail: sqlstore.NewAdminService(db),
		Entry: sqlstore.NewEntryService(db), Invoice: sqlstore.NewInvoiceService(db), Kiosk: sqlstore.NewKioskService(db),
		Ledger: sqlstore.NewLedgerService(db), Member: sqlstore.NewMemberService(db), Outbox: sqlstore.NewOutboxService(db),
		Payment: sqlstore.NewPaymentService(db), Product: sqlstore.NewProductService(db), Profile: sqlstore.NewProfileService(db),
		Settings: sqlstore.NewSettingsService(db), Space: sqlstore.NewSpaceService(db), Sync: sqlstore.NewSyncService(db),
		Name: name, signingKey: db.SigningKey, ping: db.Ping,
		setNow: func(now func() time.Time) { db.Now = now }, reactions: &db.Reactions,
	}
}

func onSQLite(db *sqlite.DB) *database {
	d := onStore(db.DB, db.Path)
	d.SQLite, d.close = db, db.Close
	return d
}

func onPostgres(db *postgres.DB) *database {
	d := onStore(db.DB, describeURL(db.URL))
	d.close = db.Close
	return d
}

// databaseURL returns the PostgreSQL URL of the command (--db, else
// CENTRALD_DATABASE_URL; "" for SQLite), with the password of
// --db-password-file (else CENTRALD_DATABASE_PASSWORD_FILE) when given:
// the URL then need not hold the secret.
func (e *env) databaseURL() (string, error) {
	u := ""
	if e.dbURL != nil {
		u = *e.dbURL
	}
	if u == "" {
		u = os.Getenv("CENTRALD_DATABASE_URL")
	}
	if u == "" {
		return "", nil
	}
	if !postgres.IsURL(u) {
		return "", usagef("%s: --db takes a postgres:// URL (for SQLite, give --data DIR only)", e.fs.Name())
	}
	file := ""
	if e.dbPasswordFile != nil {
		file = *e.dbPasswordFile
	}
	if file == "" {
		file = os.Getenv("CENTRALD_DATABASE_PASSWORD_FILE")
	}
	if file == "" {
		return u, nil
	}
	return withPassword(u, file)
}

// withPassword puts the first line of file into u as its password.
func withPassword(u, file string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("database password file: %w", err)
	}
	pw, _, _ := strings.Cut(string(b), "\n")
	pw = strings.TrimRight(pw, "\r")
	if pw == "" {
		return "", errors.New("database password file: empty")
	}
	p, err := url.Parse(u)
	if err != nil {
		return "", errors.New("the database URL could not be parsed") // the error would quote it
	}
	user := "centrald"
	if p.User != nil && p.User.Username() != "" {
		user = p.User.Username()
	}
	p.User = url.UserPassword(user, pw)
	return p.String(), nil
}

// describeURL names a PostgreSQL database for logs and messages: server
// and database, without the password or the parameters.
func describeURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "postgresql"
	}
	host := p.Host
	if h := p.Query().Get("host"); host == "" && h != "" {
		host = h
	}
	return "postgresql " + strings.TrimPrefix(p.Path, "/") + " on " + host
}
