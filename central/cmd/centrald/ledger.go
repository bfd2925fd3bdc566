package main

import (
	"encoding/json"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

func cmdProductAdd(e *env, args []string) error {
	name := e.fs.String("name", "", "product name, e.g. \"Carte 10 entrées\"")
	kind := e.fs.String("kind", "", "pack, subscription, unlimited or membership (dues)")
	entries := e.fs.Int("entries", 0, "entries of a pack")
	days := e.fs.Int("days", 0, "validity of a pack or unlimited plan (0: no expiry), period of a subscription or membership")
	year := e.fs.Bool("year", false, "membership: the calendar year (paid on or after membership.cutoff: the next year too)")
	price := e.fs.String("price", "", "price in euros, e.g. 120 or 120,50")
	space := e.fs.String("space", "", "the space that sells it: id or name (the only one when there is one)")
	spaces := e.fs.String("spaces", "", "where it is valid: all, or space ids (or names) separated by commas (default: the selling space only)")
	if err := e.flags(args, "name", "kind", "price"); err != nil {
		return err
	}
	if access.Kind(*kind) == access.Membership {
		// Exactly one of the two periods: a membership without one would
		// silently be a calendar year.
		if *year == (*days > 0) {
			return usagef("a membership needs --days N or --year (not both)")
		}
	} else if *year {
		return usagef("--year is for a membership (--kind membership)")
	}
	cents, err := central.ParseMoney(*price)
	if err != nil {
		return usagef("--price: %s", central.ErrorMessage(err))
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	seller, err := findSpace(e, db, *space)
	if err != nil {
		return err
	}
	all, err := db.Space.FindSpaces(e.ctx)
	if err != nil {
		return err
	}
	valid, err := central.ParseProductSpaces(all, *spaces)
	if err != nil {
		return usagef("--spaces: %s", central.ErrorMessage(err))
	}
	p := &central.Product{Name: *name, Kind: access.Kind(*kind), Entries: *entries, Days: *days, Price: int64(cents)}
	if err := db.Product.CreateProduct(e.ctx, p); err != nil {
		return err
	}
	// A new product is sold by the main space and valid there (the
	// store's defaults): the places are set only when they differ.
	if seller.ID != central.MainSpace || valid != (central.ProductSpaces{}) {
		if err := db.Space.SetProductSpaces(e.ctx, p.ID, seller.ID, valid); err != nil {
			return err
		}
	}
	fmt.Fprintln(e.stdout, p.ID)
	return nil
}

func cmdSell(e *env, args []string) error {
	member := e.fs.Int64("member", 0, "member id")
	product := e.fs.Int64("product", 0, "product id")
	amount := e.fs.String("amount", "", "amount paid in euros, if not the product's price")
	paid := e.fs.String("paid", string(central.PaidOther), "how it was paid: cash, cheque, transfer, card, other, or unpaid (owed until recorded as paid)")
	bank := e.fs.String("bank", "", "a cheque's bank")
	number := e.fs.String("cheque", "", "a cheque's number")
	payer := e.fs.String("payer", "", "who paid, when not the member")
	if err := e.flags(args, "member", "product"); err != nil {
		return err
	}
	switch m := central.PaymentMethod(*paid); {
	case m == central.PaidHelloAsso:
		return usagef("--paid helloasso: HelloAsso's payments come by themselves")
	case !m.Valid():
		return usagef("--paid: want cash, cheque, transfer, card, other or unpaid")
	}
	n := central.NewSale{Member: *member, Product: *product, Source: central.SourceCLI,
		PaidBy: central.PaidBy{Method: central.PaymentMethod(*paid), Bank: *bank, Number: *number, Payer: *payer}}
	if *amount != "" {
		cents, err := central.ParseMoney(*amount)
		if err != nil {
			return usagef("--amount: %s", central.ErrorMessage(err))
		}
		paid := int64(cents)
		n.Amount = &paid
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	s, err := db.Ledger.CreateSale(e.ctx, n)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, s.ID)
	return nil
}

func cmdPay(e *env, args []string) error {
	sale := e.fs.Int64("sale", 0, "sale id")
	paid := e.fs.String("paid", "", "how it was paid: cash, cheque, transfer, card or other")
	dayS := e.fs.String("day", "", "the day the money came in (YYYY-MM-DD; default today)")
	bank := e.fs.String("bank", "", "a cheque's bank")
	number := e.fs.String("cheque", "", "a cheque's number")
	payer := e.fs.String("payer", "", "who paid, when not the member")
	if err := e.flags(args, "sale", "paid"); err != nil {
		return err
	}
	day, err := access.ParseDay(*dayS)
	if err != nil {
		return usagef("--day: %v", err)
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	_, err = db.Ledger.PaySale(e.ctx, *sale, central.PaidBy{Method: central.PaymentMethod(*paid),
		Day: day, Bank: *bank, Number: *number, Payer: *payer})
	return err
}

func cmdRefund(e *env, args []string) error {
	sale := e.fs.Int64("sale", 0, "sale id")
	db, err := e.start(args, "sale")
	if err != nil {
		return err
	}
	_, err = db.Ledger.RefundSale(e.ctx, *sale)
	return err
}

// balanceJSON is the line printed by "balance --json" (a contract).
type balanceJSON struct {
	Member            int64  `json:"member"`
	EntriesLeft       int    `json:"entries_left"`
	SubscriptionUntil string `json:"subscription_until"` // YYYY-MM-DD, "" for none
	Overdraft         int    `json:"overdraft"`
	// MembershipUntil is the last day of her dues (adhésion) that end
	// today or later: YYYY-MM-DD, "" for none.
	MembershipUntil string `json:"membership_until"`
}

func cmdBalance(e *env, args []string) error {
	member := e.fs.Int64("member", 0, "member id")
	asJSON := e.fs.Bool("json", false, "print one JSON object")
	db, err := e.start(args, "member")
	if err != nil {
		return err
	}
	b, err := db.Ledger.MemberBalance(e.ctx, *member, access.Day{})
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(balanceJSON{Member: b.Member, EntriesLeft: b.EntriesLeft,
			SubscriptionUntil: b.SubscriptionUntil.String(), Overdraft: b.Overdraft,
			MembershipUntil: b.MembershipUntil.String()})
	}
	fmt.Fprintf(e.stdout, "member %d on %s: %d entries left", b.Member, b.Day, b.EntriesLeft)
	if b.Overdraft > 0 {
		fmt.Fprintf(e.stdout, " (%d owed)", b.Overdraft)
	}
	if !b.SubscriptionUntil.IsZero() {
		fmt.Fprintf(e.stdout, ", subscription until %s", b.SubscriptionUntil)
	}
	if b.Unlimited {
		fmt.Fprint(e.stdout, ", unlimited")
	}
	switch {
	case b.MembershipValid:
		fmt.Fprintf(e.stdout, ", dues paid until %s", b.MembershipUntil)
	case !b.MembershipUntil.IsZero():
		fmt.Fprintf(e.stdout, ", dues from a later day until %s", b.MembershipUntil)
	default:
		fmt.Fprint(e.stdout, ", dues not paid")
	}
	fmt.Fprintln(e.stdout)
	return nil
}
