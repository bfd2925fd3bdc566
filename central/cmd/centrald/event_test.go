package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestEventCommands runs the real centrald's event commands as a script
// would: the exact outputs, a waiting list, a cancellation that promotes,
// and 30 processes registering at once for 10 places.
func TestEventCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := bintest.Build(t, ".")
	data := t.TempDir()
	centrald := binaryRunner(t, bin, data)
	must := func(want string, args ...string) {
		t.Helper()
		out, errOut, code := centrald(args...)
		if out != want || code != 0 {
			t.Fatalf("centrald %s: %q %q exit %d, want %q", strings.Join(args, " "), out, errOut, code, want)
		}
	}
	must("1\n", "member", "add", "--data", data, "--name", "Alice Martin", "--email", "alice@example.org")
	must("2\n", "space", "add", "--data", data, "--name", "Atelier")
	must("1\n", "event", "add", "--data", data, "--title", "Atelier compta", "--start", "2099-12-03T18:00:00+01:00",
		"--end", "2099-12-03T20:00:00+01:00", "--capacity", "1", "--space", "Atelier", "--public")
	must("confirmed\n", "event", "register", "--data", data, "--event", "1", "--member", "1")
	must("waitlisted\n", "event", "register", "--data", data, "--event", "1", "--name", "Bea Durand", "--email", "bea@example.org")
	must(`{"id":1,"name":"Alice Martin","email":"alice@example.org","member":1,"status":"confirmed"}`+"\n"+
		`{"id":2,"name":"Bea Durand","email":"bea@example.org","member":0,"status":"waitlisted"}`+"\n",
		"event", "registrations", "--data", data, "--event", "1", "--json")
	must("cancelled\nconfirmed 2\n", "event", "cancel", "--data", data, "--event", "1", "--registration", "1")
	must(`{"id":1,"name":"Alice Martin","email":"alice@example.org","member":1,"status":"cancelled"}`+"\n"+
		`{"id":2,"name":"Bea Durand","email":"bea@example.org","member":0,"status":"confirmed"}`+"\n",
		"event", "registrations", "--data", data, "--event", "1", "--json")

	for _, tc := range []struct {
		args   []string
		stderr string
		code   int
	}{
		{[]string{"event", "register", "--data", data, "--event", "1", "--name", "Bea", "--email", "BEA@example.org"},
			"centrald: Already registered for this event.\n", 1},
		{[]string{"event", "register", "--data", data, "--event", "9", "--member", "1"}, "centrald: Event 9 not found.\n", 1},
		{[]string{"event", "add", "--data", data, "--title", "X", "--start", "demain", "--end", "2099-12-03T20:00:00Z", "--capacity", "3"},
			"centrald: --start \"demain\": want an RFC 3339 time such as 2026-12-03T18:00:00+01:00\n", 2},
		{[]string{"event", "add", "--data", data, "--title", "X", "--start", "2099-12-03T20:00:00Z", "--end", "2099-12-03T18:00:00Z", "--capacity", "3"},
			"centrald: An event ends after it starts.\n", 1},
	} {
		out, errOut, code := centrald(tc.args...)
		if out != "" || errOut != tc.stderr || code != tc.code {
			t.Errorf("centrald %s: %q %q exit %d, want %q exit %d", strings.Join(tc.args, " "), out, errOut, code, tc.stderr, tc.code)
		}
	}
	if _, errOut, code := centrald("event", "register", "--data", data, "--event", "1", "--member", "1", "--name", "X"); code != 2 ||
		!strings.Contains(errOut, "give --member ID, or --name NAME and --email EMAIL") {
		t.Errorf("both --member and --name: exit %d %q", code, errOut)
	}

	// 30 processes at once for 10 places.
	must("2\n", "event", "add", "--data", data, "--title", "Soirée", "--start", "2099-12-04T18:00:00Z",
		"--end", "2099-12-04T22:00:00Z", "--capacity", "10")
	// Members only: a guest is refused.
	if _, errOut, code := centrald("event", "register", "--data", data, "--event", "2", "--name", "G", "--email", "g@example.org"); code != 1 ||
		errOut != "centrald: This event is for members only.\n" {
		t.Errorf("guest on a members-only event: exit %d %q", code, errOut)
	}
	for i := 2; i <= 30; i++ {
		must(fmt.Sprintf("%d\n", i), "member", "add", "--data", data, "--name", fmt.Sprintf("Membre %d", i))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	told := map[string]int{}
	for i := 1; i <= 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(bin, "event", "register", "--data", data, "--event", "2", "--member", fmt.Sprint(i))
			cmd.Env = []string{"CENTRALD_DATA=" + data}
			out, err := cmd.Output()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("member %d: %v", i, err)
				return
			}
			told[strings.TrimSpace(string(out))]++
		}()
	}
	wg.Wait()
	if told["confirmed"] != 10 || told["waitlisted"] != 20 {
		t.Errorf("30 processes for 10 places: %v", told)
	}
	out, _, _ := centrald("event", "registrations", "--data", data, "--event", "2", "--json")
	stored := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r struct{ Status string }
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		stored[r.Status]++
	}
	if stored["confirmed"] != 10 || stored["waitlisted"] != 20 {
		t.Errorf("stored: %v", stored)
	}
}

