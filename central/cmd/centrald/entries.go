package main

import (
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// entryJSON is a line printed by "entries --json" (a contract). kiosk and
// member are ids, numbers like the ids the other commands print; member is
// 0 when the badge was unknown (or the member erased). time is central's
// corrected time in RFC 3339 (UTC). consumed is 1 when the entry made a
// visit paid by a pack or owed, else 0.
type entryJSON struct {
	ID       string `json:"id"`
	Kiosk    int64  `json:"kiosk"`
	Seq      int64  `json:"seq"`
	Member   int64  `json:"member"`
	Time     string `json:"time"`
	Decision string `json:"decision"` // accept or refuse
	Reason   string `json:"reason"`
	Consumed int    `json:"consumed"`
}

func cmdEntries(e *env, args []string) error {
	asJSON := e.fs.Bool("json", false, "print one JSON object per line")
	member := e.fs.Int64("member", 0, "only this member's entries")
	kiosk := e.fs.Int64("kiosk", 0, "only this kiosk's entries")
	db, err := e.start(args)
	if err != nil {
		return err
	}
	loc, err := spaceZone(e.ctx, db)
	if err != nil {
		return err
	}
	var f central.EntryFilter
	if *member != 0 {
		f.Member = member
	}
	if *kiosk != 0 {
		f.Kiosk = kiosk
	}
	lw := newListWriter(e.stdout, *asJSON, "TIME\tKIOSK\tSEQ\tMEMBER\tDECISION\tREASON\tCONSUMED")
	// One snapshot: a kiosk back online pushes entries with earlier times
	// while the list is printed; pages would then repeat lines.
	err = db.Entry.EachEntry(e.ctx, f, func(en *central.Entry) error {
		j := entryJSON{ID: en.ID, Kiosk: en.Kiosk, Seq: en.Seq, Member: en.Member, Time: en.Time.UTC().Format(time.RFC3339),
			Decision: wire.DecisionRefuse, Reason: string(en.Reason)}
		if en.Accept {
			j.Decision = wire.DecisionAccept
		}
		if en.Consumed {
			j.Consumed = 1
		}
		return lw.line(j, "%s\t%d\t%d\t%d\t%s\t%s\t%d\n", en.Time.In(loc).Format(time.DateTime), j.Kiosk, j.Seq,
			j.Member, j.Decision, j.Reason, j.Consumed)
	})
	if err != nil {
		return err
	}
	return lw.flush()
}
