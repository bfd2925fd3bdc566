package helloasso_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
	"github.com/badgeuse/badgeuse/central/billing/helloasso/helloassotest"
)

// settings is an in-memory central.SettingsService.
type settings struct {
	mu sync.Mutex
	m  central.Settings
}

func (s *settings) Settings(context.Context) (central.Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := central.Settings{}
	for k, v := range s.m {
		c[k] = v
	}
	return c, nil
}

func (s *settings) SetSetting(_ context.Context, k, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = v
	return nil
}

// queue is an in-memory central.PaymentNoticeQueue whose messages never
// finish.
type queue struct {
	mu   sync.Mutex
	msgs []central.OutboxMessage
}

func (q *queue) QueuePaymentNotice(_ context.Context, n central.PaymentNotice, _ time.Duration, maxWaiting int) (central.NoticeResult, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	msg := central.PaymentNoticeMessage(n)
	for _, m := range q.msgs {
		if m.Key == msg.Key {
			return central.NoticeDuplicate, nil
		}
	}
	if len(q.msgs) >= maxWaiting {
		return central.NoticeFull, nil
	}
	q.msgs = append(q.msgs, msg)
	return central.NoticeQueued, nil
}

func (q *queue) messages() []central.OutboxMessage {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]central.OutboxMessage(nil), q.msgs...)
}

func TestWebhook(t *testing.T) {
	ha := helloassotest.NewServer(t)
	ha.PutOrder(helloassotest.NewOrder(777, "carte-10", "Carte 10 entrées", 12000, "alice@example.org", "Alice", "Martin"))
	set := &settings{m: central.Settings{}}
	box := &queue{}
	var kicks atomic.Int32
	hook := &helloasso.Webhook{Settings: set, Orders: box, Kick: func() { kicks.Add(1) }}
	srv := httptest.NewServer(hook)
	defer srv.Close()

	send := func(body []byte, sig string) int {
		t.Helper()
		status, err := helloassotest.Send(srv.URL, body, sig, nil)
		if err != nil {
			t.Fatal(err)
		}
		return status
	}
	order := ha.Notification("Order", 777)

	t.Run("UnsignedWithoutKey", func(t *testing.T) {
		if status := send(order, ""); status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
		msgs := box.messages()
		if len(msgs) != 1 || msgs[0].Topic != central.TopicPaymentOrder {
			t.Fatalf("messages %+v", msgs)
		}
		var n central.PaymentNotice
		if err := json.Unmarshal([]byte(msgs[0].Payload), &n); err != nil || n.Order != "777" || n.Source != "helloasso" || n.Event != "Order" {
			t.Fatalf("notice %+v %v", n, err)
		}
	})
	t.Run("DuplicateDeliveryIsOneMessage", func(t *testing.T) {
		if status := send(order, ""); status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
		if n := len(box.messages()); n != 1 {
			t.Fatalf("%d messages, want 1", n)
		}
		if k := kicks.Load(); k != 1 {
			t.Fatalf("%d kicks, want 1", k)
		}
	})
	t.Run("PaymentNotificationOfTheSameOrder", func(t *testing.T) {
		if status := send(ha.Notification("Payment", 777), ""); status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
		// The order is already waiting to be read back: one message
		// per order, whatever the notifications.
		if n := len(box.messages()); n != 1 {
			t.Fatalf("%d messages, want 1", n)
		}
	})
	t.Run("SignatureChecked", func(t *testing.T) {
		set.SetSetting(context.Background(), billing.SettingHelloAssoSignatureKey, "sig-key")
		ha.SignatureKey = "sig-key"
		ha.PutOrder(helloassotest.NewOrder(778, "carte-10", "Carte 10 entrées", 12000, "alice@example.org", "Alice", "Martin"))
		body := ha.Notification("Order", 778) // another order: not a duplicate
		before := len(box.messages())
		for name, sig := range map[string]string{"Missing": "", "Wrong": helloasso.Sign("other-key", body),
			"OfOtherBody": helloasso.Sign("sig-key", order)} {
			if status := send(body, sig); status != http.StatusUnauthorized {
				t.Fatalf("%s signature: status %d, want 401", name, status)
			}
		}
		if n := len(box.messages()); n != before {
			t.Fatalf("forged notifications stored: %d messages, want %d", n, before)
		}
		if status := send(body, helloasso.Sign("sig-key", body)); status != http.StatusOK {
			t.Fatalf("signed: status %d", status)
		}
		if n := len(box.messages()); n != before+1 {
			t.Fatalf("%d messages, want %d", n, before+1)
		}
	})
	t.Run("ErrNotANotification", func(t *testing.T) {
		set.SetSetting(context.Background(), billing.SettingHelloAssoSignatureKey, "")
		if status := send([]byte(`{"hello":"world"}`), ""); status != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", status)
		}
	})
	t.Run("FormEventIgnored", func(t *testing.T) {
		before := len(box.messages())
		if status := send([]byte(`{"eventType":"Form","data":{"formSlug":"x"}}`), ""); status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
		if n := len(box.messages()); n != before {
			t.Fatalf("form notification stored")
		}
	})
	t.Run("ErrMethod", func(t *testing.T) {
		c := &http.Client{Timeout: 5 * time.Second}
		resp, err := c.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
}

// lateQueue is a central.PaymentNoticeQueue whose writers' turn never
// comes before the request ends.
type lateQueue struct{}

func (lateQueue) QueuePaymentNotice(ctx context.Context, _ central.PaymentNotice, _ time.Duration, _ int) (central.NoticeResult, error) {
	return 0, fmt.Errorf("begin: waiting for the writers' turn: %w", context.DeadlineExceeded)
}

// TestWebhookNotStoredInTime: a notification whose request ended while it
// waited for the store stored nothing and is answered 503 with
// Retry-After (HelloAsso sends it again), not 500.
func TestWebhookNotStoredInTime(t *testing.T) {
	ha := helloassotest.NewServer(t)
	ha.PutOrder(helloassotest.NewOrder(777, "carte-10", "Carte 10 entrées", 12000, "alice@example.org", "Alice", "Martin"))
	srv := httptest.NewServer(&helloasso.Webhook{Settings: &settings{m: central.Settings{}}, Orders: lateQueue{}})
	defer srv.Close()
	resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(ha.Notification("Order", 777)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q: want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}
