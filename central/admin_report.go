package central

import (
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

// The read models below are what the web admin's lists show: rows joined
// with the names people read (member, kiosk, product), read in one query
// per page by the store.

// EntryRow is an entry with the names of its member and kiosk.
type EntryRow struct {
	Entry
	MemberName string // "" when the badge was unknown or the member erased
	KioskName  string
}

// EntryRowsCountLimit is where the store stops counting the entries of a
// list: a count above it means "more than EntryRowsCountLimit".
const EntryRowsCountLimit = 10000

// EntryRowFilter selects entries for the admin. Zero fields select
// everything. Rows come newest first.
type EntryRowFilter struct {
	Kiosk  *int64
	Member *int64
	Accept *bool
	Since  time.Time // Time >= Since
	Until  time.Time // Time < Until
	Offset int
	Limit  int
}

// ArrivalRow is a visit of today (who is here) with the member's name.
type ArrivalRow struct {
	Visit
	MemberName string
}

// SaleRow is a sale with the names of its member and product.
type SaleRow struct {
	Sale
	MemberName  string // "" once the member was erased
	ProductName string
}

// SaleRowFilter selects sales for the admin. Zero fields select everything.
// Rows come newest first.
type SaleRowFilter struct {
	Member  *int64
	Product *int64
	Source  string
	Since   time.Time // Created >= Since
	Until   time.Time // Created < Until
	Offset  int
	Limit   int
}

// MonthTotal sums the sales of one calendar month (in the space's time
// zone); refunded sales count for nothing.
type MonthTotal struct {
	Month  string // "2026-11"
	Count  int
	Amount int64 // cents
}

// Kiosk rename is an admin change that KioskService does not have.

// KioskUpdate holds the fields of a kiosk the bureau may change; nil
// fields stay as they are.
type KioskUpdate struct {
	Name  *string
	Space *string
}

// DayArrivals is a convenience for templates: the arrivals of one space.
type DayArrivals struct {
	Space    string
	Day      access.Day
	Arrivals []*ArrivalRow
}
