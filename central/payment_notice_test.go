package central_test

import (
	"context"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// memOutbox is central.NoticeTx over memory.
type memOutbox struct {
	now  time.Time
	msgs []*memMsg
}

type memMsg struct {
	central.OutboxMessage
	done, due time.Time
}

func (m *memOutbox) Now() time.Time { return m.now }
func (m *memOutbox) OutboxMessage(_ context.Context, key string) (int64, time.Time, bool, error) {
	for i, msg := range m.msgs {
		if msg.Key == key {
			return int64(i + 1), msg.done, true, nil
		}
	}
	return 0, time.Time{}, false, nil
}
func (m *memOutbox) CountWaiting(_ context.Context, topic string, limit int) (int, error) {
	n := 0
	for _, msg := range m.msgs {
		if msg.Topic == topic && msg.done.IsZero() && n < limit {
			n++
		}
	}
	return n, nil
}
func (m *memOutbox) InsertOutbox(_ context.Context, msg central.OutboxMessage) error {
	m.msgs = append(m.msgs, &memMsg{OutboxMessage: msg, due: m.now})
	return nil
}
func (m *memOutbox) Requeue(_ context.Context, id int64, payload string, next time.Time) error {
	msg := m.msgs[id-1]
	msg.Payload, msg.done, msg.due = payload, time.Time{}, next
	return nil
}

// TestQueuePaymentNoticeRules: one message per order, ever; left alone
// while it waits; made due again once read, no sooner than every after;
// nothing new once maxWaiting orders wait.
func TestQueuePaymentNoticeRules(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	m := &memOutbox{now: now}
	ctx := context.Background()
	const every, maxWaiting = 10 * time.Minute, 2
	notice := func(order string) central.PaymentNotice {
		return central.PaymentNotice{Source: central.SourceHelloAsso, Order: order, Event: "Order"}
	}
	finish := func(order string, at time.Time) {
		for _, msg := range m.msgs {
			if msg.Key == central.PaymentNoticeMessage(notice(order)).Key {
				msg.done = at
			}
		}
	}
	for _, tt := range []struct {
		name  string
		do    func()
		order string
		want  central.NoticeResult
		due   time.Time // of the order's message, when queued
		code  string
	}{
		{"a new order", nil, "1", central.NoticeQueued, now, ""},
		{"notified again while it waits", nil, "1", central.NoticeDuplicate, now, ""},
		{"another order", nil, "2", central.NoticeQueued, now, ""},
		{"full", nil, "3", central.NoticeFull, time.Time{}, ""},
		{"read 2 minutes ago: due 8 minutes from now", func() { finish("1", now.Add(-2*time.Minute)) }, "1", central.NoticeQueued, now.Add(8 * time.Minute), ""},
		{"read an hour ago: due now", func() { finish("2", now.Add(-time.Hour)) }, "2", central.NoticeQueued, now, ""},
		{"no order", nil, "", 0, time.Time{}, central.EINVALID},
	} {
		if tt.do != nil {
			tt.do()
		}
		n := len(m.msgs)
		got, err := central.QueuePaymentNotice(ctx, m, notice(tt.order), every, maxWaiting)
		if central.ErrorCode(err) != tt.code || got != tt.want {
			t.Errorf("%s: %v %v, want %v %q", tt.name, got, err, tt.want, tt.code)
			continue
		}
		if tt.want == central.NoticeFull && len(m.msgs) != n {
			t.Errorf("%s: stored a message", tt.name)
		}
		if tt.code == "" && tt.want == central.NoticeQueued {
			id, done, found, _ := m.OutboxMessage(ctx, central.PaymentNoticeMessage(notice(tt.order)).Key)
			if !found {
				t.Errorf("%s: no message", tt.name)
			} else if !done.IsZero() || !m.msgs[id-1].due.Equal(tt.due) {
				t.Errorf("%s: message %+v", tt.name, m.msgs[id-1])
			}
		}
	}
	if len(m.msgs) != 2 {
		t.Errorf("%d messages, want one per order", len(m.msgs))
	}
}
