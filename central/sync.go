package central

import (
	"context"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// Page sizes of a pull.
const (
	DefaultPullLimit = 500
	MaxPullLimit     = 2000
)

// MaxClockSkew is how far a kiosk's clock may be from central's before
// central stops trusting it (see CorrectTimes).
const MaxClockSkew = 2 * time.Minute

// MaxEntryAge is how old an entry may plausibly be when it reaches central
// (a kiosk offline through a long closure); an older time comes from a
// wrong clock, and is flagged (see CorrectTimes).
const MaxEntryAge = 366 * 24 * time.Hour

// Push is a batch of entries from a kiosk.
type Push struct {
	Kiosk    int64
	Received time.Time // central's clock when the request arrived
	SentAt   time.Time // the kiosk's clock when it sent the batch
	BootID   string
	Mono     time.Duration // the kiosk's monotonic clock when it sent the batch
	Software string
	Pending  int
	// Entries in sequence order; KioskTime holds the kiosk's clock.
	Entries []*Entry
}

// PushResult is the outcome of a push.
type PushResult struct {
	// Ack is the highest sequence held from the kiosk with every lower one
	// held too. Entries after a gap are stored but not acknowledged until
	// the gap is filled.
	Ack        int64
	Inserted   int // entries new to central
	Duplicates int // entries central already held (a replay)
	// Conflicts counts entries central did not store because it holds
	// their (kiosk, seq) with another entry id (a kiosk restored from a
	// backup reuses sequence numbers central acknowledged), or their id
	// from another kiosk. Worth a warning.
	Conflicts int
	// Resend lists, in order, the sequences of the entries central refused
	// because it holds (or held, and purged) that (kiosk, seq) with
	// another entry id: entries new to central, which the kiosk renumbers
	// from NextSeq and sends again. Every entry with a new id is stored.
	Resend []int64
	// NextSeq is one past the highest sequence central holds (or
	// acknowledged) for the kiosk, gaps included: a kiosk whose own next
	// sequence is lower was restored from a backup, and jumps to it.
	NextSeq int64
}

// CorrectTimes sets each entry's Time, ClockUnsure and TimeCorrected from
// its KioskTime. A Pi has no real-time clock, so after a power cut its
// clock may be wrong until NTP sets it.
//
// The kiosk's skew is Received − SentAt. When it is within MaxClockSkew
// the kiosk's clock is right now; its entries keep their time, except those
// it flagged ClockUnsure, which are corrected when they come from the same
// boot as the push. When the skew is larger, entries of the push's boot
// (same BootID, monotonic clocks known) get Time = Received − (p.Mono −
// e.Mono): exact to the network delay. Entries that cannot be corrected
// keep the kiosk's time and are flagged ClockUnsure. An entry the kiosk
// flagged stays flagged, even when corrected.
//
// A time outside the plausible window, more than MaxClockSkew after
// Received or more than MaxEntryAge before it, is a wrong clock whatever
// the push's skew: the entry is corrected in the same way when it can be,
// and flagged ClockUnsure when it cannot.
// Whatever the kiosk sent, Time is never after Received (an entry cannot
// be made after central received it): an entry dated in the future that
// cannot be corrected is placed at Received, so it never debits a day to
// come, and a date like 9999-12-31 never reaches the ledger.
func CorrectTimes(p *Push) {
	skew := p.Received.Sub(p.SentAt)
	clockOK := skew <= MaxClockSkew && skew >= -MaxClockSkew
	earliest, latest := p.Received.Add(-MaxEntryAge), p.Received.Add(MaxClockSkew)
	for _, e := range p.Entries {
		e.Time, e.TimeCorrected = e.KioskTime, false
		implausible := e.KioskTime.Before(earliest) || e.KioskTime.After(latest)
		sameBoot := p.BootID != "" && e.BootID == p.BootID && e.Mono > 0 && e.Mono <= p.Mono
		if (!clockOK || e.ClockUnsure || implausible) && sameBoot {
			e.Time = p.Received.Add(-(p.Mono - e.Mono))
			e.TimeCorrected = true
		} else if !clockOK || implausible {
			e.ClockUnsure = true
		}
		if e.Time.After(p.Received) {
			if e.Time.After(latest) {
				e.ClockUnsure = true
			}
			e.Time = p.Received
		}
	}
}

// PullRequest asks for the members that changed since Cursor.
type PullRequest struct {
	Kiosk  int64
	Cursor int64  // the Cursor of the last complete pull (0: none)
	Page   string // continues a pull that answered More
	Limit  int    // members per page (0: DefaultPullLimit; at most MaxPullLimit)
}

// PullPage is one page of a pull.
type PullPage struct {
	// Snapshot says this pull is a full copy: once its last page is
	// applied, the kiosk drops every member it did not receive.
	Snapshot bool
	More     bool   // another page follows: ask again with Page
	Page     string // opaque
	// Cursor is what the kiosk sends next time, once the last page is
	// applied.
	Cursor  int64
	Members []*KioskMember
	Deleted []int64 // members erased since the request's cursor (or who may no longer enter the kiosk's space)
	// Elsewhere are the badges of members who may not enter the kiosk's
	// space but hold something valid at another space of the network:
	// hashes only, so that the door says not_valid_here rather than
	// unknown_badge (a revoked one: revoked_badge).
	Elsewhere []KioskBadge
	// Events are the events of the kiosk's space changed since the cursor
	// (a snapshot: all not over), each whole (event_door.go).
	Events []KioskEvent
	// Acked is the highest contiguous sequence of the kiosk's entries that
	// the members' balances include, read in the same transaction.
	Acked    int64
	Settings KioskSettings
}

// KioskMember is what a kiosk needs to know of a member to decide offline,
// and her first name for the door screen's greeting: no full name, no
// e-mail.
type KioskMember struct {
	ID     int64
	Status access.MemberStatus
	// Name is her first name (DoorName), for the door screen's greeting;
	// empty with door.show_names off. Only kiosks of a space she may enter
	// receive it.
	Name string
	// Lang is "en" for a member who chose English (her e-mails' language):
	// the door screen speaks it first; "" for French.
	Lang string
	// LastVisit is her last visit day at the kiosk's space.
	LastVisit access.Day
	Badges    []KioskBadge
	// Entitlements valid today or later; pack Entries are the entries left.
	Entitlements []access.Entitlement
}

// KioskBadge is a badge as kiosks see it.
type KioskBadge struct {
	Hash    badge.Hash
	Revoked bool
	// LastAccepted is when the badge was last accepted at the kiosk's
	// space, sent only with anti-passback on and within its time.
	LastAccepted time.Time
}

// KioskSettings are the settings a kiosk applies, in text form.
type KioskSettings struct {
	Space string
	// SpaceID is the kiosk's space (access.Request.Space); entitlements
	// valid there come with no Spaces.
	SpaceID int64
	// SpaceKey is the space's Key, its first name ("" for the main
	// space): a guest pass mailed before a rename is signed for it.
	SpaceKey    string
	Timezone    string
	Hours       string
	StaleAfter  string
	StalePolicy string
	// CodeKey is central's public code-signing key, base64 (kiosks verify
	// phone codes and guest passes with it).
	CodeKey       string
	CodeTolerance string // Go duration
	Passback      string // Go duration; empty: anti-passback off
	// RequireMembership refuses members without current dues (staff aside).
	RequireMembership bool
	// GuestConsumes says a guest takes one of her host's entries.
	GuestConsumes bool
	// ShowNames is door.show_names: members come with their first names.
	ShowNames bool
}

// SyncService is the central side of the kiosk sync protocol.
type SyncService interface {
	// Push stores a batch of entries idempotently on (kiosk, seq) and
	// entry id, derives visits and balances in the same transaction, and
	// returns the ack. A replay inserts nothing and returns the same ack.
	// Every entry with a new id is stored: one at a sequence held with
	// another id comes back in Resend for the kiosk to renumber.
	// Returns ENOTFOUND for an unknown kiosk.
	Push(ctx context.Context, p *Push) (PushResult, error)

	// Pull returns one page of the members that changed since the cursor,
	// or of a full snapshot when the cursor is 0, from another database, or
	// older than the oldest tombstone kept. Returns ENOTFOUND for an
	// unknown kiosk and EINVALID for a bad page token or limit.
	Pull(ctx context.Context, req PullRequest) (*PullPage, error)
}
