package slack_test

import (
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/slack"
	"github.com/badgeuse/badgeuse/shared/access"
)

// arrivalMessages is what the store queues for an arrival with Slack's
// reaction registered: React on each of the arrival's events.
func arrivalMessages(a central.Arrival) []central.OutboxMessage {
	var out []central.OutboxMessage
	for _, ev := range central.ArrivalEvents(a) {
		out = append(out, slack.React(ev, nil)...)
	}
	return out
}

func TestReactToArrival(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 12, 0, 0, access.Paris)
	arrival := func(edit func(*central.Member, *central.Entry)) central.Arrival {
		m := &central.Member{ID: 7, Name: "Alice Martin", Balance: central.Balance{EntriesLeft: 5}}
		e := &central.Entry{ID: "0193-ABC", Kiosk: 1, Member: 7, Time: at, Received: at.Add(time.Second),
			Accept: true, Reason: access.OKPack}
		if edit != nil {
			edit(m, e)
		}
		return central.Arrival{Member: m, Entry: e, Kiosk: &central.Kiosk{ID: 1, Name: "porte"},
			Visit: &central.Visit{ID: 3, Member: 7, Day: access.DayOf(at, access.Paris)}}
	}
	topics := func(msgs []central.OutboxMessage) string {
		var s []string
		for _, m := range msgs {
			s = append(s, m.Topic)
		}
		return strings.Join(s, ",")
	}
	for _, tc := range []struct {
		name string
		edit func(*central.Member, *central.Entry)
		want string
	}{
		{"Arrival", nil, "slack.arrival"},
		{"OptOut", func(m *central.Member, e *central.Entry) { m.SlackOptOut = true }, ""},
		{"LateKiosk", func(m *central.Member, e *central.Entry) { e.Received = at.Add(3 * time.Hour) }, ""},
		{"ClockUnsure", func(m *central.Member, e *central.Entry) { e.ClockUnsure = true }, ""},
		{"TwoLeft", func(m *central.Member, e *central.Entry) { m.Balance.EntriesLeft = 2 }, "slack.arrival,slack.balance"},
		{"NoneLeft", func(m *central.Member, e *central.Entry) { m.Balance.EntriesLeft = 0 }, "slack.arrival,slack.balance"},
		{"ThreeLeft", func(m *central.Member, e *central.Entry) { m.Balance.EntriesLeft = 3 }, "slack.arrival"},
		{"SubscriptionCovers", func(m *central.Member, e *central.Entry) {
			m.Balance.EntriesLeft, m.Balance.SubscriptionUntil = 1, access.MustDay("2026-12-31")
		}, "slack.arrival"},
		{"SubscriptionEnded", func(m *central.Member, e *central.Entry) {
			m.Balance.EntriesLeft, m.Balance.SubscriptionUntil = 1, access.MustDay("2026-11-25")
		}, "slack.arrival,slack.balance"},
		{"Unlimited", func(m *central.Member, e *central.Entry) { m.Balance.EntriesLeft, m.Balance.Unlimited = 0, true }, "slack.arrival"},
		{"OfflineOverdraft", func(m *central.Member, e *central.Entry) {
			m.Balance.EntriesLeft, m.Balance.Overdraft = -1, 1
		}, "slack.arrival,slack.alert"},
		{"OptOutOverdraftStillAlertsTheBureau", func(m *central.Member, e *central.Entry) {
			m.SlackOptOut, m.Balance.EntriesLeft, m.Balance.Overdraft = true, -1, 1
		}, "slack.alert"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msgs := arrivalMessages(arrival(tc.edit))
			if got := topics(msgs); got != tc.want {
				t.Fatalf("topics %q, want %q", got, tc.want)
			}
			for _, m := range msgs {
				if !strings.HasPrefix(m.Key, m.Topic+":") {
					t.Errorf("key %q does not start with its topic", m.Key)
				}
				p, err := slack.ParsePost(m.Payload)
				if err != nil {
					t.Fatal(err)
				}
				if m.Topic == slack.TopicAlert && strings.Contains(p.Text, "Alice") == arrival(tc.edit).Member.SlackOptOut {
					t.Errorf("alert %q: named %v, opted out %v", p.Text, strings.Contains(p.Text, "Alice"), arrival(tc.edit).Member.SlackOptOut)
				}
				if m.Topic == slack.TopicArrival && (p.Member != 7 || !p.Time.Equal(at)) {
					t.Errorf("arrival payload %+v", p)
				}
			}
		})
	}
	// Keys depend on the entry only: the same arrival twice makes the same keys.
	a, b := arrivalMessages(arrival(nil)), arrivalMessages(arrival(nil))
	if a[0].Key != b[0].Key || a[0].Key != "slack.arrival:0193-abc" {
		t.Fatalf("keys %q %q", a[0].Key, b[0].Key)
	}
}

func TestUnmatchedPaymentAlert(t *testing.T) {
	p := &central.Payment{Source: "helloasso", ExternalRef: "42", PayerName: "Bob Durand", Amount: 9050,
		ItemName: "Carte 10 entrées", Reason: central.ReasonNoMember}
	m := slack.React(central.UnmatchedPayment{Payment: p}, nil)[0]
	post, _ := slack.ParsePost(m.Payload)
	if m.Topic != slack.TopicAlert || m.Key != "slack.alert:payment:helloasso:42" ||
		!strings.Contains(post.Text, "90,50 €") || !strings.Contains(post.Text, "aucun membre") {
		t.Fatalf("alert %+v, text %q", m, post.Text)
	}
}
