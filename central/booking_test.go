package central_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

func paris(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, access.Paris)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestCheckSlot(t *testing.T) {
	room := central.Resource{Name: "Salle", Opens: 8 * 60, Closes: 20 * 60, Slot: 30 * time.Minute}
	night := central.Resource{Name: "La grosse machine", Opens: 0, Closes: 24 * 60, Slot: time.Hour}
	for _, r := range []*central.Resource{&room, &night} {
		if err := r.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name       string
		r          *central.Resource
		start, end string
		ok         bool
	}{
		{"one slot", &room, "2026-12-04 09:00", "2026-12-04 09:30", true},
		{"three slots", &room, "2026-12-04 09:30", "2026-12-04 11:00", true},
		{"first and last", &room, "2026-12-04 08:00", "2026-12-04 20:00", true},
		{"before opening", &room, "2026-12-04 07:30", "2026-12-04 08:30", false},
		{"after closing", &room, "2026-12-04 19:30", "2026-12-04 20:30", false},
		{"not on a slot", &room, "2026-12-04 09:15", "2026-12-04 09:45", false},
		{"ends before it starts", &room, "2026-12-04 10:00", "2026-12-04 09:00", false},
		{"empty", &room, "2026-12-04 10:00", "2026-12-04 10:00", false},
		{"over two days", &room, "2026-12-04 19:00", "2026-12-05 09:00", false},
		{"until midnight", &night, "2026-12-04 23:00", "2026-12-05 00:00", true},
		{"past midnight", &night, "2026-12-04 23:00", "2026-12-05 01:00", false},
		// DST in Paris: 29 March 2026 02:00 -> 03:00, 25 October 03:00 -> 02:00.
		{"spring morning slots", &room, "2026-03-29 09:00", "2026-03-29 10:00", true},
		{"across the spring change", &night, "2026-03-29 01:00", "2026-03-29 04:00", true},
		{"autumn morning slots", &room, "2026-10-25 09:00", "2026-10-25 10:00", true},
		{"across the autumn change", &night, "2026-10-25 01:00", "2026-10-25 04:00", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.r.CheckSlot(paris(t, tt.start), paris(t, tt.end), access.Paris)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckSlot = %v, want ok %v", err, tt.ok)
			}
			if err != nil && central.ErrorCode(err) != central.EINVALID {
				t.Errorf("code %s", central.ErrorCode(err))
			}
		})
	}
	// A UTC instant on a slot of Paris's clock is a slot: 08:00 UTC is
	// 09:00 in winter.
	if err := room.CheckSlot(time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC), time.Date(2026, 12, 4, 8, 30, 0, 0, time.UTC), access.Paris); err != nil {
		t.Error(err)
	}
	// Seconds are no slot.
	if err := room.CheckSlot(paris(t, "2026-12-04 09:00").Add(time.Second), paris(t, "2026-12-04 09:30"), access.Paris); err == nil {
		t.Error("a booking starting at 09:00:01 accepted")
	}
}

func TestResourceValidate(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    central.Resource
		ok   bool
	}{
		{"room", central.Resource{Name: "Salle", Opens: 480, Closes: 1200, Slot: 30 * time.Minute}, true},
		{"no name", central.Resource{Opens: 480, Closes: 1200, Slot: 30 * time.Minute}, false},
		{"slot too short", central.Resource{Name: "x", Opens: 480, Closes: 1200, Slot: time.Minute}, false},
		{"slot in seconds", central.Resource{Name: "x", Opens: 480, Closes: 1200, Slot: 30*time.Minute + time.Second}, false},
		{"closes before it opens", central.Resource{Name: "x", Opens: 1200, Closes: 480, Slot: 30 * time.Minute}, false},
		{"past midnight", central.Resource{Name: "x", Opens: 480, Closes: 1500, Slot: 30 * time.Minute}, false},
		{"hours not whole slots", central.Resource{Name: "x", Opens: 480, Closes: 1210, Slot: 30 * time.Minute}, false},
		{"negative limit", central.Resource{Name: "x", Opens: 480, Closes: 1200, Slot: 30 * time.Minute, MaxPerWeek: -time.Hour}, false},
	} {
		if err := tt.r.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: Validate = %v", tt.name, err)
		}
	}
}

func TestOverlaps(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 4, h, 0, 0, 0, time.UTC) }
	for _, tt := range []struct {
		a1, a2, b1, b2 int
		want           bool
	}{
		{9, 10, 10, 11, false}, // back to back
		{10, 11, 9, 10, false},
		{9, 11, 10, 12, true},
		{9, 12, 10, 11, true}, // inside
		{10, 11, 9, 12, true},
		{9, 10, 9, 10, true}, // the same
		{9, 10, 11, 12, false},
	} {
		if got := central.Overlaps(at(tt.a1), at(tt.a2), at(tt.b1), at(tt.b2)); got != tt.want {
			t.Errorf("Overlaps(%d-%d, %d-%d) = %v", tt.a1, tt.a2, tt.b1, tt.b2, got)
		}
	}
}

