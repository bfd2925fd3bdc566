package central

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Payments come in from a payment provider (HelloAsso): the provider tells
// us an order changed, we read the order back from its API and record each
// of its items as a Payment. A paid item whose form and item name are mapped
// to a product, paid by (or for) a known member, becomes a sale at once;
// any other paid item waits, unmatched, for the bureau to assign it.

// PaymentState is what the provider's API says of an order item.
type PaymentState string

// Payment states.
const (
	PaymentPending  PaymentState = "pending"  // not (yet) paid: waiting, refused, abandoned
	PaymentPaid     PaymentState = "paid"     // paid (or the first instalment is)
	PaymentRefunded PaymentState = "refunded" // its payments were refunded
)

// PaymentStatus is what Badgeuse did with a payment.
type PaymentStatus string

// Payment statuses.
const (
	PaymentWaiting   PaymentStatus = "waiting"   // not paid yet: nothing to credit
	PaymentUnmatched PaymentStatus = "unmatched" // paid, but no member or no product: waits for the bureau
	PaymentCredited  PaymentStatus = "credited"  // a sale credits it (Payment.Sale), or it registered its payer for an event (Payment.Registration)
	PaymentReversed  PaymentStatus = "refunded"  // refunded: its sale (if any) is refunded too
	PaymentIgnored   PaymentStatus = "ignored"   // the bureau set it aside (a donation, not for Badgeuse)
)

// Why a paid payment is unmatched.
const (
	ReasonNoProduct   = "no_product"    // no mapping for its form and item
	ReasonNoMember    = "no_member"     // no member with the e-mail (and members are not created)
	ReasonNoEmail     = "no_email"      // no e-mail to match a member with
	ReasonBeneficiary = "beneficiary"   // bought for someone else, whose e-mail we do not have
	ReasonInactive    = "inactive"      // the mapped product is no longer sold
	ReasonErased      = "member_erased" // matched a member who was erased since
	// A gift to a space's own organisation that an older centrald left
	// waiting for that space's treasurer. It is now that space's donation
	// (Payment.Space, donation.go); migration 0260 recorded the ones whose
	// space it could tell, and the others become so when their order is
	// read again (or the bureau sets them aside).
	ReasonSpaceDonation = "space_donation"
)

// Why a payment's money is going back (Payment.Reason of a refunded
// payment, PaymentItem.Reversal). Each reverses the credit of the
// payment's sale in full (see PlanPayment).
const (
	ReasonRefund        = "refund"         // refunded in full
	ReasonRefunding     = "refunding"      // a refund is under way
	ReasonPartialRefund = "partial_refund" // part of it was refunded
	ReasonContested     = "contested"      // the payer's bank disputes it (a chargeback)
)

// PaymentOrder is an order as the provider's API returns it, converted by
// the provider's adapter: never the body of a notification, which anyone
// could forge.
type PaymentOrder struct {
	Source   string // SourceHelloAsso
	ID       string // the order's id at the provider
	Form     string // the form's slug
	FormType string
	Date     time.Time
	Payer    Payer
	Items    []PaymentItem
	// Space is the space whose own organisation at the provider took the
	// order (PaymentNotice.Space; 0: the network's): its items match only
	// the mappings to products that space sells, so that its money never
	// makes another space's sale (another organisation's form of the same
	// slug).
	Space int64
	// CreateMembers: a paid item for a mapped product whose payer no
	// member matches makes a new member, suspended until the bureau
	// confirms her, instead of waiting unmatched. The billing worker sets
	// it from its setting (helloasso.create_members).
	CreateMembers bool
}

// Payer is who paid an order.
type Payer struct {
	Email     string
	FirstName string
	LastName  string
	Company   string
	Address   string
	ZipCode   string
	City      string
	Country   string // ISO 3166-1 alpha-2 ("FR"), converted by the adapter
}

// Name returns the payer's full name.
func (p Payer) Name() string { return joinName(p.FirstName, p.LastName) }

// PaymentItem is one line of an order: a membership, a 10-entry card...
type PaymentItem struct {
	ID     string // the item's id at the provider: the sale's ExternalRef
	Name   string // the tier or product name, which the mapping matches
	Type   string // the provider's item type ("Membership", "Payment"...)
	Amount int64  // cents
	State  PaymentState
	// Gift says the item is a gift to the association (donation.go): the
	// provider's adapter decides it from the provider's form and item
	// types, which the domain does not read.
	Gift bool
	// The beneficiary, when the form names one (HelloAsso: items[].user).
	FirstName string
	LastName  string
	// Email is the beneficiary's e-mail when the form asks for it.
	Email string
	// Reversal says why the money is going back when State is
	// PaymentRefunded (ReasonRefund, ReasonRefunding, ReasonPartialRefund,
	// ReasonContested).
	Reversal string
}

