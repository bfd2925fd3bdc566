package slack_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/slack"
	"github.com/badgeuse/badgeuse/central/slack/slacktest"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// TestPermanentErrors: a bad token or a wrong channel posts nothing
// publicly, gives up at once with Slack's error kept for the admin, and a
// fixed setting is followed without a restart.
func TestPermanentErrors(t *testing.T) {
	f := newFixture(t)
	f.fake.AddChannel("C0000OUTSIDE", false)
	f.fake.AddChannel("C0000ARCHIVE", true)
	f.fake.ArchiveChannel("C0000ARCHIVE")
	f.serve(f.worker())
	now := time.Now()
	for _, tc := range []struct{ key, value, want string }{
		{"slack.token", "xoxb-revoked-or-wrong", "invalid_auth"},
		{"slack.channel", "C0000UNKNOWN", "channel_not_found"},
		{"slack.channel", "C0000OUTSIDE", "not_in_channel"},
		{"slack.channel", "C0000ARCHIVE", "is_archived"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			old := map[string]string{"slack.token": slacktest.Token, "slack.channel": chanArrivals}[tc.key]
			f.setting(tc.key, tc.value)
			m := f.member("Alice "+tc.want, "", 10)
			calls := f.fake.Calls("chat.postMessage")
			f.push(f.kiosk, accepted(m, now.Add(-time.Minute)))
			f.drain(drainWait)
			failed := f.items(central.OutcomeFailed)
			if len(failed) == 0 {
				t.Fatal("nothing failed")
			}
			it := failed[len(failed)-1]
			if !strings.Contains(it.Error, tc.want) || it.Attempts != 1 {
				t.Fatalf("failed message %+v: want error %s after one attempt", it, tc.want)
			}
			if n := f.fake.Calls("chat.postMessage") - calls; n != 1 {
				t.Fatalf("%d posts tried, want 1 (permanent errors are not retried)", n)
			}
			if len(f.fake.Messages(chanArrivals)) != 0 {
				t.Fatal("something was posted")
			}
			// Fixed while running, then sent again from the admin.
			f.setting(tc.key, old)
			if err := f.outbox.RequeueOutbox(f.ctx, it.ID); err != nil {
				t.Fatal(err)
			}
			f.drain(drainWait)
			msgs := f.fake.Messages(chanArrivals)
			if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "Alice "+tc.want) {
				t.Fatalf("after the fix: %v", texts(msgs))
			}
			f.fake.ClearFaults()
			f.fake.AddChannel(chanArrivals, true) // empty it
		})
	}
}

// TestBalanceMessages: a 3-entry card used on three days makes direct
// messages at 2, 1 and 0 entries left, with the link to buy more; members
// Slack does not know, or without an e-mail, get nothing.
func TestBalanceMessages(t *testing.T) {
	f := newFixture(t)
	f.setting("slack.buy_url", "https://www.helloasso.com/associations/cowork/boutiques/cartes")
	f.fake.AddUser("alice@example.org", "U0ALICE")
	alice := f.member("Alice Martin", "alice@example.org", 3)
	bob := f.member("Bob Durand", "bob@example.org", 2) // no Slack account
	carol := f.member("Carol Petit", "", 1)             // no e-mail
	dan := f.member("Dan Roux", "dan@example.org", 10)  // far from empty
	now := time.Now()
	for d := 2; d >= 0; d-- {
		at := now.Add(-time.Duration(d) * 24 * time.Hour)
		f.push(f.kiosk, accepted(alice, at), accepted(dan, at))
	}
	f.push(f.kiosk, accepted(bob, now), accepted(carol, now))
	f.serve(f.worker())
	f.drain(drainWait)

	im := f.fake.IMChannel("U0ALICE")
	dms := f.fake.Messages(im)
	want := []string{"2", "1", "0"}
	if im == "" || len(dms) != 3 {
		t.Fatalf("direct messages: %v", texts(dms))
	}
	for i, m := range dms {
		if !strings.HasPrefix(m.Text, "Bonjour Alice ! Il te reste "+want[i]+" entrée(s) sur ta carte à Badgeuse.") ||
			!strings.HasSuffix(m.Text, "Pour en racheter : https://www.helloasso.com/associations/cowork/boutiques/cartes") {
			t.Errorf("DM %d: %q", i, m.Text)
		}
	}
	if n := f.fake.Calls("users.lookupByEmail"); n != 2 {
		t.Errorf("%d lookups, want 2 (Alice once, cached; Bob once)", n)
	}
	var skipped []string
	for _, it := range f.items(central.OutcomeSkipped) {
		skipped = append(skipped, it.Error)
	}
	if strings.Join(skipped, "|") != "no Slack user has the member's e-mail address|the member has no e-mail address" {
		t.Fatalf("skipped: %q", skipped)
	}
	// Only today's arrivals are announced: the others came in late.
	if n := len(f.fake.Messages(chanArrivals)); n != 4 {
		t.Fatalf("%d arrival posts, want 4 (today's)", n)
	}
}

