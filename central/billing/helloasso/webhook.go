package helloasso

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
)

// SignatureHeader holds the HMAC-SHA256 (lowercase hex) of a
// notification's raw body, keyed with the signatureKey HelloAsso returned
// when the notification URL was set (partners only, for now).
const SignatureHeader = "x-ha-signature"

// MaxNotificationSize bounds a notification's body.
const MaxNotificationSize = 1 << 20

// Sign returns the signature of body under key, as HelloAsso computes it.
func Sign(key string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature reports whether header is the signature of the raw body
// under key, in constant time.
func VerifySignature(key string, body []byte, header string) bool {
	got := strings.ToLower(strings.TrimSpace(header))
	return got != "" && hmac.Equal([]byte(Sign(key, body)), []byte(got))
}

// Notification is what Badgeuse keeps of a notification: its type and
// the order to read back from the API. Nothing else of the body is
// trusted.
type Notification struct {
	EventType string // Order, Payment, Form, Organization
	OrderID   int64  // 0 when it is about no order (Form, Organization)
	PaymentID int64  // for Payment notifications
}

// ErrBadNotification is returned for bodies that are not a HelloAsso
// notification.
var ErrBadNotification = errors.New("helloasso: not a notification")

// id reads an id written as a JSON number or a string of digits.
type id int64

func (v *id) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	if len(b) == 0 || string(b) == "null" {
		*v = 0
		return nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("invalid id %q", b)
	}
	*v = id(n)
	return nil
}

