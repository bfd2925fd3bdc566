package central

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// KioskHealth is what a kiosk last said of itself (it reports with each
// sync: shared/wire.Health), with what central derived from it: when it
// arrived and how far the kiosk's clock was from central's. Times a kiosk
// reports (Started, LastFrame, LastDecision) are its own clock's; zero means
// never.
type KioskHealth struct {
	Kiosk    int64
	Received time.Time // central's clock when the report arrived
	// ClockOffset is the kiosk's clock minus central's when the report
	// arrived (network delay included: a few milliseconds).
	ClockOffset time.Duration
	Started     time.Time     // when kioskd started
	Uptime      time.Duration // how long it had run
	CameraOK    bool
	CameraError string  // the camera's last error; "" when none
	CameraFPS   float64 // frames read per second since the previous report
	LastFrame   time.Time
	// LastDecision is the time of the last decision at the door.
	LastDecision time.Time
	// DiskFree and DiskTotal are the bytes free and in all on the kiosk's
	// data disk, DatabaseBytes the size of its database; -1: unknown.
	DiskFree      int64
	DiskTotal     int64
	DatabaseBytes int64
	Software      string
	// DiskLowSince is when central first saw the disk nearly full in the
	// current incident (zero: the disk is fine). Central keeps it from one
	// report to the next (KioskHealthEvents): it names the incident, so
	// that the bureau is alerted once per incident, not once per sync.
	DiskLowSince time.Time
}

// Health thresholds.
const (
	// CameraSilentAlert is how long a camera may deliver no frame during
	// opening hours before the bureau is alerted.
	CameraSilentAlert = 5 * time.Minute
	// DiskLowBytes and DiskLowShare make a disk "nearly full": fewer free
	// bytes than DiskLowBytes, or less than 1/DiskLowShare of it free.
	// kioskd itself refuses to record under 16 MiB (kiosk/sqlite): this
	// warns well before.
	DiskLowBytes = 256 << 20
	DiskLowShare = 20 // 5 %
)

// DiskLow reports whether the disk is nearly full (DiskLowBytes,
// DiskLowShare). An unknown size (-1) is not low. The share is computed
// by dividing the total: the free bytes multiplied would wrap around for
// the sizes a kiosk may report (over 461 PB), and make a disk with room
// look full.
func (h *KioskHealth) DiskLow() bool {
	if h.DiskFree < 0 {
		return false
	}
	return h.DiskFree < DiskLowBytes || (h.DiskTotal > 0 && h.DiskFree < h.DiskTotal/DiskLowShare)
}

// KioskTime is the kiosk's clock when its report arrived.
func (h *KioskHealth) KioskTime() time.Time { return h.Received.Add(h.ClockOffset) }

// CameraSilentSince is when the camera last delivered a frame, or when
// kioskd started if it delivered none since; zero when the camera works.
// It is the kiosk's clock, and the same in every report of one silence:
// it names the incident.
func (h *KioskHealth) CameraSilentSince() time.Time {
	switch {
	case h.CameraOK:
		return time.Time{}
	case !h.LastFrame.IsZero():
		return h.LastFrame
	}
	return h.Started
}

// KioskCameraDown: a kiosk's camera has delivered no frame since Since (the
// kiosk's clock) for at least CameraSilentAlert, during opening hours. One
// event per incident: Since names it.
type KioskCameraDown struct {
	Kiosk    *Kiosk
	Since    time.Time
	Error    string // the camera's last error, "" when none
	Location *time.Location
}

// KioskDiskLow: a kiosk's data disk is nearly full since Since (central's
// clock, when it was first seen). One event per incident.
type KioskDiskLow struct {
	Kiosk    *Kiosk
	Since    time.Time
	Free     int64
	Total    int64
	Location *time.Location
}

func (KioskCameraDown) event() {}
func (KioskDiskLow) event()    {}

// KioskHealthEvents applies a new report h of kiosk k, whose previous
// report was prev (nil: none), under the settings of the moment: it carries
// the disk incident over from prev (h.DiskLowSince) and returns the events
// the report makes. A camera silent for CameraSilentAlert while the space
// is open makes a KioskCameraDown; a disk nearly full makes a KioskDiskLow.
// Each incident makes the same event in every report while it lasts (the
// same Since), so that the reactions' keys alert the bureau once.
func KioskHealthEvents(k *Kiosk, prev, h *KioskHealth, set Settings) []Event {
	loc := set.Location()
	h.DiskLowSince = time.Time{}
	var evs []Event
	if h.DiskLow() {
		h.DiskLowSince = h.Received
		if prev != nil && !prev.DiskLowSince.IsZero() {
			h.DiskLowSince = prev.DiskLowSince
		}
		evs = append(evs, KioskDiskLow{Kiosk: k, Since: h.DiskLowSince, Free: h.DiskFree, Total: h.DiskTotal, Location: loc})
	}
	if since := h.CameraSilentSince(); !since.IsZero() && h.KioskTime().Sub(since) >= CameraSilentAlert &&
		set.Hours().Open(h.Received, loc) {
		evs = append(evs, KioskCameraDown{Kiosk: k, Since: since, Error: h.CameraError, Location: loc})
	}
	return evs
}