func TestWeekOf(t *testing.T) {
	for _, tt := range []struct {
		at, monday string
		hours      float64
	}{
		{"2026-12-04 10:00", "2026-11-30 00:00", 168},
		{"2026-11-30 00:00", "2026-11-30 00:00", 168}, // Monday midnight starts it
		{"2026-12-06 23:59", "2026-11-30 00:00", 168}, // Sunday night ends it
		{"2026-03-29 12:00", "2026-03-23 00:00", 167}, // spring change week
		{"2026-10-25 12:00", "2026-10-19 00:00", 169}, // autumn change week
	} {
		s, e := central.WeekOf(paris(t, tt.at), access.Paris)
		if !s.Equal(paris(t, tt.monday)) || e.Sub(s).Hours() != tt.hours {
			t.Errorf("WeekOf(%s) = %v - %v (%.0f h), want from %s, %.0f h", tt.at, s, e, e.Sub(s).Hours(), tt.monday, tt.hours)
		}
	}
	ws, we := central.WeekOf(paris(t, "2026-12-04 10:00"), access.Paris)
	bs := []*central.Booking{
		{Start: paris(t, "2026-12-01 09:00"), End: paris(t, "2026-12-01 11:00")},
		{Start: paris(t, "2026-12-06 23:00"), End: paris(t, "2026-12-07 01:00")}, // half in the week
		{Start: paris(t, "2026-12-08 09:00"), End: paris(t, "2026-12-08 10:00")}, // next week
	}
	if got := central.WeekUse(bs, ws, we); got != 3*time.Hour {
		t.Errorf("WeekUse = %v, want 3h", got)
	}
}

// TestPlaceLocation: an event's or a resource's times are on its space's
// clock; the network's setting space.timezone is the clock of a space
// without its own and of a place that names no space.
func TestPlaceLocation(t *testing.T) {
	spaces := []*central.Space{
		{ID: 1, Key: "", Name: "La Cantine"},
		{ID: 2, Key: "Le Cowork", Name: "Le Cowork", Timezone: "America/Montreal"},
		{ID: 3, Key: "Tokyo", Name: "Tokyo", Timezone: "Asia/Tokyo"},
	}
	set := central.Settings{central.SettingTimezone: "Europe/Paris"}
	for _, tt := range []struct {
		place, want string
	}{
		{"", "Europe/Paris"},              // the main space, without a zone of its own
		{"La Cantine", "Europe/Paris"},    // by name
		{"Le Cowork", "America/Montreal"}, // by key
		{"le cowork", "America/Montreal"}, // by name, any case
		{"Tokyo", "Asia/Tokyo"},
		{"Salle des fêtes", "Europe/Paris"}, // no space of the network
	} {
		if got := central.PlaceLocation(spaces, tt.place, set).String(); got != tt.want {
			t.Errorf("PlaceLocation(%q) = %s, want %s", tt.place, got, tt.want)
		}
	}
	if got := central.PlaceLocation(nil, "", central.Settings{central.SettingTimezone: "Europe/Lisbon"}).String(); got != "Europe/Lisbon" {
		t.Errorf("PlaceLocation without spaces = %s, want the setting's", got)
	}
}

