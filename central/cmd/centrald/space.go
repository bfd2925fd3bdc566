package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/badgeuse/badgeuse/central"
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
	channel := e.fs.String("slack-channel", "", "the channel ID (C...) of the space's arrival posts and digest (\"\": the setting slack.channel)")
	mailName := e.fs.String("mail-name", "", "the sender name of the mails a visit at the space causes (\"\": the association's name)")
	name := e.fs.String("name", "", "its new name (no comma; its kiosks and visits keep the space; the main space's is the setting space.name)")
	address := e.fs.String("address", "", "its postal address, given to guests and on public event pages (\"\": none)")
	rest, err := e.parse(args, 2, 0) // KEY VALUE, or only the flags
	if err != nil {
		return err
	}
	if err := e.required("space"); err != nil {
		return err
	}
	given := map[string]bool{}
	e.fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if len(rest) == 0 && !given["slack-channel"] && !given["mail-name"] && !given["name"] && !given["address"] {
		return usagef("space set: want KEY VALUE, --name, --address, --slack-channel or --mail-name")
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	s, err := findSpace(e, db, *space)
	if err != nil {
		return err
	}
	if given["name"] {
		if err := db.Space.RenameSpace(e.ctx, s.ID, *name); err != nil {
			return err
		}
	}
	if given["address"] {
		if err := db.Space.SetSpaceAddress(e.ctx, s.ID, *address); err != nil {
			return err
		}
	}
	if given["slack-channel"] || given["mail-name"] {
		// A flag not given keeps its value.
		if !given["slack-channel"] {
			*channel = s.SlackChannel
		}
		if !given["mail-name"] {
			*mailName = s.MailName
		}
		if err := db.Space.SetSpaceMessaging(e.ctx, s.ID, *channel, *mailName); err != nil {
			return err
		}
	}
	if len(rest) == 2 {
		// KEY is a door policy (door.*, kiosk.*) or a setting of the
		// space's own books (association.*, pennylane.*, helloasso.*).
		if central.IsBooksKey(rest[0]) {
			value := rest[1]
			if value == "-" { // as settings set: a token kept out of the process list
				data, err := io.ReadAll(io.LimitReader(e.stdin, 1<<16))
				if err != nil {
					return err
				}
				value = strings.TrimRight(string(data), "\r\n")
			}
			return db.Space.SetSpaceBooks(e.ctx, s.ID, rest[0], value)
		}
		return db.Space.SetSpacePolicy(e.ctx, s.ID, rest[0], rest[1])
	}
	return nil
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
	// SlackChannel and MailName are its own ("" the network's).
	SlackChannel string `json:"slack_channel"`
	MailName     string `json:"mail_name"`
	// Books are its own books settings (association.*, pennylane.*,
	// helloasso.* over the network's), secrets masked as settings list
	// masks them.
	Books map[string]string `json:"books"`
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
			Policies: s.Policies, SlackChannel: s.SlackChannel, MailName: s.MailName}
		if l.Policies == nil {
			l.Policies = map[string]string{}
		}
		l.Books = map[string]string{}
		for k, v := range s.Books {
			def, _ := central.LookupSetting(k)
			l.Books[k] = def.Mask(v)
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
	if central.ErrorCode(err) == central.ENOTFOUND {
		return nil, usagef("--space: %s The spaces: %s.", central.ErrorMessage(err), central.SpaceList(spaces))
	}
	if err != nil && central.ErrorCode(err) != central.EINTERNAL {
		return nil, usagef("--space: %s", central.ErrorMessage(err))
	}
	return s, err
}

// findPlace returns the place --space names for an event (ResolvePlace:
// "" the main space, a space's id, name or key), refusing one that names
// no space with the list of the spaces.
func findPlace(e *env, db *database, ref string) (string, error) {
	spaces, err := db.Space.FindSpaces(e.ctx)
	if err != nil {
		return "", err
	}
	place, err := central.ResolvePlace(spaces, ref)
	if err != nil {
		return "", usagef("--space: %s", central.ErrorMessage(err))
	}
	return place, nil
}

// conventionLine is a line of "centrald space conventions --json" (a
// contract: its fields are never renamed).
type conventionLine struct {
	Host   int64 `json:"host"`   // the space that receives the visits
	Seller int64 `json:"seller"` // the space that sold the passes, which pays
	Rate   int64 `json:"rate"`   // cents per visit
}

