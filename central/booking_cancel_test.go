package central_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// memCancels is central.BookingCancelTx over memory.
type memCancels struct {
	now      time.Time
	bookings map[int64]*central.Booking
	audits   []string
	events   []central.Event
}

func (m *memCancels) FindBooking(_ context.Context, id int64) (*central.Booking, error) {
	if b := m.bookings[id]; b != nil {
		c := *b
		return &c, nil
	}
	return nil, central.Errorf(central.ENOTFOUND, "Booking %d not found.", id)
}
func (m *memCancels) SetBookingCancelled(_ context.Context, id int64) error {
	m.bookings[id].Cancelled = m.now
	return nil
}
func (m *memCancels) Audit(_ context.Context, action, object string, _ any) error {
	m.audits = append(m.audits, action+" "+object)
	return nil
}
func (m *memCancels) Now() time.Time { return m.now }
func (m *memCancels) FindResource(_ context.Context, id int64) (*central.Resource, error) {
	return &central.Resource{ID: id, Name: "Salle", Space: "reunion"}, nil
}
func (m *memCancels) Settings(context.Context) (central.Settings, error) {
	return central.Settings{central.SettingTimezone: "Europe/Paris"}, nil
}
func (m *memCancels) Spaces(context.Context) ([]*central.Space, error) {
	return []*central.Space{{ID: 2, Key: "reunion", Name: "La Réunion", Timezone: "Indian/Reunion"}}, nil
}
func (m *memCancels) React(_ context.Context, events ...central.Event) error {
	m.events = append(m.events, events...)
	return nil
}

// TestCancelBookingRules: a member cancels her own booking only (another's
// is not found, as if it did not exist), the bureau any (member 0), and
// twice is no error.
func TestCancelBookingRules(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	m := &memCancels{now: now, bookings: map[int64]*central.Booking{
		1: {ID: 1, Resource: 3, Member: 1}, 2: {ID: 2, Resource: 3, Member: 2}, 3: {ID: 3, Resource: 4, Blocked: true}}}
	ctx := context.Background()
	for _, tt := range []struct {
		name       string
		id, member int64
		want       string
	}{
		{"another's", 2, 1, central.ENOTFOUND},
		{"the bureau's block, by a member", 3, 1, central.ENOTFOUND},
		{"her own", 1, 1, ""},
		{"her own again", 1, 1, ""},
		{"another's, by the bureau", 2, 0, ""},
		{"a block, by the bureau", 3, 0, ""},
		{"none", 9, 0, central.ENOTFOUND},
	} {
		if err := central.CancelBooking(ctx, m, tt.id, tt.member); central.ErrorCode(err) != tt.want {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	for id, b := range m.bookings {
		if !b.Cancelled.Equal(now) {
			t.Errorf("booking %d %+v", id, b)
		}
	}
	want := []string{"booking.cancel resource:3", "booking.cancel resource:3", "booking.cancel resource:4"}
	if !slices.Equal(m.audits, want) {
		t.Errorf("journal %v", m.audits)
	}
	// Only the bureau cancelling a member's booking is told her, once,
	// on the clock of the resource's space: not her own cancel, not a
	// block freed.
	if len(m.events) != 1 {
		t.Fatalf("events %+v, want one BookingCancelled", m.events)
	}
	ev, ok := m.events[0].(central.BookingCancelled)
	if !ok || ev.Booking.ID != 2 || ev.Booking.Member != 2 || ev.Resource.ID != 3 || ev.Resource.Name != "Salle" ||
		ev.Location.String() != "Indian/Reunion" || !ev.Booking.Cancelled.Equal(now) {
		t.Errorf("event %+v", m.events[0])
	}
	if err := central.CancelBooking(ctx, m, 2, 0); err != nil || len(m.events) != 1 {
		t.Errorf("cancelled again: %v, %d events, want none more", err, len(m.events))
	}
}
