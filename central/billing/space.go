package billing

import (
	"context"
	"strconv"

	"github.com/badgeuse/badgeuse/central"
)

// A network's spaces may keep their own books (issue 14): a space that is
// a separate association sets its own association.*, pennylane.* and
// helloasso.* (central.Space.Books). A sale is its selling space's: its
// invoice is made in that space's Pennylane company and its receipt names
// that space's association (central.Space.Apply over the network's
// settings); a space without books of its own uses the network's, as
// before.

// SpaceBooks reads the spaces and where each product is sold
// (central.SpaceService).
type SpaceBooks interface {
	FindSpaces(ctx context.Context) ([]*central.Space, error)
	ProductPlaces(ctx context.Context) (map[int64]central.ProductPlace, error)
}

// productBooks returns the settings of the books a product's sales are
// in: its selling space's (central.Space.Apply), and that space (nil when
// spaces is nil: a worker without spaces keeps the network's books).
func productBooks(ctx context.Context, spaces SpaceBooks, set central.Settings, product int64) (central.Settings, *central.Space, error) {
	of, err := booksOfProducts(ctx, spaces, set)
	if err != nil {
		return nil, nil, err
	}
	set, sp := of(product)
	return set, sp, nil
}

// booksOfProducts reads the spaces once and returns productBooks of each
// product (the sales export's many sales).
func booksOfProducts(ctx context.Context, spaces SpaceBooks, set central.Settings) (func(product int64) (central.Settings, *central.Space), error) {
	if spaces == nil {
		return func(int64) (central.Settings, *central.Space) { return set, nil }, nil
	}
	all, err := spaces.FindSpaces(ctx)
	if err != nil {
		return nil, err
	}
	places, err := spaces.ProductPlaces(ctx)
	if err != nil {
		return nil, err
	}
	return func(product int64) (central.Settings, *central.Space) {
		sp := central.SpaceByID(all, max(places[product].Space, central.MainSpace))
		return sp.Apply(set), sp
	}, nil
}

// companyBook names a Pennylane company in the store: the provider of
// its customers (InvoiceService.BillingCustomer) and of its invoices
// (central.Invoice.Provider). A customer exists in one company only, and
// two companies may number their invoices alike, so a space with its own
// company keeps them apart from the network's ("pennylane").
func companyBook(sp *central.Space) string {
	if sp.OwnBooks(central.BooksPennylane) {
		return provider + ":space:" + strconv.FormatInt(sp.ID, 10)
	}
	return provider
}