// TestBureauAlerts: an overdraft after offline use, a revoked badge shown
// again and again, a silent kiosk and an unmatched payment each post once
// to the bureau's channel.
func TestBureauAlerts(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	alice := f.member("Alice Martin", "", 1)
	bob := f.member("Bob Durand", "", 10)
	// Two kiosks accepted Alice's last entry on two days, offline.
	other := f.newKiosk("cuisine")
	f.push(f.kiosk, accepted(alice, now.Add(-24*time.Hour)))
	f.push(other, accepted(alice, now.Add(-time.Minute)))
	// Bob's old badge, revoked, refused three times today (seconds apart:
	// minutes apart, the first was yesterday when the test ran just after
	// midnight in Paris).
	old := badge.Hash{0xab, 0xcd}
	for i := range 3 {
		f.push(f.kiosk, refused(bob, now.Add(time.Duration(i-3)*time.Second), access.RevokedBadge, old))
	}
	// An unknown badge, many times: not an alert.
	for range 4 {
		f.push(f.kiosk, refused(0, now.Add(-time.Minute), access.UnknownBadge, badge.Hash{7}))
	}
	// A payment nobody matches (billing enqueues it).
	p := &central.Payment{Source: "helloasso", ExternalRef: "123", PayerName: "Eve Blanc", Amount: 9000,
		ItemName: "Carte 10 entrées", Reason: central.ReasonNoMember}
	if _, err := f.outbox.EnqueueOutbox(f.ctx, slack.React(central.UnmatchedPayment{Payment: p}, nil)[0]); err != nil {
		t.Fatal(err)
	}
	w := f.worker()
	// The monitor runs now (the refusals of today), then once the kiosks
	// fell silent, 31 minutes later (which may be tomorrow in Paris: the
	// test ran at 23:34 once); each twice: still one alert each.
	for _, later := range []time.Duration{0, 31 * time.Minute} {
		w.Now = func() time.Time { return time.Now().Add(later) }
		for range 2 {
			if err := w.Monitor(f.ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.serve(w)
	f.drain(drainWait)
	got := texts(f.fake.Messages(chanBureau))
	for _, want := range []string{
		"⚠️ Alice Martin est entré·e le ",
		"🚫 Un badge révoqué de Bob Durand a été présenté 3 fois aujourd'hui (dernière fois : porte).",
		"📵 La borne « porte » ne donne plus de nouvelles",
		"📵 La borne « cuisine » ne donne plus de nouvelles",
		"💶 Paiement sans membre : Eve Blanc, 90 € (Carte 10 entrées, aucun membre avec cet e-mail).",
	} {
		n := 0
		for _, g := range got {
			if strings.HasPrefix(g, want) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d alerts starting %q, want 1; got:\n%s", n, want, strings.Join(got, "\n"))
		}
	}
	if len(got) != 5 {
		t.Fatalf("%d alerts, want 5:\n%s", len(got), strings.Join(got, "\n"))
	}

	// Without a bureau channel, nothing is queued.
	f.setting("slack.bureau_channel", "")
	w.Now = func() time.Time { return time.Now().Add(48 * time.Hour) }
	before := len(f.items(""))
	if err := w.Monitor(f.ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(f.items("")); n != before {
		t.Fatalf("%d messages queued without a bureau channel", n-before)
	}
}

// TestDigest: at the set time, one post lists who came today, in order,
// without those who opted out; once a day.
func TestDigest(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	day := access.DayOf(now, access.Paris)
	// The day's start in Paris: entries between it and now are "today".
	start := day.Start(access.Paris)
	at := func(frac float64) time.Time { return start.Add(time.Duration(float64(now.Sub(start)) * frac)) }
	bob := f.member("Bob Durand", "", 10)
	alice := f.member("Alice Martin", "", 10)
	shy := f.member("Discrète", "", 10)
	if _, err := f.members.UpdateMember(f.ctx, shy, central.MemberUpdate{SlackOptOut: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	f.push(f.kiosk, accepted(alice, at(0.2)), accepted(shy, at(0.3)), accepted(bob, at(0.4)))
	f.setting("slack.digest_time", "00:00")
	w := f.worker()
	for range 2 {
		if err := w.Monitor(f.ctx); err != nil {
			t.Fatal(err)
		}
	}
	f.serve(w)
	f.drain(drainWait)
	var digests []string
	for _, m := range f.fake.Messages(chanArrivals) {
		if strings.HasPrefix(m.Text, "📋") {
			digests = append(digests, m.Text)
		}
	}
	if len(digests) != 1 || digests[0] != "📋 Aujourd'hui à Badgeuse : Alice Martin, Bob Durand (2)" {
		t.Fatalf("digests: %q", digests)
	}
}

// TestWebhookMode: with only a webhook (Slack or Mattermost), arrivals go
// there as plain text; direct messages and alerts, which need a token, are
// skipped with the reason; a webhook error is shown as the webhook said it.
func TestWebhookMode(t *testing.T) {
	f := newFixture(t)
	f.setting("slack.token", "")
	f.setting("slack.webhook_url", f.fake.WebhookURL())
	f.fake.AddUser("alice@example.org", "U0ALICE")
	alice := f.member("Alice <Martin> & co", "alice@example.org", 3)
	f.push(f.kiosk, accepted(alice, time.Now().Add(-time.Minute)))
	f.serve(f.worker())
	f.drain(drainWait)
	msgs := f.fake.Messages("webhook")
	// Not a hooks.slack.com address: Mattermost reads Markdown, escaped as such.
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0].Text, `☕ Alice \<Martin\> \& co est arrivé·e (`) {
		t.Fatalf("webhook posts: %v", texts(msgs))
	}
	skipped := f.items(central.OutcomeSkipped)
	if len(skipped) != 1 || skipped[0].Topic != slack.TopicBalance || !strings.Contains(skipped[0].Error, "bot token") {
		t.Fatalf("skipped: %+v", skipped)
	}

	f.setting("slack.webhook_url", f.fake.URL+"/services/T0001/B0001/deleted")
	bob := f.member("Bob Durand", "", 10)
	f.push(f.kiosk, accepted(bob, time.Now().Add(-time.Minute)))
	f.drain(drainWait)
	failed := f.items(central.OutcomeFailed)
	if len(failed) != 1 || failed[0].Error != "slack: no_service (HTTP 404)" {
		t.Fatalf("failed: %+v", failed)
	}
}

// TestEscaping: names cannot inject markup (mentions, links, emphasis)
// into a post, neither Slack's mrkdwn through the API nor Mattermost's
// Markdown through a webhook (issue 10, item 13).
func TestEscaping(t *testing.T) {
	f := newFixture(t)
	m := f.member("<!channel> Eve & <https://evil|x>", "", 10)
	f.push(f.kiosk, accepted(m, time.Now().Add(-time.Minute)))
	f.serve(f.worker())
	f.drain(drainWait)
	msgs := f.fake.Messages(chanArrivals)
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0].Text, "☕ &lt;!channel&gt; Eve &amp; &lt;https://evil|x&gt; est arrivé·e") {
		t.Fatalf("posted %v", texts(msgs))
	}

	hostile := []string{"@channel", "<!here>", "*bold* _x_ [a](http://x)", "@here ~town-square `code` # Titre", `a\*b`}
	for _, name := range hostile {
		f.push(f.kiosk, accepted(f.member(name, "", 10), time.Now().Add(-time.Minute)))
	}
	f.drain(drainWait)
	msgs = f.fake.Messages(chanArrivals)[1:]
	if len(msgs) != len(hostile) {
		t.Fatalf("Slack got %v, want %d posts", texts(msgs), len(hostile))
	}
	for i, msg := range msgs {
		name := strings.TrimSuffix(strings.TrimPrefix(msg.Text, "☕ "), msg.Text[strings.Index(msg.Text, " est arrivé·e"):])
		if bad := slackMarkup(name); bad != "" {
			t.Errorf("Slack post %q: the name %q reads as %s", msg.Text, hostile[i], bad)
		}
		if got := slackPlain(name); got != hostile[i] {
			t.Errorf("Slack post %q shows the name as %q, want %q", msg.Text, got, hostile[i])
		}
	}

	f.setting("slack.token", "")
	f.setting("slack.webhook_url", f.fake.WebhookURL()) // not hooks.slack.com: Mattermost
	for _, name := range hostile {
		f.push(f.kiosk, accepted(f.member(name, "", 10), time.Now().Add(-time.Minute)))
	}
	f.drain(drainWait)
	msgs = f.fake.Messages("webhook")
	if len(msgs) != len(hostile) {
		t.Fatalf("Mattermost got %v, want %d posts", texts(msgs), len(hostile))
	}
	for i, msg := range msgs {
		name := strings.TrimSuffix(strings.TrimPrefix(msg.Text, "☕ "), msg.Text[strings.Index(msg.Text, " est arrivé·e"):])
		if bad := markdownMarkup(name); bad != "" {
			t.Errorf("Mattermost post %q: the name %q reads as %s", msg.Text, hostile[i], bad)
		}
		if got := markdownPlain(name); got != hostile[i] {
			t.Errorf("Mattermost post %q shows the name as %q, want %q", msg.Text, got, hostile[i])
		}
	}
}

const zwj = "\u200d"

// slackMarkup says what Slack would read as markup in text: a <...>
// sequence (links, <!channel>, <@U123>) or an @-mention ("" when none).
func slackMarkup(text string) string {
	if strings.ContainsAny(text, "<>") {
		return "a <...> link or mention"
	}
	if mention(text, "@") {
		return "an @-mention"
	}
	return ""
}

// slackPlain is the text Slack shows for text.
func slackPlain(text string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", zwj, "").Replace(text)
}

// markdownMarkup says what Mattermost would read as markup in text: an
// unescaped Markdown special, or a mention of a person or a channel.
func markdownMarkup(text string) string {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\\':
			i++ // escaped: shown as itself
		case strings.IndexByte("`*_[]()#<>!|~&:", c) >= 0:
			return fmt.Sprintf("Markdown (unescaped %q at %d)", c, i)
		}
	}
	if mention(text, "@~") {
		return "a mention"
	}
	return ""
}

