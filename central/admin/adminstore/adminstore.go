// Package adminstore holds what the web admin (central/admin) keeps in
// and reads from its store beyond the domain: sessions, login throttle
// counters, and the read models of its lists (rows joined with the names
// people read, one query per page). central/admin declares the Store it
// needs in these types; a store (central/sqlstore) implements it. It
// also holds the admin's own rules that a store runs inside its write
// transaction (rules.go: an admin user's change that logs her out, a join
// request decided once, one self-service link per member), as functions
// over small interfaces the store implements with reads and writes only.
// It imports the domain and the standard library, nothing else
// (central/deps_test.go).
package adminstore

import (
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// Session is a logged-in browser. The session id (128 bits or more,
// random, in a cookie) is never stored: only its SHA-256 (central.HashToken).
type Session struct {
	Hash    string // central.HashToken of the session id
	User    int64
	CSRF    string // the anti-forgery token of its forms
	Created time.Time
	Seen    time.Time // last request, for the idle timeout
}

// LoginThrottle counts failed logins for one key ("user:alice@x.org",
// "ip:192.0.2.1") so that guessing passwords gets slower, then locked
// (central/admin/throttle.go).
type LoginThrottle struct {
	Key         string
	Failures    int
	LastFailure time.Time
	LockedUntil time.Time
}

// The read models below are what the web admin's lists show: rows joined
// with the names people read (member, kiosk, product), read in one query
// per page by the store.

// EntryRow is an entry with the names of its member and kiosk.
type EntryRow struct {
	central.Entry
	MemberName string // "" when the badge was unknown or the member erased
	KioskName  string
}

// EntryRowsCountLimit is where the store stops counting the entries of a
// list: a count above it means "more than EntryRowsCountLimit".
const EntryRowsCountLimit = 10000

// EntryRowFilter selects entries for the admin. Zero fields select
// everything. Rows come newest first.
type EntryRowFilter struct {
	Kiosk *int64
	// Kiosks, when not nil, selects the entries of these kiosks only
	// (empty: none): a space's (central/admin scope.go).
	Kiosks []int64
	Member *int64
	// Badges, when not nil, selects the entries of these badges only
	// (empty: none), with a member or without (a door of another space
	// refuses a card it does not hold: not_valid_here).
	Badges []badge.Hash
	Accept *bool
	Since  time.Time // Time >= Since
	Until  time.Time // Time < Until
	Offset int
	Limit  int
}

// ArrivalRow is a visit of today (who is here) with the member's name.
type ArrivalRow struct {
	central.Visit
	MemberName string
}

// SaleRow is a sale with the names of its member and product.
type SaleRow struct {
	central.Sale
	MemberName  string // "" once the member was erased
	ProductName string
}

// SaleRowFilter selects sales for the admin. Zero fields select everything.
// Rows come newest first.
type SaleRowFilter struct {
	Member *int64
	// Space, when not 0, selects the sales of the products that space
	// sells (its books; central/admin scope.go).
	Space   int64
	Product *int64
	Source  string
	Since   time.Time // Created >= Since
	Until   time.Time // Created < Until
	// Unpaid selects the sales not paid yet and not refunded.
	Unpaid bool
	// PaidOn selects the sales paid that day in cash or by cheque (the
	// bank deposit), refunded ones aside.
	PaidOn *access.Day
	Offset int
	Limit  int
}

// RegisterRow is a line of the register of members for the general
// assembly: a member whose dues (adhésion) cover part of the year.
type RegisterRow struct {
	Member int64
	Name   string
	Email  string
	Status access.MemberStatus
	// Joined is when she first paid dues (her joining the association).
	Joined time.Time
	// Amount sums the dues covering part of the year, refunds aside.
	Amount int64
	// Until is the last day her dues of the year run to.
	Until access.Day
}

// MemberPurchases is what makes a member one of a space's, for the
// members export (central.MemberSpaces): the space that registered her
// (central.Member.Space) and the products she bought, refunded or not,
// each once.
type MemberPurchases struct {
	Registered int64
	Products   []int64
}

// MonthTotal sums the sales of one calendar month (in the space's time
// zone); refunded sales count for nothing.
type MonthTotal struct {
	Month  string // "2026-11"
	Count  int
	Amount int64 // cents
}

// The statistics page's read models (central/admin/stats.go): counts per
// day, month or hour, each read in one bounded query.

// Place narrows the statistics to one space (central/admin scope.go):
// the space keys its visits and guest visits carry (central.Space.Key),
// its kiosks (entries), and its id (its books: the sales of the products
// it sells, the entries still owed on its cards). The zero Place is the
// whole network.
type Place struct {
	Keys   []string
	Kiosks []int64
	Space  int64
}

// Network reports whether the place is the whole network.
func (p Place) Network() bool { return p.Keys == nil }

// DayCount is how many visits (one per member, space and day) a day had.
type DayCount struct {
	Day   access.Day
	Count int
}

// MonthCount is how many distinct members came in a month ("2026-11").
type MonthCount struct {
	Month string
	Count int
}

// MonthSales sums the sales of one month in the space's time zone, by
// kind: cards (pack) apart from subscriptions (subscription, unlimited).
// Refunded sales count for nothing.
type MonthSales struct {
	Month         string // "2026-11"
	Cards         int
	Subscriptions int
	Amount        int64 // cents, cards and subscriptions
}

// HourCount is how many accepted entries an hour had; Hour is the start of
// the hour in UTC (the caller places it in the space's time zone).
type HourCount struct {
	Hour  time.Time
	Count int
}

// EntriesOwed is what the association owes in future visits: the entries
// left on the cards (packs) that can still be used (not refunded, not
// expired, held by a member who was not erased).
type EntriesOwed struct {
	Entries int64
	Cards   int64
}

// HostGuest is a guest pass of a host, whether its guest came (her pass
// has a guest visit) and whether that visit took one of the host's
// entries (guests.consumes_host_entry).
type HostGuest struct {
	*central.GuestPass
	Came      bool
	TookEntry bool
}
