package central

import (
	"context"
	"crypto/ed25519"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// GuestPass lets a guest in for one day at one space (issue 12). It is a
// signed code of the phone badges' family (shared/badge KindGuest): the
// kiosk checks it offline with central's public key and accepts the guest
// with the reason "guest", recording her entry under her host.
type GuestPass struct {
	ID    int64
	Host  int64
	Name  string
	Day   access.Day
	Space string
	// ByMember says the host issued it herself: it counts against her
	// monthly quota (guests.monthly_quota). The bureau's do not.
	ByMember bool
	Created  time.Time
}

// MaxGuestName bounds a guest's name.
const MaxGuestName = 100

// MaxGuestDaysAhead bounds how far ahead a pass may be made.
const MaxGuestDaysAhead = 366

// CheckGuestPass validates a pass before it is stored: a name on one line,
// a day from today (in the space's time zone) to a year ahead, a space.
// It trims the name. Returns EINVALID.
func CheckGuestPass(g *GuestPass, today access.Day) error {
	g.Name = strings.TrimSpace(g.Name)
	if g.Name == "" || utf8.RuneCountInString(g.Name) > MaxGuestName || !utf8.ValidString(g.Name) || strings.ContainsAny(g.Name, "\r\n\x00") {
		return Errorf(EINVALID, "A guest's name is one line of 1 to %d characters.", MaxGuestName)
	}
	if g.Day.IsZero() || g.Day.Before(today) || today.AddDays(MaxGuestDaysAhead).Before(g.Day) {
		return Errorf(EINVALID, "A guest pass is for a day from today to a year ahead.")
	}
	if strings.TrimSpace(g.Space) == "" {
		return Errorf(EINVALID, "A guest pass needs a space.")
	}
	return nil
}

// GuestPassText returns the pass's text (the QR code's): valid on its day
// at its space, naming its host.
func GuestPassText(key ed25519.PrivateKey, g *GuestPass) string {
	c := badge.Code{Kind: badge.KindGuest, ID: uint32(g.ID), Window: badge.DayNumber(g.Day.Year, g.Day.Month, g.Day.Day), Host: uint32(g.Host)}
	return badge.SignCode(key, c, g.Space).Text()
}

// GuestFilter selects guest passes. Zero fields select everything.
type GuestFilter struct {
	Host   *int64
	Day    access.Day // that day only
	Offset int
	Limit  int
}

// GuestService issues guest passes.
type GuestService interface {
	// IssueGuestPass checks and stores a pass (CheckGuestPass). One made
	// by a member (ByMember) is refused with ECONFLICT when she issued
	// quota passes already this month (in the space's time zone), and
	// with EINVALID when quota is 0. Returns ENOTFOUND for an unknown
	// host.
	IssueGuestPass(ctx context.Context, g *GuestPass, quota int) error
	// FindGuestPasses returns the matching passes, newest day first, and
	// how many match without Offset and Limit.
	FindGuestPasses(ctx context.Context, f GuestFilter) ([]*GuestPass, int, error)
}

// GuestTx is what issuing a guest pass needs of a store, inside its write
// transaction (see ledger.go).
type GuestTx interface {
	// Now is the transaction's time.
	Now() time.Time
	Settings(ctx context.Context) (Settings, error)
	MemberExists(ctx context.Context, member int64) (bool, error)
	// GuestsInvitedSince counts the passes the host issued herself
	// (ByMember) made at or after since.
	GuestsInvitedSince(ctx context.Context, host int64, since time.Time) (int, error)
	// InsertGuestPass stores g (its Created given) and sets its ID; its
	// badge hash is badge.GuestHash of that ID.
	InsertGuestPass(ctx context.Context, g *GuestPass) error
	// Audit records a change made by ctx's actor; details hold no secret.
	Audit(ctx context.Context, action, object string, details any) error
}

// IssueGuestPass checks and stores a pass in tx, as
// GuestService.IssueGuestPass says: a member's own invitations
// (ByMember) count against her quota of the calendar month, in the
// space's time zone; the bureau's do not.
func IssueGuestPass(ctx context.Context, tx GuestTx, g *GuestPass, quota int) error {
	settings, err := tx.Settings(ctx)
	if err != nil {
		return err
	}
	loc := settings.Location()
	today := access.DayOf(tx.Now(), loc)
	if err := CheckGuestPass(g, today); err != nil {
		return err
	}
	if ok, err := tx.MemberExists(ctx, g.Host); err != nil {
		return err
	} else if !ok {
		return Errorf(ENOTFOUND, "Member %d not found.", g.Host)
	}
	if g.ByMember {
		if quota <= 0 {
			return Errorf(EINVALID, "Members cannot invite guests here: only the bureau can.")
		}
		monthStart := access.Day{Year: today.Year, Month: today.Month, Day: 1}.Start(loc)
		n, err := tx.GuestsInvitedSince(ctx, g.Host, monthStart)
		if err != nil {
			return err
		}
		if n >= quota {
			return Errorf(ECONFLICT, "You have invited %d guests this month already, the most allowed.", n)
		}
	}
	g.Created = tx.Now()
	if err := tx.InsertGuestPass(ctx, g); err != nil {
		return err
	}
	return tx.Audit(ctx, "guest.issue", memberObject(g.Host), map[string]any{"guest": g.ID, "day": g.Day.String(),
		"by_member": g.ByMember})
}

// GuestArrival: a guest came in with her pass (an accepted entry with the
// reason guest, pushed by a kiosk). Reactions key it by the pass, so that
// a guest who scans twice is announced once.
type GuestArrival struct {
	Pass  *GuestPass
	Host  *Member // loaded by the store when it has reactions
	Entry *Entry
	Kiosk *Kiosk
}

func (GuestArrival) event() {}

// recordGuest handles an accepted guest's entry e being stored by a push:
// it finds her pass by the entry's badge hash (none: a pass of another
// database, nothing to say) and records the pass's visit, once: entries
// replayed are not stored again, and a later entry of the same pass joins
// its visit. The bureau counts guests from these visits (per host, per
// month). Whether the visit takes one of the host's entries is decided
// once, by consumes (guests.consumes_host_entry) when the pass's first
// entry is synced; one that does is a debit of the host settled with her
// own visits. It returns the arrival, and whether a visit taking an entry
// was made (the host is then settled).
func recordGuest(ctx context.Context, tx LedgerTx, e *Entry, k *Kiosk, loc *time.Location, consumes bool) (*GuestArrival, bool, error) {
	if e.Badge.IsZero() {
		return nil, false, nil
	}
	g, err := tx.GuestPassByHash(ctx, e.Badge)
	if err != nil || g == nil || g.Host != e.Member {
		return nil, false, err
	}
	charge := ChargeCovered // by nobody: it takes nothing
	if consumes {
		charge = ChargeOverdraft // until settled
	}
	v := &Visit{Member: g.Host, Guest: g.ID, Space: k.Space, Day: access.DayOf(e.Time, loc), Entry: e.ID, Time: e.Time,
		Charge: charge}
	created, err := tx.AddGuestVisit(ctx, v, consumes)
	if err != nil {
		return nil, false, err
	}
	return &GuestArrival{Pass: g, Entry: e, Kiosk: k}, created && consumes, nil
}
