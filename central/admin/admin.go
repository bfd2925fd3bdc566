package admin

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// Store is what the admin keeps beyond the domain services: its users,
// sessions, login throttling, members' self-service links, and the read
// models of its lists. The types of the admin's own records (sessions,
// throttle counters, read models) are in central/admin/adminstore, so that
// the store implementing Store (central/sqlstore.AdminService) needs no
// other part of the admin; admin users and their roles are domain nouns
// (central.AdminUser: the actor of the audit log).
type Store interface {
	FindAdminUserByID(ctx context.Context, id int64) (*central.AdminUser, error)
	FindAdminUserByEmail(ctx context.Context, email string) (*central.AdminUser, error)
	FindAdminUsers(ctx context.Context) ([]*central.AdminUser, error)
	CreateAdminUser(ctx context.Context, u *central.AdminUser) error
	UpdateAdminUser(ctx context.Context, id int64, upd central.AdminUserUpdate) (*central.AdminUser, error)

	CreateSession(ctx context.Context, s *adminstore.Session) error
	FindSession(ctx context.Context, hash string) (*adminstore.Session, *central.AdminUser, error)
	TouchSession(ctx context.Context, hash string, seen time.Time) error
	DeleteSession(ctx context.Context, hash string) error
	DeleteExpiredSessions(ctx context.Context, seenBefore, createdBefore time.Time) (int, error)

	// UpdateLoginThrottles and PurgeLoginThrottles: see throttle.go and
	// central/sqlstore.AdminService.
	UpdateLoginThrottles(ctx context.Context, keys []string, update func([]adminstore.LoginThrottle) []adminstore.LoginThrottle) error
	PurgeLoginThrottles(ctx context.Context, now, forgottenBefore time.Time, keep int) (int, error)

	CreateMemberLink(ctx context.Context, member int64) (*central.MemberLink, string, error)
	RevokeMemberLinks(ctx context.Context, member int64) error
	ActiveMemberLink(ctx context.Context, member int64) (*central.MemberLink, error)
	FindMemberLink(ctx context.Context, token string) (*central.MemberLink, error)

	// Links sent by e-mail and members' mail preferences (mail.go,
	// join.go): see central/sqlstore.AdminService.
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

	EntryRows(ctx context.Context, f adminstore.EntryRowFilter) ([]*adminstore.EntryRow, int, error)
	Arrivals(ctx context.Context, day access.Day) ([]*adminstore.ArrivalRow, error)
	SaleRows(ctx context.Context, f adminstore.SaleRowFilter) ([]*adminstore.SaleRow, int, error)
	SaleMonthTotals(ctx context.Context, f adminstore.SaleRowFilter, loc *time.Location) ([]adminstore.MonthTotal, error)
	UpdateKiosk(ctx context.Context, id int64, upd central.KioskUpdate) (*central.Kiosk, error)
	// MembershipRegister: the members whose dues cover part of a year.
	MembershipRegister(ctx context.Context, year int) ([]*adminstore.RegisterRow, error)
	// MemberPurchases: every member's, by member id (export.go).
	MemberPurchases(ctx context.Context) (map[int64]adminstore.MemberPurchases, error)

	// The statistics page (stats.go): bounded counts, by index.
	// Each counts at a place: a space's, or the network (the zero Place).
	VisitDays(ctx context.Context, since, until access.Day, at adminstore.Place) ([]adminstore.DayCount, error)
	MonthMembers(ctx context.Context, since, until access.Day, at adminstore.Place) ([]adminstore.MonthCount, error)
	// MonthGuests counts the guests who came per month (guest visits).
	MonthGuests(ctx context.Context, since, until access.Day, at adminstore.Place) ([]adminstore.MonthCount, error)
	// HostGuests: a host's latest guest passes, and whether each guest came.
	HostGuests(ctx context.Context, host int64, limit int) ([]*adminstore.HostGuest, error)
	// DayGuests: the guest passes of a day, and whether each guest came.
	DayGuests(ctx context.Context, day access.Day, limit int) ([]*adminstore.HostGuest, error)
	MonthSales(ctx context.Context, since, until time.Time, loc *time.Location, at adminstore.Place) ([]adminstore.MonthSales, error)
	EntryHours(ctx context.Context, since, until time.Time, at adminstore.Place) ([]adminstore.HourCount, error)
	EntriesOwed(ctx context.Context, today access.Day, at adminstore.Place) (adminstore.EntriesOwed, error)
}

