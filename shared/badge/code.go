package badge

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/shared/base45"
)

// Signed codes: the badge on a phone, the guest pass and the event ticket.
//
// A signed code is "BG2:" followed by the base45 encoding of
//
//	kind (1 byte) · id (4 bytes) · window (4 bytes) · [host (4 bytes)] · Ed25519 signature (64 bytes)
//	kind (1 byte) · id (4 bytes) · start (4 bytes) · minutes (2 bytes) · space (2 bytes) · signature   (an event ticket)
//
// all integers big-endian. Central signs it with its private key; kiosks
// verify it offline with central's public key (received by sync). Nothing
// secret is in the code: what makes it worth something is the signature
// over a short window, so a screenshot is worthless minutes later.
//
//   - A phone badge (KindPhone) is valid during one window of
//     [CodeWindow] (30 s) numbered from the Unix epoch: the phone shows a new
//     code every window, from codes central computed in advance.
//   - A guest pass (KindGuest) is valid during one calendar day of a space
//     (days since 1970-01-01) and names its host (a member id); the space's
//     name is signed with it (not written in it), so a pass made for one
//     space fails verification at another.
//   - An event ticket (KindEvent) lets someone who is not a member in for
//     one event (issue 15): its id is the registration's, start the
//     event's start in minutes since the Unix epoch, minutes its length,
//     space the id of the event's space (signed with the rest, and
//     written, so that a door of another space says not_valid_here rather
//     than unknown_badge). It holds everything the door needs: a kiosk
//     that never heard of the registration accepts it offline.
//
// A phone code is 73 bytes, 114 characters with the prefix; a guest pass
// and an event ticket 77 bytes, 120 characters: all fit a QR code of version 5 at error
// correction M in alphanumeric mode (122 characters; TestCodeFitsQRVersion5M).
const CodePrefix = "BG2:"

// CodeWindow is how long one code of a phone badge is valid (before the
// kiosk's clock tolerance).
const CodeWindow = 30 * time.Second

// CodeKind says what a signed code is.
type CodeKind byte

// Code kinds. Their values are in the codes: append only.
const (
	KindPhone CodeKind = 1 // a member's badge on her phone
	KindGuest CodeKind = 2 // a guest pass for one day at one space
	KindEvent CodeKind = 3 // an event ticket, for the event's hours at its space
)

// Bounds of an event ticket's fields (two bytes each).
const (
	MaxTicketMinutes = 1<<16 - 1 // 45 days; an event lasts 14 days at most
	MaxTicketSpace   = 1<<16 - 1
)

const (
	codeHeaderLen = 1 + 4 + 4
	phoneBodyLen  = codeHeaderLen + ed25519.SignatureSize
	guestBodyLen  = codeHeaderLen + 4 + ed25519.SignatureSize
	eventBodyLen  = codeHeaderLen + 2 + 2 + ed25519.SignatureSize
	maxBodyLen    = max(guestBodyLen, eventBodyLen)
	// MaxCodeTextLen is the longest signed code text (a guest pass, an
	// event ticket).
	MaxCodeTextLen = len(CodePrefix) + maxBodyLen/2*3 + maxBodyLen%2*2
)

// Code is a parsed signed code. Parsing does not verify it: call Verify.
type Code struct {
	Kind   CodeKind
	ID     uint32 // the phone badge's id, or the guest pass's
	Window uint32 // 30-second window number (phone), day number (guest) or start minute (event)
	Host   uint32 // the host member of a guest pass; 0 otherwise
	// Minutes and Space are an event ticket's length (in minutes) and
	// space id; 0 otherwise.
	Minutes uint16
	Space   uint16
	Sig     [ed25519.SignatureSize]byte
}

// Text returns the text to put in the QR code.
func (c Code) Text() string { return CodePrefix + base45.Encode(c.body()) }

func (c Code) signed() []byte {
	n := codeHeaderLen
	if c.Kind == KindGuest || c.Kind == KindEvent {
		n += 4
	}
	b := make([]byte, n, n+ed25519.SignatureSize)
	b[0] = byte(c.Kind)
	binary.BigEndian.PutUint32(b[1:], c.ID)
	binary.BigEndian.PutUint32(b[5:], c.Window)
	switch c.Kind {
	case KindGuest:
		binary.BigEndian.PutUint32(b[9:], c.Host)
	case KindEvent:
		binary.BigEndian.PutUint16(b[9:], c.Minutes)
		binary.BigEndian.PutUint16(b[11:], c.Space)
	}
	return b
}

func (c Code) body() []byte { return append(c.signed(), c.Sig[:]...) }

// message is what is signed: a domain label, the code's fields and, for a
// guest pass, the space's name (an event ticket carries its space's id).
func (c Code) message(space string) []byte {
	m := append([]byte("badgeuse-code-v2\x00"), c.signed()...)
	if c.Kind == KindGuest {
		m = append(m, space...)
	}
	return m
}

// SignCode signs c (its Sig is ignored) and returns it signed. space is the
// guest pass's space; it is not used for a phone badge.
func SignCode(key ed25519.PrivateKey, c Code, space string) Code {
	copy(c.Sig[:], ed25519.Sign(key, c.message(space)))
	return c
}

// Verify reports whether c was signed by the holder of key (for a guest
// pass, for the space named). It does not check the window.
func (c Code) Verify(key ed25519.PublicKey, space string) bool {
	if len(key) != ed25519.PublicKeySize {
		return false
	}
	return ed25519.Verify(key, c.message(space), c.Sig[:])
}

