package central_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// memCalendar is central.RegistrationTx over memory: the counts of an
// event are read from its registrations, as the store reads them.
type memCalendar struct {
	now     time.Time
	events  map[int64]*central.CalendarEvent
	members map[int64]*central.Member
	regs    []*central.Registration
	changed []string // "event:1", "member:2": what the kiosks receive again
	audits  []string
	events_ []central.Event
}

func (m *memCalendar) Now() time.Time { return m.now }
func (m *memCalendar) Spaces(context.Context) ([]*central.Space, error) {
	return []*central.Space{{ID: central.MainSpace, Name: "Badgeuse"}}, nil
}
func (m *memCalendar) FindEvent(_ context.Context, id int64) (*central.CalendarEvent, error) {
	e := m.events[id]
	if e == nil {
		return nil, central.Errorf(central.ENOTFOUND, "Event %d not found.", id)
	}
	c := *e
	c.Confirmed, c.Waitlisted = 0, 0
	for _, r := range m.regs {
		if r.Event == id {
			c.Confirmed += b2i(r.Status == central.RegistrationConfirmed || r.Status == central.RegistrationAttended)
			c.Waitlisted += b2i(r.Status == central.RegistrationWaitlisted)
		}
	}
	return &c, nil
}
func (m *memCalendar) InsertEvent(_ context.Context, e *central.CalendarEvent) error {
	e.ID = int64(len(m.events) + 1)
	c := *e
	m.events[e.ID] = &c
	return nil
}
func (m *memCalendar) SaveEvent(_ context.Context, e *central.CalendarEvent) error {
	c := *e
	m.events[e.ID] = &c
	return nil
}
func (m *memCalendar) FindMember(_ context.Context, id int64) (*central.Member, error) {
	if mb := m.members[id]; mb != nil {
		return mb, nil
	}
	return nil, central.Errorf(central.ENOTFOUND, "Member %d not found.", id)
}
func (m *memCalendar) find(id int64) *central.Registration {
	for _, r := range m.regs {
		if r.ID == id {
			return r
		}
	}
	return nil
}
func (m *memCalendar) FindRegistration(_ context.Context, event, id int64) (*central.Registration, error) {
	if r := m.find(id); r != nil && r.Event == event {
		c := *r
		return &c, nil
	}
	return nil, central.Errorf(central.ENOTFOUND, "Registration %d not found.", id)
}
func (m *memCalendar) HeldRegistration(_ context.Context, event, member int64, email string) (int64, error) {
	for _, r := range m.regs {
		if r.Event == event && r.Status != central.RegistrationCancelled &&
			(member != 0 && r.Member == member || email != "" && strings.EqualFold(r.Email, email)) {
			return r.ID, nil
		}
	}
	return 0, nil
}
func (m *memCalendar) InsertRegistration(_ context.Context, r *central.Registration) error {
	r.ID = int64(len(m.regs) + 1)
	c := *r
	m.regs = append(m.regs, &c)
	return nil
}
func (m *memCalendar) SetRegistrationStatus(_ context.Context, id int64, st central.RegistrationStatus) error {
	r := m.find(id)
	r.Status, r.Updated = st, m.now
	return nil
}
func (m *memCalendar) Waitlist(ctx context.Context, event int64, n int) ([]*central.Registration, error) {
	rs, _ := m.RegistrationsIn(ctx, event, central.RegistrationWaitlisted)
	return rs[:min(n, len(rs))], nil
}
func (m *memCalendar) RegistrationsIn(_ context.Context, event int64, st ...central.RegistrationStatus) ([]*central.Registration, error) {
	var out []*central.Registration
	for _, r := range m.regs {
		if r.Event == event && slices.Contains(st, r.Status) {
			c := *r
			out = append(out, &c)
		}
	}
	return out, nil
}
func (m *memCalendar) EventChanged(_ context.Context, event int64) error {
	m.changed = append(m.changed, fmt.Sprintf("event:%d", event))
	return nil
}
func (m *memCalendar) BumpMember(_ context.Context, member int64) error {
	m.changed = append(m.changed, fmt.Sprintf("member:%d", member))
	return nil
}
func (m *memCalendar) Audit(_ context.Context, action, object string, _ any) error {
	m.audits = append(m.audits, action+" "+object)
	return nil
}
func (m *memCalendar) React(_ context.Context, events ...central.Event) error {
	m.events_ = append(m.events_, events...)
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestRegistrationRules: the rules of registrations, decided by the
// domain over any store, one change after another as the store's write
// transaction runs them.
func TestRegistrationRules(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	m := &memCalendar{now: now,
		events: map[int64]*central.CalendarEvent{
			1: {ID: 1, Title: "Atelier", Start: now.Add(48 * time.Hour), End: now.Add(50 * time.Hour), Capacity: 2, Public: true},
			2: {ID: 2, Title: "AG", Start: now.Add(48 * time.Hour), End: now.Add(50 * time.Hour), Capacity: 5},
			3: {ID: 3, Title: "Fermé", Start: now.Add(48 * time.Hour), End: now.Add(50 * time.Hour), Capacity: 5, Public: true,
				Deadline: now.Add(-time.Hour)},
			4: {ID: 4, Title: "Fini", Start: now.Add(-3 * time.Hour), End: now.Add(-time.Hour), Capacity: 1},
		},
		members: map[int64]*central.Member{
			1: {ID: 1, Name: "Alice", Email: "alice@example.org"},
			2: {ID: 2, Name: "Bob", Email: "bob@example.org"},
			3: {ID: 3, Name: "Chloé", Email: "chloe@example.org"},
		}}
	ctx := context.Background()
	reg := func(event, member int64, name, email string, paid bool) func() (*central.Registration, error) {
		return func() (*central.Registration, error) {
			r := &central.Registration{Event: event, Member: member, Name: name, Email: email}
			return r, central.Register(ctx, m, r, paid)
		}
	}
	cancel := func(event, id int64) func() (*central.Registration, error) {
		return func() (*central.Registration, error) { return central.CancelRegistration(ctx, m, event, id) }
	}
	attended := func(event, id int64) func() (*central.Registration, error) {
		return func() (*central.Registration, error) { return nil, central.MarkAttended(ctx, m, event, id) }
	}
	for _, tt := range []struct {
		name   string
		do     func() (*central.Registration, error)
		want   string
		status central.RegistrationStatus // of the registration returned
		id     int64                      // of the registration returned (0: any)
	}{
		{"a member", reg(1, 1, "", "", false), "", central.RegistrationConfirmed, 1},
		{"a guest", reg(1, 0, "Dan", "dan@example.org", false), "", central.RegistrationConfirmed, 2},
		{"full: waitlisted", reg(1, 2, "", "", false), "", central.RegistrationWaitlisted, 3},
		{"second on the list", reg(1, 0, "Eve", "eve@example.org", false), "", central.RegistrationWaitlisted, 4},
		{"the member again", reg(1, 1, "", "", false), central.ECONFLICT, "", 1},
		{"her e-mail again, another case", reg(1, 0, "Alice B", "ALICE@example.org", false), central.ECONFLICT, "", 1},
		{"a guest without e-mail", reg(1, 0, "Fred", "", false), central.EINVALID, "", 0},
		{"a guest at a members' event", reg(2, 0, "Gus", "gus@example.org", false), central.EINVALID, "", 0},
		{"a member at a members' event", reg(2, 3, "", "", false), "", central.RegistrationConfirmed, 5},
		{"closed", reg(3, 3, "", "", false), central.EINVALID, "", 0},
		{"closed but paid", reg(3, 3, "", "", true), "", central.RegistrationConfirmed, 6},
		{"no such event", reg(9, 3, "", "", false), central.ENOTFOUND, "", 0},
		{"no such member", reg(1, 7, "", "", false), central.ENOTFOUND, "", 0},
		{"a place freed goes to the list's first", cancel(1, 1), "", central.RegistrationConfirmed, 3},
		{"cancelled twice", cancel(1, 1), "", "", 0},
		{"a waitlisted one leaves: no promotion", cancel(1, 4), "", "", 0},
		{"not of this event", cancel(2, 3), central.ENOTFOUND, "", 0},
		{"she came", attended(1, 2), "", "", 0},
		{"she came twice", attended(1, 2), "", "", 0},
		{"an attended one stays", cancel(1, 2), central.EINVALID, "", 0},
		{"cancelled, not attended", attended(1, 1), central.EINVALID, "", 0},
		{"no such registration", attended(1, 99), central.ENOTFOUND, "", 0},
	} {
		r, err := tt.do()
		if got := central.ErrorCode(err); got != tt.want {
			t.Fatalf("%s: %v, want %q", tt.name, err, tt.want)
		}
		switch {
		case tt.status != "" && (r == nil || r.Status != tt.status || r.ID != tt.id):
			t.Errorf("%s: registration %+v, want %s #%d", tt.name, r, tt.status, tt.id)
		case tt.status == "" && err == nil && r != nil:
			t.Errorf("%s: promoted %+v", tt.name, r)
		case tt.want == central.ECONFLICT && r.ID != tt.id:
			t.Errorf("%s: the one held is #%d, want #%d", tt.name, r.ID, tt.id)
		}
	}
	// Bob was promoted, then Eve left: nobody waits.
	if w, _ := m.RegistrationsIn(ctx, 1, central.RegistrationWaitlisted); len(w) != 0 {
		t.Errorf("waitlist %v", w)
	}
	// The door: a confirmed place changes the event and its member; a
	// waitlisted one nothing; a promotion its member (the event changed
	// with the place freed).
	want := []string{"event:1", "member:1", "event:1", "event:2", "member:3", "event:3", "member:3",
		"event:1", "member:1", "member:2"}
	if !slices.Equal(m.changed, want) {
		t.Errorf("kiosks told %v,\nwant %v", m.changed, want)
	}
	if n := len(m.events_); n != 7 { // 6 registrations made, 1 promoted
		t.Errorf("%d events", n)
	}
	if _, ok := m.events_[len(m.events_)-1].(central.RegistrationPromoted); !ok {
		t.Errorf("last event %T", m.events_[len(m.events_)-1])
	}
}

// TestUpdateEventRules: a capacity raised confirms the waiting list first
// come first served, a capacity under the places held is refused, hours
// moved make a revision and tell who holds or waits for a place, and an
// event over promotes nobody.
func TestUpdateEventRules(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	ev := central.CalendarEvent{ID: 1, Title: "Atelier", Start: now.Add(48 * time.Hour), End: now.Add(50 * time.Hour), Capacity: 1}
	m := &memCalendar{now: now, events: map[int64]*central.CalendarEvent{1: &ev}, members: map[int64]*central.Member{}}
	ctx := context.Background()
	for i := int64(1); i <= 5; i++ {
		m.members[i] = &central.Member{ID: i, Name: fmt.Sprint("M", i), Email: fmt.Sprintf("m%d@example.org", i)}
		if err := central.Register(ctx, m, &central.Registration{Event: 1, Member: i}, false); err != nil {
			t.Fatal(err)
		}
	}
	edit := func(change func(e *central.CalendarEvent)) ([]*central.Registration, error) {
		e := *m.events[1]
		change(&e)
		return central.UpdateEvent(ctx, m, &e)
	}
	ids := func(rs []*central.Registration) (out []int64) {
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	if p, err := edit(func(e *central.CalendarEvent) { e.Capacity = 3 }); err != nil || !slices.Equal(ids(p), []int64{2, 3}) {
		t.Fatalf("capacity 3: promoted %v, %v", ids(p), err)
	}
	if _, err := edit(func(e *central.CalendarEvent) { e.Capacity = 2 }); central.ErrorCode(err) != central.ECONFLICT {
		t.Fatalf("capacity under the places held: %v", err)
	}
	n := len(m.events_)
	p, err := edit(func(e *central.CalendarEvent) { e.Start, e.End = e.Start.Add(time.Hour), e.End.Add(time.Hour) })
	if err != nil || len(p) != 0 {
		t.Fatalf("moved: %v, %v", p, err)
	}
	if m.events[1].Revision != 1 {
		t.Errorf("revision %d", m.events[1].Revision)
	}
	moved, ok := m.events_[len(m.events_)-1].(central.EventMoved)
	if !ok || len(m.events_) != n+1 || !slices.Equal(ids(moved.Registrations), []int64{1, 2, 3, 4, 5}) {
		t.Errorf("moved: events %v", m.events_[n:])
	}
	// Over: a place freed goes to nobody, and nobody is told of a move.
	m.now = ev.End.Add(2 * time.Hour)
	n = len(m.events_)
	p, err = edit(func(e *central.CalendarEvent) { e.Capacity, e.End = 10, e.End.Add(30*time.Minute) })
	if err != nil || len(p) != 0 || len(m.events_) != n {
		t.Errorf("over: promoted %v, events %v, %v", ids(p), m.events_[n:], err)
	}
	if c, _ := central.CancelRegistration(ctx, m, 1, 1); c != nil {
		t.Errorf("over: %+v promoted", c)
	}
}

// TestCreateEventRules: a valid event only, created now, and its kiosks
// receive it.
func TestCreateEventRules(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	m := &memCalendar{now: now, events: map[int64]*central.CalendarEvent{}}
	ctx := context.Background()
	bad := &central.CalendarEvent{Title: "Atelier", Start: now.Add(2 * time.Hour), End: now.Add(time.Hour), Capacity: 5}
	if err := central.CreateEvent(ctx, m, bad); central.ErrorCode(err) != central.EINVALID || len(m.events) != 0 {
		t.Fatalf("an event ending before it starts: %v, %d events", err, len(m.events))
	}
	e := &central.CalendarEvent{Title: " Atelier  vélo ", Start: now.Add(time.Hour), End: now.Add(2 * time.Hour), Capacity: 5}
	if err := central.CreateEvent(ctx, m, e); err != nil || e.ID != 1 || e.Title != "Atelier vélo" || !e.Created.Equal(now) {
		t.Fatalf("create: %+v %v", e, err)
	}
	if !slices.Equal(m.changed, []string{"event:1"}) || !slices.Equal(m.audits, []string{"event.create event:1"}) {
		t.Errorf("kiosks told %v, journal %v", m.changed, m.audits)
	}
}
