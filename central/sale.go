package central

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

// Sale sources. Other integrations add their own (lower case, one word).
const (
	SourceCLI       = "cli"
	SourceAdmin     = "admin"
	SourceHelloAsso = "helloasso"
)

// Sale is a ledger credit: a member bought (or was given) a product. Sales
// are never edited, only refunded; what a sale grants is fixed when it is
// made (a later change of the product does not change past sales).
type Sale struct {
	ID      int64
	Member  int64 // 0 once the member was erased (the sale stays for the accounts)
	Product int64
	Kind    access.Kind
	Entries int   // entries bought, for a pack
	Amount  int64 // cents paid
	// Source says where the sale was recorded: "cli", "admin",
	// "helloasso"...
	Source string
	// ExternalRef is the payment's id at the source (a HelloAsso order
	// item): unique per source when set, so a notification received twice
	// makes one sale.
	ExternalRef string
	Created     time.Time
	// Start and End are the days the sale grants, End inclusive; zero End
	// means no expiry.
	Start, End access.Day
	Refunded   time.Time // zero unless refunded
	// InvoiceID is the invoice made for it in the accounting tool
	// (Pennylane), set later by billing.
	InvoiceID string
	// Payment says how and when it was paid (Method Unpaid: not yet).
	PaidBy PaidBy

	// Left is the entries left on a pack, derived by Settle (cached).
	Left int
	// Spaces are the spaces it is valid at: its product's (a product's
	// spaces are set when it is made), set by the ledger's use cases
	// (SpaceView); "" (every space) when not set.
	Spaces access.SpaceSet
}

// Entitlement returns what the sale grants, as the access rules see it,
// with Entries the entries bought.
func (s *Sale) Entitlement() access.Entitlement {
	return access.Entitlement{ID: s.ID, Kind: s.Kind, Start: s.Start, End: s.End, Entries: s.Entries, Spaces: s.Spaces}
}

// IsRefunded reports whether the sale was refunded (it then credits nothing).
func (s *Sale) IsRefunded() bool { return !s.Refunded.IsZero() }

// IsCancelled reports whether the sale was refunded while not paid yet
// (the bureau's « Annuler la vente »): no money came in, none went back.
// Its Refunded is the day it was cancelled; it is never paid after.
func (s *Sale) IsCancelled() bool { return s.IsRefunded() && s.PaidBy.Method == Unpaid }

// SalePeriod returns the first and last days a sale of p made on day today
// grants. subscriptionEnd is the last day of the member's latest
// subscription (zero for none). A pack or unlimited plan starts today and
// lasts p.Days days (0: no end). A subscription starts today, or the day
// after her current subscription ends when it runs until today or later, so
// renewing early loses no day; it lasts p.Days days, the last one included.
func SalePeriod(p *Product, today, subscriptionEnd access.Day) (start, end access.Day) {
	start = today
	if p.Kind == access.Subscription && !subscriptionEnd.IsZero() && !subscriptionEnd.Before(today) {
		start = subscriptionEnd.AddDays(1)
	}
	if p.Days > 0 {
		end = start.AddDays(p.Days - 1)
	}
	return start, end
}

// NewSale is what it takes to record a sale.
type NewSale struct {
	Member  int64
	Product int64
	// Amount is the price paid in cents; nil means the product's price.
	Amount      *int64
	Source      string
	ExternalRef string
	// Payment is how it is paid: its Method empty means PaidOther (or
	// PaidHelloAsso for a sale from HelloAsso); its Day is the sale's
	// (zero while unpaid).
	PaidBy PaidBy
}

// Validate checks the fields of a new sale. It returns EINVALID.
func (n *NewSale) Validate() error {
	n.Source = strings.TrimSpace(n.Source)
	if n.PaidBy.Method == "" {
		n.PaidBy.Method = PaidOther
		if n.Source == SourceHelloAsso {
			n.PaidBy.Method = PaidHelloAsso
		}
	}
	if err := n.PaidBy.Validate(); err != nil {
		return err
	}
	switch {
	case n.Member <= 0:
		return Errorf(EINVALID, "Member required.")
	case n.Product <= 0:
		return Errorf(EINVALID, "Product required.")
	case n.Amount != nil && *n.Amount < 0:
		return Errorf(EINVALID, "A sale amount cannot be negative.")
	case n.Source == "" || len(n.Source) > 32:
		return Errorf(EINVALID, "Sale source required (cli, admin, helloasso...).")
	case len(n.ExternalRef) > 200:
		return Errorf(EINVALID, "External reference too long.")
	}
	return nil
}

// SaleFilter selects sales. Zero fields select everything.
type SaleFilter struct {
	ID          *int64
	Member      *int64
	Source      *string
	ExternalRef *string
	// NoInvoice selects sales without an invoice yet (for billing).
	NoInvoice bool
	// Unpaid selects sales not paid yet and not refunded (what members owe).
	Unpaid bool
	// PaidOn selects sales paid that day, and Deposited those paid in
	// cash or by cheque (the bank deposit of a day).
	PaidOn    *access.Day
	Deposited bool
	Offset    int
	Limit     int
}

