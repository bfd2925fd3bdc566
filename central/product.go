package central

import (
	"context"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

// Product is something the association sells: a pack of entries (a
// 10-entry card; a day pass is a pack of 1), a subscription (every day for a
// period), an unlimited plan (staff, residents) or the association's dues
// (a membership, adhésion: see access.MembershipPeriod).
type Product struct {
	ID   int64
	Name string
	Kind access.Kind
	// Entries is the number of entries of a pack (0 for other kinds).
	Entries int
	// Days is, for a pack or an unlimited plan, how long it stays valid
	// from the sale (0: no expiry); for a subscription, its period (> 0);
	// for a membership, its period from the payment, or 0 for the calendar
	// year (with the cut-off setting membership.cutoff).
	Days    int
	Price   int64 // in cents, taxes included
	Active  bool  // inactive products are no longer sold
	Created time.Time
}

// Validate checks a product's fields. It returns EINVALID.
func (p *Product) Validate() error {
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	switch {
	case p.Name == "":
		return Errorf(EINVALID, "Product name required.")
	case len(p.Name) > 200:
		return Errorf(EINVALID, "Product name too long (200 characters at most).")
	case !p.Kind.Valid():
		return Errorf(EINVALID, "Unknown product kind %q (pack, subscription, unlimited or membership).", p.Kind)
	case p.Price < 0:
		return Errorf(EINVALID, "A price cannot be negative.")
	case p.Days < 0 || p.Days > 100*366:
		return Errorf(EINVALID, "Days must be between 0 and 36600.")
	}
	switch p.Kind {
	case access.Pack:
		if p.Entries < 1 || p.Entries > 10000 {
			return Errorf(EINVALID, "A pack needs between 1 and 10000 entries.")
		}
	case access.Subscription:
		if p.Days < 1 {
			return Errorf(EINVALID, "A subscription needs a period of at least 1 day (--days).")
		}
		if p.Entries != 0 {
			return Errorf(EINVALID, "A subscription has no entries: it covers every day of its period.")
		}
	case access.Unlimited:
		if p.Entries != 0 {
			return Errorf(EINVALID, "An unlimited plan has no entries.")
		}
	case access.Membership:
		if p.Entries != 0 {
			return Errorf(EINVALID, "A membership has no entries: it covers its period (--days) or the calendar year (--year).")
		}
	}
	return nil
}

// YearLong reports whether p is a calendar-year membership.
func (p *Product) YearLong() bool { return p.Kind == access.Membership && p.Days == 0 }

// ProductFilter selects products. Zero fields select everything.
type ProductFilter struct {
	ID     *int64
	Active *bool
	Offset int
	Limit  int
}

// ProductService manages the catalogue.
type ProductService interface {
	// FindProductByID returns ENOTFOUND if there is no such product.
	FindProductByID(ctx context.Context, id int64) (*Product, error)

	// FindProducts returns the matching products ordered by id, and how
	// many match without Offset and Limit.
	FindProducts(ctx context.Context, filter ProductFilter) ([]*Product, int, error)

	// CreateProduct adds a product and sets p.ID. Returns EINVALID.
	CreateProduct(ctx context.Context, p *Product) error

	// SetProductActive stops (or resumes) selling a product; past sales
	// are unchanged. Returns ENOTFOUND.
	SetProductActive(ctx context.Context, id int64, active bool) error
}
