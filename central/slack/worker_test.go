package slack_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/slack"
	"github.com/badgeuse/badgeuse/central/slack/slacktest"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

const (
	chanArrivals = "C0000ARRIVALS"
	chanBureau   = "C0000BUREAU1"
)

// fixture is a real store (SQLite in a temporary folder) with Slack's
// arrival hook installed, a fake Slack, and a worker pointed at it.
type fixture struct {
	t       *testing.T
	ctx     context.Context
	db      *sqlite.DB
	fake    *slacktest.Server
	members *sqlstore.MemberService
	ledger  *sqlstore.LedgerService
	kiosks  *sqlstore.KioskService
	sync    *sqlstore.SyncService
	entries *sqlstore.EntryService
	set     *sqlstore.SettingsService
	outbox  *sqlstore.OutboxService
	kiosk   *central.Kiosk
	pack    map[int]int64 // entries → product
	seq     int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := sqlite.NewDB(t.TempDir())
	db.Reactions = []central.Reaction{slack.React}
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	fake.AddChannel(chanArrivals, true)
	fake.AddChannel(chanBureau, true)
	f := &fixture{t: t, ctx: central.NewContextWithActor(context.Background(), central.ActorCLI), db: db, fake: fake,
		members: sqlstore.NewMemberService(db.DB), ledger: sqlstore.NewLedgerService(db.DB), kiosks: sqlstore.NewKioskService(db.DB),
		sync: sqlstore.NewSyncService(db.DB), entries: sqlstore.NewEntryService(db.DB), set: sqlstore.NewSettingsService(db.DB),
		outbox: sqlstore.NewOutboxService(db.DB), pack: map[int]int64{}}
	f.setting("slack.token", slacktest.Token)
	f.setting("slack.api_url", fake.URL) // no trailing slash: normalized
	f.setting("slack.channel", chanArrivals)
	f.setting("slack.bureau_channel", chanBureau)
	f.setting("slack.min_interval", "1ms")
	f.kiosk = f.newKiosk("porte")
	return f
}

func (f *fixture) setting(key, value string) {
	f.t.Helper()
	if err := f.set.SetSetting(f.ctx, key, value); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) newKiosk(name string) *central.Kiosk {
	f.t.Helper()
	token, err := f.kiosks.CreateKiosk(f.ctx, &central.Kiosk{Name: name})
	if err != nil {
		f.t.Fatal(err)
	}
	k, _, err := f.kiosks.Enroll(f.ctx, token, "test")
	if err != nil {
		f.t.Fatal(err)
	}
	return k
}

// member adds a member with a pack of entries (none if 0).
func (f *fixture) member(name, email string, entries int) int64 {
	f.t.Helper()
	m := &central.Member{Name: name, Email: email}
	if err := f.members.CreateMember(f.ctx, m); err != nil {
		f.t.Fatal(err)
	}
	if entries > 0 {
		if f.pack[entries] == 0 {
			p := &central.Product{Name: fmt.Sprintf("Carte %d", entries), Kind: access.Pack, Entries: entries, Price: 100 * int64(entries)}
			if err := sqlstore.NewProductService(f.db.DB).CreateProduct(f.ctx, p); err != nil {
				f.t.Fatal(err)
			}
			f.pack[entries] = p.ID
		}
		if _, err := f.ledger.CreateSale(f.ctx, central.NewSale{Member: m.ID, Product: f.pack[entries], Source: central.SourceCLI}); err != nil {
			f.t.Fatal(err)
		}
	}
	return m.ID
}

// push sends entries made at the given times through the real ingest path.
func (f *fixture) push(k *central.Kiosk, es ...*central.Entry) {
	f.t.Helper()
	now := time.Now()
	for _, e := range es {
		f.seq++
		e.ID, e.Seq = uuid.Must(uuid.NewV7()).String(), f.seq
	}
	if _, err := f.sync.Push(f.ctx, &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: es}); err != nil {
		f.t.Fatal(err)
	}
}

func accepted(member int64, at time.Time) *central.Entry {
	return &central.Entry{Member: member, KioskTime: at, Accept: true, Reason: access.OKPack}
}