// LedgerService records sales and derives balances. Every change re-derives
// the member's balance in the same transaction and is audited.
type LedgerService interface {
	// FindSaleByID returns ENOTFOUND if there is no such sale.
	FindSaleByID(ctx context.Context, id int64) (*Sale, error)

	// FindSales returns the matching sales ordered by id, and how many
	// match without Offset and Limit.
	FindSales(ctx context.Context, filter SaleFilter) ([]*Sale, int, error)

	// CreateSale records a sale made today (see SalePeriod, and
	// access.MembershipPeriod for dues) and returns it.
	// Returns EINVALID (bad input, inactive product), ENOTFOUND (no such
	// member or product) and ECONFLICT (ExternalRef already recorded for
	// that source).
	CreateSale(ctx context.Context, n NewSale) (*Sale, error)

	// RefundSale cancels a sale's credit: the visits it paid are paid by
	// other packs, or become overdraft. Returns ENOTFOUND and ECONFLICT
	// (already refunded).
	RefundSale(ctx context.Context, id int64) (*Sale, error)

	// SetSaleInvoice records the invoice made for a sale. Returns
	// ENOTFOUND and ECONFLICT (another invoice already recorded).
	SetSaleInvoice(ctx context.Context, id int64, invoiceID string) error

	// PaySale records that an unpaid sale was paid (see central.PaySale).
	// Returns ENOTFOUND, EINVALID and ECONFLICT.
	PaySale(ctx context.Context, id int64, p PaidBy) (*Sale, error)

	// CompleteCheque records the bank and number of a cheque recorded
	// without them (see central.CompleteCheque). Returns ENOTFOUND and
	// EINVALID.
	CompleteCheque(ctx context.Context, id int64, bank, number string) (*Sale, error)

	// MemberBalance returns a member's balance on a day (zero: today), with
	// her entitlements valid that day or later.
	// Returns ENOTFOUND if the member does not exist.
	MemberBalance(ctx context.Context, member int64, day access.Day) (*Balance, error)
}

// SaleTx is what recording or refunding a sale needs of a store, inside
// its write transaction (see ledger.go).
type SaleTx interface {
	SettleTx
	// Today is the transaction's day in the space's time zone.
	Today(ctx context.Context) (access.Day, error)
	MemberExists(ctx context.Context, member int64) (bool, error)
	// FindProduct returns ENOTFOUND for an unknown product.
	FindProduct(ctx context.Context, id int64) (*Product, error)
	// SaleOfPayment returns the sale recorded for a source's external
	// reference, if any.
	SaleOfPayment(ctx context.Context, source, externalRef string) (id int64, found bool, err error)
	// SubscriptionEnd returns the last day of the member's latest
	// subscription not refunded (zero: none).
	SubscriptionEnd(ctx context.Context, member int64) (access.Day, error)
	// MembershipEnd returns the last day of the member's latest dues
	// (membership) not refunded (zero: none).
	MembershipEnd(ctx context.Context, member int64) (access.Day, error)
	// Settings returns central's settings (the membership cut-off).
	Settings(ctx context.Context) (Settings, error)
	// InsertSale stores s (Created is the transaction's time) and sets its
	// ID; ECONFLICT when its source and external reference are held.
	InsertSale(ctx context.Context, s *Sale) error
	// FindSale returns ENOTFOUND for an unknown sale.
	FindSale(ctx context.Context, id int64) (*Sale, error)
	// SetSaleRefunded marks the sale refunded now, with no entry left.
	SetSaleRefunded(ctx context.Context, id int64) error
	SetSaleInvoice(ctx context.Context, id int64, invoiceID string) error
	// BumpMember gives the member the next sync version.
	BumpMember(ctx context.Context, member int64) error
	// Audit records a change made by ctx's actor; details hold no secret.
	Audit(ctx context.Context, action, object string, details any) error
	// SaleRecorded enqueues what a new sale causes (the Reactions to
	// SaleMade: its invoice), in the transaction.
	SaleRecorded(ctx context.Context, s *Sale) error
}