// TestPlaceClock: the same wall-clock times are other instants at each
// space, DST days included (Paris changes on 2026-03-29 and 2026-10-25,
// Montreal on 2026-03-08 and 2026-11-01), and a resource's slots are
// checked on its space's clock.
func TestPlaceClock(t *testing.T) {
	spaces := []*central.Space{{ID: 1, Name: "La Cantine"}, {ID: 2, Key: "MTL", Name: "MTL", Timezone: "America/Montreal"}}
	set := central.Settings{central.SettingTimezone: "Europe/Paris"}
	for _, tt := range []struct {
		place, local, utc string
	}{
		{"", "2026-03-28 18:00", "2026-03-28T17:00:00Z"},    // CET, the day before
		{"", "2026-03-29 18:00", "2026-03-29T16:00:00Z"},    // CEST from 02:00 that day
		{"", "2026-03-29 01:30", "2026-03-29T00:30:00Z"},    // still CET
		{"", "2026-03-29 03:30", "2026-03-29T01:30:00Z"},    // already CEST
		{"", "2026-10-25 01:30", "2026-10-24T23:30:00Z"},    // CEST
		{"", "2026-10-25 18:00", "2026-10-25T17:00:00Z"},    // CET again
		{"MTL", "2026-03-07 18:00", "2026-03-07T23:00:00Z"}, // EST
		{"MTL", "2026-03-08 18:00", "2026-03-08T22:00:00Z"}, // EDT
		{"MTL", "2026-03-29 18:00", "2026-03-29T22:00:00Z"}, // Paris's change day: Montreal's clock
		{"MTL", "2026-10-25 18:00", "2026-10-25T22:00:00Z"},
		{"MTL", "2026-11-01 18:00", "2026-11-01T23:00:00Z"}, // EST again
		{"MTL", "2026-12-10 18:00", "2026-12-10T23:00:00Z"},
	} {
		loc := central.PlaceLocation(spaces, tt.place, set)
		at, err := time.ParseInLocation("2006-01-02 15:04", tt.local, loc)
		if err != nil {
			t.Fatal(err)
		}
		if got := at.UTC().Format(time.RFC3339); got != tt.utc {
			t.Errorf("%q at %q = %s, want %s", tt.local, tt.place, got, tt.utc)
		}
		if back := at.In(loc).Format("2006-01-02 15:04"); back != tt.local {
			t.Errorf("%s shown at %q as %s, want %s", tt.utc, tt.place, back, tt.local)
		}
	}

	// A room of Montreal bookable 09:00-17:00: 09:00-10:00 in Montreal
	// is 14:00-15:00 in Paris in December, and 15:00-16:00 Paris time
	// would be 09:00 at the network's clock, not the room's.
	room := &central.Resource{Name: "Salle", Space: "MTL", Opens: 9 * 60, Closes: 17 * 60, Slot: time.Hour}
	if err := room.Validate(); err != nil {
		t.Fatal(err)
	}
	mtl := central.PlaceLocation(spaces, room.Space, set)
	start := time.Date(2026, 12, 10, 9, 0, 0, 0, mtl)
	if err := room.CheckSlot(start, start.Add(time.Hour), mtl); err != nil {
		t.Errorf("09:00-10:00 in Montreal refused: %v", err)
	}
	parisNine := time.Date(2026, 12, 10, 9, 0, 0, 0, access.Paris) // 03:00 in Montreal
	if err := room.CheckSlot(parisNine, parisNine.Add(time.Hour), mtl); central.ErrorCode(err) != central.EINVALID {
		t.Errorf("09:00 Paris time (03:00 in Montreal) = %v, want EINVALID", err)
	}
}

// memBookings is a store's write transaction for Book, in memory.
type memBookings struct {
	now       time.Time
	spaces    []*central.Space
	resources map[int64]*central.Resource
	members   map[int64]bool
	bookings  []*central.Booking
	audits    []string
}

func (m *memBookings) Now() time.Time { return m.now }
func (m *memBookings) Settings(context.Context) (central.Settings, error) {
	return central.Settings{central.SettingTimezone: "Europe/Paris"}, nil
}
func (m *memBookings) Spaces(context.Context) ([]*central.Space, error) { return m.spaces, nil }
func (m *memBookings) FindResource(_ context.Context, id int64) (*central.Resource, error) {
	if r := m.resources[id]; r != nil {
		return r, nil
	}
	return nil, central.Errorf(central.ENOTFOUND, "Resource %d not found.", id)
}
func (m *memBookings) MemberExists(_ context.Context, id int64) (bool, error) {
	return m.members[id], nil
}
func (m *memBookings) Bookings(_ context.Context, f central.BookingFilter) ([]*central.Booking, error) {
	var out []*central.Booking
	for _, b := range m.bookings {
		if (f.Resource == nil || *f.Resource == b.Resource) && (f.Member == nil || *f.Member == b.Member) &&
			(f.Since.IsZero() || b.End.After(f.Since)) && (f.Until.IsZero() || b.Start.Before(f.Until)) {
			out = append(out, b)
		}
	}
	return out, nil
}
func (m *memBookings) InsertBooking(_ context.Context, b *central.Booking) error {
	b.ID = int64(len(m.bookings) + 1)
	m.bookings = append(m.bookings, b)
	return nil
}
func (m *memBookings) Audit(_ context.Context, action, object string, _ any) error {
	m.audits = append(m.audits, action+" "+object)
	return nil
}

