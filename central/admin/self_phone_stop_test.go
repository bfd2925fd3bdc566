package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestSelfPhoneBadgeStopped: every tap on « Mon badge sur ce téléphone »
// makes one more phone badge, valid until her link changes, and her page
// listed them with no way to stop one: a phone lost, sold or changed kept
// opening the door until the bureau was asked. Each working phone badge
// on her page now has « Arrêter », which asks first; « Oui, arrêter ce
// badge » revokes that one (journaled as hers), her card and other badges
// kept. Another member's badge, or her printed card, is not found there.
func TestSelfPhoneBadgeStopped(t *testing.T) {
	e := newEnv(t)
	alice, token := aliceWithLink(t, e)
	me := "/m/" + token
	card, _, err := e.badges.IssueBadge(e.ctx(), alice.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	var phones []*central.Badge
	for range 2 {
		b, err := e.badges.IssuePhoneBadge(e.ctx(), alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		phones = append(phones, b)
	}
	bob := &central.Member{Name: "Bob Durand"}
	if err := e.members.CreateMember(e.ctx(), bob); err != nil {
		t.Fatal(err)
	}
	bobs, err := e.badges.IssuePhoneBadge(e.ctx(), bob.ID)
	if err != nil {
		t.Fatal(err)
	}

	c := e.client()
	_, body := c.get(me)
	stop := func(id int64) string { return me + "/phone/" + fmtInt(id) + "/revoke" }
	for _, p := range phones {
		asks := regexp.MustCompile(`<details class="confirm"><summary class="button secondary">Arrêter</summary>\s*<div class="confirm-box"><p>Arrêter le badge Téléphone n° ` +
			fmtInt(p.ID) + `\x{00a0}\?[^<]*</p>\s*<form method="post" action="` + regexp.QuoteMeta(stop(p.ID)) + `">.*?<button type="submit" class="danger">Oui, arrêter ce badge</button>`)
		if !asks.MatchString(body) {
			t.Fatalf("no question to stop phone badge %d on her page:\n%s", p.ID, body)
		}
	}
	if strings.Contains(body, stop(card.ID)) {
		t.Error("her printed card offers « Arrêter » (« Nouvelle carte imprimée » replaces it)")
	}

	// Opening the address changes nothing; without the form's token,
	// nothing either.
	c.get(stop(phones[0].ID))
	resp, _ := c.post(stop(phones[0].ID), url.Values{"_nocsrf": {""}})
	mustStatus(t, resp, http.StatusForbidden)
	// Bob's phone badge and her card are not found from her page.
	c.get(me)
	for _, id := range []int64{bobs.ID, card.ID, 999} {
		resp, _ = c.post(stop(id), nil)
		mustStatus(t, resp, http.StatusNotFound)
	}
	revoked := func(id int64) bool {
		t.Helper()
		bs, _, err := e.badges.FindBadges(e.ctx(), central.BadgeFilter{ID: &id})
		if err != nil || len(bs) != 1 {
			t.Fatalf("badge %d: %v", id, err)
		}
		return bs[0].IsRevoked()
	}
	for _, id := range []int64{phones[0].ID, phones[1].ID, card.ID, bobs.ID} {
		if revoked(id) {
			t.Fatalf("badge %d revoked before she said yes", id)
		}
	}

	resp, _ = c.post(stop(phones[0].ID), nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != me+"?done=phone_stopped#mybadge" {
		t.Errorf("stopped: to %q", loc)
	}
	if !revoked(phones[0].ID) || revoked(phones[1].ID) || revoked(card.ID) || revoked(bobs.ID) {
		t.Error("not only the badge she stopped is revoked")
	}
	_, body = c.get(me + "?done=phone_stopped")
	mustContain(t, body, "Badge de téléphone arrêté", "il n’ouvre plus la porte.")
	if !regexp.MustCompile(`Téléphone n°\s` + fmtInt(phones[0].ID) + ` — <span class="neg">révoqué le`).MatchString(body) {
		t.Errorf("her page does not say the badge is revoked:\n%s", body)
	}
	if strings.Contains(body, stop(phones[0].ID)) {
		t.Error("the stopped badge still offers « Arrêter »")
	}
	evs, _, err := e.cfg.Audit.FindAuditEvents(e.ctx(), central.AuditFilter{Action: "badge.revoke"})
	if err != nil || len(evs) != 1 || evs[0].Actor != "member:"+fmtInt(alice.ID) || evs[0].Object != "member:"+fmtInt(alice.ID) {
		t.Errorf("journal of the stop: %+v %v", evs, err)
	}
	// A double tap: the second answer says the same.
	resp, _ = c.post(stop(phones[0].ID), nil)
	mustStatus(t, resp, http.StatusSeeOther)

	c.get("/lang/en")
	_, body = c.get(me)
	mustContain(t, body, "Stop", "Stop the badge Phone no. "+fmtInt(phones[1].ID)+"?", "Yes, stop this badge")
}
