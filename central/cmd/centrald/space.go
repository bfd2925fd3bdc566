package main

import (
	"fmt"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// The spaces of a network (issue 14): "space add" and "space list", and
// how "kiosk add" and "product add" name a space (--space: its id or its
// name; the only space when there is one).

func cmdSpaceAdd(e *env, args []string) error {
	name := e.fs.String("name", "", "the space's name, e.g. \"La Cantine\"")
	tz := e.fs.String("timezone", "", "its IANA time zone, e.g. Europe/Paris (default: the setting space.timezone)")
	address := e.fs.String("address", "", "its postal address")
	hours := e.fs.String("hours", "", "its door's opening hours, e.g. \"mon-fri 08:00-20:00; sat 09:00-13:00\" (default: the setting space.hours)")
	db, err := e.start(args, "name")
	if err != nil {
		return err
	}
	s := &central.Space{Name: *name, Timezone: *tz, Address: *address, Hours: *hours}
	if err := db.Space.CreateSpace(e.ctx, s); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, s.ID)
	return nil
}

func cmdSpaceSet(e *env, args []string) error {
	space := e.fs.String("space", "", "the space: id or name")
	rest, err := e.parse(args, 2)
	if err != nil {
		return err
	}
	if err := e.required("space"); err != nil {
		return err
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	s, err := findSpace(e, db, *space)
	if err != nil {
		return err
	}
	return db.Space.SetSpacePolicy(e.ctx, s.ID, rest[0], rest[1])
}

// spaceLine is a line of "centrald space list --json" (a contract: its
// fields are never renamed).
type spaceLine struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Timezone string `json:"timezone"` // its own, or the setting space.timezone
	Address  string `json:"address"`
	Hours    string `json:"hours"`
	Kiosks   int    `json:"kiosks"`
	// Policies are its own door policies (settings over the network's).
	Policies map[string]string `json:"policies"`
}

func cmdSpaceList(e *env, args []string) error {
	asJSON := e.fs.Bool("json", false, "one JSON object per line: id, name, timezone, address, hours, kiosks")
	db, err := e.start(args)
	if err != nil {
		return err
	}
	spaces, err := db.Space.FindSpaces(e.ctx)
	if err != nil {
		return err
	}
	set, err := db.Settings.Settings(e.ctx)
	if err != nil {
		return err
	}
	ks, _, err := db.Kiosk.FindKiosks(e.ctx, central.KioskFilter{})
	if err != nil {
		return err
	}
	kiosks := map[int64]int{}
	for _, k := range ks {
		kiosks[central.SpaceOfKey(spaces, k.Space)]++
	}
	lw := newListWriter(e.stdout, *asJSON, "ID\tNAME\tTIMEZONE\tKIOSKS\tADDRESS")
	for _, s := range spaces {
		l := spaceLine{ID: s.ID, Name: s.Name, Timezone: s.Timezone, Address: s.Address, Hours: s.Hours, Kiosks: kiosks[s.ID],
			Policies: s.Policies}
		if l.Policies == nil {
			l.Policies = map[string]string{}
		}
		if l.Timezone == "" {
			l.Timezone = set.Timezone()
		}
		if err := lw.line(l, "%d\t%s\t%s\t%d\t%s\n", l.ID, l.Name, l.Timezone, l.Kiosks, l.Address); err != nil {
			return err
		}
	}
	return lw.flush()
}

// findSpace returns the space --space names (id or name; "" the only one).
func findSpace(e *env, db *database, ref string) (*central.Space, error) {
	spaces, err := db.Space.FindSpaces(e.ctx)
	if err != nil {
		return nil, err
	}
	s, err := central.FindSpace(spaces, ref)
	if err != nil && central.ErrorCode(err) != central.EINTERNAL {
		return nil, usagef("--space: %s", central.ErrorMessage(err))
	}
	return s, err
}

// settlementLine is a line of "centrald settlement --json" (a contract:
// its fields are never renamed).
type settlementLine struct {
	Month  string `json:"month"`
	Host   int64  `json:"host"`   // the space that received the visits
	Seller int64  `json:"seller"` // the space that sold the passes used
	Visits int    `json:"visits"`
	Amount int64  `json:"amount"` // cents: visits × --rate
}

func cmdSettlement(e *env, args []string) error {
	month := e.fs.String("month", "", "the month, YYYY-MM")
	rate := e.fs.String("rate", "0", "what the seller pays the host per visit, in euros (the spaces' convention)")
	asJSON := e.fs.Bool("json", false, "one JSON object per line: month, host, seller, visits, amount (cents)")
	if err := e.flags(args, "month"); err != nil {
		return err
	}
	first, err := access.ParseDay(*month + "-01")
	if err != nil || len(*month) != 7 {
		return usagef("--month: want YYYY-MM")
	}
	cents, err := central.ParseMoney(*rate)
	if err != nil {
		return usagef("--rate: %s", central.ErrorMessage(err))
	}
	last := access.Day{Year: first.Year, Month: first.Month + 1, Day: 1}.AddDays(-1) // AddDays normalizes month 13
	db, err := e.open()
	if err != nil {
		return err
	}
	spaces, err := db.Space.FindSpaces(e.ctx)
	if err != nil {
		return err
	}
	visits, _, err := db.Entry.FindVisits(e.ctx, central.VisitFilter{Since: first, Until: last})
	if err != nil {
		return err
	}
	sales, _, err := db.Ledger.FindSales(e.ctx, central.SaleFilter{})
	if err != nil {
		return err
	}
	saleProduct := make(map[int64]int64, len(sales))
	for _, s := range sales {
		saleProduct[s.ID] = s.Product
	}
	places, err := db.Space.ProductPlaces(e.ctx)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, s := range spaces {
		names[s.ID] = s.Name
	}
	lw := newListWriter(e.stdout, *asJSON, "MONTH\tHOST\tSELLER\tVISITS\tAMOUNT")
	for _, l := range central.SettleSpaces(spaces, visits, saleProduct, places, int64(cents)) {
		if err := lw.line(settlementLine{Month: *month, Host: l.Host, Seller: l.Seller, Visits: l.Visits, Amount: l.Amount},
			"%s\t%s\t%s\t%d\t%s\n", *month, names[l.Host], names[l.Seller], l.Visits, central.Money(l.Amount).French()); err != nil {
			return err
		}
	}
	return lw.flush()
}