// BeneficiaryName returns the beneficiary's full name ("" when unnamed).
func (it PaymentItem) BeneficiaryName() string { return joinName(it.FirstName, it.LastName) }

// MemberEmail returns the e-mail that identifies the member an item is
// for: the beneficiary's own when the form asks for it, else the payer's
// unless the item names a beneficiary who is someone else (one order may
// hold memberships for several people). When there is none, it returns ""
// and the reason.
func (it PaymentItem) MemberEmail(payer Payer) (email, reason string) {
	if e := strings.TrimSpace(it.Email); e != "" {
		return e, ""
	}
	if b := it.BeneficiaryName(); b != "" && foldName(b) != foldName(payer.Name()) {
		return "", ReasonBeneficiary
	}
	if e := strings.TrimSpace(payer.Email); e != "" {
		return e, ""
	}
	return "", ReasonNoEmail
}

// MemberName returns the name to give a member created for the item.
func (it PaymentItem) MemberName(payer Payer) string {
	if b := it.BeneficiaryName(); b != "" {
		return b
	}
	return payer.Name()
}

// Payment is a stored order item and what became of it.
type Payment struct {
	ID          int64
	Source      string
	ExternalRef string // the item's id at the provider (unique per source)
	Order       string // the order's id at the provider
	Form        string
	FormType    string
	ItemName    string
	ItemType    string
	// Gift: the item is a gift (PaymentItem.Gift, as last reported).
	Gift bool
	// Space is the space whose own organisation at the provider took the
	// order (PaymentOrder.Space; 0: the network's). A donation is that
	// association's: the network's donations have Space 0, a space's
	// (Space.Books) its id (donation.go).
	Space  int64
	Amount int64 // cents
	Date   time.Time

	PayerEmail string
	PayerName  string
	// PayerAddress is where the payer lives, for her invoices.
	PayerAddress     Payer
	BeneficiaryName  string
	BeneficiaryEmail string

	State  PaymentState  // as the provider last reported it
	Status PaymentStatus // what Badgeuse did
	Reason string        // why it is unmatched (Reason...)

	Member  int64 // 0 until matched (or once the member is erased)
	Product int64
	Sale    int64
	// Registration is the event registration the payment made (a paid
	// event's form, event_payment.go); a credited payment has a Sale or
	// a Registration.
	Registration int64
	// NewMember says the member was created for this payment, suspended
	// until the bureau confirms her (setting helloasso.create_members).
	NewMember bool

	Created time.Time
	Updated time.Time
}

// PaymentStep is what to do with an order item the provider reported,
// given what was done with it before.
type PaymentStep int

// Payment steps.
const (
	StepKeep   PaymentStep = iota // nothing changes (but the stored state)
	StepWait                      // store it as waiting
	StepCredit                    // match it and credit it, or leave it unmatched
	StepRefund                    // refund its sale: status refunded
	StepDrop                      // never credited: status refunded, off the unmatched list
)

// PlanPayment decides what to do with an item in state when Badgeuse has
// already brought it to status ("" for an item never seen).
//
// Refunds and chargebacks: an item is PaymentRefunded as soon as any of its
// money is going back: refunded in full or in part, a refund under way, or
// a payment contested by the payer's bank (PaymentItem.Reversal says
// which). A credited one is then refunded (StepRefund): its sale stops
// crediting the member in full, her balance is derived again without it
// (visits it paid fall on other packs or become overdraft), and the books
// show the reversal as a movement of its own, dated the day of the refund
// (the sales export's negative "remboursement" line); the sale's line is
// never changed. The whole credit is reversed even for a partial refund:
// Badgeuse cannot know which part of a pack or a subscription the money
// given back pays for, and a card left credited for money the association
// does not keep is the error to avoid; the bureau sells again by hand what
// the member keeps. A refund or a contest is final for Badgeuse: a
// chargeback later won leaves the payment refunded, and the bureau credits
// the member again by hand. It is what makes
// notifications idempotent and order-insensitive: whatever notifications
// arrive and in whatever order, the order is read back from the provider
// and only a change of what Badgeuse did is acted on; a paid item is
// credited once, a refunded one never credited again.
func PlanPayment(status PaymentStatus, state PaymentState) PaymentStep {
	switch state {
	case PaymentPaid:
		switch status {
		case "", PaymentWaiting, PaymentUnmatched:
			return StepCredit
		}
	case PaymentRefunded:
		switch status {
		case PaymentCredited:
			return StepRefund
		case "", PaymentWaiting, PaymentUnmatched, PaymentIgnored:
			return StepDrop
		}
	default: // pending or unknown: nothing to credit yet
		if status == "" {
			return StepWait
		}
	}
	return StepKeep
}

