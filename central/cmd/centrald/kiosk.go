package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/slack"
)

func cmdKioskAdd(e *env, args []string) error {
	name := e.fs.String("name", "", "kiosk name, e.g. \"Porte d'entrée\"")
	space := e.fs.String("space", "", "the space it guards: its id or name (the only one when there is one)")
	db, err := e.start(args, "name")
	if err != nil {
		return err
	}
	s, err := findSpace(e, db, *space)
	if err != nil {
		return err
	}
	token, err := db.Kiosk.CreateKiosk(e.ctx, &central.Kiosk{Name: *name, Space: s.Key})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, token)
	return nil
}

func cmdKioskList(e *env, args []string) error {
	asJSON := e.fs.Bool("json", false, "one JSON object per line: id, name, space, state, last_seen, acked, pending, version, health, and what the kiosk last reported (camera_ok, camera_error, last_frame, ...)")
	db, err := e.start(args)
	if err != nil {
		return err
	}
	svc := db.Kiosk
	ks, _, err := svc.FindKiosks(e.ctx, central.KioskFilter{})
	if err != nil {
		return err
	}
	healths, err := db.Health.KioskHealths(e.ctx)
	if err != nil {
		return err
	}
	set, err := db.Settings.Settings(e.ctx)
	if err != nil {
		return err
	}
	spaces, err := db.Space.FindSpaces(e.ctx)
	if err != nil {
		return err
	}
	loc, silent := set.Location(), slack.ConfigFrom(set).KioskSilentAfter // as Slack's silent-kiosk alert
	now := time.Now()
	lw := newListWriter(e.stdout, *asJSON, "ID\tNAME\tSPACE\tSTATE\tLAST SEEN\tACKED\tPENDING\tSOFTWARE\tHEALTH")
	for _, k := range ks {
		state := "enrolled"
		switch {
		case k.Disabled:
			state = "disabled"
		case k.Enrolled.IsZero() && !k.EnrollExpires.After(now):
			state = "token expired"
		case k.Enrolled.IsZero():
			state = "waiting for enrollment"
		}
		seen := "never"
		if !k.LastSeen.IsZero() {
			seen = k.LastSeen.In(loc).Format(time.DateTime)
		}
		h := healths[k.ID]
		a := central.AssessKiosk(k, h, now, silent)
		var problems []string
		for _, p := range a.Problems {
			problems = append(problems, p.Code)
		}
		health := string(a.Level)
		if len(problems) > 0 {
			health += " (" + strings.Join(problems, ", ") + ")"
		}
		space := central.PlaceName(spaces, k.Space) // its current name, though it keeps its key
		if err := lw.line(newKioskLine(k, space, h, a, state), "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", k.ID, k.Name, space, state, seen,
			k.Acked, k.Pending, k.Software, health); err != nil {
			return err
		}
	}
	return lw.flush()
}

// kioskLine is a line of "centrald kiosk list --json" (a contract: its
// fields are never renamed). Times are RFC 3339 in UTC, "" for never; the
// health fields are what the kiosk last reported (null, or "", when it
// never did): its own clock's times.
type kioskLine struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Space    string `json:"space"` // the space's key: its first name, "" the main space
	State    string `json:"state"`
	LastSeen string `json:"last_seen"`
	Acked    int64  `json:"acked"`
	Pending  int    `json:"pending"`
	Version  string `json:"version"`
	// Health is central's summary: ok, warning, down or unknown, and
	// Problems its reasons (camera, disk_low, clock, silent, no_report...).
	Health   string   `json:"health"`
	Problems []string `json:"problems"`
	// From the last report.
	Reported      string   `json:"reported"` // when central received it
	CameraOK      *bool    `json:"camera_ok"`
	CameraError   string   `json:"camera_error"`
	CameraFPS     *float64 `json:"camera_fps"`
	LastFrame     string   `json:"last_frame"`
	LastDecision  string   `json:"last_decision"`
	ClockOffsetMS *int64   `json:"clock_offset_ms"`
	DiskFree      *int64   `json:"disk_free"`
	DiskTotal     *int64   `json:"disk_total"`
	DatabaseBytes *int64   `json:"database_bytes"`
	UptimeS       *int64   `json:"uptime_s"`
	// SpaceName is the space's current name (central.PlaceName): its
	// first name, Space, until renamed; the main space's for "". Added
	// last, the fields before keep their order.
	SpaceName string `json:"space_name"`
}

func newKioskLine(k *central.Kiosk, spaceName string, h *central.KioskHealth, a central.KioskAssessment, state string) kioskLine {
	l := kioskLine{ID: k.ID, Name: k.Name, Space: k.Space, SpaceName: spaceName, State: state, LastSeen: jsonTime(k.LastSeen), Acked: k.Acked,
		Pending: k.Pending, Version: k.Software, Health: string(a.Level), Problems: []string{}}
	for _, p := range a.Problems {
		l.Problems = append(l.Problems, p.Code)
	}
	if h == nil {
		return l
	}
	offset, uptime := h.ClockOffset.Milliseconds(), int64(h.Uptime/time.Second)
	l.Reported, l.CameraOK, l.CameraError, l.CameraFPS = jsonTime(h.Received), &h.CameraOK, h.CameraError, &h.CameraFPS
	l.LastFrame, l.LastDecision, l.ClockOffsetMS = jsonTime(h.LastFrame), jsonTime(h.LastDecision), &offset
	l.DiskFree, l.DiskTotal, l.DatabaseBytes, l.UptimeS = &h.DiskFree, &h.DiskTotal, &h.DatabaseBytes, &uptime
	return l
}

func jsonTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func cmdKioskDisable(e *env, args []string) error { return setKioskDisabled(e, args, true) }
func cmdKioskEnable(e *env, args []string) error  { return setKioskDisabled(e, args, false) }

func setKioskDisabled(e *env, args []string, disabled bool) error {
	id := e.fs.Int64("kiosk", 0, "kiosk id")
	db, err := e.start(args, "kiosk")
	if err != nil {
		return err
	}
	return db.Kiosk.SetKioskDisabled(e.ctx, *id, disabled)
}
