// Package storetest is the conformance suite of central's stores: the
// same tests of members, badges, kiosks, settings, audit, the ledger
// (push, pull, settling, retention), the outbox, billing and the admin's
// store, run against every engine (central/sqlite and central/postgres,
// each from its own test file through Run, on central/sqlstore's services:
// SQLStore). The store is written once; the suite proves it on each
// engine, dialect included. A store is correct when it passes them all; an
// engine-specific test (SQLite's files, pragmas and query plans,
// PostgreSQL's concurrency) stays beside its engine.
//
// The suite reaches a store only through the domain's interfaces (and the
// few methods of its services beyond them, declared below), never through
// SQL: what it checks is behaviour, whatever the engine.
package storetest

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/clocktest"
)

// Store is one database's services, as an engine's test file opens them.
type Store struct {
	Members  central.MemberService
	Products central.ProductService
	Ledger   central.LedgerService
	Badges   central.BadgeService
	Kiosks   central.KioskService
	Health   central.KioskHealthService
	Sync     central.SyncService
	Entries  Entries
	Settings central.SettingsService
	Audit    central.AuditService
	Outbox   Outbox
	Payments Payments
	Invoices central.InvoiceService
	Admin    Admin
	Profiles central.ProfileService
	Calendar central.CalendarService
	Guests   central.GuestService
	Bookings central.BookingService
	Spaces   Spaces
	// SigningKey is the store's code-signing key (central.CodeKeys).
	SigningKey func() (ed25519.PrivateKey, error)
	// SetReactions sets the reactions the store queues in the
	// transactions of changes (DB.Reactions).
	SetReactions func(...central.Reaction)
}

// Spaces is the space service: the spaces, and the invoices between
// them.
type Spaces interface {
	central.SpaceService
	central.SettlementInvoiceStore
}

// Entries is the entry service: the entries, and the retention purge.
type Entries interface {
	central.EntryService
	central.RetentionService
}

// Outbox is the outbox service: the queue, and billing's payment notices.
type Outbox interface {
	central.Outbox
	central.PaymentNoticeQueue
}

// Payments is the payment service.
type Payments interface {
	central.PaymentService
}

// Admin is the web admin's store (central/admin.Store, whose methods the
// suite uses).
type Admin interface {
	CreateAdminUser(ctx context.Context, u *central.AdminUser) error
	FindAdminUserByID(ctx context.Context, id int64) (*central.AdminUser, error)
	FindAdminUserByEmail(ctx context.Context, email string) (*central.AdminUser, error)
	FindAdminUsers(ctx context.Context) ([]*central.AdminUser, error)
	UpdateAdminUser(ctx context.Context, id int64, upd central.AdminUserUpdate) (*central.AdminUser, error)
	UpdateLoginThrottles(ctx context.Context, keys []string, update func([]adminstore.LoginThrottle) []adminstore.LoginThrottle) error
	PurgeLoginThrottles(ctx context.Context, now, forgottenBefore time.Time, keep int) (int, error)
	VisitDays(ctx context.Context, since, until access.Day, at adminstore.Place) ([]adminstore.DayCount, error)
	MonthMembers(ctx context.Context, since, until access.Day, at adminstore.Place) ([]adminstore.MonthCount, error)
	MonthGuests(ctx context.Context, since, until access.Day, at adminstore.Place) ([]adminstore.MonthCount, error)
	HostGuests(ctx context.Context, host int64, limit int) ([]*adminstore.HostGuest, error)
	DayGuests(ctx context.Context, day access.Day, limit int) ([]*adminstore.HostGuest, error)
	MonthSales(ctx context.Context, since, until time.Time, loc *time.Location, at adminstore.Place) ([]adminstore.MonthSales, error)
	EntryHours(ctx context.Context, since, until time.Time, at adminstore.Place) ([]adminstore.HourCount, error)
	EntriesOwed(ctx context.Context, today access.Day, at adminstore.Place) (adminstore.EntriesOwed, error)
	EntryRows(ctx context.Context, f adminstore.EntryRowFilter) ([]*adminstore.EntryRow, int, error)
	SaleRows(ctx context.Context, f adminstore.SaleRowFilter) ([]*adminstore.SaleRow, int, error)
	MemberPurchases(ctx context.Context) (map[int64]adminstore.MemberPurchases, error)
	// The e-mails' tokens, preferences and join requests (central/admin's
	// mail pages).
	CreateMailToken(ctx context.Context, t *adminstore.MailToken) error
	FindMailToken(ctx context.Context, purpose, token string, now time.Time) (*adminstore.MailToken, error)
	UseMailToken(ctx context.Context, purpose, token string, now time.Time) (*adminstore.MailToken, error)
	// CountMailTokens and RevokeMailTokens: the unused tokens of a purpose
	// a subject has (a member's calendar feed links).
	CountMailTokens(ctx context.Context, purpose string, subject int64, now time.Time) (int, error)
	RevokeMailTokens(ctx context.Context, purpose string, subject int64, now time.Time) (int, error)
	PurgeMailTokens(ctx context.Context, before time.Time) (int, error)
	MailPrefs(ctx context.Context, member int64) (lang string, remindersOff bool, err error)
	SetMailPrefs(ctx context.Context, member int64, lang string, remindersOff bool) error
	CreateJoinRequest(ctx context.Context, j *adminstore.JoinRequest) error
	FindJoinRequests(ctx context.Context, state string, limit int) ([]*adminstore.JoinRequest, error)
	DecideJoinRequest(ctx context.Context, id int64, accept bool) (*adminstore.JoinRequest, error)
}