func refused(member int64, at time.Time, why access.Reason, h badge.Hash) *central.Entry {
	return &central.Entry{Member: member, KioskTime: at, Reason: why, Badge: h}
}

// worker returns a worker with short waits, for tests.
func (f *fixture) worker() *slack.Worker {
	return &slack.Worker{Outbox: f.outbox, Settings: f.set, Members: f.members, Entries: f.entries, Kiosks: f.kiosks,
		Logger:     slog.New(slog.NewTextHandler(testLog{f.t}, nil)),
		HTTPClient: &http.Client{Timeout: 2 * time.Second}, Lease: 2 * time.Second, Poll: 2 * time.Millisecond,
		MonitorEvery: time.Hour, BackoffMin: 5 * time.Millisecond, BackoffMax: 50 * time.Millisecond}
}

// serve runs a worker until the test ends (or stop is called).
func (f *fixture) serve(w *slack.Worker) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { w.Serve(ctx) })
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); wg.Wait() }) }
	f.t.Cleanup(stop)
	return stop
}

// drainWait is how long the tests let the worker drain its queue: what
// they prove is what gets posted, not how fast, and a busy machine (make
// test on 2 cores beside other builds, the race detector) took more than
// the 5 s they gave it (TestBalanceMessages, TestMorningDigest).
const drainWait = 2 * time.Minute