// TestEventPrice: "event price" sells an event through its HelloAsso
// form (the slug taken from its address, the price in euros), refuses
// what is not a HelloAsso form's address and a form already selling
// another event, and "--free" makes it free again.
func TestEventPrice(t *testing.T) {
	c := newCLI(t)
	add := func(title string) string {
		return c.ok("event", "add", "--title", title, "--start", "2099-12-03T18:00:00+01:00", "--end", "2099-12-03T20:00:00+01:00",
			"--capacity", "10", "--public")
	}
	ev, other := add("Atelier compta"), add("Apéro")
	form := "https://www.helloasso.com/associations/mon-coworking/evenements/atelier-compta"
	c.ok("event", "price", "--event", ev, "--form", form, "--price", "15,50")
	c.fail("event", "price", "--event", other, "--form", form, "--price", "5")
	c.fail("event", "price", "--event", other, "--form", "https://example.org/atelier", "--price", "5")
	c.fail("event", "price", "--event", other, "--form", form)
	c.fail("event", "price", "--event", "99", "--form", form+"-bis", "--price", "5")
	db := c.db()
	ps, err := sqlstore.NewCalendarService(db.DB).EventPayments(context.Background())
	if err != nil || len(ps) != 1 {
		t.Fatalf("event payments %v %v", ps, err)
	}
	for id, p := range ps {
		if fmt.Sprint(id) != ev || p.Form != "atelier-compta" || p.Price != 1550 || p.URL != form || p.Source != central.SourceHelloAsso {
			t.Fatalf("event %d: %+v", id, p)
		}
	}
	db.Close()
	c.ok("event", "price", "--event", ev, "--free")
	c.ok("event", "price", "--event", other, "--form", form, "--price", "5")
}