// Opener opens a new, empty store whose clock is now. The store is
// closed when t ends.
type Opener func(t testing.TB, now func() time.Time) *Store

var open Opener

// Run runs the conformance suite against the stores open makes.
func Run(t *testing.T, o Opener) {
	open = o
	// centrald adds central/billing's settings to the table; the billing
	// tests set them (an engine's TestMain may have added them already).
	if _, ok := central.LookupSetting(billing.SettingPennylaneToken); !ok {
		central.AddSettings(billing.Settings...)
	}
	for _, c := range []struct {
		name string
		test func(*testing.T)
	}{
		{"Members", testMembers}, {"Badges", testBadges}, {"Kiosks", testKiosks}, {"Settings", testSettings},
		{"Audit", testAudit}, {"Outbox", testOutbox}, {"OutboxDelivery", testOutboxDelivery},
		{"Ledger", testLedger}, {"Retention", testRetention},
		{"Push", testPush}, {"PushClock", testPushClock}, {"PushVisitDayInSpaceTimezone", testPushVisitDayInSpaceTimezone},
		{"Pull", testPull}, {"PullCostGrowsWithChanges", testPullCostGrowsWithChanges},
		{"RecordPaymentOrder", testRecordPaymentOrder}, {"SaleMessages", testSaleMessages},
		{"RecordInvoice", testRecordInvoice}, {"DueOutboxKey", testDueOutboxKey},
		{"QueuePaymentNotice", testQueuePaymentNotice},
		{"LoginThrottleStore", testLoginThrottleStore}, {"Stats", testStats}, {"LongTextsCut", testLongTextsCut}, {"KioskTextsWithoutControls", testKioskTextsWithoutControls},
		{"Profiles", testProfiles}, {"RegistrationsConcurrent", testRegistrationsConcurrent},
		{"ConcurrentCancellations", testConcurrentCancellations}, {"RegistrationRules", testRegistrationRules},
		{"GuestPasses", testGuestPasses}, {"GuestLedger", testGuestLedger}, {"AddPayerEmail", testAddPayerEmail}, {"MailTokens", testMailTokens},
		{"MailPrefsAndJoins", testMailPrefsAndJoins}, {"Spaces", testSpaces}, {"BookingConcurrent", testBookingConcurrent}, {"BookingRules", testBookingRules}, {"BookingCancelledByBureau", testBookingCancelledByBureau}, {"BookingSpaceClock", testBookingSpaceClock}, {"EventUpdate", testEventUpdate}, {"PaidEvent", testPaidEvent}, {"AssignPaymentToEvent", testAssignPaymentToEvent},
		{"EntryRows", testEntryRows},
		{"MembershipSales", testMembershipSales}, {"MembersDuesFilter", testMembersDuesFilter},
		{"HandPayments", testHandPayments}, {"KioskHealthAlertOnce", testKioskHealthAlertOnce},
		{"MemberSpaces", testMemberSpaces}, {"AdminUserSpaces", testAdminUserSpaces},
		{"StatsPlaces", testStatsPlaces}, {"SaleRowsOfSpace", testSaleRowsOfSpace},
		{"EventDoor", testEventDoor}, {"UnknownPlaces", testUnknownPlaces}, {"ResourceUpdate", testResourceUpdate}, {"ResourceWithdraw", testResourceWithdraw}, {"RenameKeepsPlaces", testRenameKeepsPlaces},
		{"RenameGuestPasses", testRenameGuestPasses}, {"PullSpaceKey", testPullSpaceKey},
	} {
		t.Run(c.name, c.test)
	}
}

