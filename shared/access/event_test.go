package access_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

// TestDecideEventEveryCombination: a member's scan while an event runs,
// for every combination of what she holds (nothing, a pack, a
// subscription), whether she is registered, the time (before the event,
// in its early margin, during it after the space closed, after it), the
// event's space (the door's, another), its Consumes setting and whether
// she was in today already. The event's rule applies only when she is
// registered to an event of this space running now (with its margin);
// otherwise the usual rules decide, opening hours included.
func TestDecideEventEveryCombination(t *testing.T) {
	office, _ := access.ParseHours("mon-fri 08:00-20:00")
	// Thursday evening, running past the space's closing time.
	event := access.Event{ID: 7, Space: 1, Start: at("2026-11-26 19:00"), End: at("2026-11-26 22:00")}
	times := []struct {
		name    string
		now     time.Time
		running bool // the event's rule applies (with its margin)
		open    bool // the space's opening hours hold
	}{
		{"Before", at("2026-11-26 18:20"), false, true},
		{"EarlyMargin", at("2026-11-26 18:35"), true, true},
		{"DuringAfterClosing", at("2026-11-26 21:00"), true, false},
		{"After", at("2026-11-26 22:00"), false, false},
	}
	holdings := []struct {
		name string
		ents []access.Entitlement
	}{
		{"NoPass", nil},
		{"Pack", []access.Entitlement{pack(3, "", "", 4)}},
		{"EmptyPack", []access.Entitlement{pack(3, "", "", 0)}},
		{"Subscription", []access.Entitlement{sub(4, "2026-11-01", "2026-11-30")}},
	}
	for _, tm := range times {
		for _, h := range holdings {
			for _, registered := range []bool{false, true} {
				for _, sameSpace := range []bool{false, true} {
					for _, consumes := range []bool{false, true} {
						for _, already := range []bool{false, true} {
							name := fmt.Sprintf("%s/%s/registered=%v/sameSpace=%v/consumes=%v/alreadyToday=%v",
								tm.name, h.name, registered, sameSpace, consumes, already)
							r := access.Request{Badge: access.BadgeActive, Member: access.MemberActive, Now: tm.now,
								Hours: office, Space: 1, Entitlements: h.ents}
							ev := event
							ev.Consumes = consumes
							if !sameSpace {
								ev.Space = 2
							}
							if registered {
								r.Events = []access.Event{ev}
							}
							if already {
								r.LastVisit = day("2026-11-26")
							}
							want := wantEvent(tm.running && registered && sameSpace, tm.open, consumes, already, h.name)
							if got := access.Decide(r); got != want {
								t.Errorf("%s: Decide = %+v, want %+v", name, got, want)
							}
						}
					}
				}
			}
		}
	}
}

// wantEvent states the rules of event.go for TestDecideEventEveryCombination.
func wantEvent(eventRule, open, consumes, already bool, holding string) access.Decision {
	accept := func(r access.Reason, consume int64) access.Decision {
		return access.Decision{Accept: true, Reason: r, Consume: consume}
	}
	if eventRule {
		switch {
		case !consumes, already, holding == "Subscription":
			return accept(access.OKEvent, 0)
		case holding == "Pack":
			return accept(access.OKEvent, 3)
		}
		return access.Decision{Reason: access.NoEntriesLeft}
	}
	switch {
	case !open:
		return access.Decision{Reason: access.Closed}
	case already:
		return accept(access.OKAlreadyToday, 0)
	case holding == "Subscription":
		return accept(access.OKSubscription, 0)
	case holding == "Pack":
		return accept(access.OKPack, 3)
	}
	return access.Decision{Reason: access.NoEntriesLeft}
}

