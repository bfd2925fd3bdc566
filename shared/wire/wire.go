// Package wire defines the sync protocol between kiosks and central: the
// JSON bodies of each request and answer, the protocol version and the error
// codes. Kiosk and central both import it and nothing else of each other.
//
// # Transport
//
// Every call is an HTTPS POST of a JSON body, gzip-compressed by the kiosk
// (Content-Encoding: gzip) and answered in gzip when asked. The kiosk
// authenticates with "Authorization: Bearer <kiosk token>", a token central
// gave it at enrollment and stores only hashed. Every request body carries
// the protocol version it speaks; central refuses versions older than
// MinVersion with the code "protocol_too_old".
//
//   - POST [PathEnroll]: trade a one-time enrollment token for a kiosk token.
//   - POST [PathPush]: send entries in batches; central inserts them
//     idempotently on (kiosk, seq) and answers the highest sequence it holds.
//     The kiosk marks entries synced only after that acknowledgement.
//   - POST [PathPull]: get the members that changed since a cursor. When the
//     cursor is too old (or from another central database), central sends a
//     full snapshot instead, in pages.
//
// # Versions
//
// History of Version:
//
//   - 1: enroll, push, pull with snapshot and incremental pages.
//   - 2: the push answer adds Conflicts and NextSeq (additive: a version 1
//     kiosk ignores them, a version 2 kiosk talking to a version 1
//     central gets neither and behaves as before). A kiosk restored from
//     a backup reuses sequence numbers central acknowledged; central
//     answers them as Conflicts instead of losing them, and the kiosk
//     renumbers them from NextSeq and sends them again.
//   - 3: the pull request adds Health, the kiosk's report on itself
//     (camera, disk, database, clock, version, uptime), sent with the
//     first page of each pull (additive: central version 2 ignores it; a
//     version 2 kiosk sends none and the admin says it does not report).
//
// Additions within version 2, which older kiosks ignore: the entitlement
// kind "membership" (the association's dues; an older kiosk stores it and
// lets no one in by it), Settings.RequireMembership and the refusal reason
// "membership_expired". A network of spaces (issue 14): Settings.SpaceID,
// Entitlement.Spaces, PullResponse.Elsewhere and the refusal reason
// "not_valid_here"; an older kiosk ignores them and decides as with one
// space (it holds only the members of its space all the same). Events at
// the door (issue 15): PullResponse.Events, the accepting reason "event"
// and the event ticket (a signed code of kind 3).
//
// Additions within version 3, which older kiosks ignore (issue 12):
// Member.Name, her first name for the door screen's greeting, sent only
// to kiosks of a space she may enter and only with Settings.ShowNames
// (central's door.show_names); a kiosk told ShowNames false drops the
// names it holds. Member.Lang, her language for the door screen.
// Settings.SpaceKey, the space's first name, for which a guest pass
// mailed before the space was renamed is signed (see Settings).
// EnrollResponse.SpaceName, the space's current name, which the kiosk
// prints when enrolled (Space is its key, an older name once renamed).
//
// No version bump for such an optional field: each side ignores a JSON
// field it does not know, and reads one that is absent as its zero value,
// which keeps the behaviour from before (an older central sends no
// space_key: a kiosk checks guest passes with Space alone, as it did; an
// older kiosk ignores it and refuses those passes, as it did). A bump is
// for a change a peer must know of to stay correct (central refusing
// kiosks older than MinVersion), which this is not.
//
// String codes that cross the wire (decisions, reasons, kinds, statuses,
// error codes) are append-only: never renamed, never removed.
package wire

import (
	"errors"
	"math"
	"time"
)

// Version is the protocol version this code speaks.
const Version = 3

// MinVersion is the oldest protocol version central still accepts.
const MinVersion = 1

// Request paths.
const (
	PathEnroll = "/api/v1/enroll"
	PathPush   = "/api/v1/push"
	PathPull   = "/api/v1/pull"
)