// KioskHealthService keeps what kiosks say of themselves.
type KioskHealthService interface {
	// ReportKioskHealth records h as its kiosk's last report and enqueues
	// the reactions to the events it makes (KioskHealthEvents), in one
	// transaction. Returns ENOTFOUND for an unknown kiosk.
	ReportKioskHealth(ctx context.Context, h *KioskHealth) error
	// KioskHealths returns the last report of each kiosk that sent one,
	// by kiosk id.
	KioskHealths(ctx context.Context) (map[int64]*KioskHealth, error)
}

// HealthLevel sums up a kiosk's health for the bureau, as a colour.
type HealthLevel string

// Health levels, worst last.
const (
	HealthUnknown HealthLevel = "unknown" // not enrolled, disabled, or no report: grey
	HealthOK      HealthLevel = "ok"      // green
	HealthWarning HealthLevel = "warning" // orange: look soon
	HealthDown    HealthLevel = "down"    // red: the door does not work
)

// HealthProblem is one thing wrong with a kiosk, for the admin to say in
// words.
type HealthProblem struct {
	Code  string    // one of the Problem* codes
	Since time.Time // when it started, when known
	Text  string    // the camera's error, for ProblemCamera
	Bytes int64     // the free bytes, for ProblemDiskLow
	Delay time.Duration
}

// Health problem codes.
const (
	ProblemNotEnrolled = "not_enrolled" // waiting for its enrollment
	ProblemDisabled    = "disabled"     // the bureau disabled it
	ProblemNoReport    = "no_report"    // an older kioskd, which does not report its health
	ProblemSilent      = "silent"       // no sync for a while: what it said last may be out of date
	ProblemCamera      = "camera"       // the camera delivers no frame
	ProblemDiskLow     = "disk_low"     // nearly full
	ProblemClock       = "clock"        // its clock is off by more than MaxClockSkew (Delay)
)

// KioskAssessment is a kiosk's health: a level and the problems behind it
// (none when all is well).
type KioskAssessment struct {
	Level    HealthLevel
	Problems []HealthProblem
}

// AssessKiosk says how kiosk k is doing at now, from its last report h (nil:
// none); silentAfter is how long without a sync makes it silent.
func AssessKiosk(k *Kiosk, h *KioskHealth, now time.Time, silentAfter time.Duration) KioskAssessment {
	switch {
	case k.Disabled:
		return KioskAssessment{Level: HealthUnknown, Problems: []HealthProblem{{Code: ProblemDisabled}}}
	case k.Enrolled.IsZero():
		return KioskAssessment{Level: HealthUnknown, Problems: []HealthProblem{{Code: ProblemNotEnrolled}}}
	}
	a := KioskAssessment{Level: HealthOK}
	worse := func(l HealthLevel, p HealthProblem) {
		if rank(l) > rank(a.Level) {
			a.Level = l
		}
		a.Problems = append(a.Problems, p)
	}
	if silentAfter > 0 && !k.LastSeen.IsZero() && now.Sub(k.LastSeen) > silentAfter {
		worse(HealthDown, HealthProblem{Code: ProblemSilent, Since: k.LastSeen})
	}
	if h == nil {
		if len(a.Problems) == 0 {
			a.Level = HealthUnknown
		}
		a.Problems = append(a.Problems, HealthProblem{Code: ProblemNoReport})
		return a
	}
	if !h.CameraOK {
		since := h.CameraSilentSince()
		if !since.IsZero() {
			since = since.Add(-h.ClockOffset) // in central's clock, as every time the admin shows
		}
		worse(HealthDown, HealthProblem{Code: ProblemCamera, Since: since, Text: h.CameraError})
	}
	if h.DiskLow() {
		worse(HealthWarning, HealthProblem{Code: ProblemDiskLow, Since: h.DiskLowSince, Bytes: h.DiskFree})
	}
	if h.ClockOffset > MaxClockSkew || h.ClockOffset < -MaxClockSkew {
		worse(HealthWarning, HealthProblem{Code: ProblemClock, Delay: h.ClockOffset})
	}
	return a
}

func rank(l HealthLevel) int {
	switch l {
	case HealthOK:
		return 1
	case HealthWarning:
		return 2
	case HealthDown:
		return 3
	}
	return 0
}

// Bytes is a size on a disk, said for people: "120 Mo", "1,5 Go".
type Bytes int64

// French says b with French units (ko, Mo, Go) and a decimal comma.
func (b Bytes) French() string {
	return strings.ReplaceAll(b.say("ko", "Mo", "Go"), ".", ",")
}

// English says b with English units (kB, MB, GB).
func (b Bytes) English() string { return b.say("kB", "MB", "GB") }

func (b Bytes) say(k, m, g string) string {
	switch {
	case b < 0:
		return "?"
	case b >= 10<<30:
		return fmt.Sprintf("%d %s", b>>30, g)
	case b >= 1<<30:
		return fmt.Sprintf("%.1f %s", float64(b)/(1<<30), g)
	case b >= 1<<20:
		return fmt.Sprintf("%d %s", b>>20, m)
	}
	return fmt.Sprintf("%d %s", b>>10, k)
}
