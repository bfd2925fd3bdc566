package main

import (
	"fmt"
	"io"
	"os"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/spreadsheet"
)

func cmdMemberAdd(e *env, args []string) error {
	name := e.fs.String("name", "", "full name")
	email := e.fs.String("email", "", "e-mail address")
	db, err := e.start(args, "name")
	if err != nil {
		return err
	}
	m := &central.Member{Name: *name, Email: *email}
	if err := db.Member.CreateMember(e.ctx, m); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, m.ID)
	return welcome(e, db, m)
}

// welcome welcomes a member just added with an address, as the admin
// does: with e-mail set up (smtp.*), her personal link and a badge are
// made and the welcome mail is queued, for centrald serve to send. The
// link needs CENTRALD_PUBLIC_URL; without it the member stays added and
// stderr says how to welcome her later.
func welcome(e *env, db *database, m *central.Member) error {
	mails := adminMails{db}
	if m.Email == "" || !mails.Enabled(e.ctx) {
		return nil
	}
	base := os.Getenv("CENTRALD_PUBLIC_URL")
	if base == "" {
		fmt.Fprintf(e.stderr, "member %d not welcomed by e-mail: set CENTRALD_PUBLIC_URL (the address members reach central at), "+
			"or e-mail her link from her page in the admin\n", m.ID)
		return nil
	}
	queued, err := admin.Welcomer{Links: db.Admin, Badges: db.Badge, Mails: mails, PublicURL: base}.Welcome(e.ctx, m, "")
	if err != nil {
		return fmt.Errorf("member %d added, but her welcome e-mail: %w", m.ID, err)
	}
	if queued {
		fmt.Fprintf(e.stderr, "welcome e-mail to %s queued (centrald serve sends it)\n", m.Email)
	}
	return nil
}

// cmdMemberImport adds the members of a spreadsheet. The report goes to
// stderr, one line per problem ("line 4: ..."), then a summary; the ids of
// the members added go to stdout, one per line. Members whose e-mail is
// already known are skipped (so an import can be run again). Any other
// problem cancels the whole import, unless --skip-errors.
func cmdMemberImport(e *env, args []string) error {
	dryRun := e.fs.Bool("dry-run", false, "check the file and report, change nothing")
	skipErrors := e.fs.Bool("skip-errors", false, "add the good lines even if others have problems")
	pos, err := e.parse(args, 1)
	if err != nil {
		return err
	}
	var r io.Reader = e.stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	rows, lineErrs, err := spreadsheet.ReadMembers(r)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	members := db.Member
	var add []*central.Member
	skipped := 0
	plan, err := spreadsheet.Plan(e.ctx, members, rows)
	if err != nil {
		return err
	}
	for _, row := range plan {
		if row.Known != 0 {
			who := row.Email
			if who == "" {
				who = row.Name
			}
			fmt.Fprintf(e.stderr, "line %d: skipped: %s is already member %d\n", row.Line, who, row.Known)
			skipped++
			continue
		}
		add = append(add, &central.Member{Name: row.Name, Email: row.Email})
	}
	for _, le := range lineErrs {
		fmt.Fprintln(e.stderr, le.Error())
	}
	switch {
	case *dryRun:
		fmt.Fprintf(e.stderr, "dry run: %d member(s) to add, %d already known, %d line(s) with problems\n", len(add), skipped, len(lineErrs))
		if len(lineErrs) > 0 && !*skipErrors {
			return fmt.Errorf("%s: %d line(s) with problems", pos[0], len(lineErrs))
		}
		return nil
	case len(lineErrs) > 0 && !*skipErrors:
		fmt.Fprintf(e.stderr, "%d line(s) with problems: nothing imported (fix them, or use --skip-errors)\n", len(lineErrs))
		return fmt.Errorf("%s: %d line(s) with problems", pos[0], len(lineErrs))
	}
	if err := members.CreateMembers(e.ctx, add); err != nil {
		return err
	}
	for _, m := range add {
		fmt.Fprintln(e.stdout, m.ID)
	}
	fmt.Fprintf(e.stderr, "%d member(s) added, %d already known, %d line(s) skipped for problems\n", len(add), skipped, len(lineErrs))
	return nil
}
