package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

func (f *fixture) event(capacity int, public bool) *central.CalendarEvent {
	f.t.Helper()
	e := &central.CalendarEvent{Title: "Atelier compta", Start: paris("2026-12-03 18:00"), End: paris("2026-12-03 20:00"),
		Capacity: capacity, Public: public}
	if err := f.store.Calendar.CreateEvent(f.ctx, e); err != nil {
		f.t.Fatal(err)
	}
	return e
}

// testRegistrationsConcurrent: 200 people registering at once for 50
// places give exactly 50 confirmed and 150 waitlisted, positions 1 to 150.
func testRegistrationsConcurrent(t *testing.T) {
	f := newFixture(t)
	cal := f.store.Calendar
	e := f.event(50, true)
	var members []int64
	for i := range 20 {
		members = append(members, f.member(fmt.Sprintf("Membre %d", i)))
	}
	var wg sync.WaitGroup
	statuses := make(chan central.RegistrationStatus, 200)
	errs := make(chan error, 200)
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &central.Registration{Event: e.ID}
			if i < len(members) {
				r.Member = members[i]
			} else {
				r.Name, r.Email = fmt.Sprintf("Invité %d", i), fmt.Sprintf("invite%d@example.org", i)
			}
			if err := cal.Register(f.ctx, r); err != nil {
				errs <- err
				return
			}
			statuses <- r.Status
		}()
	}
	wg.Wait()
	close(statuses)
	close(errs)
	for err := range errs {
		t.Errorf("register: %v", err)
	}
	count := map[central.RegistrationStatus]int{}
	for s := range statuses {
		count[s]++
	}
	if count[central.RegistrationConfirmed] != 50 || count[central.RegistrationWaitlisted] != 150 {
		t.Fatalf("statuses told: %v, want 50 confirmed and 150 waitlisted", count)
	}
	rs, err := cal.Registrations(f.ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored, pos := map[central.RegistrationStatus]int{}, 0
	for _, r := range rs {
		stored[r.Status]++
		if r.Status == central.RegistrationWaitlisted {
			pos++
			if r.Position != pos {
				t.Errorf("registration %d: position %d, want %d", r.ID, r.Position, pos)
			}
		}
	}
	if stored[central.RegistrationConfirmed] != 50 || stored[central.RegistrationWaitlisted] != 150 {
		t.Errorf("stored: %v", stored)
	}
	got, _ := cal.FindEvent(f.ctx, e.ID)
	if got.Confirmed != 50 || got.Waitlisted != 150 || got.PlacesLeft() != 0 {
		t.Errorf("event counts %d/%d", got.Confirmed, got.Waitlisted)
	}
}

