package central

import (
	"context"
	"net/url"
	"path"
	"strings"
	"time"
)

// Paid events (issue 15): an event may be sold through a payment
// provider's form (a HelloAsso event form), as products are. The bureau
// gives the form's public address and the price; the event's pages send
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

// ParseEventPayment makes an event's payment from the address of its
// HelloAsso form (https://www.helloasso.com/associations/ORG/evenements/
// FORM, the sandbox's too) and a price in cents. It returns EINVALID.
func ParseEventPayment(event int64, formURL string, price int64) (*EventPayment, error) {
	formURL = strings.TrimSpace(formURL)
	u, err := url.Parse(formURL)
	if err != nil || len(formURL) > 500 || u.Scheme != "https" || u.User != nil ||
		!strings.HasSuffix(strings.ToLower(u.Hostname()), "helloasso.com") && !strings.HasSuffix(strings.ToLower(u.Hostname()), "helloasso-sandbox.com") {
		return nil, Errorf(EINVALID, "Want the address of the event's HelloAsso form (https://www.helloasso.com/associations/.../evenements/...).")
	}
	form := strings.ToLower(path.Base(strings.TrimSuffix(u.Path, "/")))
	if form == "" || form == "." || form == "/" || len(form) > 200 {
		return nil, Errorf(EINVALID, "Want the address of the event's HelloAsso form (https://www.helloasso.com/associations/.../evenements/...).")
	}
	if price < 0 || price > 1_000_000_00 {
		return nil, Errorf(EINVALID, "Price out of range.")
	}
	return &EventPayment{Event: event, Source: SourceHelloAsso, Form: form, URL: formURL, Price: price}, nil
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
