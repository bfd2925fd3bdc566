package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestPhoneCodesBounded: a phone badge's codes.json draws 8640 QR codes
// (three days of 30 s codes, 2 MB): most of a second of a CPU each time,
// for anyone holding a member's link, with nothing to stop a loop. A few
// loops in parallel took every CPU of central, the kiosks' syncs and the
// bureau's pages with it. Now codes are drawn one answer at a time: while
// a drawing runs, another request waits its turn a while, then is told to
// come back (503, Retry-After) instead of drawing beside it.
func TestPhoneCodesBounded(t *testing.T) {
	e := newEnv(t)
	m, _, codes := alicePhoneCodes(t, e)

	release := e.srv.HoldDrawings(50 * time.Millisecond) // a drawing runs
	resp, body := m.get(codes)
	release()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || strings.Contains(body, `"codes"`) {
		t.Fatalf("codes.json while another drawing runs: %d, Retry-After %q, want 503 and nothing drawn",
			resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	resp, body = m.get(codes) // its turn
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, `"codes"`)
}

// TestPhoneCodesShared: a phone badge's page and its service worker ask
// for codes.json at the same moment. The second waited behind the first's
// drawing, and on a busy server was told to come back (503): the phone
// had no offline copy of its badge (seen as TestBrowserPhoneBadgeAfterNewLink
// failing under load). The codes drawn are now answered again for a few
// minutes, without waiting for a drawing slot; and a badge stopped since
// is not answered from them.
func TestPhoneCodesShared(t *testing.T) {
	e := newEnv(t)
	m, token, codes := alicePhoneCodes(t, e)
	resp, first := m.get(codes)
	mustStatus(t, resp, http.StatusOK)

	release := e.srv.HoldDrawings(50 * time.Millisecond) // another badge's drawing runs
	resp, again := m.get(codes)
	release()
	mustStatus(t, resp, http.StatusOK)
	if again != first {
		t.Fatalf("codes.json asked again: %d bytes, want the %d drawn", len(again), len(first))
	}

	// Both at once, as the page and its service worker: both answered.
	var wg sync.WaitGroup
	bodies := make([]string, 2)
	for i := range bodies {
		wg.Go(func() {
			resp, body := m.get(codes)
			if resp.StatusCode == http.StatusOK {
				bodies[i] = body
			}
		})
	}
	wg.Wait()
	for i, b := range bodies {
		if b != first {
			t.Errorf("request %d at once: %d bytes, want the codes drawn", i, len(b))
		}
	}

	// Stopped from her page: no codes, though drawn a moment ago.
	_, page := m.get("/m/" + token)
	stop := regexp.MustCompile(`action="(/m/[^"]+/phone/\d+/revoke)"`).FindStringSubmatch(page)
	if stop == nil {
		t.Fatal("no « Arrêter » form on her page")
	}
	resp, _ = m.post(stop[1], url.Values{"csrf": {csrfRE.FindStringSubmatch(page)[1]}})
	mustStatus(t, resp, http.StatusSeeOther)
	resp, body := m.get(codes)
	if resp.StatusCode == http.StatusOK || strings.Contains(body, `"codes"`) {
		t.Fatalf("codes.json of a stopped badge: %d", resp.StatusCode)
	}
}

// alicePhoneCodes makes Alice a phone badge from her page: her browser,
// her link's token, and the address of the badge's codes.json.
func alicePhoneCodes(t *testing.T, e *env) (m *client, token, codes string) {
	t.Helper()
	_, token = aliceWithLink(t, e)
	m = e.client()
	_, page := m.get("/m/" + token)
	resp, _ := m.post("/m/"+token+"/phone", url.Values{"csrf": {csrfRE.FindStringSubmatch(page)[1]}})
	mustStatus(t, resp, http.StatusSeeOther)
	return m, token, resp.Header.Get("Location") + "codes.json"
}
