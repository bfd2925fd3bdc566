package central

import (
	"context"
	"strings"

	"github.com/badgeuse/badgeuse/shared/access"
)

// PaymentMethod says how a sale was paid, or that it is not yet. The
// values are stored and printed (centrald sell --paid): append only.
type PaymentMethod string

// Payment methods.
const (
	PaidCash      PaymentMethod = "cash"
	PaidCheque    PaymentMethod = "cheque"
	PaidTransfer  PaymentMethod = "transfer"
	PaidCard      PaymentMethod = "card"
	PaidHelloAsso PaymentMethod = "helloasso"
	// PaidOther is a payment recorded without saying how: sales recorded
	// before Badgeuse knew, and scripts that do not say.
	PaidOther PaymentMethod = "other"
	// Unpaid is a sale not paid yet: the member owes its amount until the
	// treasurer records the payment (PaySale).
	Unpaid PaymentMethod = "unpaid"
)

// PaymentMethods lists the methods, in the order forms show them.
var PaymentMethods = []PaymentMethod{PaidCash, PaidCheque, PaidTransfer, PaidCard, PaidHelloAsso, PaidOther, Unpaid}

// Valid reports whether m is a known method.
func (m PaymentMethod) Valid() bool {
	for _, k := range PaymentMethods {
		if m == k {
			return true
		}
	}
	return false
}

// Deposited reports whether money paid so goes to the bank by hand
// (bordereau de remise): cash and cheques.
func (m PaymentMethod) Deposited() bool { return m == PaidCash || m == PaidCheque }

// PaidBy is how a sale was paid: the method, the day the money came in,
// and for a cheque its bank and number. Payer is who paid when not the
// member herself (a parent, a company); empty means the member.
type PaidBy struct {
	Method PaymentMethod
	Day    access.Day // zero while unpaid
	Bank   string     // cheque: the bank's name
	Number string     // cheque: its number
	Payer  string
}

// Validate checks and tidies a payment's fields. It returns EINVALID.
func (p *PaidBy) Validate() error {
	p.Bank = strings.Join(strings.Fields(p.Bank), " ")
	p.Number = strings.Join(strings.Fields(p.Number), " ")
	p.Payer = strings.Join(strings.Fields(p.Payer), " ")
	switch {
	case !p.Method.Valid():
		return Errorf(EINVALID, "Unknown payment method %q (cash, cheque, transfer, card, helloasso, other or unpaid).", p.Method)
	case len(p.Bank) > 100 || len(p.Number) > 40 || len(p.Payer) > 200:
		return Errorf(EINVALID, "Payer, bank or cheque number too long.")
	case p.Method != PaidCheque && (p.Bank != "" || p.Number != ""):
		return Errorf(EINVALID, "A bank and a cheque number are for a cheque.")
	}
	return nil
}

// SalePaymentTx is what recording a sale's payment needs of a store, inside
// its write transaction.
type SalePaymentTx interface {
	Today(ctx context.Context) (access.Day, error)
	FindSale(ctx context.Context, id int64) (*Sale, error)
	// SetSalePayment records how and when the sale was paid.
	SetSalePayment(ctx context.Context, id int64, p PaidBy) error
	Audit(ctx context.Context, action, object string, details any) error
	// PaymentRecorded enqueues what the payment of a sale causes (the
	// Reactions to SalePaid: its receipt's mail), in the transaction.
	PaymentRecorded(ctx context.Context, s *Sale) error
}

// PaySale records in tx that an unpaid sale was paid: by p.Method (not
// unpaid) on p.Day (zero: today; never after today). Returns ENOTFOUND,
// EINVALID and ECONFLICT (paid already, or refunded).
func PaySale(ctx context.Context, tx SalePaymentTx, id int64, p PaidBy) (*Sale, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Method == Unpaid {
		return nil, Errorf(EINVALID, "Say how the sale was paid.")
	}
	sale, err := tx.FindSale(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case sale.IsRefunded():
		return nil, Errorf(ECONFLICT, "Sale %d was refunded.", id)
	case sale.PaidBy.Method != Unpaid:
		return nil, Errorf(ECONFLICT, "Sale %d is paid already.", id)
	}
	today, err := tx.Today(ctx)
	if err != nil {
		return nil, err
	}
	if p.Day.IsZero() {
		p.Day = today
	}
	if p.Day.After(today) {
		return nil, Errorf(EINVALID, "A payment cannot be recorded for a day to come.")
	}
	if err := tx.SetSalePayment(ctx, id, p); err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, "sale.paid", saleObject(id), map[string]any{"method": p.Method, "day": p.Day,
		"bank": p.Bank, "number": p.Number, "payer": p.Payer, "amount": sale.Amount}); err != nil {
		return nil, err
	}
	paid, err := tx.FindSale(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := tx.PaymentRecorded(ctx, paid); err != nil {
		return nil, err
	}
	return paid, nil
}

// CompleteCheque records in tx the bank and number of a sale paid by
// cheque, recorded without them (the treasurer did not have them at hand;
// the deposit slip asks for them): its payment is otherwise unchanged.
// Empty bank or number keep the one recorded. Returns ENOTFOUND,
// EINVALID (too long, nothing given, not a cheque).
func CompleteCheque(ctx context.Context, tx SalePaymentTx, id int64, bank, number string) (*Sale, error) {
	sale, err := tx.FindSale(ctx, id)
	if err != nil {
		return nil, err
	}
	if sale.PaidBy.Method != PaidCheque {
		return nil, Errorf(EINVALID, "Sale %d was not paid by cheque.", id)
	}
	p := sale.PaidBy
	given := PaidBy{Method: PaidCheque, Bank: bank, Number: number}
	if err := given.Validate(); err != nil {
		return nil, err
	}
	if given.Bank == "" && given.Number == "" {
		return nil, Errorf(EINVALID, "Give the cheque's bank or number.")
	}
	if given.Bank != "" {
		p.Bank = given.Bank
	}
	if given.Number != "" {
		p.Number = given.Number
	}
	if err := tx.SetSalePayment(ctx, id, p); err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, "sale.cheque", saleObject(id), map[string]any{"bank": p.Bank, "number": p.Number}); err != nil {
		return nil, err
	}
	return tx.FindSale(ctx, id)
}