func cmdSpaceConvention(e *env, args []string) error {
	host := e.fs.String("host", "", "the space that receives the visits: id or name")
	seller := e.fs.String("seller", "", "the space that sold the passes and pays: id or name")
	rate := e.fs.String("rate", "", "what the seller pays the host per visit, in euros (e.g. 3,50)")
	if err := e.flags(args, "host", "seller", "rate"); err != nil {
		return err
	}
	cents, err := central.ParseMoney(*rate)
	if err != nil {
		return usagef("--rate: %s", central.ErrorMessage(err))
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	h, err := findSpace(e, db, *host)
	if err != nil {
		return err
	}
	s, err := findSpace(e, db, *seller)
	if err != nil {
		return err
	}
	return db.Space.SetConvention(e.ctx, &central.Convention{Host: h.ID, Seller: s.ID, Rate: int64(cents)})
}

func cmdSpaceConventions(e *env, args []string) error {
	asJSON := e.fs.Bool("json", false, "one JSON object per line: host, seller, rate (cents per visit)")
	db, err := e.start(args)
	if err != nil {
		return err
	}
	spaces, err := db.Space.FindSpaces(e.ctx)
	if err != nil {
		return err
	}
	cs, err := db.Space.Conventions(e.ctx)
	if err != nil {
		return err
	}
	name := func(id int64) string {
		if s := central.SpaceByID(spaces, id); s != nil {
			return s.Name
		}
		return ""
	}
	lw := newListWriter(e.stdout, *asJSON, "HOST\tSELLER\tRATE")
	for _, c := range cs {
		if err := lw.line(conventionLine{Host: c.Host, Seller: c.Seller, Rate: c.Rate}, "%s\t%s\t%s\n",
			name(c.Host), name(c.Seller), central.Money(c.Rate).French()); err != nil {
			return err
		}
	}
	return lw.flush()
}

// settlementLine is a line of "centrald settlement --json" (a contract:
// its fields are never renamed).
type settlementLine struct {
	Month  string `json:"month"`
	Host   int64  `json:"host"`   // the space that received the visits
	Seller int64  `json:"seller"` // the space that sold the passes used
	Visits int    `json:"visits"`
	Amount int64  `json:"amount"` // cents: visits × rate
	Rate   int64  `json:"rate"`   // cents per visit: --rate, or the spaces' convention
	// Agreed is false when the two spaces have no convention (and no
	// --rate was given): the amount is 0 until they sign one.
	Agreed bool `json:"agreed"`
}

func cmdSettlement(e *env, args []string) error {
	month := e.fs.String("month", "", "the month, YYYY-MM")
	rate := e.fs.String("rate", "", "what the seller pays the host per visit, in euros, for every pair (default: each pair's convention, centrald space convention)")
	asJSON := e.fs.Bool("json", false, "one JSON object per line: month, host, seller, visits, amount (cents), rate (cents), agreed")
	if err := e.flags(args, "month"); err != nil {
		return err
	}
	if _, _, err := central.ParseMonth(*month); err != nil {
		return usagef("--month: want YYYY-MM")
	}
	var override *int64
	if *rate != "" {
		cents, err := central.ParseMoney(*rate)
		if err != nil {
			return usagef("--rate: %s", central.ErrorMessage(err))
		}
		override = new(int64(cents))
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	st, err := db.settlements().Settle(e.ctx, *month, override)
	if err != nil {
		return err
	}
	lw := newListWriter(e.stdout, *asJSON, "MONTH\tHOST\tSELLER\tVISITS\tRATE\tAMOUNT")
	for _, l := range st.Lines {
		rate := central.Money(l.Rate).French()
		if !l.Agreed {
			rate = "-"
		}
		if err := lw.line(settlementLine{Month: *month, Host: l.Host, Seller: l.Seller, Visits: l.Visits, Amount: l.Amount,
			Rate: l.Rate, Agreed: l.Agreed},
			"%s\t%s\t%s\t%d\t%s\t%s\n", *month, st.SpaceName(l.Host), st.SpaceName(l.Seller), l.Visits, rate,
			central.Money(l.Amount).French()); err != nil {
			return err
		}
	}
	return lw.flush()
}

// settlements returns the settlement use case on db.
func (db *database) settlements() central.SettlementSources {
	return central.SettlementSources{Spaces: db.Space, Visits: db.Entry, Sales: db.Ledger}
}
