package helloasso

import (
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// Order is HelloAsso's OrderDetail (GET /v5/orders/{id}), and the data of
// an Order notification. Only the fields Badgeuse reads or the fake serves
// are declared; the others are ignored.
type Order struct {
	ID                            int64     `json:"id"`
	Date                          string    `json:"date,omitempty"`
	FormSlug                      string    `json:"formSlug"`
	FormType                      string    `json:"formType"`
	FormName                      string    `json:"formName,omitempty"`
	OrganizationName              string    `json:"organizationName,omitempty"`
	OrganizationSlug              string    `json:"organizationSlug,omitempty"`
	OrganizationType              string    `json:"organizationType,omitempty"`
	OrganizationIsUnderColucheLaw bool      `json:"organizationIsUnderColucheLaw"`
	CheckoutIntentID              *int64    `json:"checkoutIntentId"`
	Amount                        Amount    `json:"amount"`
	Payer                         *Payer    `json:"payer,omitempty"`
	Items                         []Item    `json:"items"`
	Payments                      []Payment `json:"payments"`
	Meta                          *Meta     `json:"meta,omitempty"`
}

// Amount is an order's total, VAT and discount, in cents.
type Amount struct {
	Total    int64 `json:"total"`
	VAT      int64 `json:"vat"`
	Discount int64 `json:"discount"`
}

// Meta holds creation and update times.
type Meta struct {
	CreatedAt string `json:"createdAt,omitempty"`
	UpdatedAt string `json:"updatedAt,omitempty"`
}

// Payer is who paid. Country is ISO alpha-3 ("FRA").
type Payer struct {
	Email       string `json:"email"`
	Address     string `json:"address,omitempty"`
	City        string `json:"city,omitempty"`
	ZipCode     string `json:"zipCode,omitempty"`
	Country     string `json:"country,omitempty"`
	Company     string `json:"company,omitempty"`
	DateOfBirth string `json:"dateOfBirth,omitempty"`
	FirstName   string `json:"firstName"`
	LastName    string `json:"lastName"`
}

// User is an item's beneficiary: names only, no e-mail.
type User struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
}

// CustomField is a question the form asked, and its answer.
type CustomField struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Answer string `json:"answer"`
}

// Option is an option bought with an item.
type Option struct {
	Name          string `json:"name"`
	Amount        int64  `json:"amount"`
	PriceCategory string `json:"priceCategory,omitempty"`
	IsRequired    bool   `json:"isRequired"`
	OptionID      int64  `json:"optionId,omitempty"`
}

// ShareRef is a payment's share of an item, as the item lists it.
type ShareRef struct {
	ID          int64 `json:"id"`
	ShareAmount int64 `json:"shareAmount"`
}

// Item is one line of an order. Type is Donation, Payment, Registration,
// Membership, MonthlyDonation, MonthlyPayment, OfflineDonation,
// Contribution, Bonus or Product; State is Waiting, Processed, Registered,
// Deleted, Unknown, Canceled, Refused or Abandoned.
type Item struct {
	ID                int64         `json:"id"`
	Name              string        `json:"name,omitempty"`
	User              *User         `json:"user,omitempty"`
	PriceCategory     string        `json:"priceCategory,omitempty"`
	CustomFields      []CustomField `json:"customFields,omitempty"`
	Options           []Option      `json:"options,omitempty"`
	MembershipCardURL string        `json:"membershipCardUrl,omitempty"`
	TierID            int64         `json:"tierId,omitempty"`
	TierDescription   string        `json:"tierDescription,omitempty"`
	Amount            int64         `json:"amount"`
	InitialAmount     int64         `json:"initialAmount,omitempty"`
	Type              string        `json:"type"`
	State             string        `json:"state"`
	Payments          []ShareRef    `json:"payments,omitempty"`
}

// HelloAsso's donation item types (Enums.TierType) and form type
// (Enums.FormType).
const (
	typeDonation        = "Donation"
	typeMonthlyDonation = "MonthlyDonation"
	typeOfflineDonation = "OfflineDonation"
)