// Limits that both sides respect. Central refuses larger requests with
// CodeTooLarge; a kiosk never sends more.
const (
	MaxBatch     = 500     // entries in one push
	MaxBodyBytes = 4 << 20 // bytes of a request body, after decompression
	MaxPageSize  = 2000    // members in one pull answer
)

// EnrollRequest trades a one-time enrollment token for a kiosk token.
type EnrollRequest struct {
	Protocol int    `json:"protocol"`
	Token    string `json:"token"`    // the one-time token shown in the admin or by "centrald kiosk add"
	Software string `json:"software"` // kioskd version, shown in the admin
}

// EnrollResponse is central's answer to a successful enrollment.
type EnrollResponse struct {
	KioskID    int64  `json:"kiosk_id"`
	KioskName  string `json:"kiosk_name"`
	KioskToken string `json:"kiosk_token"` // secret; the kiosk keeps it, central only its hash
	// Space is the kiosk's space as central stores it: its key, its first
	// name (the main space's current name for the main space).
	Space string `json:"space"`
	// SpaceName is the space's current name, which differs from Space
	// once the space was renamed: what kioskd enroll prints. Optional,
	// additive within version 3: absent (an older central), the kiosk
	// names its space by Space.
	SpaceName string `json:"space_name,omitempty"`
}

// Entry is one decision made at a kiosk, as pushed to central.
type Entry struct {
	ID  string `json:"id"`  // UUIDv7, made by the kiosk: the idempotency key
	Seq int64  `json:"seq"` // per-kiosk sequence number, from 1, without gaps
	// Time is the kiosk's clock when the badge was read. A Pi has no
	// real-time clock: see ClockUnsure, BootID and Mono.
	Time time.Time `json:"time"`
	// ClockUnsure is set by the kiosk when its clock was before the last
	// time it knew to be right (clock not yet set after a power cut).
	ClockUnsure bool `json:"clock_unsure,omitempty"`
	// BootID identifies the kiosk's boot in which the entry was made, and
	// Mono is its monotonic clock then (nanoseconds since that boot): with the
	// same pair at push time, central corrects the time of entries made with
	// a wrong clock.
	BootID   string `json:"boot_id,omitempty"`
	Mono     int64  `json:"mono,omitempty"`
	Badge    string `json:"badge,omitempty"`  // hex SHA-256 of the badge secret; empty when not a badge
	Member   int64  `json:"member,omitempty"` // 0 when the badge is unknown
	Decision string `json:"decision"`         // DecisionAccept or DecisionRefuse
	Reason   string `json:"reason"`           // an access.Reason
	// Consumed is the pack the kiosk took an entry from (0 for none). It is
	// the kiosk's prediction: central derives consumption itself.
	Consumed int64 `json:"consumed,omitempty"`
}

// Decisions.
const (
	DecisionAccept = "accept"
	DecisionRefuse = "refuse"
)

// ReasonEvent is the reason of an entry accepted for an event
// (access.OKEvent): the only accepted entry that may have no member (an
// event ticket's, with its hash).
const ReasonEvent = "event"

// PushRequest sends a batch of entries, in sequence order.
type PushRequest struct {
	Protocol int       `json:"protocol"`
	Software string    `json:"software,omitempty"`
	SentAt   time.Time `json:"sent_at"` // kiosk clock when sending
	BootID   string    `json:"boot_id,omitempty"`
	Mono     int64     `json:"mono,omitempty"` // kiosk monotonic clock when sending
	Pending  int       `json:"pending"`        // entries still waiting after this batch (for the admin)
	Entries  []Entry   `json:"entries"`
}

