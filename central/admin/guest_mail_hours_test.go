package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
)

// TestGuestMailSaysWhen: the mail a guest gets with her pass said who
// invites her, where and which day, but not when the door opens: a guest
// coming at 7:00 met a red light, and asked nobody. The mail now carries
// the door's opening hours in words, in the mail's language (the space's
// own, else the network's), and the space's address when it has one;
// nothing when the door is always open.
func TestGuestMailSaysWhen(t *testing.T) {
	e, mails := newMailEnv(t)
	_, m, passPage := guestPassOfAlice(t, e)

	mail := func(addr, lang string) admin.Mail {
		t.Helper()
		resp, _ := m.post(passPage+"/mail", url.Values{"email": {addr}, "lang": {lang}})
		mustStatus(t, resp, http.StatusSeeOther)
		sent := mails.of(admin.MailGuest)
		return sent[len(sent)-1]
	}
	if got := mail("lea@example.org", "fr"); got.Hours != "" || got.Address != "" {
		t.Errorf("always open: hours %q, address %q, want none", got.Hours, got.Address)
	}
	if err := e.settings.SetSetting(e.ctx(), central.SettingHours, "mon 08:00-20:00; sat 09:00-13:00"); err != nil {
		t.Fatal(err)
	}
	if got := mail("lea2@example.org", "fr"); got.Hours != "lundi 08:00–20:00\u00a0; samedi 09:00–13:00" || got.Address != "" {
		t.Errorf("French: hours %q, address %q", got.Hours, got.Address)
	}
	if got := mail("lea3@example.org", "en"); got.Hours != "Monday 08:00–20:00; Saturday 09:00–13:00" {
		t.Errorf("English: hours %q", got.Hours)
	}
}

// guestPassOfAlice seeds e, and has Alice invite Léa Martin on
// 27/11/2026 from her page: the door staff's browser that made her link,
// hers, on the pass's page.
func guestPassOfAlice(t *testing.T, e *env) (door, m *client, passPage string) {
	t.Helper()
	seed(t, e)
	door = e.as(D)
	_, body := door.follow(door.post("/members/1/link", nil))
	token := regexp.MustCompile(`/m/(bgm1_[A-Za-z0-9_-]+)`).FindStringSubmatch(body)[1]
	m = e.client()
	m.get("/m/" + token)
	resp, _ := m.post("/m/"+token+"/guests", url.Values{"guest_name": {"Léa Martin"}, "guest_day": {"2026-11-27"}})
	mustStatus(t, resp, http.StatusSeeOther)
	passPage = resp.Header.Get("Location")
	m.get(passPage)
	return door, m, passPage
}