// drain waits until no Slack message is pending.
func (f *fixture) drain(timeout time.Duration) {
	f.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		_, n, err := f.outbox.FindOutbox(f.ctx, central.OutboxFilter{TopicPrefix: "slack.", State: "pending"})
		if err != nil {
			f.t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("%d Slack messages still pending after %s", n, timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// items returns the Slack outbox messages of a state, oldest first.
func (f *fixture) items(state string) []*central.OutboxItem {
	f.t.Helper()
	its, _, err := f.outbox.FindOutbox(f.ctx, central.OutboxFilter{TopicPrefix: "slack.", State: state})
	if err != nil {
		f.t.Fatal(err)
	}
	for i, j := 0, len(its)-1; i < j; i, j = i+1, j-1 {
		its[i], its[j] = its[j], its[i]
	}
	return its
}

func texts(msgs []slacktest.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Text)
	}
	return out
}

// exactlyOnce checks that each key was posted once, in the order of keys.
func exactlyOnce(t *testing.T, msgs []slacktest.Message, keys []string) {
	t.Helper()
	seen := map[string]int{}
	var order []string
	for _, m := range msgs {
		if seen[m.Key]++; seen[m.Key] == 1 {
			order = append(order, m.Key)
		}
	}
	for k, n := range seen {
		if n > 1 {
			t.Errorf("%s posted %d times", k, n)
		}
	}
	if strings.Join(order, " ") != strings.Join(keys, " ") {
		t.Fatalf("posted\n%v\nwant\n%v", order, keys)
	}
}

func arrivalKeys(t *testing.T, f *fixture) []string {
	t.Helper()
	var keys []string
	for _, it := range f.items("") {
		if it.Topic == slack.TopicArrival {
			keys = append(keys, it.Key)
		}
	}
	return keys
}

func TestArrivals(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	var ids []int64
	for i := range 20 {
		ids = append(ids, f.member(fmt.Sprintf("Membre %02d", i+1), "", 10))
	}
	alice := f.member("Alice Martin", "", 10)
	shy := f.member("Discrète", "", 10)
	if _, err := f.members.UpdateMember(f.ctx, shy, central.MemberUpdate{SlackOptOut: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	revokedHash := badge.Hash{1, 2, 3}
	// Her two entries are a second apart within one minute, so on one day
	// in Paris whatever the hour the test runs (days start on a minute);
	// "now" and now-30min straddled midnight once, in CI at 0:06.
	first := now.Add(-30 * time.Minute).Truncate(time.Minute)
	f.push(f.kiosk, accepted(alice, first))
	for i, id := range ids {
		f.push(f.kiosk, accepted(id, now.Add(time.Duration(i-25)*time.Minute)))
	}
	f.push(f.kiosk,
		accepted(alice, first.Add(time.Second)), // the same member again that day: no second post
		accepted(shy, now),                      // opted out
		refused(0, now, access.UnknownBadge, badge.Hash{9}),
		refused(alice, now, access.RevokedBadge, revokedHash), // refusals are never posted
		refused(ids[0], now, access.NoEntriesLeft, badge.Hash{}),
	)
	f.serve(f.worker())
	f.drain(drainWait)

	msgs := f.fake.Messages(chanArrivals)
	if len(msgs) != 21 {
		t.Fatalf("%d posts, want 21:\n%s", len(msgs), strings.Join(texts(msgs), "\n"))
	}
	want := "☕ Alice Martin est arrivé·e (" + slack.ClockTime(first.In(access.Paris)) + ")"
	if msgs[0].Text != want {
		t.Fatalf("first post %q, want %q", msgs[0].Text, want)
	}
	for i, m := range msgs[1:] {
		if !strings.HasPrefix(m.Text, fmt.Sprintf("☕ Membre %02d est arrivé·e (", i+1)) {
			t.Fatalf("post %d: %q: out of order", i+1, m.Text)
		}
	}
	exactlyOnce(t, msgs, arrivalKeys(t, f))
	for _, m := range msgs {
		if strings.Contains(m.Text, "Discrète") {
			t.Fatalf("opted-out member announced: %q", m.Text)
		}
	}
	if n := len(f.fake.Messages(chanBureau)); n != 0 {
		t.Fatalf("%d bureau alerts, want none", n)
	}
}

func ptr[T any](v T) *T { return &v }

// testLog writes the worker's log to the test's (shown with -v or on
// failure), and fails the test if a secret or a name reaches it.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	line := strings.TrimSpace(string(p))
	for _, secret := range []string{slacktest.Token, "webhooksecret", "Alice", "Membre", "@example"} {
		if strings.Contains(line, secret) {
			l.t.Errorf("the log shows %q: %s", secret, line)
		}
	}
	l.t.Log(line)
	return len(p), nil
}

// TestFaultsDeliverExactlyOnce: Slack answers 500 for a while (some of
// them after posting), times out after posting, then answers 429s, then
// ok: every post arrives once, in order.
func TestFaultsDeliverExactlyOnce(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	for i := range 10 {
		m := f.member(fmt.Sprintf("Membre %02d", i+1), "", 10)
		f.push(f.kiosk, accepted(m, now.Add(time.Duration(i-10)*time.Minute)))
	}
	post := "chat.postMessage"
	f.fake.Fail(slacktest.Fault{Method: post, Status: 500}, 3)
	f.fake.Fail(slacktest.Fault{Method: post, Status: 503, AfterPost: true}, 2)
	f.fake.Fail(slacktest.Fault{Method: post, Status: 500}, 2)
	f.fake.Fail(slacktest.Fault{Method: post, Delay: 500 * time.Millisecond, AfterPost: true}, 2) // timeouts
	f.fake.Fail(slacktest.Fault{Method: post, Error: "fatal_error", AfterPost: true}, 1)
	f.fake.Fail(slacktest.Fault{Method: post, Status: 429, RetryAfter: 1}, 2)
	f.fake.Fail(slacktest.Fault{Method: post, Error: "rate_limited"}, 1)
	w := f.worker()
	w.HTTPClient = &http.Client{Timeout: 200 * time.Millisecond}
	start := time.Now()
	f.serve(w)
	f.drain(drainWait)

	msgs := f.fake.Messages(chanArrivals)
	exactlyOnce(t, msgs, arrivalKeys(t, f))
	if len(msgs) != 10 {
		t.Fatalf("%d posts, want 10", len(msgs))
	}
	if n := f.fake.Calls("conversations.history"); n < 5 {
		t.Fatalf("%d history checks, want one per uncertain send at least (5)", n)
	}
	if d := time.Since(start); d < 2*time.Second {
		t.Fatalf("drained in %s: the two Retry-After: 1 were not honoured", d)
	}
	if failed := f.items(central.OutcomeFailed); len(failed) != 0 {
		t.Fatalf("given up: %+v", failed[0])
	}
}
