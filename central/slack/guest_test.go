package slack_test

import (
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// guestPass issues a pass of today for a guest of host.
func (f *fixture) guestPass(host int64, name string) *central.GuestPass {
	f.t.Helper()
	g := &central.GuestPass{Host: host, Name: name, Day: access.DayOf(time.Now(), access.Paris), Space: "Badgeuse"}
	if err := sqlstore.NewGuestService(f.db.DB).IssueGuestPass(f.ctx, g, 0); err != nil {
		f.t.Fatal(err)
	}
	return g
}

func guestEntry(g *central.GuestPass, at time.Time) *central.Entry {
	return &central.Entry{Member: g.Host, KioskTime: at, Accept: true, Reason: access.OKGuest, Badge: badge.GuestHash(uint32(g.ID))}
}

// TestGuestArrival: a guest's entry is announced with her host, "Léa
// (invitée de Marc)", once per pass however often she scans; in English
// with slack.language en; a host who opted out of Slack is not named; a
// webhook (Mattermost) gets the names escaped as Markdown.
func TestGuestArrival(t *testing.T) {
	f := newFixture(t)
	marc := f.member("Marc Dupont", "", 10)
	now := time.Now()
	lea := f.guestPass(marc, "Léa Martin")
	f.push(f.kiosk, guestEntry(lea, now.Add(-2*time.Minute)))
	f.push(f.kiosk, guestEntry(lea, now.Add(-time.Minute))) // she scans again
	f.serve(f.worker())
	f.drain(drainWait)
	msgs := f.fake.Messages(chanArrivals)
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0].Text, "☕ Léa Martin (invitée de Marc Dupont) est arrivé·e (") {
		t.Fatalf("posts: %v", texts(msgs))
	}

	f.setting("slack.language", "en")
	paul := f.guestPass(marc, "Paul")
	f.push(f.kiosk, guestEntry(paul, now))
	f.drain(drainWait)
	if msgs := f.fake.Messages(chanArrivals); len(msgs) != 2 || !strings.HasPrefix(msgs[1].Text, "☕ Paul (guest of Marc Dupont) est arrivé·e (") {
		t.Fatalf("posts in English: %v", texts(msgs))
	}

	f.setting("slack.language", "fr")
	out := true
	if _, err := f.members.UpdateMember(f.ctx, marc, central.MemberUpdate{SlackOptOut: &out}); err != nil {
		t.Fatal(err)
	}
	zoe := f.guestPass(marc, "Zoé")
	f.push(f.kiosk, guestEntry(zoe, now))
	f.drain(drainWait)
	if msgs := f.fake.Messages(chanArrivals); len(msgs) != 3 || !strings.HasPrefix(msgs[2].Text, "☕ Zoé (invitée) est arrivé·e (") {
		t.Fatalf("a host who opted out: %v", texts(msgs))
	}

	f.setting("slack.token", "")
	f.setting("slack.webhook_url", f.fake.WebhookURL())
	in := false
	if _, err := f.members.UpdateMember(f.ctx, marc, central.MemberUpdate{SlackOptOut: &in}); err != nil {
		t.Fatal(err)
	}
	eve := f.guestPass(marc, "Eve *bold*")
	f.push(f.kiosk, guestEntry(eve, now))
	f.drain(drainWait)
	if msgs := f.fake.Messages("webhook"); len(msgs) != 1 || !strings.HasPrefix(msgs[0].Text, `☕ Eve \*bold\* (invitée de Marc Dupont) est arrivé·e (`) {
		t.Fatalf("webhook posts: %v", texts(msgs))
	}
}
