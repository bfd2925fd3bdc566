package main

import (
	"encoding/json"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

func cmdProductAdd(e *env, args []string) error {
	name := e.fs.String("name", "", "product name, e.g. \"Carte 10 entrées\"")
	kind := e.fs.String("kind", "", "pack, subscription or unlimited")
	entries := e.fs.Int("entries", 0, "entries of a pack")
	days := e.fs.Int("days", 0, "validity of a pack or unlimited plan (0: no expiry), period of a subscription")
	price := e.fs.String("price", "", "price in euros, e.g. 120 or 120,50")
	if err := e.flags(args, "name", "kind", "price"); err != nil {
		return err
	}
	cents, err := central.ParseMoney(*price)
	if err != nil {
		return usagef("--price: %s", central.ErrorMessage(err))
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	p := &central.Product{Name: *name, Kind: access.Kind(*kind), Entries: *entries, Days: *days, Price: int64(cents)}
	if err := db.Product.CreateProduct(e.ctx, p); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, p.ID)
	return nil
}

func cmdSell(e *env, args []string) error {
	member := e.fs.Int64("member", 0, "member id")
	product := e.fs.Int64("product", 0, "product id")
	amount := e.fs.String("amount", "", "amount paid in euros, if not the product's price")
	if err := e.flags(args, "member", "product"); err != nil {
		return err
	}
	n := central.NewSale{Member: *member, Product: *product, Source: central.SourceCLI}
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
			SubscriptionUntil: b.SubscriptionUntil.String(), Overdraft: b.Overdraft})
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
	fmt.Fprintln(e.stdout)
	return nil
}