// Gift reports whether item it of the order is a gift to the association
// (central.PaymentItem.Gift): an item of a donation form, or the donation
// HelloAsso offers to add at the checkout of any form.
func (o *Order) Gift(it *Item) bool {
	switch it.Type {
	case typeDonation, typeMonthlyDonation, typeOfflineDonation:
		return true
	}
	return o.FormType == typeDonation
}

// PaymentShare is an item's share of a payment, as the payment lists it.
type PaymentShare struct {
	ID                 int64 `json:"id"`
	ShareAmount        int64 `json:"shareAmount"`
	ShareItemAmount    int64 `json:"shareItemAmount,omitempty"`
	ShareOptionsAmount int64 `json:"shareOptionsAmount,omitempty"`
}

// Payment is a payment of an order (one per instalment). State is one of
// PaymentState's values at HelloAsso: Authorized and Registered mean paid,
// Refunded refunded.
type Payment struct {
	ID                int64             `json:"id"`
	Amount            int64             `json:"amount"`
	Date              string            `json:"date,omitempty"`
	PaymentMeans      string            `json:"paymentMeans,omitempty"`
	InstallmentNumber int               `json:"installmentNumber,omitempty"`
	State             string            `json:"state"`
	CashOutState      string            `json:"cashOutState,omitempty"`
	PaymentReceiptURL string            `json:"paymentReceiptUrl,omitempty"`
	Items             []PaymentShare    `json:"items,omitempty"`
	RefundOperations  []RefundOperation `json:"refundOperations"`
	Meta              *Meta             `json:"meta,omitempty"`

	// In a Payment notification only: the order it belongs to and who
	// paid.
	Order *Order `json:"order,omitempty"`
	Payer *Payer `json:"payer,omitempty"`
}

// RefundOperation is a refund of (part of) a payment
// (RefundOperationLightModel): a partial refund leaves the payment
// Authorized, with its refunds listed here. Amounts in cents.
type RefundOperation struct {
	ID        int64  `json:"id"`
	Amount    int64  `json:"amount"`
	AmountTip int64  `json:"amountTip,omitempty"`
	Status    string `json:"status,omitempty"`
	Meta      *Meta  `json:"meta,omitempty"`
}

// refunded returns what the payment's refund operations give back, but
// those refused or canceled.
func (p *Payment) refunded() int64 {
	var sum int64
	for _, r := range p.RefundOperations {
		switch strings.ToLower(r.Status) {
		case "refused", "canceled", "cancelled", "abandoned":
			continue
		}
		sum += max(r.Amount, 0)
	}
	return sum
}

// Payment states at HelloAsso that Badgeuse acts on.
const (
	stateAuthorized = "Authorized"
	stateRegistered = "Registered"
	stateRefunded   = "Refunded"
	stateRefunding  = "Refunding"
	stateContested  = "Contested" // a chargeback
)

// ItemReversal says whether the money of an item is going back, and why
// (central.ReasonContested, ReasonRefunding, ReasonPartialRefund,
// ReasonRefund, in that order when several payments say so), or "": a
// payment that covers it is Contested (a chargeback), Refunding (a refund
// under way), Refunded, or still Authorized but with refund operations (a
// partial refund; refunds reaching the payment's amount count as a full
// refund). HelloAsso does not say which item of a payment a partial refund
// pays back: every item the payment covers counts as reversed.
func (o *Order) ItemReversal(it *Item) string {
	var contested, refunding, partial, refunded bool
	for i := range o.Payments {
		p := &o.Payments[i]
		if !covers(p, it) {
			continue
		}
		switch p.State {
		case stateContested:
			contested = true
		case stateRefunding:
			refunding = true
		case stateRefunded:
			refunded = true
		case stateAuthorized, stateRegistered:
			switch back := p.refunded(); {
			case back > 0 && back >= p.Amount:
				refunded = true
			case back > 0:
				partial = true
			}
		}
	}
	switch {
	case contested:
		return central.ReasonContested
	case refunding:
		return central.ReasonRefunding
	case partial:
		return central.ReasonPartialRefund
	case refunded:
		return central.ReasonRefund
	}
	return ""
}

