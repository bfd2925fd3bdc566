package main

import (
	"fmt"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// cmdMemberStatus returns the command that sets a member's status:
// suspended and archived members are refused at the door; kiosks learn it
// at their next sync.
func cmdMemberStatus(status access.MemberStatus) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		member := e.fs.Int64("member", 0, "member id")
		db, err := e.start(args, "member")
		if err != nil {
			return err
		}
		m, err := db.Member.UpdateMember(e.ctx, *member, memberUpdateStatus(status))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "member %d: %s\n", m.ID, m.Status)
		return nil
	}
}

func memberUpdateStatus(s access.MemberStatus) central.MemberUpdate {
	return central.MemberUpdate{Status: &s}
}
