package main

import (
	"fmt"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// cmdGuestAdd issues a guest pass, as the bureau (no quota), and prints its
// text: the QR code to send the guest.
func cmdGuestAdd(e *env, args []string) error {
	host := e.fs.Int64("host", 0, "the member who invites")
	name := e.fs.String("name", "", "the guest's name")
	dayFlag := e.fs.String("day", "", "the day, YYYY-MM-DD")
	space := e.fs.String("space", "", "the space: id or name (default: the main space)")
	db, err := e.start(args, "host", "name", "day")
	if err != nil {
		return err
	}
	day, err := access.ParseDay(*dayFlag)
	if err != nil || day.IsZero() {
		return usagef("--day: %q is not a day such as 2026-12-24", *dayFlag)
	}
	// The pass is signed with the name its space's kiosks check it with
	// (central.PullPage): the main space's is space.name.
	place := ""
	if *space != "" {
		sp, err := findSpace(e, db, *space)
		if err != nil {
			return err
		}
		if sp.ID != central.MainSpace {
			place = sp.Name
		}
	}
	if place == "" {
		st, err := db.Settings.Settings(e.ctx)
		if err != nil {
			return err
		}
		place = st.SpaceName()
	}
	g := &central.GuestPass{Host: *host, Name: *name, Day: day, Space: place}
	if err := db.Guest.IssueGuestPass(e.ctx, g, 0); err != nil {
		return err
	}
	key, err := db.SigningKey()
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, central.GuestPassText(key, g))
	return nil
}