// ParseCode reads a signed code's text, byte for byte like Parse. It returns
// ErrNotBadge for a text that is not "BG2:…" and ErrMalformed (wrapped) for a
// damaged one or of an unknown kind.
func ParseCode(text string) (Code, error) {
	body, ok := strings.CutPrefix(text, CodePrefix)
	if !ok {
		return Code{}, ErrNotBadge
	}
	if len(text) > MaxCodeTextLen {
		return Code{}, fmt.Errorf("%w: signed code of %d characters", ErrMalformed, len(text))
	}
	raw, err := base45.Decode(body)
	if err != nil {
		return Code{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(raw) == 0 {
		return Code{}, fmt.Errorf("%w: empty signed code", ErrMalformed)
	}
	c := Code{Kind: CodeKind(raw[0])}
	want := 0
	switch c.Kind {
	case KindPhone:
		want = phoneBodyLen
	case KindGuest:
		want = guestBodyLen
	case KindEvent:
		want = eventBodyLen
	default:
		return Code{}, fmt.Errorf("%w: signed code of unknown kind %d", ErrMalformed, raw[0])
	}
	if len(raw) != want {
		return Code{}, fmt.Errorf("%w: signed code of %d bytes, want %d", ErrMalformed, len(raw), want)
	}
	c.ID = binary.BigEndian.Uint32(raw[1:])
	c.Window = binary.BigEndian.Uint32(raw[5:])
	sig := raw[codeHeaderLen:]
	switch c.Kind {
	case KindGuest:
		c.Host = binary.BigEndian.Uint32(raw[9:])
		sig = raw[codeHeaderLen+4:]
	case KindEvent:
		c.Minutes = binary.BigEndian.Uint16(raw[9:])
		c.Space = binary.BigEndian.Uint16(raw[11:])
		sig = raw[codeHeaderLen+4:]
	}
	copy(c.Sig[:], sig)
	return c, nil
}

// IsCode reports whether text is meant as a signed code (starts with
// "BG2:"), valid or not.
func IsCode(text string) bool { return strings.HasPrefix(text, CodePrefix) }

// WindowOf returns the number of the phone code window holding t.
func WindowOf(t time.Time) uint32 {
	return uint32(t.Unix() / int64(CodeWindow/time.Second))
}

// WindowStart returns when window w starts.
func WindowStart(w uint32) time.Time {
	return time.Unix(int64(w)*int64(CodeWindow/time.Second), 0)
}

// Valid returns the period during which c is valid, before any tolerance:
// its 30-second window for a phone badge, the calendar day in loc for a
// guest pass, the event's hours for an event ticket (the door lets its
// holder in a little earlier: access.EventEarly). [from, until) .
func (c Code) Valid(loc *time.Location) (from, until time.Time) {
	if c.Kind == KindEvent {
		from = time.Unix(int64(c.Window)*60, 0)
		return from, from.Add(time.Duration(c.Minutes) * time.Minute)
	}
	if c.Kind == KindGuest {
		d := time.Unix(int64(c.Window)*86400, 0).UTC()
		from = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
		return from, from.AddDate(0, 0, 1)
	}
	from = WindowStart(c.Window)
	return from, from.Add(CodeWindow)
}

// DayNumber returns the number of the calendar day y-m-d (days since
// 1970-01-01), a guest pass's window.
func DayNumber(y int, m time.Month, d int) uint32 {
	return uint32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// EventTicket returns the unsigned ticket of registration id for an event
// from start to end at space (sign it with SignCode). It fails for an
// event that does not fit a ticket: a start before 1970 or after 10136, a
// length over MaxTicketMinutes, a space id over MaxTicketSpace. The start
// is rounded down and the end up to the minute.
func EventTicket(id uint32, start, end time.Time, space int64) (Code, error) {
	from := start.Unix()
	if start.Before(time.Unix(0, 0)) || from/60 > int64(^uint32(0)) {
		return Code{}, fmt.Errorf("event ticket: start %v out of range", start)
	}
	from -= from % 60
	length := (end.Unix() - from + 59) / 60
	if length <= 0 || length > MaxTicketMinutes {
		return Code{}, fmt.Errorf("event ticket: an event of %d minutes", length)
	}
	if space < 0 || space > MaxTicketSpace {
		return Code{}, fmt.Errorf("event ticket: space id %d out of range", space)
	}
	return Code{Kind: KindEvent, ID: id, Window: uint32(from / 60), Minutes: uint16(length), Space: uint16(space)}, nil
}

// Hash returns the badge hash kiosks and central file the code's badge
// under: for a phone badge, the hash of its badge row (PhoneHash); for a
// guest pass, GuestHash; for an event ticket, TicketHash.
func (c Code) Hash() Hash {
	switch c.Kind {
	case KindGuest:
		return GuestHash(c.ID)
	case KindEvent:
		return TicketHash(c.ID)
	}
	return PhoneHash(c.ID)
}

// PhoneHash is the hash stored for the phone badge with that id. A phone
// badge has no secret (its codes are signed instead); its hash is made from
// its id with a label no printed badge's secret can produce, so that it
// travels and is looked up like a printed badge's.
func PhoneHash(id uint32) Hash { return labelledHash("badgeuse-phone-badge", id) }

// GuestHash is the hash a guest pass's entries carry.
func GuestHash(id uint32) Hash { return labelledHash("badgeuse-guest-pass", id) }

// TicketHash is the hash the entries of the event ticket of registration
// id carry: central finds the registration by it to mark her attendance.
func TicketHash(id uint32) Hash { return labelledHash("badgeuse-event-ticket", id) }

func labelledHash(label string, id uint32) Hash {
	b := make([]byte, 0, len(label)+1+4)
	b = append(b, label...)
	b = append(b, 0)
	b = binary.BigEndian.AppendUint32(b, id)
	return sha256.Sum256(b)
}
