// Package kiosk is the door program's domain: frames in, decisions out.
//
// The Door reads frames from a Camera, finds QR codes with a Decoder, looks
// the badge up in the Store (the kiosk's copy of the members, kept by sync),
// applies the shared access rules, records the entry durably, and only then
// tells the Indicator (LEDs, buzzer, door relay). Each of those outside
// things is an interface declared here and implemented by one package:
// kiosk/camera, kiosk/qr, kiosk/sqlite, kiosk/led. kiosk/cmd/kioskd wires them.
package kiosk

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// Frame is one grayscale camera image: 8 bits per pixel, row-major, Stride
// bytes between rows. Cameras reuse a Frame's Pix from one Read to the next.
type Frame struct {
	Pix      []byte
	Width    int
	Height   int
	Stride   int
	Captured time.Time // when the camera delivered it (monotonic clock included)
	// Time is the frame's time in its stream, which debouncing uses to tell
	// a badge held up from a badge shown again: for a live camera, the
	// capture time; for a video file or folder, the time the frame would
	// have been captured at its frame rate, so that reading fast gives the
	// same scans. Zero means Captured.
	Time time.Time
}

// Limits on the images a file camera (a folder of images) and `kioskd
// decode` read. A PNG or JPEG says its size in its first bytes, and a small
// file can claim a huge one (a 48 KB PNG of 20000×20000 made kioskd use
// 990 MB): images over these limits are refused from their header, before
// anything is decoded. 16 megapixels takes a phone's 12 MP photo
// (4032×3024) and 4096×4096; a badge needs a few hundred pixels, so a
// larger photo can be scaled down.
const (
	MaxImagePixels    = 4096 * 4096
	MaxImageSide      = 16384
	MaxImageFileBytes = 64 << 20 // a file larger than this is not read at all
)

// CheckImageSize refuses an image of width×height over MaxImagePixels or
// MaxImageSide.
func CheckImageSize(width, height int) error {
	if width <= 0 || height <= 0 || width > MaxImageSide || height > MaxImageSide || width*height > MaxImagePixels {
		return fmt.Errorf("%w: %d×%d pixels, over the limit of 4096×4096 (16 megapixels) and %d pixels a side: scale it down",
			ErrImageTooLarge, width, height, MaxImageSide)
	}
	return nil
}

// ErrImageTooLarge is what the error of CheckImageSize wraps.
var ErrImageTooLarge = errors.New("image too large")

// ErrUnreadable is what a Camera's errors wrap when its source is a video
// file or a folder that cannot be opened or read (missing, empty, not a
// video): retrying will not help, so a Door with ExitAtEOF stops with it
// instead of retrying forever.
var ErrUnreadable = errors.New("camera source cannot be read")

// Camera delivers frames.
type Camera interface {
	// Read blocks until the next frame and stores it in f, reusing f.Pix.
	// It returns io.EOF at the end of a video file or folder, and another
	// error when the camera fails (unplugged); a later Read tries to reopen.
	Read(ctx context.Context, f *Frame) error
	Close() error
}

// Decoder finds QR codes in frames.
type Decoder interface {
	// Decode returns the texts of the QR codes found in f (none is not an
	// error). It must not keep f after returning.
	Decode(f *Frame) ([]string, error)
}

// Outcome is what the Indicator shows for one scan.
type Outcome struct {
	Accept bool
	Reason access.Reason
}

// Indicator shows outcomes to the person at the door: LEDs, buzzer, relay,
// or a line on a console.
type Indicator interface {
	// Show starts the pattern for o and returns at once; a newer Show
	// replaces a pattern still running.
	Show(o Outcome)
	// Fault shows (or, with nil, clears) a standing problem such as a
	// missing camera.
	Fault(err error)
}

// Holder is what the Store knows of a badge's holder, ready for access.Decide.
type Holder struct {
	Badge  access.BadgeStatus
	Member int64 // 0 when the badge is unknown
	Status access.MemberStatus
	// Entitlements as central last sent them, with this kiosk's entries not
	// yet included at central already deducted.
	Entitlements []access.Entitlement
	// LastVisit is the last day the member was accepted at this space, by
	// central's account or this kiosk's own entries.
	LastVisit access.Day
	// LastAccepted is when the badge looked up was last accepted at this
	// space, by this kiosk's entries or central's account (anti-passback);
	// zero when never or unknown.
	LastAccepted time.Time
	// Elsewhere says the badge is unknown here but belongs to a member of
	// another space of the network (a not_valid_here refusal).
	Elsewhere bool
	// Name is the member's first name, for the door screen's greeting
	// ("" when central sent none); Lang her language ("en", or "" for
	// French).
	Name string
	Lang string
	// Events are the events of this space she is registered to, not over.
	Events []access.Event
}

