package main

import (
	"fmt"

	"github.com/badgeuse/badgeuse/central"
)

// The spaces of a network (issue 14): "space add" and "space list", and
// how "kiosk add" and "product add" name a space (--space: its id or its
// name; the only space when there is one).

func cmdSpaceAdd(e *env, args []string) error {
	name := e.fs.String("name", "", "the space's name, e.g. \"La Cantine\"")
	tz := e.fs.String("timezone", "", "its IANA time zone, e.g. Europe/Paris (default: the setting space.timezone)")
	address := e.fs.String("address", "", "its postal address")
	hours := e.fs.String("hours", "", "its opening hours, as people read them")
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

// spaceLine is a line of "centrald space list --json" (a contract: its
// fields are never renamed).
type spaceLine struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Timezone string `json:"timezone"` // its own, or the setting space.timezone
	Address  string `json:"address"`
	Hours    string `json:"hours"`
	Kiosks   int    `json:"kiosks"`
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
		l := spaceLine{ID: s.ID, Name: s.Name, Timezone: s.Timezone, Address: s.Address, Hours: s.Hours, Kiosks: kiosks[s.ID]}
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
