package email

import (
	"context"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// Renewals queues the membership renewal reminders (central.RenewalDue):
// RenewalLead days before a member's dues end and on their last day, one
// of each per member and period, ever: the outbox key names the member,
// the period's last day and the reminder, so that running it again, every
// hour or after a restart, queues nothing twice. A member who renewed
// early has a later last day: the old period's reminders are not due.
// The mail goes out in her language, with the link that turns reminders
// off (the Handler's Prefs) and the HelloAsso form of the membership
// product to renew with (central.RenewURL), when join.forms has one.
type Renewals struct {
	Members  central.MemberService
	Ledger   central.LedgerService
	Products central.ProductService
	Outbox   central.Outbox
	Settings central.SettingsService
}

// renewalPage is how many members are read at a time.
const renewalPage = 500

// RenewalKey is the outbox key (after the topic) of a reminder of dues
// ending on until: "member:7:2027-12-31:before".
func RenewalKey(member int64, until access.Day, reminder string) string {
	return fmt.Sprintf("member:%d:%s:%s", member, until, reminder)
}

// Run queues the reminders due today (the store's day in the space's time
// zone) to active members with an address, and returns how many it queued
// (those already queued another time are not counted). Without e-mail set
// up it queues nothing: a reminder queued then would only be skipped.
func (r *Renewals) Run(ctx context.Context) (int, error) {
	set, err := r.Settings.Settings(ctx)
	if err != nil {
		return 0, err
	}
	if !ConfigFrom(set).Enabled() {
		return 0, nil
	}
	// The outbox forgets finished messages after entries.retention_days:
	// the first reminder is not caught up longer than it remembers it.
	catchUp := min(central.RenewalCatchUp, set.RetentionDays()-1)
	forms := set.Join().Forms
	var products []*central.Product
	if len(forms) > 0 {
		if products, _, err = r.Products.FindProducts(ctx, central.ProductFilter{}); err != nil {
			return 0, err
		}
	}
	paid, active := true, access.MemberActive
	queued := 0
	for offset := 0; ; offset += renewalPage {
		ms, _, err := r.Members.FindMembers(ctx, central.MemberFilter{DuesPaid: &paid, Status: &active,
			Offset: offset, Limit: renewalPage})
		if err != nil {
			return queued, err
		}
		for _, m := range ms {
			ok, err := r.remind(ctx, m, catchUp, forms, products)
			if err != nil {
				return queued, err
			}
			if ok {
				queued++
			}
		}
		if len(ms) < renewalPage {
			return queued, nil
		}
	}
}

// remind queues a member's reminder if one is due.
func (r *Renewals) remind(ctx context.Context, m *central.Member, catchUp int, forms map[int64]string, products []*central.Product) (bool, error) {
	until := m.Balance.MembershipUntil
	reminder, left := central.RenewalDue(m.Balance.Day, until, catchUp)
	if reminder == "" || m.Email == "" {
		return false, nil
	}
	p := Payload{Member: m.ID, Until: until.String(), DaysLeft: left}
	if len(forms) > 0 {
		sales, _, err := r.Ledger.FindSales(ctx, central.SaleFilter{Member: &m.ID})
		if err != nil {
			return false, err
		}
		_, latest := central.DuesOf(sales, m.Balance.Day)
		if u := central.RenewURL(forms, latest, products); webURL(u) {
			p.BuyURL = u
		}
	}
	msg, err := NewMessage(KindRenewal, RenewalKey(m.ID, until, reminder), p)
	if err != nil {
		return false, err
	}
	return r.Outbox.EnqueueOutbox(ctx, msg)
}
