package central_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

func TestAdmit(t *testing.T) {
	for _, tt := range []struct {
		confirmed, capacity int
		want                central.RegistrationStatus
	}{
		{0, 1, central.RegistrationConfirmed},
		{49, 50, central.RegistrationConfirmed},
		{50, 50, central.RegistrationWaitlisted},
		{51, 50, central.RegistrationWaitlisted}, // capacity lowered by the bureau
	} {
		if got := central.Admit(tt.confirmed, tt.capacity); got != tt.want {
			t.Errorf("Admit(%d, %d) = %s, want %s", tt.confirmed, tt.capacity, got, tt.want)
		}
	}
}

func TestCalendarEventValidate(t *testing.T) {
	// 29 March 2026: Paris springs forward at 02:00 (an hour that does
	// not exist); 25 October 2026: 02:00-03:00 happens twice.
	in := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, access.Paris)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	ok := func() central.CalendarEvent {
		return central.CalendarEvent{Title: "  Atelier   compta ", Start: in("2026-12-03 18:00"), End: in("2026-12-03 20:00"), Capacity: 30}
	}
	tests := []struct {
		name   string
		change func(*central.CalendarEvent)
		valid  bool
	}{
		{"ok", func(*central.CalendarEvent) {}, true},
		{"no title", func(e *central.CalendarEvent) { e.Title = " " }, false},
		{"title too long", func(e *central.CalendarEvent) { e.Title = strings.Repeat("a", central.MaxEventTitle+1) }, false},
		{"ends before it starts", func(e *central.CalendarEvent) { e.End = e.Start.Add(-time.Minute) }, false},
		{"ends when it starts", func(e *central.CalendarEvent) { e.End = e.Start }, false},
		{"no start", func(e *central.CalendarEvent) { e.Start = time.Time{} }, false},
		{"15 days", func(e *central.CalendarEvent) { e.End = e.Start.Add(15 * 24 * time.Hour) }, false},
		{"no capacity", func(e *central.CalendarEvent) { e.Capacity = 0 }, false},
		{"capacity too large", func(e *central.CalendarEvent) { e.Capacity = central.MaxEventCapacity + 1 }, false},
		{"deadline after the end", func(e *central.CalendarEvent) { e.Deadline = e.End.Add(time.Minute) }, false},
		{"deadline the day before", func(e *central.CalendarEvent) { e.Deadline = e.Start.Add(-24 * time.Hour) }, true},
		// Across the DST changes the length is real time: 01:30 to 03:30
		// on the spring night lasts one hour, on the autumn night three.
		{"spring night", func(e *central.CalendarEvent) { e.Start, e.End = in("2026-03-29 01:30"), in("2026-03-29 03:30") }, true},
		{"autumn night", func(e *central.CalendarEvent) { e.Start, e.End = in("2026-10-25 01:30"), in("2026-10-25 03:30") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok()
			tt.change(&e)
			err := e.Validate()
			if (err == nil) != tt.valid {
				t.Fatalf("Validate() = %v, want valid %v", err, tt.valid)
			}
			if err != nil && central.ErrorCode(err) != central.EINVALID {
				t.Errorf("code %s", central.ErrorCode(err))
			}
			if err == nil && (e.Title != strings.Join(strings.Fields(e.Title), " ") || e.Start.Location() != time.UTC) {
				t.Errorf("not normalized: %q %v", e.Title, e.Start.Location())
			}
		})
	}
	spring, autumn := ok(), ok()
	spring.Start, spring.End = in("2026-03-29 01:30"), in("2026-03-29 03:30")
	autumn.Start, autumn.End = in("2026-10-25 01:30"), in("2026-10-25 03:30")
	if d := spring.End.Sub(spring.Start); d != time.Hour {
		t.Errorf("spring night lasts %v", d)
	}
	if d := autumn.End.Sub(autumn.Start); d != 3*time.Hour {
		t.Errorf("autumn night lasts %v", d)
	}
}

func TestEventOpen(t *testing.T) {
	start := time.Date(2026, 12, 3, 17, 0, 0, 0, time.UTC)
	e := central.CalendarEvent{Start: start, End: start.Add(2 * time.Hour), Capacity: 2, Confirmed: 1}
	if !e.Open(start.Add(-time.Second)) || e.Open(start) {
		t.Error("without a deadline registrations close at the start")
	}
	e.Deadline = start.Add(-24 * time.Hour)
	if e.Open(e.Deadline) || !e.Open(e.Deadline.Add(-time.Second)) {
		t.Error("registrations close at the deadline")
	}
	if e.PlacesLeft() != 1 {
		t.Errorf("places left %d", e.PlacesLeft())
	}
	e.Confirmed = 5
	if e.PlacesLeft() != 0 {
		t.Errorf("over capacity: %d places left", e.PlacesLeft())
	}
}

func TestValidateGuest(t *testing.T) {
	for _, tt := range []struct {
		name, email string
		valid       bool
	}{
		{"Bea  Martin", "bea@example.org", true},
		{"", "bea@example.org", false},
		{"Bea", "", false},
		{"Bea", "not an address", false},
		{"Bea", "Bea <bea@example.org>", false},
	} {
		r := central.Registration{Name: tt.name, Email: tt.email}
		if err := r.ValidateGuest(); (err == nil) != tt.valid {
			t.Errorf("ValidateGuest(%q, %q) = %v", tt.name, tt.email, err)
		}
	}
}

// TestPortalSpaces: a member's portal shows the spaces where a pass she
// holds is valid; every space when she holds none.
func TestPortalSpaces(t *testing.T) {
	spaces := []*central.Space{{ID: 1, Name: "A"}, {ID: 2, Key: "B", Name: "B"}, {ID: 3, Key: "C", Name: "C"}}
	today := access.DayOf(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC), time.UTC)
	valid := map[int64]access.SpaceSet{10: access.Spaces(1), 20: access.Spaces(2), 30: access.AllSpaces, 40: access.Spaces(2, 3)}
	refunded := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name  string
		sales []*central.Sale
		want  string
	}{
		{"no pass: every space", nil, "1,2,3"},
		{"a card of A", []*central.Sale{{Product: 10}}, "1"},
		{"a card of A, ending today", []*central.Sale{{Product: 10, End: today}}, "1"},
		{"a card of A, ended yesterday: none held", []*central.Sale{{Product: 10, End: today.AddDays(-1)}}, "1,2,3"},
		{"a card of A refunded, one of B", []*central.Sale{{Product: 10, Refunded: refunded}, {Product: 20}}, "2"},
		{"a network pass", []*central.Sale{{Product: 30}}, "1,2,3"},
		{"a pass of B and C, a card of A", []*central.Sale{{Product: 40}, {Product: 10, End: today.AddDays(30)}}, "1,2,3"},
		{"a pass of B and C", []*central.Sale{{Product: 40}}, "2,3"},
	} {
		got := central.PortalSpaces(spaces, tt.sales, valid, today)
		var ids []string
		for _, sp := range spaces {
			if got[sp.ID] {
				ids = append(ids, strconv.FormatInt(sp.ID, 10))
			}
		}
		if s := strings.Join(ids, ","); s != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, s, tt.want)
		}
	}
	shown := map[int64]bool{2: true}
	for place, want := range map[string]bool{"": false, "B": true, "b": true, "C": false, "Salle des fêtes": true} {
		if got := central.ShownAt(shown, spaces, place); got != want {
			t.Errorf("ShownAt(%q) = %v, want %v", place, got, want)
		}
	}
}
