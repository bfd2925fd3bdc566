package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestSpaceRenameForm: a network admin renames a space on the Espaces
// page, as `centrald space set --name` does (central.RenameSpace): a name
// with a comma, another space's name or an empty one answers 400 with
// what she typed and the reason under that space's field, nothing
// renamed; a good one 303 to the page with « Espace renommé. », its key
// kept, journaled (space.rename, by her). The main space's name is the
// setting space.name. A space's own admin and the network's other roles
// may not (403); no anti-forgery token, nothing renamed.
func TestSpaceRenameForm(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx()
	cantine, hangar := &central.Space{Name: "La Cantine"}, &central.Space{Name: "Le Hangar"}
	for _, sp := range []*central.Space{cantine, hangar} {
		if err := e.cfg.Spaces.CreateSpace(ctx, sp); err != nil {
			t.Fatal(err)
		}
	}
	name := func(id int64) string {
		t.Helper()
		spaces, err := e.cfg.Spaces.FindSpaces(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return central.SpaceByID(spaces, id).Name
	}
	c := e.as(central.RoleAdmin)
	_, body := c.get("/spaces")
	mustContain(t, body, `<form method="post" action="/spaces/2/name#refused" class="stack">`, `id="name-2" name="name" required maxlength="100" value="La Cantine"`,
		`<label for="name-3">Nom de l’espace</label>`, ">Renommer</button>")

	for _, tt := range []struct{ typed, reason string }{
		{"La Cantine, port", "Un nom d’espace ne peut pas contenir de virgule"},
		{"le hangar", "Un espace s’appelle déjà «\u00a0le hangar\u00a0»"},
		{"   ", "obligatoire"},
	} {
		resp, body := c.post("/spaces/2/name", url.Values{"name": {tt.typed}})
		mustStatus(t, resp, http.StatusBadRequest)
		mustContain(t, body, `id="name-2" name="name" required maxlength="100" value="`+tt.typed+`" aria-describedby="name-2-error name-2-help" aria-invalid="true"`,
			`<label for="name-2" id="refused">`, `<p class="field-error" id="name-2-error" role="alert">`, tt.reason, `value="Le Hangar"`)
		if strings.Count(body, `class="field-error"`) != 1 {
			t.Errorf("%q: %d reasons shown, want 1 (under La Cantine's name)", tt.typed, strings.Count(body, `class="field-error"`))
		}
		if got := name(cantine.ID); got != "La Cantine" {
			t.Fatalf("refused %q, but renamed %q", tt.typed, got)
		}
	}
	resp, _ := c.post("/spaces/2/name", url.Values{"_nocsrf": {"1"}, "name": {"La Cantine forgée"}})
	mustStatus(t, resp, http.StatusForbidden)

	resp, _ = c.post("/spaces/2/name", url.Values{"name": {"  La Cantine du port "}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/spaces?done=space_renamed" {
		t.Errorf("303 to %q", loc)
	}
	spaces, _ := e.cfg.Spaces.FindSpaces(ctx)
	if sp := central.SpaceByID(spaces, cantine.ID); sp.Name != "La Cantine du port" || sp.Key != "La Cantine" {
		t.Fatalf("renamed: %+v", sp)
	}
	_, body = c.get("/spaces?done=space_renamed")
	mustContain(t, body, "Espace renommé.", `value="La Cantine du port"`)
	evs, _, err := e.cfg.Audit.FindAuditEvents(ctx, central.AuditFilter{Action: "space.rename"})
	if err != nil || len(evs) != 1 || evs[0].Actor != "admin@example.org" || evs[0].Object != "space:2" ||
		!strings.Contains(evs[0].Details, `"was":"La Cantine"`) {
		t.Fatalf("journal: %v %+v", err, evs)
	}

	// The journal says what it was named, not « [status.La Cantine] ».
	_, body = c.get("/audit")
	if text := textOf(body); !strings.Contains(text, "Avant") || !strings.Contains(text, "La Cantine du port") || strings.Contains(text, "[status.") {
		t.Errorf("journal of the rename: %.600s", text[strings.Index(text, "renommé"):])
	}

	// The main space: its name is space.name, as on Réglages.
	resp, _ = c.post("/spaces/1/name", url.Values{"name": {"La Halle"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if set, _ := e.settings.Settings(ctx); set.SpaceName() != "La Halle" || name(central.MainSpace) != "La Halle" {
		t.Fatalf("main space: space.name %q, name %q", set.SpaceName(), name(central.MainSpace))
	}
	resp, _ = c.post("/spaces/99/name", url.Values{"name": {"Ailleurs"}})
	mustStatus(t, resp, http.StatusNotFound)

	c.get("/lang/en")
	resp, body = c.post("/spaces/3/name", url.Values{"name": {"Hangar, Lyon"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "A space name cannot contain a comma", `<label for="name-3" id="refused">Space name</label>`)

	// Who may not.
	_, own := e.spaceUser(central.RoleAdmin, hangar.ID)
	own.get("/today")
	resp, _ = own.post("/spaces/3/name", url.Values{"name": {"Le Hangar du port"}})
	mustStatus(t, resp, http.StatusForbidden)
	_, treasurer := e.spaceUser(central.RoleTreasurer, 0)
	treasurer.get("/today")
	resp, _ = treasurer.post("/spaces/3/name", url.Values{"name": {"Le Hangar du port"}})
	mustStatus(t, resp, http.StatusForbidden)
	if got := name(hangar.ID); got != "Le Hangar" {
		t.Fatalf("renamed %q by a user who may not", got)
	}
}