// PushResponse acknowledges a push.
type PushResponse struct {
	// Ack is the highest sequence number central holds for this kiosk with
	// every lower one held too. Entries up to Ack are safe at central.
	// Entries after a gap are stored but not acknowledged until the gap is
	// filled; an Ack below what the kiosk sent before means central lacks
	// entries (restored from a backup): the kiosk sends them again.
	Ack        int64     `json:"ack"`
	ServerTime time.Time `json:"server_time"`
	// Conflicts lists the sequences of the batch central refused because
	// it holds that (kiosk, seq) with another entry id: new entries, which
	// the kiosk renumbers to fresh sequences (at least NextSeq) and sends
	// again. An entry whose id central holds is a duplicate, whatever its
	// sequence. Since version 2.
	Conflicts []int64 `json:"conflicts,omitempty"`
	// NextSeq is one past the highest sequence central holds for this
	// kiosk, gaps included: the kiosk never numbers a new entry below it.
	// Since version 2.
	NextSeq int64 `json:"next_seq,omitempty"`
}

// PullRequest asks for the changes since Cursor.
type PullRequest struct {
	Protocol int `json:"protocol"`
	// Cursor is the Cursor of the last complete pull (0 for none).
	Cursor int64 `json:"cursor"`
	// Page continues a pull that answered More (opaque; empty to start).
	Page  string `json:"page,omitempty"`
	Limit int    `json:"limit,omitempty"` // members per page, at most MaxPageSize (0: central's default)
	// Health is the kiosk's report on itself, with the first page of a
	// pull (nil on the next pages). Since version 3.
	Health *Health `json:"health,omitempty"`
}

// Health is what a kiosk says of itself with each sync, for the admin's
// kiosks page and the bureau's alerts. Times are the kiosk's clock; zero
// means never (no frame since kioskd started, no decision yet).
type Health struct {
	// Time is the kiosk's clock when it sent the report: central compares
	// it with its own for the clock offset.
	Time time.Time `json:"time"`
	// Started is when kioskd started (the kiosk's clock then); Uptime is
	// how long it has run, in seconds.
	Started time.Time `json:"started"`
	Uptime  int64     `json:"uptime_s"`
	// CameraOK says the camera delivers frames: no error and a frame in
	// the last few seconds. CameraError is its last error ("" when none).
	CameraOK    bool      `json:"camera_ok"`
	CameraError string    `json:"camera_error,omitempty"`
	CameraFPS   float64   `json:"camera_fps"` // frames per second read since the last report
	LastFrame   time.Time `json:"last_frame"`
	// LastDecision is the time of the last decision made at the door.
	LastDecision time.Time `json:"last_decision"`
	// DiskFree and DiskTotal are the bytes free (for kioskd) and in all on
	// the disk holding the kiosk's data; DatabaseBytes is the size of its
	// database files. -1: unknown.
	DiskFree      int64  `json:"disk_free"`
	DiskTotal     int64  `json:"disk_total"`
	DatabaseBytes int64  `json:"database_bytes"`
	Software      string `json:"software,omitempty"` // kioskd version
}

// MaxHealthText bounds the texts of a health report: a kiosk cuts a
// longer error before sending it.
const MaxHealthText = 300

// MaxUptime bounds Health.Uptime, in seconds: what a time.Duration holds
// (292 years), beyond which central would store a negative one.
const MaxUptime = math.MaxInt64 / int64(time.Second)

// Validate checks a health report's numbers and text lengths.
func (h *Health) Validate() error {
	switch {
	case h.Uptime < 0 || h.Uptime > MaxUptime || h.CameraFPS < 0 || h.CameraFPS > 10000:
		return errors.New("health: uptime or frame rate out of range")
	case h.DiskFree < -1 || h.DiskTotal < -1 || h.DatabaseBytes < -1:
		return errors.New("health: negative size")
	case len(h.CameraError) > MaxHealthText || len(h.Software) > 100:
		return errors.New("health: text too long")
	}
	for _, t := range []time.Time{h.Time, h.Started, h.LastFrame, h.LastDecision} {
		if t.Year() > 9999 {
			return errors.New("health: time out of range")
		}
	}
	return nil
}

