package admin_test

import (
	"context"
	"net/http"
	"testing"
)

// TestHereStreamsPerLink: the who-is-here tab's live stream holds a
// connection, 64 at most for the whole server. One member's link could
// open all 64 and keep them (the browser, or a script, reconnects): every
// other member's page then got 503. A link now holds a few streams; the
// others stay for the other members.
func TestHereStreamsPerLink(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	_, mallory := c.member("Mallory Martin", "")
	_, bob := c.member("Bob Durand", "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	open := func(token string) int {
		req, _ := http.NewRequestWithContext(ctx, "GET", e.ts.URL+"/m/"+token+"/here/events", nil)
		resp, err := e.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
		} else {
			t.Cleanup(func() { resp.Body.Close() })
		}
		return resp.StatusCode
	}
	held := 0
	for range 64 {
		if open(mallory) == http.StatusOK {
			held++
		}
	}
	if held > 4 {
		t.Errorf("one link holds %d streams, want at most 4", held)
	}
	if status := open(bob); status != http.StatusOK {
		t.Fatalf("another member's stream: %d, want 200", status)
	}
}