// Entry is one recorded decision.
type Entry struct {
	ID          string // UUIDv7, set by Store.Record
	Seq         int64  // per-kiosk sequence, set by Store.Record
	Time        time.Time
	ClockUnsure bool
	BootID      string
	Mono        time.Duration // monotonic time since boot at the scan
	Badge       badge.Hash    // zero when the QR code was not a badge
	Member      int64
	Decision    access.Decision
}

// State is the kiosk's view of its synced state, for decisions and status.
type State struct {
	Settings Settings
	// LastPull is when the kiosk last completed a pull from central (zero:
	// never).
	LastPull time.Time
	// KnownGood is the latest time the kiosk knows to be right (central's
	// clock at the last sync, or the last entry's time): a clock reading
	// before it is wrong.
	KnownGood time.Time
}

// Settings are the space's settings, received from central.
type Settings struct {
	Space string
	// SpaceID is the kiosk's space in the network: the door decides for it
	// (access.Request.Space); 0 checks nothing.
	SpaceID int64
	// SpaceKey is the space's first name (RawSettings.SpaceKey): a guest
	// pass signed for it is accepted as one signed for Space; "": none.
	SpaceKey    string
	Location    *time.Location
	Hours       access.Hours
	StaleAfter  time.Duration // 0: trust the state forever
	StalePolicy StalePolicy
	// CodeKey verifies phone codes and guest passes; nil until central
	// sent it (such codes are then refused as unknown).
	CodeKey       ed25519.PublicKey
	CodeTolerance time.Duration // clock tolerance on a phone code's window
	Passback      time.Duration // anti-passback; 0: off
	GuestConsumes bool          // a guest takes one of her host's entries
	// RequireMembership refuses members whose dues do not cover today
	// (door.require_membership), staff aside.
	RequireMembership bool
	// ShowNames is door.show_names: the kiosk holds its members' first
	// names and the door screen greets them by name.
	ShowNames bool
}

// Clock tolerance on signed codes: the default, and the most a setting
// may give (a larger one would make screenshots last).
const (
	DefaultCodeTolerance = 90 * time.Second
	MaxCodeTolerance     = 10 * time.Minute
)

// StalePolicy says what to do with a state older than StaleAfter.
type StalePolicy string

// Stale policies.
const (
	StaleWarn   StalePolicy = "warn"   // keep deciding on the old state; status shows it
	StaleRefuse StalePolicy = "refuse" // refuse everyone but staff (unlimited plans)
)

// Enrollment is how this kiosk reaches central. Token is a secret.
type Enrollment struct {
	Central   string // central's base URL
	KioskID   int64
	KioskName string
	Space     string
	Token     string
}

// ErrNotEnrolled is returned where an enrollment is needed and none was made.
var ErrNotEnrolled = errors.New("this kiosk is not enrolled: run kioskd enroll --data DIR --central URL --token TOKEN")

// ErrDiskFull is what a Store's errors wrap when the disk holding its data
// is full: the door refuses scans (it cannot record them) until there is
// room again.
var ErrDiskFull = errors.New("disk full")

// Store is the kiosk's durable state.
type Store interface {
	// Lookup finds a badge by hash. An unknown badge is not an error: it
	// comes back with Badge set to access.BadgeUnknown.
	Lookup(ctx context.Context, h badge.Hash, loc *time.Location) (Holder, error)
	// LookupMember finds a member (a guest pass's host) by id, as Lookup
	// does for a badge, with Badge left BadgeUnknown; guest is the pass's
	// hash, whose last acceptance fills LastAccepted. An unknown member
	// comes back with Status empty (access.Decide refuses her).
	LookupMember(ctx context.Context, id int64, guest badge.Hash, loc *time.Location) (Holder, error)
	// LookupTicket finds what is known of the event ticket of
	// registration (hash h): Badge is revoked when its registration was
	// cancelled, active otherwise (its signature vouches for it); and its
	// last acceptance here.
	LookupTicket(ctx context.Context, registration int64, h badge.Hash) (Holder, error)
	// Record commits e to disk (synchronously) before returning, setting
	// its ID and Seq. A consumed entry is deducted from later Lookups.
	Record(ctx context.Context, e *Entry) error
	// State returns the current settings and sync times.
	State(ctx context.Context) (State, error)
}
