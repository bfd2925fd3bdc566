package central

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/badgeuse/badgeuse/shared/access"
)

// The payments' use cases: recording an order the provider's API returned
// (PlanPayment item by item: credit, wait, refund, drop), matching a paid
// item to a product and a member, assigning or setting aside an unmatched
// payment. Like the ledger's (ledger.go) they run inside one store
// transaction seen as an interface of plain reads and writes (PaymentTx):
// a store stores payments, the decisions are made here.

// PaymentTx is what the payments' use cases need of a store, inside its
// write transaction.
type PaymentTx interface {
	SaleTx
	// PaymentByRef returns the payment stored for a source's item, or nil.
	PaymentByRef(ctx context.Context, source, ref string) (*Payment, error)
	// FindPayment returns ENOTFOUND for an unknown payment.
	FindPayment(ctx context.Context, id int64) (*Payment, error)
	// SavePayment inserts p when its ID is 0 (setting ID and Created) or
	// updates it; Updated is the transaction's time.
	SavePayment(ctx context.Context, p *Payment) error
	// PaymentMappings returns the mappings of a source.
	PaymentMappings(ctx context.Context, source string) ([]*PaymentMapping, error)
	// MemberByEmail returns the id of the member with that e-mail
	// (compared without case), her own or one she claimed
	// (AddMemberEmail), 0 when none.
	MemberByEmail(ctx context.Context, email string) (int64, error)
	// AddMemberEmail remembers another address of a member (her payments
	// with it are hers); an address already remembered is left as it is.
	AddMemberEmail(ctx context.Context, member int64, email string) error
	// UnmatchedPayments returns the payments waiting for the bureau.
	UnmatchedPayments(ctx context.Context) ([]*Payment, error)
	// CreateMember creates m as MemberService.CreateMember does (EINVALID,
	// ECONFLICT for an e-mail held), audited, in the transaction.
	CreateMember(ctx context.Context, m *Member) error
	// EventPaymentByForm returns the paid event a source's form sells
	// (the slug compared without case), or nil.
	EventPaymentByForm(ctx context.Context, source, form string) (*EventPayment, error)
	// RegisterPaid registers r as CalendarService.Register does, in the
	// transaction, but whatever the deadline (the money is taken).
	// Returns ECONFLICT when the member or e-mail is registered already,
	// with r.ID set to that registration, and EINVALID for someone who is
	// not a member at a members-only event.
	RegisterPaid(ctx context.Context, r *Registration) error
	// CancelPaidRegistration cancels a registration as
	// CancelRegistration does (its place goes to the waiting list), in
	// the transaction. Returns EINVALID for one attended.
	CancelPaidRegistration(ctx context.Context, id int64) error
	// PaymentUnmatched enqueues what an unmatched payment causes (the
	// Reactions to UnmatchedPayment: the bureau's alert), in the
	// transaction.
	PaymentUnmatched(ctx context.Context, p *Payment) error
}

