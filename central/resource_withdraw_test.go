package central_test

import (
	"context"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// memActive is central.ResourceActiveTx over memory: one resource, the
// bookings that hold (Bookings keeps Since, as the stores do).
type memActive struct {
	now      time.Time
	res      *central.Resource
	bookings []*central.Booking
	audits   []string
}

func (m *memActive) Now() time.Time { return m.now }
func (m *memActive) FindResource(_ context.Context, id int64) (*central.Resource, error) {
	if m.res == nil || m.res.ID != id {
		return nil, central.Errorf(central.ENOTFOUND, "Resource %d not found.", id)
	}
	c := *m.res
	return &c, nil
}
func (m *memActive) Bookings(_ context.Context, f central.BookingFilter) ([]*central.Booking, error) {
	var out []*central.Booking
	for _, b := range m.bookings {
		if (f.Resource == nil || *f.Resource == b.Resource) && (f.Since.IsZero() || b.End.After(f.Since)) {
			out = append(out, b)
		}
	}
	return out, nil
}
func (m *memActive) SetResourceActive(_ context.Context, id int64, active bool) error {
	m.res.Active = active
	return nil
}
func (m *memActive) Audit(_ context.Context, action, object string, _ any) error {
	m.audits = append(m.audits, action+" "+object)
	return nil
}

// TestWithdrawResource: the bureau withdraws a room unless members hold
// bookings of it to come (one under way counts; a past one, a block, one
// of another room do not), ECONFLICT saying how many; twice is no error
// and journals once. Putting it back the same.
func TestWithdrawResource(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	booking := func(res int64, from, to int) *central.Booking {
		return &central.Booking{ID: int64(from + 100), Resource: res, Member: 4, Start: at(from), End: at(to)}
	}
	block := func(from, to int) *central.Booking {
		return &central.Booking{ID: int64(from + 200), Resource: 1, Blocked: true, Start: at(from), End: at(to)}
	}
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		active   bool
		bookings []*central.Booking
		id       int64
		want     string // the error code
		active2  bool   // bookable after
		audits   int
	}{
		{"nothing booked", true, nil, 1, "", false, 1},
		{"a block to come stays", true, []*central.Booking{block(24, 26)}, 1, "", false, 1},
		{"a booking over", true, []*central.Booking{booking(1, -3, -1)}, 1, "", false, 1},
		{"a booking ending now", true, []*central.Booking{booking(1, -1, 0)}, 1, "", false, 1},
		{"another room's booking", true, []*central.Booking{booking(2, 24, 25)}, 1, "", false, 1},
		{"a booking to come", true, []*central.Booking{booking(1, 24, 25)}, 1, central.ECONFLICT, true, 0},
		{"a booking under way", true, []*central.Booking{booking(1, -1, 1)}, 1, central.ECONFLICT, true, 0},
		{"two to come and a block", true, []*central.Booking{booking(1, 2, 3), booking(1, 48, 49), block(5, 6)}, 1, central.ECONFLICT, true, 0},
		{"withdrawn already", false, []*central.Booking{booking(1, 24, 25)}, 1, "", false, 0},
		{"no such room", true, nil, 9, central.ENOTFOUND, true, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := &memActive{now: now, res: &central.Resource{ID: 1, Name: "Salle", Active: tt.active}, bookings: tt.bookings}
			err := central.WithdrawResource(ctx, m, tt.id)
			if central.ErrorCode(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if m.res.Active != tt.active2 || len(m.audits) != tt.audits {
				t.Fatalf("bookable %v, journal %v", m.res.Active, m.audits)
			}
			if tt.audits == 1 && m.audits[0] != "resource.withdraw resource:1" {
				t.Fatalf("journal %v", m.audits)
			}
		})
	}
	m := &memActive{now: now, res: &central.Resource{ID: 1, Name: "Salle"}, bookings: []*central.Booking{booking(1, 2, 3), booking(1, 48, 49)}}
	m.res.Active = true
	if err := central.WithdrawResource(ctx, m, 1); central.ErrorMessage(err) != "Bookings of members to come (2): cancel them before withdrawing the resource." {
		t.Errorf("refusal: %v", err)
	}
	m.res.Active = false
	for range 2 { // twice: once in the journal
		if err := central.RestoreResource(ctx, m, 1); err != nil {
			t.Fatal(err)
		}
	}
	if !m.res.Active || len(m.audits) != 1 || m.audits[0] != "resource.restore resource:1" {
		t.Errorf("put back: bookable %v, journal %v", m.res.Active, m.audits)
	}
	if err := central.RestoreResource(ctx, m, 9); central.ErrorCode(err) != central.ENOTFOUND {
		t.Errorf("put back a room that is none: %v", err)
	}
}