// PullResponse carries one page of changes.
type PullResponse struct {
	// Snapshot says this pull is a full copy: once its last page is
	// applied, the kiosk drops every member it did not receive.
	Snapshot bool `json:"snapshot"`
	// More says another page follows: ask again with Page.
	More bool   `json:"more"`
	Page string `json:"page,omitempty"`
	// Cursor is what to send next time, once the last page is applied.
	Cursor  int64    `json:"cursor"`
	Members []Member `json:"members"`
	// Deleted lists members erased at central (GDPR) since Cursor, and
	// those who may no longer enter the kiosk's space (a network of
	// spaces): the kiosk drops them.
	Deleted []int64 `json:"deleted,omitempty"`
	// Elsewhere are the badges of members of other spaces of the network
	// who may not enter the kiosk's space: hashes only (no member id), so
	// that the door says "not_valid_here" rather than "unknown_badge"; a
	// revoked one is refused as revoked. A snapshot carries them all (the
	// kiosk drops those it did not receive), an incremental pull those of
	// the members changed. Additive (issue 14).
	Elsewhere []Badge `json:"elsewhere,omitempty"`
	// Events are the events at the kiosk's space (issue 15) whose
	// registrations or hours changed since Cursor, each whole: the kiosk
	// replaces what it held of each. A snapshot carries, with its first
	// page, every event not over (the kiosk drops those it did not
	// receive). Additive: an older kiosk ignores them and refuses tickets
	// as a newer badge format.
	Events []Event `json:"events,omitempty"`
	// Acked is the highest sequence of this kiosk's entries that the
	// members' balances include: the kiosk still counts its own entries
	// above it.
	Acked      int64     `json:"acked"`
	Settings   Settings  `json:"settings"`
	ServerTime time.Time `json:"server_time"`
}

// Member is a member's state as a kiosk needs it to decide, and her first
// name for the door screen: no full name, no email (a stolen kiosk leaks
// opaque numbers, hashes and, with Settings.ShowNames, the first names of
// its own space's members).
type Member struct {
	ID     int64  `json:"id"`
	Status string `json:"status"` // an access.MemberStatus
	// Name is her first name, for the door screen's greeting ("Bonjour
	// Alice !"), at most MaxName bytes; absent with Settings.ShowNames
	// off. Additive (version 3).
	Name string `json:"name,omitempty"`
	// Lang is "en" for a member who speaks English (the door screen says
	// its message in English first); absent: French. Additive (version 3).
	Lang string `json:"lang,omitempty"`
	// LastVisit is the last day (YYYY-MM-DD) the member was accepted at the
	// kiosk's space, at any kiosk.
	LastVisit    string        `json:"last_visit,omitempty"`
	Badges       []Badge       `json:"badges"`
	Entitlements []Entitlement `json:"entitlements"`
}

// Badge is one badge of a member.
type Badge struct {
	Hash    string `json:"hash"` // hex SHA-256 of the secret
	Revoked bool   `json:"revoked,omitempty"`
	// LastAccepted is when the badge was last accepted at the kiosk's
	// space, at any kiosk, sent with anti-passback on (Settings.Passback)
	// when within its time. Since version 2, additive.
	LastAccepted *time.Time `json:"last_accepted,omitempty"`
}

// Entitlement is what a member holds, with balances derived at central.
type Entitlement struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`            // an access.Kind
	Start   string `json:"start,omitempty"` // YYYY-MM-DD
	End     string `json:"end,omitempty"`   // YYYY-MM-DD, inclusive
	Entries int    `json:"entries,omitempty"`
	// Spaces are the ids of the spaces it is valid at when it is not
	// valid at the kiosk's own; absent: valid at the kiosk's space (all a
	// kiosk needs to know). Additive (issue 14).
	Spaces []int64 `json:"spaces,omitempty"`
}

// Event is an event at the kiosk's space: what the door needs to let its
// registered members in (reason "event") and to refuse the tickets of
// cancelled registrations.
type Event struct {
	ID       int64     `json:"id"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Consumes bool      `json:"consumes,omitempty"` // a member's entry for it costs her a day
	// Members are the ids of the members registered (holding a place).
	Members []int64 `json:"members,omitempty"`
	// Revoked are the ids of the cancelled registrations of people who
	// are not members: their tickets are refused.
	Revoked []int64 `json:"revoked,omitempty"`
}

