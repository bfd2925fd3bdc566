package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestResourceCreateRefusals: a new room's form with a number or a time
// it cannot read ("abc", "1,5" minutes, "9h") is refused, as its edit
// refuses them: 400, the reason under its field, the values typed kept,
// nothing added. Before, "abc" and "1,5" were read as 0 without a word
// (a slot of 0 refused by the domain on an error page; a weekly limit of
// "1,5" silently none). What the domain refuses (no name, a slot too
// short) is said under its field too. A good form adds the room.
func TestResourceCreateRefusals(t *testing.T) {
	e := newEnv(t)
	c := e.as(D)
	form := func(changes map[string]string) url.Values {
		v := url.Values{"name": {"Salle de réunion"}, "opens": {"08:00"}, "closes": {"20:00"}, "slot": {"30"}, "max_hours": {"0"}}
		for k, x := range changes {
			v.Set(k, x)
		}
		return v
	}
	for _, tt := range []struct {
		name    string
		changes map[string]string
		field   string
		text    string
		kept    []string
	}{
		{"a slot of letters", map[string]string{"slot": "abc", "max_hours": "4"}, "rslot", "Un nombre entier attendu, comme 30.",
			[]string{`value="abc"`, `value="4"`, `value="Salle de réunion"`}},
		{"a slot with a comma", map[string]string{"slot": "1,5"}, "rslot", "Un nombre entier attendu, comme 30.", []string{`value="1,5"`}},
		{"a limit with a comma", map[string]string{"max_hours": "1,5", "opens": "09:00"}, "rmax", "Un nombre entier attendu, comme 30.",
			[]string{`value="1,5"`, `value="09:00"`}},
		{"a limit of letters", map[string]string{"max_hours": "trois"}, "rmax", "Un nombre entier attendu", []string{`value="trois"`}},
		{"an opening not a time", map[string]string{"opens": "9h"}, "ropens", "Une heure attendue, comme 09:00.", []string{`value="9h"`}},
		{"a closing not a time", map[string]string{"closes": "soir"}, "rcloses", "Une heure attendue, comme 09:00.", []string{`value="soir"`}},
		{"no name", map[string]string{"name": "  ", "slot": "45"}, "rname", "Le nom de la ressource est obligatoire.", []string{`value="45"`}},
		{"a slot too short", map[string]string{"slot": "2"}, "rslot", "Un créneau dure de 5 minutes à 24 heures", []string{`value="2"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := c.post("/resources", form(tt.changes))
			mustStatus(t, resp, http.StatusBadRequest)
			mustContain(t, body, `<p class="field-error" id="`+tt.field+`-error" role="alert">`, `aria-describedby="`+tt.field+`-error`,
				tt.text, `name="csrf"`, `action="/resources#refused"`)
			mustContain(t, body, tt.kept...)
			if strings.Count(body, `class="field-error"`) != 1 {
				t.Errorf("%d reasons shown, want 1", strings.Count(body, `class="field-error"`))
			}
			if rs, err := e.cfg.Bookings.FindResources(e.ctx()); err != nil || len(rs) != 0 {
				t.Fatalf("resources after a refusal: %+v %v", rs, err)
			}
		})
	}
	// The form as it first shows: its defaults, no reason.
	_, body := c.get("/resources")
	mustContain(t, body, `id="ropens" name="opens" type="time" value="08:00"`, `id="rcloses" name="closes" type="time" value="20:00"`,
		`id="rslot" name="slot" inputmode="numeric" pattern="[0-9]*" value="30"`)
	if strings.Contains(body, "field-error") {
		t.Error("a reason shown before anything is typed")
	}
	// A good one, a weekly limit left empty (none).
	resp, _ := c.post("/resources", form(map[string]string{"max_hours": " "}))
	mustStatus(t, resp, http.StatusSeeOther)
	if rs, err := e.cfg.Bookings.FindResources(e.ctx()); err != nil || len(rs) != 1 || rs[0].Name != "Salle de réunion" ||
		rs[0].MaxPerWeek != 0 || rs[0].Slot.Minutes() != 30 {
		t.Fatalf("resources %+v %v", rs, err)
	}
}
