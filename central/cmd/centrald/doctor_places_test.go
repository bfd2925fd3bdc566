package main

import (
	"context"
	"errors"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestDoctorPlacesAndSpaceNames: what an older centrald stored and this
// one refuses, found by `centrald doctor` (the real binary, reading the
// database without changing it): events and rooms at a place that names
// no space (`event add --space 1` before b1ecbc5), counted with their
// ids and how to fix them, and a space named with a comma (the members
// export's « Espaces » cell separates spaces with « , »). `centrald room
// space` moves a room to a space (refusing one that does not exist with
// the list of the spaces), the event is moved (as its edit form does) and
// the space renamed: both lines are OK.
func TestDoctorPlacesAndSpaceNames(t *testing.T) {
	bin := buildCentrald(t)
	c := newCLI(t)
	c.ok("space", "add", "--name", "La Cantine")
	c.ok("event", "add", "--title", "Atelier", "--start", "2026-12-10T18:00:00+01:00", "--end", "2026-12-10T20:00:00+01:00", "--capacity", "5")
	db := c.db()
	ctx := central.NewContextWithActor(context.Background(), "test")
	if err := sqlstore.NewBookingService(db.DB).CreateResource(ctx, &central.Resource{Name: "Salle bleue", Opens: 480, Closes: 1200, Slot: 30 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	// As an older centrald stored them.
	for _, q := range []string{`UPDATE calendar_events SET space = '1' WHERE id = 1`, `UPDATE resources SET space = '1' WHERE id = 1`,
		`UPDATE spaces SET name = 'Lyon, Pentes' WHERE id = 2`} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	doctor := func() string {
		t.Helper()
		cmd := exec.Command(bin, "doctor", "--data", c.dir)
		cmd.Env = []string{"CENTRALD_ADDR=127.0.0.1:1", "BADGEUSE_BACKUPS=" + t.TempDir(), "CENTRALD_ENV_FILE=/nonexistent"}
		out, err := cmd.Output()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		return string(out)
	}
	out := doctor()
	for _, want := range []string{
		`(?m)^FAIL +places +1 event \(id 1\) and 1 room \(id 1\) name a space that does not exist$`,
		`Événements → l’événement → Modifier`, `Salles et matériel → la salle → Modifier`, `centrald room space --room ID --space ESPACE`,
		`(?m)^FAIL +spaces +space 2 "Lyon, Pentes" has a comma in its name$`,
		`centrald space set --space 2 --name`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("doctor lacks %s:\n%s", want, out)
		}
	}

	if msg := c.fail("room", "space", "--room", "1", "--space", "9"); !strings.Contains(msg, `No space is named "9": the spaces are Badgeuse (1), Lyon, Pentes (2).`) {
		t.Errorf("room space at a space that does not exist: %q", msg)
	}
	if msg := c.fail("room", "space", "--room", "7", "--space", "1"); !strings.Contains(msg, "Resource 7 not found") {
		t.Errorf("room space of a room that does not exist: %q", msg)
	}
	c.ok("room", "space", "--room", "1", "--space", "2")
	cal := sqlstore.NewCalendarService(db.DB)
	ev, err := cal.FindEvent(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	ev.Space = ""
	if _, err := cal.UpdateEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	c.ok("space", "set", "--space", "2", "--name", "Lyon Pentes")
	out = doctor()
	for _, want := range []string{`(?m)^OK +places `, `(?m)^OK +spaces `} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("doctor after the fixes lacks %s:\n%s", want, out)
		}
	}
	rs, err := sqlstore.NewBookingService(db.DB).FindResources(ctx)
	if err != nil || len(rs) != 1 || rs[0].Space != "La Cantine" {
		t.Fatalf("room after room space: %+v %v", rs, err)
	}
}
