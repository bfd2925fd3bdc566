package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestEventStartPast: a new event whose start is past (the year mistyped:
// 2025 on 26 November 2026) is not created: the form comes back (400)
// with everything typed, the mistake under the start (aria-invalid) and a
// box « Oui, cette date est passée »; ticked, the event is created (the
// bureau records a past event on purpose); the year corrected, it is
// created without the box. In English too. Editing an event's start into
// the past asks the same; editing an event that is past already without
// moving its start (its title) asks nothing.
func TestEventStartPast(t *testing.T) {
	e := newEnv(t) // 26 November 2026, 09:12 in Paris
	door := e.as(D)
	door.get("/events")
	typed := url.Values{"title": {"Atelier compta"}, "description": {"Les bases"}, "start": {"2025-12-03T18:00"},
		"end": {"2025-12-03T20:00"}, "capacity": {"12"}, "deadline": {"2025-12-02T12:00"}, "public": {"1"}, "consumes": {"1"}}
	resp, body := door.post("/events", typed)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body,
		"<p class=\"field-error\" id=\"estart-error\" role=\"alert\">Ce début (03/12/2025 18:00) est déjà passé\u00a0: vérifiez la date, l’année surtout. Pour enregistrer un événement qui a déjà eu lieu, cochez la case ci-dessous.</p>",
		`value="2025-12-03T18:00" aria-invalid="true" aria-describedby="estart-error"`,
		`<input type="checkbox" name="past" value="1"> <span>Oui, cette date est passée</span>`,
		`value="Atelier compta"`, ">Les bases</textarea>", `value="2025-12-03T20:00"`, `value="12"`, `value="2025-12-02T12:00"`,
		`name="public" value="1" checked`, `name="consumes" value="1" checked`, `action="/events#estart-error"`)
	if es, _ := e.cfg.Calendar.FindEvents(e.ctx(), central.EventFilter{}); len(es) != 0 {
		t.Fatalf("events stored: %d, want none", len(es))
	}
	if strings.Contains(strings.Replace(body, `name="past"`, "", 1), `name="past"`) {
		t.Errorf("two boxes")
	}
	// Before the mistake, no box.
	if _, page := door.get("/events"); strings.Contains(page, `name="past"`) || strings.Contains(page, "aria-invalid") {
		t.Errorf("the form asks about a past date before any was typed")
	}

	door.get("/lang/en?next=/events")
	door.get("/events")
	resp, body = door.post("/events", typed)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "This start (2025-12-03 18:00) is in the past: check the date, the year above all.",
		"<span>Yes, this date is past</span>")
	door.get("/lang/fr?next=/events")
	door.get("/events")

	// The box ticked: a past event, as typed.
	typed.Set("past", "1")
	resp, _ = door.post("/events", typed)
	mustStatus(t, resp, http.StatusSeeOther)
	past, err := e.cfg.Calendar.FindEvent(e.ctx(), 1)
	if err != nil || !past.Start.Equal(time.Date(2025, 12, 3, 17, 0, 0, 0, time.UTC)) || past.Title != "Atelier compta" {
		t.Fatalf("the past event: %v %+v", err, past)
	}
	// The year corrected: created, no box needed.
	door.get("/events")
	typed.Del("past")
	for k, v := range map[string]string{"start": "2026-12-03T18:00", "end": "2026-12-03T20:00", "deadline": ""} {
		typed.Set(k, v)
	}
	resp, body = door.post("/events", typed)
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/events/2?done=event_created" {
		t.Fatalf("after creating: %q\n%s", loc, body)
	}

	// Editing: its start moved into the past asks, kept as typed.
	edit := "/events/2/edit"
	door.get(edit)
	form := url.Values{"title": {"Atelier compta"}, "start": {"2025-12-03T18:00"}, "end": {"2025-12-03T20:00"}, "capacity": {"14"}}
	resp, body = door.post(edit, form)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Ce début (03/12/2025 18:00) est déjà passé", `value="2025-12-03T18:00" aria-invalid="true"`,
		"Oui, cette date est passée", `value="14"`, `action="/events/2/edit#estart-error"`)
	if got, _ := e.cfg.Calendar.FindEvent(e.ctx(), 2); got.Start.Year() != 2026 || got.Capacity != 12 {
		t.Fatalf("the event changed: %+v", got)
	}
	form.Set("past", "1")
	resp, _ = door.post(edit, form)
	mustStatus(t, resp, http.StatusSeeOther)
	if got, _ := e.cfg.Calendar.FindEvent(e.ctx(), 2); got.Start.Year() != 2025 || got.Capacity != 14 {
		t.Fatalf("the event after its box: %+v", got)
	}
	// A past event whose start stays: its title changes without a box.
	door.get("/events/1/edit")
	resp, body = door.post("/events/1/edit", url.Values{"title": {"Atelier compta (bilan)"}, "start": {"2025-12-03T18:00"},
		"end": {"2025-12-03T20:00"}, "capacity": {"12"}, "deadline": {"2025-12-02T12:00"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if got, _ := e.cfg.Calendar.FindEvent(e.ctx(), 1); got.Title != "Atelier compta (bilan)" {
		t.Fatalf("the past event's title: %+v\n%s", got, body)
	}
}
