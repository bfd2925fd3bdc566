package slack

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/outbox"
	"github.com/badgeuse/badgeuse/shared/backoff"
)

// Outbox is what the worker needs of the outbox.
type Outbox = central.Outbox

// Worker delivers the Slack outbox messages and enqueues the digest and the
// bureau's alerts. Set the fields, then call Serve.
type Worker struct {
	Outbox   Outbox
	Settings central.SettingsService
	Members  central.MemberService
	Entries  central.EntryService
	Kiosks   central.KioskService
	// Calendar, Bookings, Profiles and Spaces are read by the morning
	// digest (morning.go): without Calendar or Bookings it is skipped,
	// without Spaces it is the main space's alone, without Profiles it
	// names nobody. Spaces also gives each space's own channel
	// (Space.SlackChannel): a space's arrivals and digests go there;
	// nil, or a space without one: the setting slack.channel.
	Calendar central.CalendarService
	Bookings central.BookingService
	Profiles central.ProfileService
	Spaces   central.SpaceService
	Logger   *slog.Logger // nil: slog.Default()
	// HTTPClient calls Slack (nil: a client with a 15 s timeout).
	HTTPClient *http.Client

	// Now is the monitor's clock (digest time, kiosk silence); nil: time.Now.
	Now func() time.Time
	// Lease is how long a claimed message is kept from other claims: if
	// centrald dies while sending, the message is retried after it
	// (default 1 min).
	Lease time.Duration
	// Poll is how often an idle queue is looked at (default 1 s).
	Poll time.Duration
	// MonitorEvery is how often the digest and alerts are looked for
	// (default 1 min).
	MonitorEvery time.Duration
	// BackoffMin and BackoffMax bound the wait before retrying a failed
	// post: BackoffMin doubled at each attempt, give or take a fifth so
	// that retries spread (defaults 2 s and 5 min).
	BackoffMin, BackoffMax time.Duration

	mu         sync.Mutex
	next       map[string]time.Time // channel → earliest next post
	users      map[string]dmUser    // lower-case e-mail → Slack user
	usersToken string               // the token users were looked up with
	loop       *outbox.Worker       // Serve and Step's, made at the first call
}

type dmUser struct {
	channel string // IM channel ID; "" when no Slack user has the e-mail
	until   time.Time
}

const (
	defaultLease = time.Minute
	userTTL      = 24 * time.Hour
	noUserTTL    = time.Hour
	// historySlack widens the history search before the first send, for
	// the clock difference between centrald and Slack.
	historySlack = 5 * time.Minute
	// maxPublicAttempts gives up an arrival or a digest after about 4
	// hours of failures (5 min apart once the backoff is at its cap):
	// posted later, it would only confuse. Direct messages and the
	// bureau's alerts are retried until they pass.
	maxPublicAttempts = 50
)