// Bodies bounds the memory held by request bodies in flight, across
// handlers.
type Bodies interface {
	// Reserve takes n bytes of the bound, or reports false when they
	// would go over it; Release gives them back.
	Reserve(n int64) bool
	Release(n int64)
}

// Mailer sends the test e-mail of the settings page (central/email,
// wired by centrald).
type Mailer interface {
	// SendTest sends the test mail to an address at once, with the
	// settings as stored, and returns the mail server's answer, or its
	// refusal as the error.
	SendTest(ctx context.Context, to, lang string) (string, error)
}

// Config holds what the admin needs. Every field but the options below is
// required.
type Config struct {
	Members  central.MemberService
	Products central.ProductService
	Ledger   central.LedgerService
	Badges   central.BadgeService
	Kiosks   central.KioskService
	// KioskHealth gives what kiosks last reported of themselves, for the
	// kiosks page; nil: Kiosks when it implements it (the SQLite store's
	// does), else the page shows no health.
	KioskHealth central.KioskHealthService
	Entries     central.EntryService
	Settings    central.SettingsService
	Audit       central.AuditService
	Store       Store
	// Profiles serves the member portal's who-is-here and directory
	// (self_community.go).
	Profiles central.ProfileService
	// Calendar serves events with a capacity: the bureau's /events and
	// the portal's Agenda (events.go).
	Calendar central.CalendarService
	// EventPayments says which events are sold through a HelloAsso form
	// (central/event_payment.go): their pages send people there to pay
	// instead of registering them. Nil: every event is free.
	EventPayments central.EventPaymentService
	// EventForm reads the address of an event's payment form that the
	// treasurer gives, as the provider's adapter does
	// (helloasso.ParseEventForm): its EINVALID is said as it is.
	// Required with EventPayments.
	EventForm func(address string) (central.PaymentForm, error)
	// Bookings serves the bookable resources: the bureau's /resources and
	// the portal's Réserver (bookings.go).
	Bookings central.BookingService

	// Spaces lists the spaces of the network, for the bureau users of one
	// space (scope.go), the admin users' form and the kiosks' form, and
	// serves the pages between spaces (settlement.go); nil: one space, and
	// a user of a space sees nothing.
	Spaces central.SpaceService

	// PublicURL is the address people and kiosks reach central at
	// ("https://badges.example.org"), for the kiosk enrollment line and
	// members' links; empty: taken from each request.
	PublicURL string
	// TrustProxy trusts X-Forwarded-Proto and X-Forwarded-For: set it only
	// behind a reverse proxy that sets them.
	TrustProxy bool
	// IdleTimeout and AbsoluteTimeout end sessions (default 2h and 12h).
	IdleTimeout     time.Duration
	AbsoluteTimeout time.Duration
	// KioskSilentAfter is how long without a sync makes a kiosk shown as
	// silent on the Today page (default 15 minutes).
	KioskSilentAfter time.Duration
	// Notifier sends Slack's test messages and Outbox lists the Slack
	// messages given up (the Slack page, slack_settings.go); without them
	// that page shows the settings only.
	Notifier central.Notifier
	Outbox   central.Outbox
	// Guests lists the guest passes (the Today page); nil: not shown.
	Guests central.GuestService
	// Codes gives central's code-signing key, for the badges on phones
	// (self_phone.go); nil: members cannot put their badge on a phone.
	Codes central.CodeKeys
	// Tickets signs the event tickets of people registered who are not
	// members (their registration's page shows it; centrald's mails
	// attach it through TicketPNG); nil: no tickets.
	Tickets Tickets
	// Mailer sends the e-mail settings' test mail; nil: no test button.
	Mailer Mailer
	// Mails queues the mails the admin causes (welcome, links, badges,
	// password resets, join and claim confirmations); nil: no e-mail
	// buttons, and the public forms that mail say nothing is sent.
	Mails Mails
	// MailMember returns the member an e-mail outbox message is for (0:
	// none), so that her page shows the mails given up; nil: not shown.
	MailMember func(*central.OutboxItem) int64
	// Payments and Billing serve the billing pages (HelloAsso payments,
	// mappings, receipts, Pennylane invoices; billing_setup.go); without
	// them those pages answer 404.
	Payments central.PaymentService
	Billing  Billing
	// TaxReceipts e-mails donors their tax receipts (donations.go);
	// nil: no button on the donations page.
	TaxReceipts TaxReceipts
	// SettlementPDF draws a pair's statement between spaces
	// (settlement.go); nil: no PDF. The pages between spaces (the month's
	// settlement, the conventions, each space's Slack channel and mail
	// sender) use Spaces; without it they answer 404.
	SettlementPDF SettlementPDFs
	// Bodies bounds the bytes held by request bodies in flight (centrald
	// shares one with the sync API); nil: no bound but each route's size.
	Bodies Bodies
	// Logins is how many logins may be checked at a time (each holds a
	// database connection, and 19 MiB during its argon2id password
	// check); default 2. The others wait, 5 s at most, then get 503.
	Logins int
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Logger receives security events (never personal data); default:
	// slog.Default().
	Logger *slog.Logger
}