// mention reports one of marks directly followed by a letter: a mention
// of a person (@) or, in Mattermost, of a channel (~).
func mention(text, marks string) bool {
	for i := 0; i+1 < len(text); i++ {
		if c := text[i+1]; strings.IndexByte(marks, text[i]) >= 0 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return true
		}
	}
	return false
}

// markdownPlain is the text CommonMark shows for text (backslash escapes).
func markdownPlain(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == '\\' && i+1 < len(text) {
			i++
		}
		b.WriteByte(text[i])
	}
	return strings.ReplaceAll(b.String(), zwj, "")
}

// TestNotify: the admin's "send a test message" shows Slack's answer; the
// worker reports its facts (the admin says them: slack_answers.go).
func TestNotify(t *testing.T) {
	f := newFixture(t)
	f.fake.AddUser("alice@example.org", "U0ALICE")
	f.fake.AddChannel("C0000OUTSIDE", false)
	w := f.worker()
	check := func(target string, want central.NotifyTest) {
		t.Helper()
		r, err := w.TestNotify(f.ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		if r != want {
			t.Fatalf("test %s: %+v, want %+v", target, r, want)
		}
	}
	posted := central.NotifyTest{OK: true, Answer: "ok", PostedBy: "badgeuse", Team: "Badgeuse test"}
	check("channel", posted)
	check("bureau", posted)
	check("alice@example.org", posted)
	check("bob@example.org", central.NotifyTest{Answer: "users_not_found", Code: "users_not_found"})
	f.setting("slack.bureau_channel", "C0000OUTSIDE")
	check("bureau", central.NotifyTest{Answer: "not_in_channel", Code: "not_in_channel"})
	f.setting("slack.channel", "C0000UNKNOWN")
	check("channel", central.NotifyTest{Answer: "channel_not_found", Code: "channel_not_found"})
	f.setting("slack.token", "xoxb-wrong")
	check("channel", central.NotifyTest{Answer: "invalid_auth", Code: "invalid_auth"})
	f.fake.Fail(slacktest.Fault{Method: "conversations.history", Error: "missing_scope"}, 1)
	f.setting("slack.token", slacktest.Token)
	f.setting("slack.channel", chanArrivals)
	unread := posted
	unread.History = "missing_scope"
	check("channel", unread)

	f.setting("slack.webhook_url", f.fake.WebhookURL())
	check("webhook", central.NotifyTest{OK: true, Answer: "ok"})
	f.setting("slack.webhook_url", f.fake.URL+"/services/T0001/B0001/deleted")
	check("webhook", central.NotifyTest{Answer: "HTTP 404: no_service", Code: "no_service", Status: 404})

	if _, err := w.TestNotify(f.ctx, "somewhere"); central.ErrorCode(err) != central.EINVALID {
		t.Fatalf("unknown target: %v", err)
	}
	f.setting("slack.token", "")
	if _, err := w.TestNotify(f.ctx, "channel"); central.ErrorCode(err) != central.EINVALID {
		t.Fatalf("no token: %v", err)
	}
	if n := len(f.fake.Messages(chanArrivals)); n != 2 {
		t.Fatalf("%d test messages in the channel, want 2", n)
	}
}