// TestBook: the booking rule, decided by the domain over any store: one
// after another, as the store's write transaction runs them.
func TestBook(t *testing.T) {
	m := &memBookings{now: paris(t, "2026-11-26 10:00"), spaces: []*central.Space{{ID: 1, Name: "La Cantine"}},
		members: map[int64]bool{1: true, 2: true},
		resources: map[int64]*central.Resource{
			1: {ID: 1, Name: "Salle", Opens: 8 * 60, Closes: 20 * 60, Slot: 30 * time.Minute, MaxPerWeek: 2 * time.Hour, Active: true},
			2: {ID: 2, Name: "Vieux projecteur", Opens: 8 * 60, Closes: 20 * 60, Slot: time.Hour},
		}}
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		b        central.Booking
		from, to string
		want     string
	}{
		{"a slot", central.Booking{Resource: 1, Member: 1}, "2026-11-27 09:00", "2026-11-27 10:30", ""},
		{"back to back", central.Booking{Resource: 1, Member: 2}, "2026-11-27 10:30", "2026-11-27 11:00", ""},
		{"overlapping", central.Booking{Resource: 1, Member: 2}, "2026-11-27 10:00", "2026-11-27 10:30", central.ECONFLICT},
		{"inside another", central.Booking{Resource: 1, Member: 2}, "2026-11-27 09:30", "2026-11-27 10:00", central.ECONFLICT},
		{"the bureau's block over it", central.Booking{Resource: 1, Blocked: true}, "2026-11-27 09:00", "2026-11-27 12:00", central.ECONFLICT},
		{"over her week", central.Booking{Resource: 1, Member: 1}, "2026-11-28 09:00", "2026-11-28 10:00", central.ECONFLICT},
		{"within her week", central.Booking{Resource: 1, Member: 1}, "2026-11-28 09:00", "2026-11-28 09:30", ""},
		{"the bureau for her, over her week", central.Booking{Resource: 1, Member: 1, ByBureau: true}, "2026-11-29 09:00", "2026-11-29 10:00", ""},
		{"next week", central.Booking{Resource: 1, Member: 1}, "2026-11-30 09:00", "2026-11-30 11:00", ""},
		{"past", central.Booking{Resource: 1, Member: 2}, "2026-11-25 09:00", "2026-11-25 09:30", central.EINVALID},
		{"off the slots", central.Booking{Resource: 1, Member: 2}, "2026-11-27 12:10", "2026-11-27 12:40", central.EINVALID},
		{"not bookable any more", central.Booking{Resource: 2, Member: 2}, "2026-11-27 12:00", "2026-11-27 13:00", central.EINVALID},
		{"no such resource", central.Booking{Resource: 9, Member: 2}, "2026-11-27 12:00", "2026-11-27 13:00", central.ENOTFOUND},
		{"no such member", central.Booking{Resource: 1, Member: 7}, "2026-11-27 12:00", "2026-11-27 13:00", central.ENOTFOUND},
	} {
		b := tt.b
		b.Start, b.End = paris(t, tt.from), paris(t, tt.to)
		n := len(m.bookings)
		err := central.Book(ctx, m, &b)
		if got := central.ErrorCode(err); got != tt.want {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
		if added := len(m.bookings) - n; (tt.want == "") != (added == 1) {
			t.Errorf("%s: %d bookings added", tt.name, added)
		}
		if tt.want == "" && (b.ID == 0 || !b.Created.Equal(m.now)) {
			t.Errorf("%s: booking %+v", tt.name, b)
		}
	}
	if len(m.audits) != 5 || m.audits[0] != "booking.create resource:1" {
		t.Errorf("journal %v", m.audits)
	}
}

// TestBookRefusalSays: a slot refused because the bureau blocked it says
// so, not that someone booked it: the member's page tells her which
// (admin: bookRefusals). Someone's booking still says it is booked.
func TestBookRefusalSays(t *testing.T) {
	m := &memBookings{now: paris(t, "2026-11-26 10:00"), spaces: []*central.Space{{ID: 1, Name: "La Cantine"}},
		members: map[int64]bool{1: true, 2: true},
		resources: map[int64]*central.Resource{
			1: {ID: 1, Name: "Salle", Opens: 8 * 60, Closes: 20 * 60, Slot: 30 * time.Minute, Active: true},
		}}
	ctx := context.Background()
	for _, b := range []*central.Booking{
		{Resource: 1, Blocked: true, Note: "Peinture", Start: paris(t, "2026-11-27 09:00"), End: paris(t, "2026-11-27 10:00")},
		{Resource: 1, Member: 1, Start: paris(t, "2026-11-27 10:00"), End: paris(t, "2026-11-27 10:30")},
	} {
		if err := central.Book(ctx, m, b); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name, from, to, want string
	}{
		{"blocked by the bureau", "2026-11-27 09:30", "2026-11-27 10:00", "This time is blocked by the bureau."},
		{"booked by a member", "2026-11-27 10:00", "2026-11-27 10:30", "This slot is already booked."},
	} {
		err := central.Book(ctx, m, &central.Booking{Resource: 1, Member: 2, Start: paris(t, tt.from), End: paris(t, tt.to)})
		var e *central.Error
		if !errors.As(err, &e) || e.Code != central.ECONFLICT || e.Format != tt.want {
			t.Errorf("%s: %v, want ECONFLICT %q", tt.name, err, tt.want)
		}
	}
}