func (w *Worker) init() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.next == nil {
		w.next = map[string]time.Time{}
		w.users = map[string]dmUser{}
	}
	if w.Logger == nil {
		w.Logger = slog.Default()
	}
	if w.HTTPClient == nil {
		w.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	if w.Lease <= 0 {
		w.Lease = defaultLease
	}
	if w.Poll <= 0 {
		w.Poll = time.Second
	}
	if w.MonitorEvery <= 0 {
		w.MonitorEvery = time.Minute
	}
	if w.BackoffMin <= 0 {
		w.BackoffMin = 2 * time.Second
	}
	if w.BackoffMax <= 0 {
		w.BackoffMax = 5 * time.Minute
	}
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// Topics returns the Slack topics as the outbox loop (central/outbox)
// runs them: each in order (a topic's posts keep their order), paced per
// channel, retried with BackoffMin doubling to BackoffMax.
func (w *Worker) Topics() []outbox.Topic {
	w.init()
	var ts []outbox.Topic
	for _, topic := range topics {
		t := outbox.Topic{Name: topic, Handle: w.Handle, InOrder: true, Lease: w.Lease,
			Retry: backoff.Policy{Min: w.BackoffMin, Max: w.BackoffMax, Jitter: 0.2}}
		if topic == TopicArrival || topic == TopicDigest || topic == TopicMorning {
			t.MaxAttempts = maxPublicAttempts
		}
		ts = append(ts, t)
	}
	return ts
}

// outboxLoop returns the loop that Serve and Step run: the Slack topics
// alone, on the worker's fields as they are at the first call.
func (w *Worker) outboxLoop() *outbox.Worker {
	topics := w.Topics()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.loop == nil {
		w.loop = &outbox.Worker{Outbox: w.Outbox, Topics: topics, Logger: w.Logger, Poll: w.Poll,
			Retention: func(ctx context.Context) (time.Duration, error) {
				set, err := w.Settings.Settings(ctx)
				return time.Duration(set.RetentionDays()) * 24 * time.Hour, err
			}}
	}
	return w.loop
}

// Serve delivers messages until ctx ends, with the Slack topics' own
// outbox loop and the monitor (centrald serve runs Topics in its one loop
// for every consumer, and ServeMonitor). It returns ctx's error.
func (w *Worker) Serve(ctx context.Context) error {
	loop := w.outboxLoop()
	var wg sync.WaitGroup
	wg.Go(func() { loop.Serve(ctx) })
	wg.Go(func() { w.ServeMonitor(ctx) })
	wg.Wait()
	return ctx.Err()
}

// Step delivers the head of a topic's queue if it is due, and reports
// whether there was one. Errors are the store's; Slack's failures are
// recorded on the message.
func (w *Worker) Step(ctx context.Context, topic string) (bool, error) {
	n, err := w.outboxLoop().Step(ctx, topic)
	return n > 0, err
}

// Handle posts a claimed Slack message (the outbox loop's handler).
func (w *Worker) Handle(ctx context.Context, it *central.OutboxItem) (outbox.Result, error) {
	w.init()
	// The settings of the moment: a change applies to the next message.
	set, err := w.Settings.Settings(ctx)
	if err != nil {
		return outbox.Result{}, err
	}
	return w.deliver(ctx, it, set)
}

// target is where a post goes.
type target struct {
	client  *Client // nil: the webhook
	channel string  // channel ID; "webhook" for the webhook
	webhook string
}

func (t target) slackMarkup() bool {
	return t.client != nil || strings.HasPrefix(t.webhook, "https://hooks.slack.com/")
}

func (w *Worker) deliver(ctx context.Context, it *central.OutboxItem, set central.Settings) (outbox.Result, error) {
	ss := ConfigFrom(set)
	log := w.Logger.With("outbox", it.ID, "topic", it.Topic)
	uncertain := !it.SendStarted.IsZero()
	post, err := ParsePost(it.Payload)
	if err != nil {
		return outbox.GiveUp(err), nil
	}
	msg, err := w.prepare(ctx, it.Topic, post, set)
	if err != nil {
		var se *Error
		if errors.As(err, &se) { // looking the member up in Slack failed
			return w.failed(log, se, uncertain, ""), nil
		}
		return outbox.Result{}, err
	}
	if msg.skip != "" {
		return outbox.Skipped(msg.skip), nil
	}
	t := msg.to
	if uncertain && t.client != nil {
		found, err := t.client.Posted(ctx, t.channel, it.Key, it.SendStarted.Add(-historySlack))
		var se *Error
		switch {
		case err == nil && found:
			log.Info("slack: already posted before an interruption; not posted again")
			return outbox.Sent(), nil
		case errors.As(err, &se) && se.Permanent:
			log.Warn("slack: cannot read the channel's history to avoid a double post; posting again", "slack_error", se.Code)
		case err != nil:
			return w.failed(log, classify(err), true, t.channel), nil
		}
	} else if uncertain {
		log.Warn("slack: an earlier webhook post may have arrived (webhooks cannot be checked); posting again")
	}
	if wait, ok := w.acquire(ctx, t.channel, ss.MinInterval, w.Lease/2); !ok {
		if ctx.Err() != nil {
			return outbox.Result{}, ctx.Err()
		}
		// Slack asked for a long pause: leave the message for later.
		return outbox.RetryAfter(wait, errors.New("waiting for Slack's rate limit"), uncertain), nil
	}
	if t.client != nil {
		_, err = t.client.Post(ctx, t.channel, msg.text, it.Key)
	} else {
		err = PostWebhook(ctx, w.HTTPClient, t.webhook, msg.text)
	}
	// The next post starts interval after this one's answer too: Slack
	// counts the interval between the posts it receives, and a request
	// held up on its way (a busy machine, the network) would otherwise
	// arrive just before the next one.
	w.pause(t.channel, ss.MinInterval)
	if err != nil {
		if ctx.Err() != nil {
			return outbox.Result{}, ctx.Err() // shutting down: the next run checks
		}
		return w.failed(log, classify(err), uncertain && t.client == nil, t.channel), nil
	}
	return outbox.Sent(), nil
}

// failed says what to do after a failure: give up when permanent, else
// retry later. uncertain keeps the message's send mark (a check comes
// first next time). A Retry-After pauses the channel.
func (w *Worker) failed(log *slog.Logger, e *Error, uncertain bool, channel string) outbox.Result {
	if e.Permanent {
		log.Warn("slack: given up", "slack_error", e.Code, "http", e.Status)
		return outbox.GiveUp(e)
	}
	log.Info("slack: will retry", "slack_error", e.Code, "http", e.Status)
	if e.RetryAfter > 0 {
		if channel != "" {
			w.pause(channel, e.RetryAfter)
		}
		return outbox.RetryAfter(e.RetryAfter, e, uncertain || e.MaybeSent)
	}
	return outbox.Retry(e, uncertain || e.MaybeSent)
}

// acquire waits for a channel's turn, interval after its previous post
// started and after its answer (deliver), or at the end of a Retry-After
// pause, and takes it: posts to a channel start at least interval apart,
// whichever queue they come from. It gives
// up, returning the wait, when that is longer than max, or when ctx ends.
func (w *Worker) acquire(ctx context.Context, channel string, interval, max time.Duration) (time.Duration, bool) {
	for {
		w.mu.Lock()
		now := time.Now()
		wait := w.next[channel].Sub(now)
		if wait <= 0 {
			w.next[channel] = now.Add(interval)
			w.mu.Unlock()
			return 0, true
		}
		w.mu.Unlock()
		if wait > max || !sleep(ctx, wait) {
			return wait, false
		}
	}
}

// pause keeps a channel quiet for d (Slack's Retry-After).
func (w *Worker) pause(channel string, d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if until := time.Now().Add(d); w.next[channel].Before(until) {
		w.next[channel] = until
	}
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
