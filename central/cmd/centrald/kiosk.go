package main

import (
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlite"
)

func cmdKioskAdd(e *env, args []string) error {
	name := e.fs.String("name", "", "kiosk name, e.g. \"Porte d'entrée\"")
	space := e.fs.String("space", "", "the space it guards (default: the main space)")
	db, err := e.start(args, "name")
	if err != nil {
		return err
	}
	token, err := sqlite.NewKioskService(db).CreateKiosk(e.ctx, &central.Kiosk{Name: *name, Space: *space})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, token)
	return nil
}

func cmdKioskList(e *env, args []string) error {
	db, err := e.start(args)
	if err != nil {
		return err
	}
	ks, _, err := sqlite.NewKioskService(db).FindKiosks(e.ctx, central.KioskFilter{})
	if err != nil {
		return err
	}
	loc, err := spaceZone(e.ctx, db)
	if err != nil {
		return err
	}
	lw := newListWriter(e.stdout, false, "ID\tNAME\tSPACE\tSTATE\tLAST SEEN\tACKED\tPENDING\tSOFTWARE")
	for _, k := range ks {
		state := "enrolled"
		switch {
		case k.Disabled:
			state = "disabled"
		case k.Enrolled.IsZero() && !k.EnrollExpires.After(time.Now()):
			state = "token expired"
		case k.Enrolled.IsZero():
			state = "waiting for enrollment"
		}
		seen := "never"
		if !k.LastSeen.IsZero() {
			seen = k.LastSeen.In(loc).Format(time.DateTime)
		}
		if err := lw.line(nil, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", k.ID, k.Name, k.Space, state, seen, k.Acked, k.Pending,
			k.Software); err != nil {
			return err
		}
	}
	return lw.flush()
}

func cmdKioskDisable(e *env, args []string) error { return setKioskDisabled(e, args, true) }
func cmdKioskEnable(e *env, args []string) error  { return setKioskDisabled(e, args, false) }

func setKioskDisabled(e *env, args []string, disabled bool) error {
	id := e.fs.Int64("kiosk", 0, "kiosk id")
	db, err := e.start(args, "kiosk")
	if err != nil {
		return err
	}
	return sqlite.NewKioskService(db).SetKioskDisabled(e.ctx, *id, disabled)
}