type clock = clocktest.Clock

// paris returns an instant in Paris ("2006-01-02 15:04").
func paris(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, access.Paris)
	if err != nil {
		panic(err)
	}
	return t
}

var day = access.MustDay

// fixture is a new store with its services.
type fixture struct {
	t       testing.TB
	ctx     context.Context
	store   *Store
	clock   *clock
	members central.MemberService
	prods   central.ProductService
	ledger  central.LedgerService
	badges  central.BadgeService
	kiosks  central.KioskService
	sync    central.SyncService
	entries Entries
	set     central.SettingsService
	audit   central.AuditService
	outbox  Outbox
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	c := clocktest.New(paris("2026-11-26 10:00"))
	s := open(t, c.Now)
	return &fixture{t: t, ctx: central.NewContextWithActor(context.Background(), central.ActorCLI), store: s, clock: c,
		members: s.Members, prods: s.Products, ledger: s.Ledger, badges: s.Badges, kiosks: s.Kiosks, sync: s.Sync,
		entries: s.Entries, set: s.Settings, audit: s.Audit, outbox: s.Outbox}
}

func (f *fixture) member(name string) int64 {
	f.t.Helper()
	m := &central.Member{Name: name}
	if err := f.members.CreateMember(f.ctx, m); err != nil {
		f.t.Fatal(err)
	}
	return m.ID
}

func (f *fixture) product(kind access.Kind, entries, days int) int64 {
	f.t.Helper()
	p := &central.Product{Name: fmt.Sprintf("%s %d/%d", kind, entries, days), Kind: kind, Entries: entries, Days: days, Price: 10000}
	if err := f.prods.CreateProduct(f.ctx, p); err != nil {
		f.t.Fatal(err)
	}
	return p.ID
}

func (f *fixture) sell(member, product int64) *central.Sale {
	f.t.Helper()
	s, err := f.ledger.CreateSale(f.ctx, central.NewSale{Member: member, Product: product, Source: central.SourceCLI})
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// kiosk adds and enrolls a kiosk at a space ("" for the main one).
func (f *fixture) kiosk(name, space string) *central.Kiosk {
	f.t.Helper()
	k := &central.Kiosk{Name: name, Space: space}
	token, err := f.kiosks.CreateKiosk(f.ctx, k)
	if err != nil {
		f.t.Fatal(err)
	}
	k, _, err = f.kiosks.Enroll(f.ctx, token, "test")
	if err != nil {
		f.t.Fatal(err)
	}
	return k
}

// entry is an accepted entry (member != 0) or a refused unknown badge
// (member == 0) made at t by a kiosk whose clock is right.
func entry(seq, member int64, t time.Time) *central.Entry {
	e := &central.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: seq, Member: member, KioskTime: t}
	if member != 0 {
		e.Accept, e.Reason = true, access.OKPack
	} else {
		e.Reason = access.UnknownBadge
	}
	return e
}

// clone copies entries, as a kiosk sending the same batch again would.
func clone(es ...*central.Entry) []*central.Entry {
	out := make([]*central.Entry, len(es))
	for i, e := range es {
		c := *e
		out[i] = &c
	}
	return out
}

func (f *fixture) push(k *central.Kiosk, es ...*central.Entry) central.PushResult {
	f.t.Helper()
	now := f.clock.Now()
	res, err := f.sync.Push(f.ctx, &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: clone(es...)})
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

func (f *fixture) balance(member int64) *central.Balance {
	f.t.Helper()
	b, err := f.ledger.MemberBalance(f.ctx, member, access.Day{})
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

func (f *fixture) allEntries() []*central.Entry {
	f.t.Helper()
	es, _, err := f.entries.FindEntries(f.ctx, central.EntryFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	return es
}

func (f *fixture) pull(k *central.Kiosk, cursor int64, page string, limit int) *central.PullPage {
	f.t.Helper()
	p, err := f.sync.Pull(f.ctx, central.PullRequest{Kiosk: k.ID, Cursor: cursor, Page: page, Limit: limit})
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// pullAll follows the pages of a pull and returns them.
func (f *fixture) pullAll(k *central.Kiosk, cursor int64, limit int) []*central.PullPage {
	f.t.Helper()
	var pages []*central.PullPage
	page := ""
	for {
		p := f.pull(k, cursor, page, limit)
		pages = append(pages, p)
		if !p.More {
			return pages
		}
		if len(pages) > 10000 {
			f.t.Fatal("endless pull")
		}
		page = p.Page
	}
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := central.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}
