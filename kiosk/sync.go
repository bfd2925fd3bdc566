package kiosk

import (
	"crypto/ed25519"
	"encoding/base64"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// Changes is one page of what central sent in a pull, in the kiosk's
// terms: kiosk/uplink converts the protocol's answer (shared/wire) into it
// and the Store applies it, so that the store never speaks the protocol.
type Changes struct {
	// Snapshot says the pull is a full copy: once its last page is
	// applied, members it did not mention are dropped.
	Snapshot bool
	// More says another page follows; the cursor, acknowledgement and sync
	// time move only with the last page.
	More bool
	// Cursor is the state version to ask from next time.
	Cursor  int64
	Members []Member
	// Deleted lists members erased at central (GDPR), or who may no
	// longer enter this kiosk's space.
	Deleted []int64
	// Elsewhere are badges of members of other spaces of the network,
	// hashes only: the door refuses them as not valid here (or revoked).
	Elsewhere []Badge
	// Events are the events at this kiosk's space changed since the
	// cursor, each whole (a snapshot's: all of them; those not received
	// are dropped once its last page is applied).
	Events []Event
	// Acked is the highest sequence of this kiosk's entries that the
	// members' balances already include.
	Acked      int64
	Settings   RawSettings
	ServerTime time.Time // central's clock: a time known to be right
}

// Member is a member as the kiosk keeps her: what decisions need, and her
// first name for the door screen's greeting; no full name, no e-mail.
type Member struct {
	ID int64
	// Name is her first name, for the door screen ("Bonjour Alice !"):
	// central sends it only to the kiosks of a space she may enter, and
	// none with door.show_names off.
	Name string
	// Lang is "en" for a member who speaks English (the door screen says
	// its message in English first); "" for French.
	Lang string
	// Status is kept as central sent it, even when unknown to this
	// version: access.Decide refuses a status it does not know.
	Status    access.MemberStatus
	LastVisit access.Day // last day accepted at this space, at any kiosk
	Badges    []Badge
	// Entitlements with pack balances as central counted them.
	Entitlements []access.Entitlement
}

// Event is an event at this kiosk's space (issue 15): its members
// registered are let in for it during its hours (access.OKEvent), and the
// tickets of its Revoked registrations are refused.
type Event struct {
	ID         int64
	Start, End time.Time
	Consumes   bool
	Members    []int64
	Revoked    []int64
}

// Badge is one badge of a member.
type Badge struct {
	Hash    badge.Hash
	Revoked bool
	// LastAccepted is when central last saw it accepted at this space
	// (anti-passback across kiosks); zero: not within the time.
	LastAccepted time.Time
}

// RawSettings are the space's settings as central states them, in text. The
// Store keeps them as received, so that a kioskd that cannot read a value
// falls back to a safe default without losing it (a newer kioskd may read
// it); Parse makes the Settings that decisions use.
type RawSettings struct {
	Space string
	// SpaceID is the kiosk's space in the network (0: one space, or an
	// older central).
	SpaceID int64
	// SpaceKey is the space's first name, for which guest passes mailed
	// before a rename are signed; "" (the main space, an older central):
	// none.
	SpaceKey    string
	Timezone    string // IANA name, e.g. Europe/Paris
	Hours       string // access.ParseHours syntax; empty: always open
	StaleAfter  string // Go duration, e.g. "168h"; empty: trust forever
	StalePolicy string // "warn" or "refuse"
	// CodeKey is central's public code-signing key (standard base64).
	CodeKey       string
	CodeTolerance string // Go duration; empty or unreadable: 90 s
	Passback      string // Go duration; empty: anti-passback off
	GuestConsumes bool
	// RequireMembership refuses members without current dues, staff aside.
	RequireMembership bool
	// ShowNames says members come with their first names; false: the
	// kiosk holds none (it drops those it holds).
	ShowNames bool
}

// Parse turns the settings into the kiosk's, falling back to safe defaults
// (Europe/Paris, always open, trust forever, warn) for values this kioskd
// cannot read, so that a bad setting never stops the door.
func (r RawSettings) Parse() Settings {
	s := Settings{Space: r.Space, SpaceID: r.SpaceID, SpaceKey: r.SpaceKey, Location: access.Paris, StalePolicy: StaleWarn, RequireMembership: r.RequireMembership,
		ShowNames: r.ShowNames}
	if r.Timezone != "" {
		if loc, err := time.LoadLocation(r.Timezone); err == nil {
			s.Location = loc
		}
	}
	if h, err := access.ParseHours(r.Hours); err == nil {
		s.Hours = h
	}
	if d, err := time.ParseDuration(r.StaleAfter); err == nil && d > 0 {
		s.StaleAfter = d
	}
	if StalePolicy(r.StalePolicy) == StaleRefuse {
		s.StalePolicy = StaleRefuse
	}
	if k, err := base64.StdEncoding.DecodeString(r.CodeKey); err == nil && len(k) == ed25519.PublicKeySize {
		s.CodeKey = ed25519.PublicKey(k)
	}
	s.CodeTolerance = DefaultCodeTolerance
	if d, err := time.ParseDuration(r.CodeTolerance); err == nil && d >= 0 && d <= MaxCodeTolerance {
		s.CodeTolerance = d
	}
	if d, err := time.ParseDuration(r.Passback); err == nil && d > 0 {
		s.Passback = d
	}
	s.GuestConsumes = r.GuestConsumes
	return s
}

// Report is what a kiosk says of itself with each sync (kiosk/uplink sends
// it with its pulls; central shows it and alerts the bureau). The door
// fills the camera's and decisions' part (Door.Report), kioskd the rest.
// Times are the kiosk's clock; zero means never.
type Report struct {
	Time    time.Time     // when the report was made
	Started time.Time     // when kioskd started
	Uptime  time.Duration // how long it has run
	// CameraOK says the camera delivers frames: no error and a frame
	// within CameraStaleAfter. CameraError is its current error.
	CameraOK     bool
	CameraError  string
	CameraFPS    float64
	LastFrame    time.Time
	LastDecision time.Time
	// DiskFree and DiskTotal are the bytes free for kioskd and in all on
	// the disk of its data; DatabaseBytes the size of its database files.
	// -1: unknown.
	DiskFree      int64
	DiskTotal     int64
	DatabaseBytes int64
	Software      string
}
