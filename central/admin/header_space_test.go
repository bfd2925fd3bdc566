package admin_test

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestHeaderSpaceName: the page header (and the browser tab's title) of
// a bureau user of one space said the network's name; now it says her
// space's, and the network's user keeps the network's name.
func TestHeaderSpaceName(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	if err := e.settings.SetSetting(e.ctx(), central.SettingSpaceName, "Coworkings du Rhône"); err != nil {
		t.Fatal(err)
	}
	_, hangar := e.spaceUser(A, w.hangar.ID)
	_, network := e.spaceUser(A, 0)
	_, body := hangar.get("/today")
	mustContain(t, body, `<div class="brand">Le Hangar</div>`, " · Le Hangar</title>")
	mustNotContain(t, body, "Coworkings du Rhône")
	_, body = network.get("/today")
	mustContain(t, body, `<div class="brand">Coworkings du Rhône</div>`, " · Coworkings du Rhône</title>")
}