// TestEventSpaceResolved: "event add --space" names a space as "kiosk
// add --space" does (its id or name, any case; its key too), stored as
// the place the pages and the doors read (the space's key); a space that
// does not exist is refused with the list of the spaces, and no event is
// stored. The other commands taking --space refuse an unknown one alike.
func TestEventSpaceResolved(t *testing.T) {
	c := newCLI(t)
	c.ok("space", "add", "--name", "La Cantine")
	c.ok("member", "add", "--name", "Alice Martin")
	add := func(space string) (string, error) {
		out, errOut, err := c.run("", "event", "add", "--title", "Atelier", "--start", "2099-12-03T18:00:00+01:00",
			"--end", "2099-12-03T20:00:00+01:00", "--capacity", "5", "--space", space)
		if err != nil {
			return errOut, err
		}
		return strings.TrimSpace(out), nil
	}
	for _, space := range []string{"2", "la cantine", "La Cantine"} {
		if _, err := add(space); err != nil {
			t.Fatalf("--space %q: %v", space, err)
		}
	}
	for _, space := range []string{"1", "Badgeuse", ""} {
		if _, err := add(space); err != nil {
			t.Fatalf("--space %q: %v", space, err)
		}
	}
	for _, space := range []string{"9", "Atlantis"} {
		if _, err := add(space); err == nil {
			t.Fatalf("--space %q accepted", space)
		} else if msg := errorText(err); !strings.Contains(msg, "--space: No space is named \""+space+"\": the spaces are Badgeuse (1), La Cantine (2).") {
			t.Errorf("--space %q: %q", space, msg)
		}
	}
	db := c.db()
	es, err := sqlstore.NewCalendarService(db.DB).FindEvents(context.Background(), central.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var places []string
	for _, e := range es {
		places = append(places, e.Space)
	}
	if want := []string{"La Cantine", "La Cantine", "La Cantine", "", "", ""}; strings.Join(places, "|") != strings.Join(want, "|") {
		t.Errorf("stored places %q, want %q (the key of space 2, the main space's)", places, want)
	}
	db.Close()
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	for _, args := range [][]string{
		{"kiosk", "add", "--name", "Porte", "--space", "Atlantis"},
		{"admin", "add", "--email", "a@example.org", "--role", "door", "--space", "9"},
		{"guest", "add", "--host", "1", "--name", "Léa", "--day", tomorrow, "--space", "Atlantis"},
		{"product", "add", "--name", "P", "--kind", "pack", "--entries", "1", "--price", "1", "--space", "9"},
	} {
		_, errOut, err := c.run("correct horse battery\n", args...)
		if err == nil || !strings.Contains(errorText(err), "The spaces: Badgeuse (1), La Cantine (2).") {
			t.Errorf("centrald %s: %v %q, want the list of the spaces", strings.Join(args, " "), err, errOut)
		}
	}
	if pass := c.ok("guest", "add", "--host", "1", "--name", "Léa", "--day", tomorrow, "--space", "2"); !strings.HasPrefix(pass, "BG2:") {
		t.Errorf("guest add --space 2: %q", pass)
	}
}

// TestEventAddPast: event add refuses a start in the past (a mistyped
// year), says so and how to record a past event on purpose (--past),
// and stores nothing; with --past it adds it. The real binary, as a
// script runs it.
func TestEventAddPast(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := bintest.Build(t, ".")
	data := t.TempDir()
	centrald := binaryRunner(t, bin, data)
	last := time.Now().AddDate(-1, 0, 0).Truncate(time.Hour).In(time.FixedZone("", 3600))
	start, end := last.Format(time.RFC3339), last.Add(2*time.Hour).Format(time.RFC3339)
	add := []string{"event", "add", "--data", data, "--title", "Atelier compta", "--start", start, "--end", end, "--capacity", "10"}
	out, errOut, code := centrald(add...)
	if code != 1 || out != "" || !strings.HasPrefix(errOut, "centrald: --start "+start+" is in the past (it is now ") ||
		!strings.HasSuffix(errOut, "): check the date, the year above all. To record an event that already took place, add --past.\n") {
		t.Errorf("a past start: %q %q exit %d, want exit 1 and the refusal", out, errOut, code)
	}
	if _, errOut, code := centrald("event", "registrations", "--data", data, "--event", "1", "--json"); code != 1 || errOut != "centrald: Event 1 not found.\n" {
		t.Errorf("an event was stored: %q exit %d", errOut, code)
	}
	if out, errOut, code := centrald(append(add, "--past")...); out != "1\n" || errOut != "" || code != 0 {
		t.Errorf("with --past: %q %q exit %d, want the id 1", out, errOut, code)
	}
	if _, errOut, code := centrald("event", "registrations", "--data", data, "--event", "1", "--json"); code != 0 {
		t.Errorf("the past event: %q exit %d", errOut, code)
	}
}