// RecordSale records a sale made today (see SalePeriod) in tx: the member
// must exist and the product be still sold; a source's external reference
// makes one sale at most. The member is settled and her sync version
// bumped, the sale audited and what it causes enqueued. Returns EINVALID,
// ENOTFOUND and ECONFLICT as LedgerService.CreateSale.
func RecordSale(ctx context.Context, tx SaleTx, n NewSale) (*Sale, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	if ok, err := tx.MemberExists(ctx, n.Member); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(ENOTFOUND, "Member %d not found.", n.Member)
	}
	p, err := tx.FindProduct(ctx, n.Product)
	if err != nil {
		return nil, err
	}
	if !p.Active {
		return nil, Errorf(EINVALID, "Product %d (%s) is no longer sold.", p.ID, p.Name)
	}
	if n.ExternalRef != "" {
		if id, found, err := tx.SaleOfPayment(ctx, n.Source, n.ExternalRef); err != nil {
			return nil, err
		} else if found {
			return nil, Errorf(ECONFLICT, "Payment %s from %s is already recorded as sale %d.", n.ExternalRef, n.Source, id)
		}
	}
	today, err := tx.Today(ctx)
	if err != nil {
		return nil, err
	}
	sale := &Sale{Member: n.Member, Product: p.ID, Kind: p.Kind, Entries: p.Entries, Amount: p.Price,
		Source: n.Source, ExternalRef: n.ExternalRef, PaidBy: n.PaidBy}
	if sale.PaidBy.Method != Unpaid {
		sale.PaidBy.Day = today
	} else {
		sale.PaidBy.Day = access.Day{}
	}
	if n.Amount != nil {
		sale.Amount = *n.Amount
	}
	if p.Kind == access.Membership {
		duesEnd, err := tx.MembershipEnd(ctx, n.Member)
		if err != nil {
			return nil, err
		}
		settings, err := tx.Settings(ctx)
		if err != nil {
			return nil, err
		}
		sale.Start, sale.End = access.MembershipPeriod(today, duesEnd, p.Days, settings.MembershipCutoff())
	} else {
		subEnd, err := tx.SubscriptionEnd(ctx, n.Member)
		if err != nil {
			return nil, err
		}
		sale.Start, sale.End = SalePeriod(p, today, subEnd)
	}
	if err := tx.InsertSale(ctx, sale); err != nil {
		return nil, err
	}
	if err := SettleMember(ctx, tx, sale.Member, 0); err != nil {
		return nil, err
	}
	if err := tx.BumpMember(ctx, sale.Member); err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, "sale.create", saleObject(sale.ID), map[string]any{
		"member": sale.Member, "product": sale.Product, "amount": sale.Amount, "source": sale.Source,
		"external_ref": sale.ExternalRef, "start": sale.Start, "end": sale.End, "paid": sale.PaidBy.Method}); err != nil {
		return nil, err
	}
	if err := tx.SaleRecorded(ctx, sale); err != nil {
		return nil, err
	}
	return tx.FindSale(ctx, sale.ID)
}

// RefundSale cancels a sale's credit in tx: the visits it paid are paid by
// other packs, or become overdraft. A sale not paid yet is so cancelled
// (Sale.IsCancelled), audited "sale.cancel" rather than "sale.refund".
// Returns ENOTFOUND and ECONFLICT (already refunded).
func RefundSale(ctx context.Context, tx SaleTx, id int64) (*Sale, error) {
	sale, err := tx.FindSale(ctx, id)
	if err != nil {
		return nil, err
	}
	if sale.IsRefunded() {
		return nil, Errorf(ECONFLICT, "Sale %d was already refunded.", id)
	}
	if err := tx.SetSaleRefunded(ctx, id); err != nil {
		return nil, err
	}
	if sale.Member != 0 {
		if err := SettleMember(ctx, tx, sale.Member, 0); err != nil {
			return nil, err
		}
		if err := tx.BumpMember(ctx, sale.Member); err != nil {
			return nil, err
		}
	}
	// A sale not paid yet is cancelled, not refunded: no money moved.
	action := "sale.refund"
	if sale.PaidBy.Method == Unpaid {
		action = "sale.cancel"
	}
	if err := tx.Audit(ctx, action, saleObject(id), map[string]any{"member": sale.Member, "amount": sale.Amount}); err != nil {
		return nil, err
	}
	return tx.FindSale(ctx, id)
}

func saleObject(id int64) string { return "sale:" + strconv.FormatInt(id, 10) }

// SetInvoice records in tx the invoice made for a sale (billing does,
// once its accounting tool made it). Recording the same invoice again is a
// no-op. Returns EINVALID (empty or too long), ENOTFOUND and ECONFLICT
// (another invoice already recorded).
func SetInvoice(ctx context.Context, tx SaleTx, id int64, invoiceID string) error {
	if invoiceID == "" || len(invoiceID) > 200 {
		return Errorf(EINVALID, "Invoice id required (200 characters at most).")
	}
	sale, err := tx.FindSale(ctx, id)
	if err != nil {
		return err
	}
	switch sale.InvoiceID {
	case invoiceID:
		return nil
	case "":
	default:
		return Errorf(ECONFLICT, "Sale %d already has invoice %s.", id, sale.InvoiceID)
	}
	if err := tx.SetSaleInvoice(ctx, id, invoiceID); err != nil {
		return err
	}
	return tx.Audit(ctx, "sale.invoice", saleObject(id), map[string]any{"invoice_id": invoiceID})
}