// ItemState says whether an item is paid, refunded or neither, from the
// item's state and the states of the payments that cover it:
//
//   - refunded: its money is going back, in part or in full, for good or
//     not yet (ItemReversal): a card is never left credited for money the
//     association may not keep;
//   - paid: the item is Processed (or Registered) and a covering payment is
//     Authorized (or Registered, for offline payments), or the item is free;
//   - otherwise pending (an instalment plan is paid from its first
//     authorized instalment).
func (o *Order) ItemState(it *Item) central.PaymentState {
	var paid, covered bool
	for i := range o.Payments {
		p := &o.Payments[i]
		if !covers(p, it) {
			continue
		}
		covered = true
		switch p.State {
		case stateAuthorized, stateRegistered:
			paid = true
		}
	}
	switch {
	case o.ItemReversal(it) != "":
		return central.PaymentRefunded
	case it.State != "Processed" && it.State != "Registered":
		return central.PaymentPending
	case paid, !covered && it.Amount == 0:
		return central.PaymentPaid
	}
	return central.PaymentPending
}

// covers reports whether payment p pays (part of) item it, as either side
// lists the other.
func covers(p *Payment, it *Item) bool {
	for _, s := range p.Items {
		if s.ID == it.ID {
			return true
		}
	}
	for _, s := range it.Payments {
		if s.ID == p.ID {
			return true
		}
	}
	return false
}

// Paid returns what the item was paid in cents: its amount, which
// HelloAsso gives after discount but without the options bought with it,
// plus those options (options[].amount). A negative amount counts as 0.
func (it *Item) Paid() int64 {
	paid := max(it.Amount, 0)
	for _, o := range it.Options {
		paid += max(o.Amount, 0)
	}
	return paid
}

// PaymentOrder converts the order for central. Item ids become the sales'
// external references; an item's amount includes its paid options (Paid);
// the beneficiary's e-mail is taken from a custom field that asks for an
// e-mail, when the form has one.
func (o *Order) PaymentOrder() *central.PaymentOrder {
	po := &central.PaymentOrder{
		Source:   central.SourceHelloAsso,
		ID:       strconv.FormatInt(o.ID, 10),
		Form:     o.FormSlug,
		FormType: o.FormType,
		Date:     parseTime(o.Date),
	}
	if o.Payer != nil {
		po.Payer = central.Payer{
			Email:     strings.TrimSpace(o.Payer.Email),
			FirstName: o.Payer.FirstName,
			LastName:  o.Payer.LastName,
			Company:   o.Payer.Company,
			Address:   o.Payer.Address,
			ZipCode:   o.Payer.ZipCode,
			City:      o.Payer.City,
			Country:   Alpha2(o.Payer.Country),
		}
	}
	for i := range o.Items {
		it := &o.Items[i]
		pi := central.PaymentItem{
			ID:       strconv.FormatInt(it.ID, 10),
			Name:     strings.TrimSpace(it.Name),
			Type:     it.Type,
			Amount:   it.Paid(),
			State:    o.ItemState(it),
			Gift:     o.Gift(it),
			Reversal: o.ItemReversal(it),
			Email:    fieldEmail(it.CustomFields),
		}
		if pi.Name == "" {
			pi.Name = it.TierDescription
		}
		if it.User != nil {
			pi.FirstName, pi.LastName = it.User.FirstName, it.User.LastName
		}
		po.Items = append(po.Items, pi)
	}
	return po
}

// fieldEmail returns the answer of the first custom field that asks for an
// e-mail ("Email", "Courriel", "E-mail du bénéficiaire"...) and holds one.
func fieldEmail(fields []CustomField) string {
	for _, f := range fields {
		name := strings.ToLower(f.Name)
		if !strings.Contains(name, "mail") && !strings.Contains(name, "courriel") {
			continue
		}
		answer := strings.TrimSpace(f.Answer)
		if a, err := mail.ParseAddress(answer); err == nil && a.Address == answer {
			return answer
		}
	}
	return ""
}

// parseTime reads HelloAsso's ISO 8601 times ("2024-06-07T14:11:15.7442115+02:00");
// the zero time when unreadable.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