// Settings are the space's settings a kiosk applies.
type Settings struct {
	Space string `json:"space"`
	// SpaceID is the id of the kiosk's space in the network (issue 14):
	// what the door decides for (access.Request.Space). Absent from an
	// older central: 0, nothing checked.
	SpaceID int64 `json:"space_id,omitempty"`
	// SpaceKey is the space's key in the network: its first name, which
	// never changes ("" for the main space). A guest pass is signed for
	// its space's name (badge.SignCode); one mailed before the space was
	// renamed is signed for an older name, so the kiosk accepts a guest
	// pass that verifies for Space or, when SpaceKey is not "", for
	// SpaceKey. Optional, additive within version 3: absent (an older
	// central, or the main space) the kiosk verifies for Space alone.
	SpaceKey string `json:"space_key,omitempty"`
	Timezone string `json:"timezone"`        // IANA name, e.g. Europe/Paris
	Hours    string `json:"hours,omitempty"` // access.ParseHours syntax; empty: always open
	// StaleAfter is how long a kiosk trusts its copy of the members without
	// a successful pull (Go duration syntax, e.g. "168h"); empty: forever.
	StaleAfter string `json:"stale_after,omitempty"`
	// StalePolicy is what a kiosk does past StaleAfter: "warn" (decide, and
	// show it in status) or "refuse" (refuse everyone but staff).
	StalePolicy string `json:"stale_policy,omitempty"`
	// CodeKey is central's Ed25519 public key (standard base64) that signs
	// phone badge codes and guest passes ("BG2:"). Since version 2,
	// additive: an older kiosk ignores it and refuses such codes as a
	// newer badge format.
	CodeKey string `json:"code_key,omitempty"`
	// CodeTolerance is how far the kiosk's clock may be from a code's
	// window (Go duration, e.g. "1m30s"); empty: 90 s.
	CodeTolerance string `json:"code_tolerance,omitempty"`
	// Passback turns anti-passback on: a badge accepted at the space this
	// recently is refused (Go duration); empty: off.
	Passback string `json:"passback,omitempty"`
	// GuestConsumes says a guest takes one entry of her host's (central's
	// guests.consumes_host_entry; the ledger debits the host when the
	// guest's entry is synced).
	GuestConsumes bool `json:"guest_consumes,omitempty"`
	// RequireMembership is the space's door.require_membership: refuse
	// members whose dues (an entitlement of kind "membership") do not cover
	// today, staff aside. Additive: a kiosk that does not know it ignores
	// it and lets such members in.
	RequireMembership bool `json:"require_membership,omitempty"`
	// ShowNames says members come with their first names (Member.Name),
	// for the door screen's greeting; false (or absent, from an older
	// central): the kiosk holds no names and drops those it holds.
	// Additive (version 3).
	ShowNames bool `json:"show_names,omitempty"`
}

// MaxName bounds a member's first name on the wire, in bytes: a kiosk
// cuts a longer one (central sends at most 40 characters).
const MaxName = 160

// Error is the body of every non-2xx answer.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Error codes.
const (
	CodeBadRequest     = "bad_request"      // malformed body; do not retry as is
	CodeUnauthorized   = "unauthorized"     // missing, wrong or revoked kiosk token
	CodeTokenUsed      = "token_used"       // the enrollment token was already used or expired
	CodeKioskDisabled  = "kiosk_disabled"   // the bureau disabled this kiosk
	CodeProtocolTooOld = "protocol_too_old" // upgrade kioskd
	CodeTooLarge       = "too_large"        // body or batch over the limits
	CodeSequenceGap    = "sequence_gap"     // reserved: central stores entries after a gap and answers the contiguous Ack instead
	CodeInternal       = "internal"         // retry later
)
