package central

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Paid events (issue 15): an event may be sold through a payment
// provider's form (a HelloAsso event form), as products are. The bureau
// gives the form's public address, which the provider's adapter reads
// (PaymentForm), and the price; the event's pages send
// members and the public to that form instead of registering them, and the
// payment registers its payer: when the provider reports a paid item of
// the form (the order read back from its API, never a notification's
// body), RecordPaymentOrder registers the payer (the member with the
// e-mail, else, for a public event, her name and e-mail) in the same
// transaction, with the same rule as any registration: confirmed while
// places are left, waitlisted after. So the capacity holds, and a
// notification replayed changes nothing (the payment is credited already:
// PlanPayment keeps it). A refund cancels the registration it made, which
// frees its place for the waiting list. A payment that cannot register
// anyone (no e-mail; a members-only event paid by someone who is not a
// member) waits unmatched for the bureau, as a payment of no product does.
//
// The bureau can still register anyone by hand (`centrald event
// register`, a guest speaker): only the pages send people to the form.

// EventPayment is the payment form of a paid event.
type EventPayment struct {
	Event  int64
	Source string // SourceHelloAsso
	// Form is the form's slug, as the provider's orders name it
	// ("atelier-compta"), lower-case; URL is the form's public address,
	// where the event's pages send people to pay.
	Form    string
	URL     string
	Price   int64 // cents, for the pages
	Created time.Time
}

// PaymentForm is a provider's payment form, as the provider's adapter
// read the public address the bureau gave (for HelloAsso,
// helloasso.ParseEventForm): which form it is and where to send people.
// The domain does not read providers' addresses; cmd/centrald gives the
// adapter's parser to the admin and the command line.
type PaymentForm struct {
	Source string // SourceHelloAsso
	Form   string // the form's slug, as the provider's orders name it
	URL    string // the form's public address
}

// NewEventPayment makes an event's payment from its form and a price in
// cents. It returns EINVALID.
func NewEventPayment(event int64, form PaymentForm, price int64) (*EventPayment, error) {
	p := &EventPayment{Event: event, Source: form.Source, Form: form.Form, URL: form.URL, Price: price}
	if err := p.normalize(); err != nil {
		return nil, err
	}
	return p, nil
}

// normalize checks an event's payment and makes its form's slug
// lower-case (as EventPaymentByForm compares it).
func (p *EventPayment) normalize() error {
	p.Form = strings.ToLower(strings.TrimSpace(p.Form))
	if p.Source == "" {
		p.Source = SourceHelloAsso
	}
	if p.Form == "" || len(p.Form) > 200 || len(p.URL) > 1000 {
		return Errorf(EINVALID, "Want the address of the event's payment form.")
	}
	if p.Price < 0 || p.Price > 1_000_000_00 {
		return Errorf(EINVALID, "Price out of range.")
	}
	return nil
}

// EventPaymentService keeps the payment forms of paid events.
type EventPaymentService interface {
	// SetEventPayment makes an event paid through a form (replacing its
	// form), audited as event.payment. Returns ENOTFOUND (no event) and
	// ECONFLICT (the form sells another event).
	SetEventPayment(ctx context.Context, p *EventPayment) error
	// RemoveEventPayment makes an event free again (audited). Removing
	// none is not an error.
	RemoveEventPayment(ctx context.Context, event int64) error
	// EventPayments returns the paid events' forms by event id.
	EventPayments(ctx context.Context) (map[int64]*EventPayment, error)
	// PaidRegistrations returns the registrations of an event that a
	// payment holds (credited, not refunded), by registration id: the
	// bureau's list says who paid.
	PaidRegistrations(ctx context.Context, event int64) (map[int64]bool, error)
}

// EventPaymentTx is what setting and removing an event's form need of a
// store, inside its write transaction: reads and writes, no decision.
type EventPaymentTx interface {
	// EventExists reports whether there is an event of that id.
	EventExists(ctx context.Context, id int64) (bool, error)
	// EventPaymentByForm returns the paid event a source's form sells
	// (the slug compared without case), or nil.
	EventPaymentByForm(ctx context.Context, source, form string) (*EventPayment, error)
	// PutEventPayment makes p its event's form, replacing the one it
	// had; Created is the transaction's time.
	PutEventPayment(ctx context.Context, p *EventPayment) error
	// DeleteEventPayment removes an event's form, reporting whether it
	// had one.
	DeleteEventPayment(ctx context.Context, event int64) (bool, error)
	Audit(ctx context.Context, action, object string, details any) error
}

// SetEventPayment makes an event paid through a form in tx (see
// EventPaymentService.SetEventPayment): one form sells one event, since
// its payments register people for that event only.
func SetEventPayment(ctx context.Context, tx EventPaymentTx, p *EventPayment) error {
	if err := p.normalize(); err != nil {
		return err
	}
	if ok, err := tx.EventExists(ctx, p.Event); err != nil {
		return err
	} else if !ok {
		return Errorf(ENOTFOUND, "Event %d not found.", p.Event)
	}
	other, err := tx.EventPaymentByForm(ctx, p.Source, p.Form)
	if err != nil {
		return err
	}
	if other != nil && other.Event != p.Event {
		return Errorf(ECONFLICT, "This payment form already sells event %d.", other.Event)
	}
	if err := tx.PutEventPayment(ctx, p); err != nil {
		return err
	}
	return tx.Audit(ctx, "event.payment", eventObject(p.Event), map[string]any{"source": p.Source, "form": p.Form,
		"price": p.Price})
}

// RemoveEventPayment makes an event free again in tx (see
// EventPaymentService.RemoveEventPayment): removing none is not audited.
func RemoveEventPayment(ctx context.Context, tx EventPaymentTx, event int64) error {
	removed, err := tx.DeleteEventPayment(ctx, event)
	if err != nil || !removed {
		return err
	}
	return tx.Audit(ctx, "event.free", eventObject(event), map[string]any{})
}

// eventObject names an event in the audit log.
func eventObject(id int64) string { return "event:" + strconv.FormatInt(id, 10) }

// registerPayment registers the payer of a paid item of an event's form
// (see the comment at the top): the payment is credited with the
// registration, or left unmatched with the reason (the caller stores it
// and tells the bureau).
func registerPayment(ctx context.Context, tx PaymentTx, p *Payment, o *PaymentOrder, it PaymentItem, ev *EventPayment) error {
	p.Status, p.Reason, p.Member, p.Product, p.Sale = PaymentUnmatched, "", 0, 0, 0
	email, reason := it.MemberEmail(o.Payer)
	if email == "" {
		p.Reason = reason
		return nil
	}
	member, err := tx.MemberByEmail(ctx, email)
	if err != nil {
		return err
	}
	p.Member = member
	r := &Registration{Event: ev.Event, Member: member}
	if member == 0 {
		r.Name, r.Email = it.MemberName(o.Payer), email
		if err := r.ValidateGuest(); err != nil {
			p.Reason = ReasonNoMember
			return nil
		}
	}
	switch err := tx.RegisterPaid(ctx, r); ErrorCode(err) {
	case "":
	case ECONFLICT: // registered already (by the bureau, or before the event was paid): that one is paid
	case EINVALID: // a members-only event, paid by someone who is not a member
		p.Reason = ReasonNoMember
		return nil
	default:
		return err
	}
	p.Registration, p.Status = r.ID, PaymentCredited
	return nil
}