// TestDecideEventStillChecks: the event's rule comes after the badge, the
// member's standing and anti-passback; staff come in for it as any
// registered member; a pass valid only at another space pays no event
// entry here.
func TestDecideEventStillChecks(t *testing.T) {
	ev := access.Event{ID: 7, Space: 1, Start: at("2026-11-26 19:00"), End: at("2026-11-26 22:00")}
	base := access.Request{Badge: access.BadgeActive, Member: access.MemberActive, Now: at("2026-11-26 19:30"),
		Space: 1, Events: []access.Event{ev}}
	with := func(mod func(*access.Request)) access.Request {
		r := base
		mod(&r)
		return r
	}
	consuming := ev
	consuming.Consumes = true
	elsewhere := pack(3, "", "", 4)
	elsewhere.Spaces = access.Spaces(2)
	for _, tc := range []struct {
		name string
		req  access.Request
		want access.Decision
	}{
		{"Registered", base, access.Decision{Accept: true, Reason: access.OKEvent}},
		{"RevokedBadge", with(func(r *access.Request) { r.Badge = access.BadgeRevoked }), access.Decision{Reason: access.RevokedBadge}},
		{"UnknownBadge", with(func(r *access.Request) { r.Badge = access.BadgeUnknown }), access.Decision{Reason: access.UnknownBadge}},
		{"Suspended", with(func(r *access.Request) { r.Member = access.MemberSuspended }), access.Decision{Reason: access.MemberIsSuspended}},
		{"AlreadyInside", with(func(r *access.Request) {
			r.Passback, r.LastAccepted = time.Hour, at("2026-11-26 19:10")
		}), access.Decision{Reason: access.AlreadyInside}},
		{"DuesNotRequiredForTheEvent", with(func(r *access.Request) { r.RequireMembership = true }),
			access.Decision{Accept: true, Reason: access.OKEvent}},
		{"StaffForTheEvent", with(func(r *access.Request) {
			r.Entitlements = []access.Entitlement{{ID: 9, Kind: access.Unlimited}}
		}), access.Decision{Accept: true, Reason: access.OKEvent}},
		{"ConsumingStaffPaysNothing", with(func(r *access.Request) {
			r.Events = []access.Event{consuming}
			r.Entitlements = []access.Entitlement{{ID: 9, Kind: access.Unlimited}}
		}), access.Decision{Accept: true, Reason: access.OKEvent}},
		{"ConsumingPackOfAnotherSpace", with(func(r *access.Request) {
			r.Events = []access.Event{consuming}
			r.Entitlements = []access.Entitlement{elsewhere}
		}), access.Decision{Reason: access.NotValidHere}},
		{"DoorWithoutSpace", with(func(r *access.Request) {
			r.Space = 0
			r.Events = []access.Event{{ID: 7, Space: 5, Start: ev.Start, End: ev.End}}
		}), access.Decision{Accept: true, Reason: access.OKEvent}},
		{"SecondEventRunning", with(func(r *access.Request) {
			r.Events = []access.Event{{ID: 6, Space: 1, Start: at("2026-11-26 09:00"), End: at("2026-11-26 10:00")}, ev}
		}), access.Decision{Accept: true, Reason: access.OKEvent}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := access.Decide(tc.req); got != tc.want {
				t.Fatalf("Decide = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestDecideTicket: an event ticket, for every combination of the door's
// space, the time and the ticket's standing. Another space's ticket is
// not_valid_here whatever the time; this space's, outside its hours,
// expired_code; a cancelled registration's, revoked_badge.
func TestDecideTicket(t *testing.T) {
	ev := access.Event{ID: 7, Space: 1, Start: at("2026-11-26 19:00"), End: at("2026-11-26 22:00")}
	office, _ := access.ParseHours("mon-fri 08:00-20:00")
	for _, tc := range []struct {
		name  string
		space int64
		now   time.Time
		badge access.BadgeStatus
		want  access.Reason
	}{
		{"DuringAfterClosing", 1, at("2026-11-26 21:00"), access.BadgeActive, access.OKEvent},
		{"EarlyMargin", 1, at("2026-11-26 18:30"), access.BadgeActive, access.OKEvent},
		{"LastMinute", 1, at("2026-11-26 21:59"), access.BadgeActive, access.OKEvent},
		{"TooEarly", 1, at("2026-11-26 18:29"), access.BadgeActive, access.ExpiredCode},
		{"Ended", 1, at("2026-11-26 22:00"), access.BadgeActive, access.ExpiredCode},
		{"NextDay", 1, at("2026-11-27 20:00"), access.BadgeActive, access.ExpiredCode},
		{"OtherSpaceDuring", 2, at("2026-11-26 21:00"), access.BadgeActive, access.NotValidHere},
		{"OtherSpaceOtherDay", 2, at("2026-11-27 21:00"), access.BadgeActive, access.NotValidHere},
		{"Cancelled", 1, at("2026-11-26 21:00"), access.BadgeRevoked, access.RevokedBadge},
		{"CancelledOtherDay", 1, at("2026-11-28 21:00"), access.BadgeRevoked, access.ExpiredCode},
		{"DoorWithoutSpace", 0, at("2026-11-26 21:00"), access.BadgeActive, access.OKEvent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := access.Decide(access.Request{Ticket: true, Badge: tc.badge, Now: tc.now, Space: tc.space,
				Hours: office, Events: []access.Event{ev}})
			if got.Reason != tc.want || got.Accept != tc.want.Accepts() || got.Consume != 0 {
				t.Fatalf("Decide = %+v, want %s", got, tc.want)
			}
		})
	}
	pb := access.Request{Ticket: true, Badge: access.BadgeActive, Now: at("2026-11-26 21:00"), Space: 1,
		Events: []access.Event{ev}, Passback: 10 * time.Minute, LastAccepted: at("2026-11-26 20:55")}
	if got := access.Decide(pb); got.Reason != access.AlreadyInside {
		t.Fatalf("a ticket shown again at once: %+v, want already_inside", got)
	}
	if got := access.Decide(access.Request{Ticket: true, Badge: access.BadgeActive, Now: at("2026-11-26 21:00")}); got.Accept {
		t.Fatalf("a ticket without its event: %+v", got)
	}
}
