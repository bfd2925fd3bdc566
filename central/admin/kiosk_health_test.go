package admin_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestKiosksPageHealth: a kiosk whose camera is dead shows "En panne" in
// red with the camera's error, where it used to show "Active"; one that
// works shows "En service"; an older kioskd that sends no report says so.
func TestKiosksPageHealth(t *testing.T) {
	e := newEnv(t)
	enroll := func(name string) *central.Kiosk {
		t.Helper()
		token, err := e.kiosks.CreateKiosk(e.ctx(), &central.Kiosk{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		k, _, err := e.kiosks.Enroll(e.ctx(), token, "1.2.0")
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	dead, fine, _ := enroll("Porte d’entrée"), enroll("Jardin"), enroll("Ancienne")
	now := e.clock.Now()
	report := func(k *central.Kiosk, cameraOK bool, lastFrame time.Time, errText string) {
		t.Helper()
		if err := e.kiosks.ReportKioskHealth(e.ctx(), &central.KioskHealth{Kiosk: k.ID, Received: now, Started: now.Add(-2 * time.Hour),
			Uptime: 2 * time.Hour, CameraOK: cameraOK, CameraError: errText, CameraFPS: 14.8, LastFrame: lastFrame,
			DiskFree: 12 << 30, DiskTotal: 29 << 30, DatabaseBytes: 3 << 20, Software: "1.2.0"}); err != nil {
			t.Fatal(err)
		}
	}
	report(dead, false, now.Add(-20*time.Minute), "camera V4L2 device /dev/video0: cannot open")
	report(fine, true, now.Add(-time.Second), "")

	resp, body := e.as(A).get("/kiosks")
	mustStatus(t, resp, http.StatusOK)
	// Each card holds its kiosk's words.
	card := func(id int64) string {
		t.Helper()
		i := strings.Index(body, `id="kiosk-`+strconv.FormatInt(id, 10)+`"`)
		if i < 0 {
			t.Fatalf("no card for kiosk %d:\n%s", id, body)
		}
		rest := body[i:]
		if j := strings.Index(rest, "</section>"); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
	// 08:12 UTC is 09:12 in Paris; the camera stopped 20 minutes before.
	mustContain(t, body, `class="card kiosk health-down" id="kiosk-`+strconv.FormatInt(dead.ID, 10)+`"`,
		`class="card kiosk health-ok" id="kiosk-`+strconv.FormatInt(fine.ID, 10)+`"`)
	mustContain(t, card(dead.ID), `class="tag health-down"`, "En panne", "Caméra en panne depuis 26/11/2026 08:52",
		"camera V4L2 device /dev/video0: cannot open", "15 images par seconde")
	mustContain(t, card(fine.ID), `class="tag health-ok"`, "En service", "Tout fonctionne", "12\u00a0Go libres sur 29\u00a0Go", "à l’heure")
	mustContain(t, card(3), "État inconnu", "mettez kioskd à jour")
	if strings.Contains(card(dead.ID), ">Active<") {
		t.Error("a kiosk with a dead camera still reads Active")
	}
}