// DecodeNotification reads a notification leniently: unknown fields are
// ignored, and only eventType and the ids are read. Order notifications
// carry the order in data; Payment notifications the payment, with its
// order in data.order.
func DecodeNotification(body []byte) (*Notification, error) {
	var env struct {
		EventType string          `json:"eventType"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadNotification, err)
	}
	n := &Notification{EventType: strings.TrimSpace(env.EventType)}
	if n.EventType == "" || len(n.EventType) > 50 {
		return nil, fmt.Errorf("%w: no eventType", ErrBadNotification)
	}
	switch strings.ToLower(n.EventType) {
	case "order":
		var d struct {
			ID id `json:"id"`
		}
		if err := json.Unmarshal(env.Data, &d); err != nil || d.ID <= 0 {
			return nil, fmt.Errorf("%w: Order without data.id", ErrBadNotification)
		}
		n.EventType, n.OrderID = "Order", int64(d.ID)
	case "payment":
		var d struct {
			ID    id `json:"id"`
			Order *struct {
				ID id `json:"id"`
			} `json:"order"`
		}
		if err := json.Unmarshal(env.Data, &d); err != nil || d.Order == nil || d.Order.ID <= 0 {
			return nil, fmt.Errorf("%w: Payment without data.order.id", ErrBadNotification)
		}
		n.EventType, n.OrderID, n.PaymentID = "Payment", int64(d.Order.ID), int64(d.ID)
	}
	return n, nil
}

// Webhook receives HelloAsso's notifications (POST /hooks/helloasso). It
// limits the notifications of each source address (SourceBurst,
// SourceEvery: 429 beyond), checks the signature when a signature key is
// set, decodes the body, and queues the reading back of the order (topic
// central.TopicPaymentOrder), which the billing worker carries out with
// retries: an outage of HelloAsso's API delays a payment, never loses it.
// An order has one message, however many notifications name it, and is
// read at most once per OrderEvery (central.PaymentNoticeQueue). It
// answers 200 once the request is stored (or already was), 401 for a bad
// signature, 400 for a body that is not a notification, 503 when
// MaxWaitingOrders orders already wait.
//
// Served at billing.SpaceWebhookPattern (the path's {space} an id), it
// receives a space's own organisation's notifications (issue 14): checked
// with that space's signature key, and read back with its credentials
// (central.PaymentNotice.Space); 404 for a space without a HelloAsso
// organisation of its own.
type Webhook struct {
	Settings central.SettingsService // read at each request: no restart to change the key
	// Spaces finds the space of a space's webhook (nil: none served).
	Spaces interface {
		FindSpaces(ctx context.Context) ([]*central.Space, error)
	}
	Orders central.PaymentNoticeQueue
	// Kick, when set, wakes the worker that reads orders back.
	Kick   func()
	Logger *slog.Logger
	// TrustProxy takes the source address from the last X-Forwarded-For
	// hop (set it only behind a reverse proxy that sets it).
	TrustProxy bool
	// Now returns the current time; tests replace it.
	Now func() time.Time

	limitOnce sync.Once
	limit     *limiter
}

func (h *Webhook) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

func (h *Webhook) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// ServeHTTP implements http.Handler.
func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h.limitOnce.Do(func() { h.limit = newLimiter(SourceBurst, SourceEvery, MaxSources) })
	source := sourceOf(r, h.TrustProxy)
	if !h.limit.allow(source, h.now()) {
		w.Header().Set("Retry-After", strconv.Itoa(int(SourceEvery/time.Second)))
		http.Error(w, "too many notifications", http.StatusTooManyRequests)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxNotificationSize))
	if err != nil {
		http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	ctx := r.Context()
	set, err := h.Settings.Settings(ctx)
	if err != nil {
		h.logger().Error("helloasso webhook: settings", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var space int64
	if ref := r.PathValue("space"); ref != "" {
		sp, err := h.space(ctx, ref)
		if err != nil {
			h.logger().Error("helloasso webhook: spaces", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		if sp == nil {
			h.logger().Warn("helloasso webhook: no space of that id has a HelloAsso organisation of its own", "remote", source)
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		space, set = sp.ID, sp.Apply(set) // its own signature key
	}
	if key := billing.HelloAssoFrom(set).SignatureKey; key != "" && !VerifySignature(key, body, r.Header.Get(SignatureHeader)) {
		h.logger().Warn("helloasso webhook: bad or missing signature", "remote", source, "space", space)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	n, err := DecodeNotification(body)
	if err != nil {
		h.logger().Warn("helloasso webhook: not a notification", "remote", source, "err", err)
		http.Error(w, "not a HelloAsso notification", http.StatusBadRequest)
		return
	}
	if n.OrderID == 0 {
		h.logger().Info("helloasso webhook: ignored", "event", n.EventType)
		io.WriteString(w, "ignored\n")
		return
	}
	res, err := h.Orders.QueuePaymentNotice(ctx, central.PaymentNotice{Source: central.SourceHelloAsso,
		Order: strconv.FormatInt(n.OrderID, 10), Event: n.EventType, Space: space}, OrderEvery, MaxWaitingOrders)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// Its request ended while it waited for the writers' turn
		// (central/sqlstore): nothing stored; HelloAsso sends it again.
		h.logger().Warn("helloasso webhook: notification not stored in time", "order", n.OrderID, "err", err)
		w.Header().Set("Retry-After", "5")
		http.Error(w, "busy, try again", http.StatusServiceUnavailable)
		return
	}
	if err != nil {
		h.logger().Error("helloasso webhook: outbox", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if res == central.NoticeFull {
		h.logger().Warn("helloasso webhook: too many orders wait to be read back; notification refused",
			"event", n.EventType, "order", n.OrderID, "remote", source)
		w.Header().Set("Retry-After", "60")
		http.Error(w, "too many notifications waiting", http.StatusServiceUnavailable)
		return
	}
	h.logger().Info("helloasso webhook: notification", "event", n.EventType, "order", n.OrderID, "space", space,
		"duplicate", res == central.NoticeDuplicate)
	if res == central.NoticeQueued && h.Kick != nil {
		h.Kick()
	}
	io.WriteString(w, "ok\n")
}

// space returns the space of a space webhook's path (its id), nil when no
// space of that id keeps a HelloAsso organisation of its own.
func (h *Webhook) space(ctx context.Context, ref string) (*central.Space, error) {
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil || id <= 0 || h.Spaces == nil {
		return nil, nil
	}
	all, err := h.Spaces.FindSpaces(ctx)
	if err != nil {
		return nil, err
	}
	if sp := central.SpaceByID(all, id); sp.OwnBooks(central.BooksHelloAsso) {
		return sp, nil
	}
	return nil, nil
}
