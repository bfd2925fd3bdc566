package admin_test

import (
	"net/http"
	"net/url"
	"strings"
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
	_, token := aliceWithLink(t, e)
	m := e.client()
	_, page := m.get("/m/" + token)
	csrf := csrfRE.FindStringSubmatch(page)[1]
	resp, _ := m.post("/m/"+token+"/phone", url.Values{"csrf": {csrf}})
	mustStatus(t, resp, http.StatusSeeOther)
	codes := resp.Header.Get("Location") + "codes.json"

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