// RecordPaymentOrder applies an order in tx, item by item (see
// PaymentService.RecordPaymentOrder). Returns EINVALID.
func RecordPaymentOrder(ctx context.Context, tx PaymentTx, o *PaymentOrder) ([]*Payment, error) {
	if o.Source == "" || o.ID == "" {
		return nil, Errorf(EINVALID, "Payment order without source or id.")
	}
	for _, it := range o.Items {
		if it.ID == "" || it.Amount < 0 {
			return nil, Errorf(EINVALID, "Order %s: item without id or with a negative amount.", o.ID)
		}
	}
	mappings, err := tx.PaymentMappings(ctx, o.Source)
	if err != nil {
		return nil, err
	}
	if o.Space != 0 {
		// A space's own organisation's order: its items are its products'
		// (another item waits unmatched, no_product, for the bureau).
		sellers, err := tx.ProductSellers(ctx)
		if err != nil {
			return nil, err
		}
		mappings = slices.DeleteFunc(slices.Clone(mappings), func(m *PaymentMapping) bool {
			return max(sellers[m.Product], MainSpace) != o.Space
		})
	}
	var out []*Payment
	for _, it := range o.Items {
		p, err := recordPaymentItem(ctx, tx, o, it, mappings)
		if err != nil {
			return nil, fmt.Errorf("order %s item %s: %w", o.ID, it.ID, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// recordPaymentItem stores an order item and acts on it (PlanPayment).
func recordPaymentItem(ctx context.Context, tx PaymentTx, o *PaymentOrder, it PaymentItem,
	mappings []*PaymentMapping) (*Payment, error) {
	p, err := tx.PaymentByRef(ctx, o.Source, it.ID)
	if err != nil {
		return nil, err
	}
	var status PaymentStatus
	if p == nil {
		p = &Payment{Source: o.Source, ExternalRef: it.ID}
	} else {
		status = p.Status
	}
	// What the provider says now; personal data only while the payment
	// may still need it (matching, assigning).
	p.Order, p.Form, p.FormType, p.Date = o.ID, o.Form, o.FormType, o.Date
	p.ItemName, p.ItemType, p.Gift, p.Amount, p.State = it.Name, it.Type, it.Gift, it.Amount, it.State
	p.Space = o.Space
	if p.ID == 0 || p.PayerEmail != "" || p.PayerName != "" {
		p.PayerEmail, p.PayerName = o.Payer.Email, o.Payer.Name()
		p.PayerAddress = Payer{Company: o.Payer.Company, Address: o.Payer.Address, ZipCode: o.Payer.ZipCode,
			City: o.Payer.City, Country: o.Payer.Country}
		p.BeneficiaryName, p.BeneficiaryEmail = it.BeneficiaryName(), it.Email
	}
	switch PlanPayment(status, it.State) {
	case StepWait:
		p.Status = PaymentWaiting
	case StepCredit:
		ev, err := tx.EventPaymentByForm(ctx, o.Source, o.Form)
		if err != nil {
			return nil, err
		}
		if ev != nil {
			if err := registerPayment(ctx, tx, p, o, it, ev); err != nil {
				return nil, err
			}
			break
		}
		if it.Gift {
			if err := recordDonation(ctx, tx, p, o); err != nil {
				return nil, err
			}
			break
		}
		if err := creditPayment(ctx, tx, p, o, it, mappings); err != nil {
			return nil, err
		}
	case StepRefund:
		if p.Sale != 0 {
			sale, err := tx.FindSale(ctx, p.Sale)
			if err != nil {
				return nil, err
			}
			if !sale.IsRefunded() {
				if _, err := RefundSale(ctx, tx, p.Sale); err != nil {
					return nil, err
				}
			}
		}
		if p.Registration != 0 {
			if err := tx.CancelPaidRegistration(ctx, p.Registration); err != nil && ErrorCode(err) != EINVALID {
				return nil, err // EINVALID: she came; the bureau settles it
			}
		}
		p.Status, p.Reason = PaymentReversed, it.Reversal
	case StepDrop:
		p.Status, p.Reason = PaymentReversed, it.Reversal
	case StepKeep:
		if p.Status == PaymentReversed && it.Reversal != "" {
			p.Reason = it.Reversal // a refund under way that is done, say
		}
	}
	if err := tx.SavePayment(ctx, p); err != nil {
		return nil, err
	}
	if p.Status != status && p.Status == PaymentUnmatched {
		// The bureau hears of it (Slack), once per payment.
		if err := tx.PaymentUnmatched(ctx, p); err != nil {
			return nil, err
		}
	}
	if p.Status != status {
		detail := map[string]any{"source": p.Source, "order": p.Order, "item": p.ExternalRef, "amount": p.Amount,
			"reason": p.Reason, "member": p.Member, "product": p.Product, "sale": p.Sale}
		if p.Registration != 0 {
			detail["registration"] = p.Registration
		}
		if err := tx.Audit(ctx, "payment."+string(p.Status), paymentObject(p.ID), detail); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// creditPayment matches a paid item to a product and a member and makes
// its sale; when it cannot, the payment is left unmatched with the reason.
// The member is looked up even without a product, as a hint for the bureau;
// she is created (when the order allows it: CreateMembers) only for a
// mapped product.
func creditPayment(ctx context.Context, tx PaymentTx, p *Payment, o *PaymentOrder, it PaymentItem,
	mappings []*PaymentMapping) error {
	p.Status, p.Reason, p.Member, p.Product = PaymentUnmatched, "", 0, 0
	product, ok := MatchProduct(mappings, o.Source, o.Form, it.Name)
	email, reason := it.MemberEmail(o.Payer)
	if email != "" {
		id, err := tx.MemberByEmail(ctx, email)
		if err != nil {
			return err
		}
		p.Member = id
	}
	switch {
	case !ok:
		p.Reason = ReasonNoProduct
		return nil
	case email == "":
		p.Reason = reason
		return nil
	}
	prod, err := tx.FindProduct(ctx, product)
	if ErrorCode(err) == ENOTFOUND || (err == nil && !prod.Active) {
		p.Reason = ReasonInactive
		return nil
	} else if err != nil {
		return err
	}
	p.Product = prod.ID
	if p.Member == 0 {
		if !o.CreateMembers || o.Source != SourceHelloAsso {
			p.Reason = ReasonNoMember
			return nil
		}
		name := it.MemberName(o.Payer)
		if name == "" {
			name, _, _ = strings.Cut(email, "@")
		}
		m := &Member{Name: name, Email: email, Status: access.MemberSuspended}
		if err := tx.CreateMember(ctx, m); ErrorCode(err) == EINVALID || ErrorCode(err) == ECONFLICT {
			p.Reason = ReasonNoMember
			return nil
		} else if err != nil {
			return err
		}
		p.Member, p.NewMember = m.ID, true
	}
	return makePaymentSale(ctx, tx, p)
}

// recordDonation records a paid donation (donation.go): no sale, not
// waiting for the bureau; the member whose address the payer used, if
// any, is kept as who gave. It is the donation of the association whose
// organisation took the order (p.Space, set from o.Space): the network's,
// or a space's that keeps its own books.
func recordDonation(ctx context.Context, tx PaymentTx, p *Payment, o *PaymentOrder) error {
	p.Status, p.Reason, p.Member, p.Product = PaymentIgnored, ReasonDonation, 0, 0
	if email := o.Payer.Email; email != "" {
		id, err := tx.MemberByEmail(ctx, email)
		if err != nil {
			return err
		}
		p.Member = id
	}
	return nil
}

// makePaymentSale makes the sale of a payment matched to p.Member and
// p.Product, or links the sale already made for it.
func makePaymentSale(ctx context.Context, tx PaymentTx, p *Payment) error {
	amount := p.Amount
	sale, err := RecordSale(ctx, tx, NewSale{Member: p.Member, Product: p.Product, Amount: &amount,
		Source: p.Source, ExternalRef: p.ExternalRef})
	if ErrorCode(err) == ECONFLICT {
		id, found, ferr := tx.SaleOfPayment(ctx, p.Source, p.ExternalRef)
		if ferr != nil || !found {
			return errors.Join(err, ferr)
		}
		sale, err = &Sale{ID: id}, nil
	}
	if err != nil {
		return err
	}
	p.Sale, p.Status, p.Reason = sale.ID, PaymentCredited, ""
	return nil
}

// AssignPayment credits an unmatched payment in tx (see
// PaymentService.AssignPayment).
func AssignPayment(ctx context.Context, tx PaymentTx, id, member, product int64) (*Payment, error) {
	p, err := tx.FindPayment(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Status != PaymentUnmatched {
		return nil, Errorf(ECONFLICT, "Payment %d is %s, not unmatched.", id, p.Status)
	}
	if ok, err := tx.MemberExists(ctx, member); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(ENOTFOUND, "Member %d not found.", member)
	}
	p.Member, p.Product = member, product
	if err := makePaymentSale(ctx, tx, p); err != nil {
		return nil, err
	}
	if err := tx.SavePayment(ctx, p); err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, "payment.assign", paymentObject(p.ID), map[string]any{
		"member": member, "product": product, "sale": p.Sale, "amount": p.Amount}); err != nil {
		return nil, err
	}
	return p, nil
}

// AssignPaymentToEvent registers a member for the paid event whose form
// an unmatched payment paid, in tx (see
// PaymentService.AssignPaymentToEvent): as the payment would have, had it
// named her (RegisterPaid: confirmed while places are left, waitlisted
// after, whatever the deadline; her registration already there is the
// one paid).
func AssignPaymentToEvent(ctx context.Context, tx PaymentTx, id, member int64) (*Payment, error) {
	p, err := tx.FindPayment(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Status != PaymentUnmatched {
		return nil, Errorf(ECONFLICT, "Payment %d is %s, not unmatched.", id, p.Status)
	}
	ev, err := tx.EventPaymentByForm(ctx, p.Source, p.Form)
	if err != nil {
		return nil, err
	}
	if ev == nil {
		return nil, Errorf(EINVALID, "Payment %d paid no event's form: assign it a product.", id)
	}
	if ok, err := tx.MemberExists(ctx, member); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(ENOTFOUND, "Member %d not found.", member)
	}
	r := &Registration{Event: ev.Event, Member: member}
	switch err := tx.RegisterPaid(ctx, r); ErrorCode(err) {
	case "", ECONFLICT: // registered already (by the bureau, or before the event was paid): that one is paid
	default:
		return nil, err
	}
	p.Member, p.Product, p.Sale, p.Registration, p.Status, p.Reason = member, 0, 0, r.ID, PaymentCredited, ""
	if err := tx.SavePayment(ctx, p); err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, "payment.assign", paymentObject(p.ID), map[string]any{
		"member": member, "event": ev.Event, "registration": r.ID, "amount": p.Amount}); err != nil {
		return nil, err
	}
	return p, nil
}

// IgnorePayment sets an unmatched or waiting payment aside in tx (see
// PaymentService.IgnorePayment).
func IgnorePayment(ctx context.Context, tx PaymentTx, id int64) (*Payment, error) {
	p, err := tx.FindPayment(ctx, id)
	if err != nil {
		return nil, err
	}
	switch p.Status {
	case PaymentIgnored:
		return p, nil
	case PaymentUnmatched, PaymentWaiting:
	default:
		return nil, Errorf(ECONFLICT, "Payment %d is %s: it cannot be set aside.", id, p.Status)
	}
	p.Status = PaymentIgnored
	if err := tx.SavePayment(ctx, p); err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, "payment.ignore", paymentObject(p.ID), map[string]any{"amount": p.Amount}); err != nil {
		return nil, err
	}
	return p, nil
}

func paymentObject(id int64) string { return fmt.Sprintf("payment:%d", id) }

// AddPayerEmail remembers an address a member confirmed as hers and
// credits her the unmatched payments waiting with it, in tx (see
// PaymentService.AddPayerEmail).
func AddPayerEmail(ctx context.Context, tx PaymentTx, member int64, email string) ([]*Payment, error) {
	if err := ValidateEmail(email); err != nil {
		return nil, err
	}
	if ok, err := tx.MemberExists(ctx, member); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(ENOTFOUND, "Member %d not found.", member)
	}
	if other, err := tx.MemberByEmail(ctx, email); err != nil {
		return nil, err
	} else if other != 0 && other != member {
		return nil, Errorf(ECONFLICT, "Another member has the e-mail %s.", email)
	}
	if err := tx.AddMemberEmail(ctx, member, email); err != nil {
		return nil, err
	}
	waiting, err := tx.UnmatchedPayments(ctx)
	if err != nil {
		return nil, err
	}
	var credited []*Payment
	ids := []int64{}
	for _, p := range waiting {
		// The address that names the item's member (as MemberEmail):
		// the beneficiary's own, else the payer's unless the item is for
		// someone else.
		addr := p.BeneficiaryEmail
		if addr == "" && p.Reason != ReasonBeneficiary {
			addr = p.PayerEmail
		}
		if !strings.EqualFold(addr, email) {
			continue
		}
		p.Member = member
		if p.Product != 0 {
			if err := makePaymentSale(ctx, tx, p); err != nil {
				return nil, err
			}
			credited, ids = append(credited, p), append(ids, p.ID)
		}
		if err := tx.SavePayment(ctx, p); err != nil {
			return nil, err
		}
	}
	// The address is personal data: the audit names the payments only.
	if err := tx.Audit(ctx, "member.payer_email", fmt.Sprintf("member:%d", member), map[string]any{"payments": ids}); err != nil {
		return nil, err
	}
	return credited, nil
}
