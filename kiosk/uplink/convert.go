package uplink

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// entryToWire converts a recorded entry into the protocol's form.
func entryToWire(e kiosk.Entry) wire.Entry {
	w := wire.Entry{ID: e.ID, Seq: e.Seq, Time: e.Time, ClockUnsure: e.ClockUnsure, BootID: e.BootID,
		Mono: int64(e.Mono), Member: e.Member, Decision: wire.DecisionRefuse,
		Reason: string(e.Decision.Reason), Consumed: e.Decision.Consume}
	if e.Decision.Accept {
		w.Decision = wire.DecisionAccept
	}
	if !e.Badge.IsZero() {
		w.Badge = e.Badge.String()
	}
	return w
}

// changesFromWire converts one page of a pull into the kiosk's terms. A
// malformed day or badge hash refuses the whole page, which is then asked
// again: nothing of it is applied. A status or kind unknown to this version
// is kept as is (access.Decide refuses what it does not know).
func changesFromWire(r wire.PullResponse) (kiosk.Changes, error) {
	c := kiosk.Changes{Snapshot: r.Snapshot, More: r.More, Cursor: r.Cursor, Deleted: r.Deleted,
		Acked: r.Acked, ServerTime: r.ServerTime, Settings: kiosk.RawSettings{Space: r.Settings.Space, SpaceID: r.Settings.SpaceID,
			SpaceKey: r.Settings.SpaceKey,
			Timezone: r.Settings.Timezone, Hours: r.Settings.Hours, StaleAfter: r.Settings.StaleAfter,
			StalePolicy: r.Settings.StalePolicy, CodeKey: r.Settings.CodeKey, CodeTolerance: r.Settings.CodeTolerance,
			Passback: r.Settings.Passback, GuestConsumes: r.Settings.GuestConsumes,
			RequireMembership: r.Settings.RequireMembership, ShowNames: r.Settings.ShowNames}}
	if len(r.Members) > 0 {
		c.Members = make([]kiosk.Member, 0, len(r.Members))
	}
	for _, wm := range r.Members {
		m, err := memberFromWire(wm)
		if err != nil {
			return c, fmt.Errorf("member %d: %w", wm.ID, err)
		}
		c.Members = append(c.Members, m)
	}
	for _, b := range r.Elsewhere {
		h, err := badge.ParseHash(b.Hash)
		if err != nil {
			return c, fmt.Errorf("elsewhere badge: %w", err)
		}
		c.Elsewhere = append(c.Elsewhere, kiosk.Badge{Hash: h, Revoked: b.Revoked})
	}
	for _, e := range r.Events {
		if !e.End.After(e.Start) {
			return c, fmt.Errorf("event %d: ends before it starts", e.ID)
		}
		c.Events = append(c.Events, kiosk.Event{ID: e.ID, Start: e.Start, End: e.End, Consumes: e.Consumes,
			Members: e.Members, Revoked: e.Revoked})
	}
	return c, nil
}

func memberFromWire(wm wire.Member) (kiosk.Member, error) {
	m := kiosk.Member{ID: wm.ID, Status: access.MemberStatus(wm.Status), Name: doorName(wm.Name)}
	if wm.Lang == "en" { // French otherwise, whatever central sent
		m.Lang = wm.Lang
	}
	var err error
	if m.LastVisit, err = access.ParseDay(wm.LastVisit); err != nil {
		return m, err
	}
	for _, b := range wm.Badges {
		h, err := badge.ParseHash(b.Hash)
		if err != nil {
			return m, err
		}
		kb := kiosk.Badge{Hash: h, Revoked: b.Revoked}
		if b.LastAccepted != nil {
			kb.LastAccepted = *b.LastAccepted
		}
		m.Badges = append(m.Badges, kb)
	}
	for _, we := range wm.Entitlements {
		e := access.Entitlement{ID: we.ID, Kind: access.Kind(we.Kind), Entries: we.Entries, Spaces: access.Spaces(we.Spaces...)}
		if len(e.Spaces.IDs()) != len(slices.Compact(slices.Sorted(slices.Values(we.Spaces)))) {
			return m, fmt.Errorf("entitlement %d: invalid space ids %v", we.ID, we.Spaces)
		}
		if e.Start, err = access.ParseDay(we.Start); err != nil {
			return m, fmt.Errorf("entitlement %d: %w", we.ID, err)
		}
		if e.End, err = access.ParseDay(we.End); err != nil {
			return m, fmt.Errorf("entitlement %d: %w", we.ID, err)
		}
		m.Entitlements = append(m.Entitlements, e)
	}
	return m, nil
}

// doorName bounds a first name central sent (wire.MaxName bytes) and
// keeps only its visible characters: the door screen shows it.
func doorName(s string) string {
	s = strings.ToValidUTF8(cut(s, wire.MaxName), "")
	return strings.Map(func(r rune) rune {
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) && r != ' ' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// reportToWire converts a health report, cutting the camera's error to
// what central accepts.
func reportToWire(r kiosk.Report) *wire.Health {
	return &wire.Health{Time: r.Time, Started: r.Started, Uptime: int64(r.Uptime / time.Second),
		CameraOK: r.CameraOK, CameraError: cut(r.CameraError, wire.MaxHealthText), CameraFPS: max(r.CameraFPS, 0),
		LastFrame: r.LastFrame, LastDecision: r.LastDecision, DiskFree: max(r.DiskFree, -1), DiskTotal: max(r.DiskTotal, -1),
		DatabaseBytes: max(r.DatabaseBytes, -1), Software: cut(r.Software, 100)}
}

// cut shortens s to at most n bytes, between characters.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