// PaymentMapping says which product a provider's form item sells.
type PaymentMapping struct {
	ID     int64
	Source string // SourceHelloAsso
	Form   string // the form's slug
	// Item is the item (tier) name; "" maps every item of the form.
	Item    string
	Product int64
	Created time.Time
}

// Validate checks and normalizes a mapping. It returns EINVALID.
func (m *PaymentMapping) Validate() error {
	m.Source = strings.TrimSpace(m.Source)
	m.Form = strings.TrimSpace(m.Form)
	m.Item = strings.Join(strings.Fields(m.Item), " ")
	switch {
	case m.Source == "":
		m.Source = SourceHelloAsso
	case len(m.Source) > 32:
		return Errorf(EINVALID, "Payment source too long.")
	}
	switch {
	case m.Form == "" || len(m.Form) > 200:
		return Errorf(EINVALID, "Form slug required (200 characters at most).")
	case len(m.Item) > 250:
		return Errorf(EINVALID, "Item name too long (250 characters at most).")
	case m.Product <= 0:
		return Errorf(EINVALID, "Product required.")
	}
	return nil
}

// MatchProduct returns the product that maps a source's form item: the
// mapping of that very item, else the form's catch-all mapping (Item "").
// Names compare case-insensitively, with runs of spaces as one.
func MatchProduct(mappings []*PaymentMapping, source, form, item string) (int64, bool) {
	var catchAll int64
	for _, m := range mappings {
		if m.Source != source || !strings.EqualFold(strings.TrimSpace(m.Form), strings.TrimSpace(form)) {
			continue
		}
		switch {
		case m.Item == "":
			catchAll = m.Product
		case foldName(m.Item) == foldName(item):
			return m.Product, true
		}
	}
	return catchAll, catchAll != 0
}

// PaymentFilter selects payments. Zero fields select everything.
type PaymentFilter struct {
	ID          *int64
	Source      *string
	ExternalRef *string
	Order       *string
	Status      *PaymentStatus
	Offset      int
	Limit       int
}

// PaymentService records the payments providers report.
type PaymentService interface {
	// RecordPaymentOrder applies an order as the provider's API returns
	// it, item by item (PlanPayment), in one transaction: a paid item
	// matched to a member and a product becomes a sale (whose invoice is
	// queued in the outbox in that same transaction), a paid item that
	// cannot be matched waits unmatched, a refunded one refunds its sale.
	// Recording the same order again changes nothing. It returns the
	// order's payments. Returns EINVALID for an order without source or id.
	RecordPaymentOrder(ctx context.Context, o *PaymentOrder) ([]*Payment, error)

	// FindPaymentByID returns ENOTFOUND if there is no such payment.
	FindPaymentByID(ctx context.Context, id int64) (*Payment, error)

	// FindPayments returns the matching payments, newest first, and how
	// many match without Offset and Limit.
	FindPayments(ctx context.Context, filter PaymentFilter) ([]*Payment, int, error)

	// AssignPayment credits an unmatched payment to a member with a
	// product: the sale is made as if the payment had matched. Returns
	// ENOTFOUND (payment, member or product), EINVALID (inactive product)
	// and ECONFLICT (the payment is not unmatched).
	AssignPayment(ctx context.Context, id, member, product int64) (*Payment, error)

	// AssignPaymentToEvent registers a member for the paid event whose
	// form an unmatched payment paid (EventPayment), as the payment would
	// have had it named her: confirmed while places are left, waitlisted
	// after; a registration of hers already there is the one paid.
	// Returns ENOTFOUND (payment or member), EINVALID (the payment paid
	// no event's form: AssignPayment) and ECONFLICT (the payment is not
	// unmatched).
	AssignPaymentToEvent(ctx context.Context, id, member int64) (*Payment, error)

	// AddPayerEmail remembers another address of a member, confirmed by
	// her (the address her payment used): payments with it are hers from
	// now on, and the unmatched ones waiting with it are credited to her
	// at once, as AssignPayment would (those of an item mapped to no
	// product keep waiting for the bureau, with her as a hint). It
	// returns the payments credited. Returns ENOTFOUND, EINVALID (not an
	// address) and ECONFLICT (the address is another member's).
	AddPayerEmail(ctx context.Context, member int64, email string) ([]*Payment, error)

	// IgnorePayment sets an unmatched or waiting payment aside. Returns
	// ENOTFOUND and ECONFLICT (already credited or refunded).
	IgnorePayment(ctx context.Context, id int64) (*Payment, error)

	// FindPaymentMappings returns the mappings of a source ("" for all).
	FindPaymentMappings(ctx context.Context, source string) ([]*PaymentMapping, error)

	// SetPaymentMapping maps a form item to a product, replacing the
	// mapping of the same form item. Returns EINVALID and ENOTFOUND (no
	// such product).
	SetPaymentMapping(ctx context.Context, m *PaymentMapping) error

	// DeletePaymentMapping removes a mapping. Returns ENOTFOUND.
	DeletePaymentMapping(ctx context.Context, id int64) error
}

