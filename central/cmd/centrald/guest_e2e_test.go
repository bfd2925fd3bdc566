package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/email/smtptest"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// TestGuestInviteBinaries: with the real centrald serve and mail catcher,
// a member opens her link (from her welcome mail), invites a guest from
// her page (303 to the pass's page, her quota shown), and e-mails the pass:
// the guest receives it in French, with the pass attached and how to come
// in; sending it again to the same address sends nothing more; the bureau
// sees the guest on the member's admin page.
func TestGuestInviteBinaries(t *testing.T) {
	r := newMailRig(t)
	base, mails := r.base, r.mails
	run := func(args ...string) string {
		t.Helper()
		out, _ := r.runEnv([]string{r.publicURL()}, "correct horse battery\n", args...)
		return out
	}
	run("admin", "add", "--email", "bureau@laruche.example")
	member := run("member", "add", "--name", "Alice Martin", "--email", "alice@example.org")
	t.Cleanup(r.serve(r.publicURL()))

	welcome := mails(1)[0]
	link := strings.TrimPrefix(regexp.MustCompile(regexp.QuoteMeta(base)+`/m/\S+`).FindString(welcome.Text), base)
	if link == "" {
		t.Fatalf("no link in the welcome mail %q", welcome.Text)
	}

	paris, _ := time.LoadLocation("Europe/Paris")
	day := time.Now().In(paris).AddDate(0, 0, 1)
	alice := newBrowser(t, base)
	if code, body := alice.get(link); code != 200 || !strings.Contains(body, "Il vous reste 2 invitations ce mois-ci (sur 2).") {
		t.Fatalf("her page: %d", code)
	}
	alice.post(link+"/guests", url.Values{"guest_name": {"Léa Roux"}, "guest_day": {day.Format("2006-01-02")}}, http.StatusSeeOther)
	if code, body := alice.get(link + "/guests/1"); code != 200 || !strings.Contains(body, "Léa Roux, le "+day.Format("02/01/2006")) ||
		!strings.Contains(body, `download="invitation.png"`) {
		t.Fatalf("the pass's page: %d\n%s", code, body)
	}
	for range 2 { // the second is dropped: once per address
		alice.post(link+"/guests/1/mail", url.Values{"email": {"lea@example.org"}, "lang": {"fr"}}, http.StatusSeeOther)
	}
	got := mails(2)
	g := got[1]
	months := []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	when := day.Format("2") + " " + months[day.Month()-1] + " " + day.Format("2006")
	if day.Day() == 1 {
		when = "1er " + months[day.Month()-1] + " " + day.Format("2006")
	}
	if g.Subject != "Alice Martin vous invite à La Ruche le "+when || len(g.Attachments) != 1 || g.Attachments[0].Name != "invitation.png" ||
		!strings.HasPrefix(g.Text, "Bonjour Léa,") || !strings.Contains(g.Text, "caméra de la borne") {
		t.Fatalf("the guest's mail: %q %+v\n%s", g.Subject, g.Attachments, g.Text)
	}
	if to := got[1].Header.Get("To"); !strings.Contains(to, "lea@example.org") {
		t.Errorf("sent to %q", to)
	}
	time.Sleep(time.Second)
	if n := len(mails(2)); n != 2 {
		t.Errorf("%d mails: the pass was mailed twice to the same address", n)
	}

	bureau := newBrowser(t, base)
	bureau.login("bureau@laruche.example", "correct horse battery")
	if _, body := bureau.get("/members/" + member); !strings.Contains(body, ">Léa Roux</a>") {
		t.Fatalf("the member's admin page lacks her guest")
	}
}

// TestKioskAlertMailBinaries (issue 18): with the real centrald serve and
// mail catcher and alerts.email set, a kiosk whose report says its camera
// has seen nothing for 10 minutes makes one alert mail to the bureau's
// address, however many reports repeat it.
func TestKioskAlertMailBinaries(t *testing.T) {
	r := newMailRig(t, [2]string{"alerts.email", "alertes@laruche.example"})
	base, run := r.base, r.run
	enroll := run("kiosk", "add", "--name", "Porte")
	t.Cleanup(r.serve())

	call := func(path, token string, req, resp any) {
		t.Helper()
		b, _ := json.Marshal(req)
		r, _ := http.NewRequest("POST", base+path, bytes.NewReader(b))
		r.Header.Set("Content-Type", "application/json")
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != 200 {
			body, _ := io.ReadAll(res.Body)
			t.Fatalf("%s: %d %s", path, res.StatusCode, body)
		}
		json.NewDecoder(res.Body).Decode(resp)
	}
	var er wire.EnrollResponse
	call(wire.PathEnroll, "", wire.EnrollRequest{Protocol: wire.Version, Token: enroll}, &er)
	now := time.Now()
	health := &wire.Health{Time: now, Started: now.Add(-time.Hour), Uptime: 3600, CameraOK: false, CameraError: "no device",
		LastFrame: now.Add(-10 * time.Minute), DiskFree: 10 << 30, DiskTotal: 32 << 30, DatabaseBytes: 1 << 20, Software: "test"}
	for range 3 {
		var pl wire.PullResponse
		call(wire.PathPull, er.KioskToken, wire.PullRequest{Protocol: wire.Version, Health: health}, &pl)
	}
	deadline := time.Now().Add(30 * time.Second)
	var files []string
	for len(files) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		files = r.files()
	}
	time.Sleep(2 * time.Second) // a second mail would be here by now
	files = r.files()
	if len(files) != 1 {
		t.Fatalf("%d alert mails, want 1", len(files))
	}
	b, _ := os.ReadFile(files[0])
	p, err := (&smtptest.Message{Data: b}).Parse()
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "Caméra de la borne «\u00a0Porte\u00a0» en panne — La Ruche" || !strings.Contains(p.Header.Get("To"), "alertes@laruche.example") ||
		!strings.Contains(p.Text, "(no device)\u00a0: la porte ne lit plus les badges") {
		t.Fatalf("alert mail %q to %q:\n%s", p.Subject, p.Header.Get("To"), p.Text)
	}
}