// testConcurrentCancellations: places freed at once go to the waiting
// list in order, never over the capacity.
func testConcurrentCancellations(t *testing.T) {
	f := newFixture(t)
	cal := f.store.Calendar
	e := f.event(10, true)
	var ids []int64
	for i := range 30 {
		r := &central.Registration{Event: e.ID, Name: fmt.Sprintf("P%d", i), Email: fmt.Sprintf("p%d@example.org", i)}
		if err := cal.Register(f.ctx, r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	var wg sync.WaitGroup
	for _, id := range ids[:5] { // five confirmed places freed at once
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := cal.CancelRegistration(f.ctx, e.ID, id); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	rs, _ := cal.Registrations(f.ctx, e.ID)
	for i, r := range rs {
		want := central.RegistrationConfirmed
		switch {
		case i < 5:
			want = central.RegistrationCancelled
		case i >= 15:
			want = central.RegistrationWaitlisted
		}
		if r.Status != want {
			t.Errorf("registration %d (%d in order): %s, want %s", r.ID, i, r.Status, want)
		}
	}
}

func testRegistrationRules(t *testing.T) {
	f := newFixture(t)
	cal := f.store.Calendar
	alice := f.member("Alice")
	members := f.event(1, false)
	public := f.event(1, true)

	r := &central.Registration{Event: members.ID, Member: alice}
	if err := cal.Register(f.ctx, r); err != nil || r.Status != central.RegistrationConfirmed || r.Name != "Alice" {
		t.Fatalf("register Alice: %v %+v", err, r)
	}
	wantCode(t, cal.Register(f.ctx, &central.Registration{Event: members.ID, Member: alice}), central.ECONFLICT)
	wantCode(t, cal.Register(f.ctx, &central.Registration{Event: members.ID, Name: "Invitée", Email: "i@example.org"}), central.EINVALID)
	wantCode(t, cal.Register(f.ctx, &central.Registration{Event: public.ID, Name: "Sans e-mail"}), central.EINVALID)
	wantCode(t, cal.Register(f.ctx, &central.Registration{Event: 99, Member: alice}), central.ENOTFOUND)

	g := &central.Registration{Event: public.ID, Name: "Bea", Email: "bea@example.org"}
	if err := cal.Register(f.ctx, g); err != nil || g.Status != central.RegistrationConfirmed {
		t.Fatal(err, g.Status)
	}
	wantCode(t, cal.Register(f.ctx, &central.Registration{Event: public.ID, Name: "Bea bis", Email: "BEA@example.org"}), central.ECONFLICT)
	w := &central.Registration{Event: public.ID, Member: alice}
	if err := cal.Register(f.ctx, w); err != nil || w.Status != central.RegistrationWaitlisted || w.Position != 1 {
		t.Fatalf("waitlist: %v %+v", err, w)
	}
	// Bea cancels: Alice, first on the list, gets the place (and an event
	// for the e-mail reaction).
	promoted, err := cal.CancelRegistration(f.ctx, public.ID, g.ID)
	if err != nil || promoted == nil || promoted.ID != w.ID || promoted.Status != central.RegistrationConfirmed {
		t.Fatalf("promotion: %v %+v", err, promoted)
	}
	if p, err := cal.CancelRegistration(f.ctx, public.ID, g.ID); err != nil || p != nil {
		t.Errorf("cancel twice: %v %+v", err, p)
	}
	// Bea may register again: on the waiting list now.
	g2 := &central.Registration{Event: public.ID, Name: "Bea", Email: "bea@example.org"}
	if err := cal.Register(f.ctx, g2); err != nil || g2.Status != central.RegistrationWaitlisted {
		t.Fatalf("register again: %v %s", err, g2.Status)
	}
	mine, err := cal.MemberRegistrations(f.ctx, alice)
	if err != nil || len(mine) != 2 || mine[public.ID].Status != central.RegistrationConfirmed {
		t.Errorf("Alice's registrations: %v %+v", err, mine)
	}
	// Attendance: only a confirmed registration.
	if err := cal.MarkAttended(f.ctx, public.ID, w.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, cal.MarkAttended(f.ctx, public.ID, g2.ID), central.EINVALID)
	wantCode(t, func() error { _, err := cal.CancelRegistration(f.ctx, public.ID, w.ID); return err }(), central.EINVALID)

	// Closed after the deadline (the start by default).
	f.clock.Set(paris("2026-12-03 18:00"))
	wantCode(t, cal.Register(f.ctx, &central.Registration{Event: public.ID, Name: "Tard", Email: "tard@example.org"}), central.EINVALID)

	// The journal has each step.
	evs, _, err := f.audit.FindAuditEvents(f.ctx, central.AuditFilter{Object: fmt.Sprintf("event:%d", public.ID)})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, ev := range evs {
		actions[ev.Action]++
	}
	if actions["event.create"] != 1 || actions["event.register"] != 3 || actions["event.cancel"] != 1 ||
		actions["event.promote"] != 1 || actions["event.attended"] != 1 {
		t.Errorf("journal of the event: %v", actions)
	}

	// Erasing Alice keeps her places but not her name.
	if err := f.members.EraseMember(f.ctx, alice); err != nil {
		t.Fatal(err)
	}
	rs, _ := cal.Registrations(f.ctx, members.ID)
	if len(rs) != 1 || rs[0].Name != "" || rs[0].Member != 0 || rs[0].Status != central.RegistrationConfirmed {
		t.Errorf("after erasure: %+v", rs[0])
	}
}