// TopicPaymentOrder asks the billing worker to read an order back from
// its provider and record it (payload PaymentNotice). The notices' queue
// (PaymentNoticeQueue) is a store's, so its topic is the domain's; the
// invoices' topic is central/billing's (billing.TopicInvoice).
const TopicPaymentOrder = "helloasso.order"

// PaymentNotice is the payload of a TopicPaymentOrder message: a
// provider's notification reduced to what we trust of it, an order id to
// read back.
type PaymentNotice struct {
	Source string `json:"source"`
	Order  string `json:"order"`
	Event  string `json:"event"` // the notification's type, for the logs
	// Space is the space whose own organisation at the provider sent it
	// (Space.Books: its own HelloAsso), read back with that space's
	// credentials; 0 for the network's.
	Space int64 `json:"space,omitempty"`
}

// PaymentNoticeMessage is the outbox message that asks to read an order
// back: one per order, whatever the number of notifications about it
// (PaymentNoticeQueue); a space's organisation's orders apart from the
// network's.
func PaymentNoticeMessage(n PaymentNotice) OutboxMessage {
	payload, _ := json.Marshal(n)
	key := TopicPaymentOrder + ":" + n.Source + ":" + n.Order
	if n.Space != 0 {
		key = TopicPaymentOrder + ":" + n.Source + ":space:" + strconv.FormatInt(n.Space, 10) + ":" + n.Order
	}
	return OutboxMessage{Topic: TopicPaymentOrder, Key: key, Payload: string(payload)}
}

// Results of PaymentNoticeQueue.QueuePaymentNotice.
type NoticeResult int

const (
	NoticeQueued    NoticeResult = iota // the order will be read back (a new message, or its finished one again)
	NoticeDuplicate                     // the order is already waiting to be read back: nothing stored
	NoticeFull                          // too many orders wait to be read back: nothing stored
)

// PaymentNoticeQueue queues the reading back of the orders providers
// notify, with bounds a flood of forged notifications cannot pass: one
// outbox message per order (PaymentNoticeMessage), ever, read at most
// once per interval, and a bound on the orders waiting to be read.
type PaymentNoticeQueue interface {
	// QueuePaymentNotice stores the message of an order if it has none,
	// unless maxWaiting messages of TopicPaymentOrder are unfinished
	// (NoticeFull). When the order's message is unfinished it changes
	// nothing (NoticeDuplicate). When it is finished, it is made due again
	// (a refund or a chargeback is notified after the payment), no sooner
	// than every after it was last finished: an order is read from the
	// provider at most once per interval, however often it is notified.
	// A notification that arrives while its order is being read counts
	// as a duplicate: that read began before it, and may have seen the
	// order before the change it announces, which is then read at the
	// order's next notification (HelloAsso sends one per change).
	QueuePaymentNotice(ctx context.Context, n PaymentNotice, every time.Duration, maxWaiting int) (NoticeResult, error)
}

func joinName(first, last string) string {
	return strings.Join(strings.Fields(first+" "+last), " ")
}

// foldName folds a name for comparison: case, the accents of Latin
// letters and runs of spaces do not count ("Éloïse  Martin" = "eloise
// martin").
func foldName(s string) string {
	return accents.Replace(strings.ToLower(strings.Join(strings.Fields(s), " ")))
}

var accents = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "á", "a", "ã", "a", "å", "a",
	"ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "í", "i", "ì", "i", "ñ", "n",
	"ô", "o", "ö", "o", "ó", "o", "ò", "o", "õ", "o",
	"ù", "u", "û", "u", "ü", "u", "ú", "u", "ÿ", "y",
	"œ", "oe", "æ", "ae",
)
