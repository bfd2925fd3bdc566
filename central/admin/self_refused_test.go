package admin_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// TestSelfRefusedShown: the welcome e-mail says "red: the kiosk could not
// let you in: your page says why". Her page now says it: her latest
// refusal of the last days, its reason, when and at which door, in her
// language; an old one is not shown.
func TestSelfRefusedShown(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "")
	_, bt := c.member("Bob Durand", "")
	card, _, err := e.badges.IssueBadge(e.ctx(), alice, false)
	if err != nil {
		t.Fatal(err)
	}
	refuse := func(seq int64, when time.Time, reason access.Reason) {
		t.Helper()
		now := e.clock.Now()
		if _, err := e.sync.Push(e.ctx(), &central.Push{Kiosk: c.kiosk, Received: now, SentAt: now, Entries: []*central.Entry{
			{ID: fmt.Sprintf("0190b2a0-0000-7000-8000-%012d", 900+seq), Seq: 100 + seq,
				Member: alice, Badge: card.Hash, KioskTime: when, Accept: false, Reason: reason},
		}}); err != nil {
			t.Fatal(err)
		}
	}
	now := e.clock.Now()
	refuse(1, now.Add(-10*24*time.Hour), access.MemberIsSuspended) // too old to matter
	me := e.client()
	_, body := me.get("/m/" + at)
	if strings.Contains(body, "Dernier refus") || strings.Contains(body, "Membre suspendu") {
		t.Errorf("a refusal of ten days ago is shown:\n%s", body)
	}
	refuse(2, now.Add(-time.Hour), access.NoEntriesLeft)
	resp, body := me.get("/m/" + at)
	mustStatus(t, resp, http.StatusOK)
	when := now.Add(-time.Hour).In(access.Paris).Format("02/01/2006 15:04")
	mustContain(t, body, "Dernier refus à la porte", "Plus d’entrées", when, "Porte")
	me.get("/lang/en?next=/m/" + at)
	_, body = me.get("/m/" + at)
	mustContain(t, body, "Last refusal at the door", "No entries left", now.Add(-time.Hour).In(access.Paris).Format("2006-01-02 15:04"))
	// A guest of hers refused (her pass for another day) is not hers.
	now2 := e.clock.Now()
	if _, err := e.sync.Push(e.ctx(), &central.Push{Kiosk: c.kiosk, Received: now2, SentAt: now2, Entries: []*central.Entry{
		{ID: "0190b2a0-0000-7000-8000-000000000999", Seq: 999, Member: alice, Badge: badge.GuestHash(7),
			KioskTime: now2.Add(-time.Minute), Accept: false, Reason: access.ExpiredCode},
	}}); err != nil {
		t.Fatal(err)
	}
	_, body = me.get("/m/" + at)
	mustContain(t, body, "No entries left")
	// A door of another space refuses her card without knowing her
	// (not_valid_here, no member in the entry): her page says it too.
	if _, err := e.sync.Push(e.ctx(), &central.Push{Kiosk: c.kiosk, Received: now2, SentAt: now2, Entries: []*central.Entry{
		{ID: "0190b2a0-0000-7000-8000-000000000998", Seq: 998, Badge: card.Hash,
			KioskTime: now2.Add(-30 * time.Second), Accept: false, Reason: access.NotValidHere},
	}}); err != nil {
		t.Fatal(err)
	}
	_, body = me.get("/m/" + at)
	mustContain(t, body, "Last refusal at the door: Pass not valid at this space")
	// Bob was never refused: nothing.
	_, body = e.client().get("/m/" + bt)
	if strings.Contains(body, "Dernier refus") {
		t.Error("Bob's page shows a refusal")
	}
}