// Server is the web admin. It is an http.Handler.
type Server struct {
	cfg      Config
	mux      *http.ServeMux
	handler  http.Handler
	tmpl     *templates
	routes   []Route
	selfKey  []byte // derives the anti-forgery tokens of self-service pages
	log      *slog.Logger
	dummyPHC string // verified against when the account does not exist

	logins chan struct{} // one token per login running (login.go)
	// drawings holds one token per phone codes' drawing (self_phone.go).
	drawings chan struct{}
	codes    codeDrawings // the codes drawn of the last minutes (self_phone.go)
	// hereStreams holds one token per live who-is-here stream
	// (self_community.go).
	hereStreams chan struct{}
	linkStreams linkStreams // those of each member's link
	// resourcesRead bounds the bookings /resources reads
	// (central.MaxBookings; a test's smaller): a list that holds that
	// many may have been cut, and the page says so (bookings.go).
	resourcesRead int
	purgeMu       sync.Mutex
	lastPurge     time.Time // of the login throttle (throttle.go)

	views secretViews // one-time views of badges and links (secret_view.go)
	once  onceTokens  // forms that must act once: a sale (once.go)
}

// New returns the admin's handler, to mount at "/".
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.Members == nil, cfg.Products == nil, cfg.Ledger == nil, cfg.Badges == nil, cfg.Kiosks == nil,
		cfg.Entries == nil, cfg.Settings == nil, cfg.Audit == nil, cfg.Store == nil, cfg.Profiles == nil, cfg.Calendar == nil, cfg.Bookings == nil:
		return nil, errors.New("admin: every service of Config is required")
	case cfg.EventPayments != nil && cfg.EventForm == nil:
		return nil, errors.New("admin: EventPayments needs EventForm, which reads the forms' addresses")
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 2 * time.Hour
	}
	if cfg.AbsoluteTimeout <= 0 {
		cfg.AbsoluteTimeout = 12 * time.Hour
	}
	if cfg.KioskHealth == nil {
		cfg.KioskHealth, _ = cfg.Kiosks.(central.KioskHealthService)
	}
	if cfg.KioskSilentAfter <= 0 {
		cfg.KioskSilentAfter = 15 * time.Minute
	}
	if cfg.Logins <= 0 {
		cfg.Logins = 2
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	t, err := parsedTemplates()
	if err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), tmpl: t, log: cfg.Logger.With("component", "admin"),
		selfKey:     make([]byte, 32),
		logins:      make(chan struct{}, cfg.Logins),
		drawings:    make(chan struct{}, maxDrawings),
		hereStreams: make(chan struct{}, maxHereStreams), resourcesRead: central.MaxBookings}
	if _, err := rand.Read(s.selfKey); err != nil {
		return nil, fmt.Errorf("admin: key: %w", err)
	}
	if s.dummyPHC, err = dummyHash(); err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	s.registerRoutes()
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
	}))
	s.handler = securityHeaders(cop.Handler(trimLinkTrail(s.routes, s.mux)), s.isHTTPS)
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) now() time.Time { return s.cfg.Now() }
