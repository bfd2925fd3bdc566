package main

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestPhoneBadgeEndToEnd: central issues a phone badge (centrald badge
// phone), prints its codes (centrald badge codes), the kiosk receives
// central's public key by sync and, reading a video of the codes, accepts
// the code of now and refuses one of ten minutes ago as expired_code;
// revoking the printed card leaves the phone badge valid.
func TestPhoneBadgeEndToEnd(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	phone := c.run("badge", "phone", "--member", a.alice)
	if phone == "" || strings.ContainsAny(phone, " \n") {
		t.Fatalf("badge phone printed %q, want an id", phone)
	}
	now := time.Now()
	codes := strings.Split(c.run("badge", "codes", "--badge", phone, "--from", now.Format(time.RFC3339), "--count", "3"), "\n")
	if len(codes) != 3 || !strings.HasPrefix(codes[0], "BG2:") || codes[0] == codes[1] {
		t.Fatalf("badge codes printed %q", codes)
	}
	old := c.run("badge", "codes", "--badge", phone, "--from", now.Add(-10*time.Minute).Format(time.RFC3339), "--count", "1")
	c.start()
	k := newKiosk(t, c, "Entrée")
	k.sync()
	got := k.run(video(t, codes[0], old))
	if len(got) != 2 || got[0].Decision != "accept" || got[0].Reason != "pack" || got[0].Member != a.alice ||
		got[1].Decision != "refuse" || got[1].Reason != "expired_code" {
		t.Fatalf("fresh then 10-minute-old phone code: %+v", got)
	}
	// The phone badge is a badge of its own: replacing the card (a lost
	// card) and revoking it leave it valid.
	c.run("badge", "issue", "--member", a.alice)
	c.run("badge", "revoke", "--badge", a.aliceB)
	k.sync()
	fresh := c.run("badge", "codes", "--badge", phone, "--from", time.Now().Format(time.RFC3339), "--count", "1")
	if got := k.run(video(t, fresh, a.aliceB)); len(got) != 2 || got[0].Reason != "already_today" || got[1].Reason != "revoked_badge" {
		t.Fatalf("after the card's replacement: %+v", got)
	}
	// Revoking the phone badge reaches the door too (a code shown before,
	// still in its window, is refused) and stops its codes.
	fresh = c.run("badge", "codes", "--badge", phone, "--from", time.Now().Format(time.RFC3339), "--count", "1")
	c.run("badge", "revoke", "--badge", phone)
	k.sync()
	if got := k.run(video(t, fresh)); len(got) != 1 || got[0].Reason != "revoked_badge" {
		t.Fatalf("after the phone badge's revocation: %+v", got)
	}
	if err := c.fails("badge", "codes", "--badge", phone, "--from", time.Now().Format(time.RFC3339), "--count", "1"); !strings.Contains(err, "revoked") {
		t.Fatalf("codes of a revoked phone badge: %q", err)
	}
}

// fails runs a centrald command that must fail and returns its stderr.
func (c *central) fails(args ...string) string {
	c.t.Helper()
	cmd := exec.Command(c.bin, append(append([]string{}, args[:2]...), append([]string{"--data", c.data}, args[2:]...)...)...)
	out, err := cmd.CombinedOutput()
	if err == nil {
		c.t.Fatalf("centrald %v succeeded: %s", args, out)
	}
	return string(out)
}
