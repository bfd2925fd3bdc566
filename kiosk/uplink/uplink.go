// Package uplink is the kiosk's side of the sync protocol (shared/wire):
// it pushes the entry log to central and pulls member changes, forever,
// every few seconds when central answers and with a capped exponential
// backoff when it does not. Entries are marked synced only after central's
// acknowledgement, so a lost request or answer only means a harmless resend.
//
// The protocol stops here, as it does in central/syncapi: the Store speaks
// kiosk types (kiosk.Entry, kiosk.Changes) and this package converts
// between them and shared/wire.
package uplink

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/backoff"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// Store is what the uplink needs of the kiosk's database.
type Store interface {
	Enrollment(ctx context.Context) (kiosk.Enrollment, error)
	// Pending returns up to limit unacknowledged entries in seq order.
	Pending(ctx context.Context, limit int) ([]kiosk.Entry, error)
	// Acknowledge applies a push's answer in one transaction: it renumbers
	// the entries at the sequences in conflicts to fresh ones at or after
	// next (and after every local one), keeps new entries from reusing a
	// sequence below next, then records that central holds every entry up
	// to ack.
	Acknowledge(ctx context.Context, ack int64, conflicts []int64, next int64, now time.Time) error
	// PendingCount counts unacknowledged entries.
	PendingCount(ctx context.Context) (int, error)
	// Unsync marks entries above ack as not synced (central lost them).
	Unsync(ctx context.Context, ack int64) error
	// LastSynced is the highest sequence central acknowledged (0: none).
	LastSynced(ctx context.Context) (int64, error)
	PullCursor(ctx context.Context) (int64, error)
	// ApplyPull applies one page of a pull; first says it starts the pull.
	ApplyPull(ctx context.Context, first bool, page kiosk.Changes, now time.Time) error
}

// Defaults for Loop fields left zero.
const (
	DefaultInterval   = 5 * time.Second
	DefaultMaxBackoff = 5 * time.Minute
	requestTimeout    = 30 * time.Second
)

// Loop syncs a kiosk with central. Set the fields, then call Serve or Sync.
type Loop struct {
	Store    Store
	Client   *http.Client // nil: a client with a 30 s timeout
	Software string       // kioskd version, shown in the admin
	Logger   *slog.Logger
	// Interval between rounds when central answers; MaxBackoff caps the
	// wait after failures.
	Interval   time.Duration
	MaxBackoff time.Duration
	Now        func() time.Time
	BootID     string
	Mono       func() time.Duration
	// Report, when set, makes the kiosk's health report, sent with the
	// first page of each pull (protocol version 3); nil: none is sent.
	Report func(ctx context.Context) kiosk.Report

	kick chan struct{}
}

// Result summarizes one sync round.
type Result struct {
	Pushed  int   // entries acknowledged in this round
	Pending int   // entries still waiting
	Pulled  int   // members received
	Cursor  int64 // state version after the round
}

// Kick asks for a sync round as soon as possible (after a new entry).
func (l *Loop) Kick() {
	l.init()
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

func (l *Loop) init() {
	if l.kick == nil {
		l.kick = make(chan struct{}, 1)
	}
}

func (l *Loop) logger() *slog.Logger {
	if l.Logger != nil {
		return l.Logger
	}
	return slog.Default()
}

func (l *Loop) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Serve runs sync rounds until ctx is done. It never gives up: failures
// back off exponentially up to MaxBackoff, and a success resets the pace.
func (l *Loop) Serve(ctx context.Context) error {
	l.init()
	interval := cmp(l.Interval, DefaultInterval)
	// Interval doubling to MaxBackoff, give or take a tenth: the kiosks of
	// a central that comes back do not all retry at the same instant.
	retry := backoff.Policy{Min: interval, Max: cmp(l.MaxBackoff, DefaultMaxBackoff), Jitter: 0.1}
	failures := 0
	for {
		res, err := l.Sync(ctx)
		wait := interval
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			wait = retry.Delay(failures)
			failures++
			// Log the first failures, then once in a while: an offline
			// weekend must not flood the journal.
			if failures <= 3 || failures%20 == 0 {
				l.logger().Warn("sync failed; entries stay queued", "err", err, "failures", failures, "retry_in", wait, "pending", res.Pending)
			}
		default:
			if failures > 0 {
				l.logger().Info("sync recovered", "previous_failures", failures)
			}
			failures = 0
			if res.Pushed > 0 || res.Pulled > 0 {
				l.logger().Info("synced", "pushed", res.Pushed, "pulled", res.Pulled, "pending", res.Pending, "state_version", res.Cursor)
			}
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-l.kick:
			timer.Stop()
			if failures > 0 { // offline: a new entry does not shorten the backoff
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(wait):
				}
			}
		case <-timer.C:
		}
	}
}

func cmp(v, def time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return def
}

// Sync runs one round now: push every pending entry, then pull every
// change. It returns an error if either part failed.
func (l *Loop) Sync(ctx context.Context) (Result, error) {
	var res Result
	enr, err := l.Store.Enrollment(ctx)
	if err != nil {
		return res, err
	}
	c := &conn{base: strings.TrimRight(enr.Central, "/"), token: enr.Token, client: l.client()}
	if err := l.push(ctx, c, &res); err != nil {
		return res, fmt.Errorf("push: %w", err)
	}
	if err := l.pull(ctx, c, &res); err != nil {
		return res, fmt.Errorf("pull: %w", err)
	}
	return res, nil
}

func (l *Loop) client() *http.Client {
	if l.Client != nil {
		return l.Client
	}
	return &http.Client{Timeout: requestTimeout}
}

func (l *Loop) push(ctx context.Context, c *conn, res *Result) error {
	stalls, renumbered := 0, 0
	for {
		pending, err := l.Store.Pending(ctx, wire.MaxBatch)
		if err != nil {
			return err
		}
		batch := make([]wire.Entry, len(pending))
		for i, e := range pending {
			batch[i] = entryToWire(e)
		}
		if len(batch) == 0 {
			res.Pending = 0
			return nil
		}
		if res.Pending, err = l.Store.PendingCount(ctx); err != nil {
			return err
		}
		req := wire.PushRequest{Protocol: wire.Version, Software: l.Software, SentAt: l.now(),
			BootID: l.BootID, Pending: res.Pending - len(batch), Entries: batch}
		if l.Mono != nil {
			req.Mono = int64(l.Mono())
		}
		var resp wire.PushResponse
		if err := c.post(ctx, wire.PathPush, req, &resp); err != nil {
			return err
		}
		first, last := batch[0].Seq, batch[len(batch)-1].Seq
		ack := resp.Ack
		switch {
		case ack < first-1:
			// Central holds less than we thought (restored from a backup):
			// send again what it lacks, oldest first.
			l.logger().Warn("central lacks entries it acknowledged before; sending them again", "ack", ack, "first_pending", first)
			if err := l.Store.Unsync(ctx, ack); err != nil {
				return err
			}
		case ack > last && resp.NextSeq == 0:
			return fmt.Errorf("central acknowledged sequence %d beyond the %d sent: is another kiosk using this kiosk's token?", ack, last)
		case ack > last:
			// This database is behind central (restored from a backup):
			// what it sent is held; Acknowledge moves the sequence on to
			// NextSeq. Entries after the batch were not sent: not marked.
			l.logger().Warn("central holds sequences this kiosk has not numbered yet (database restored from a backup?); numbering on from central's",
				"ack", ack, "last_sent", last, "next_seq", resp.NextSeq)
			ack = last
		}
		if len(resp.Conflicts) > 0 {
			l.logger().Warn("central holds other entries at some sequences (database restored from a backup?); renumbering them",
				"conflicts", len(resp.Conflicts), "next_seq", resp.NextSeq)
		}
		if err := l.Store.Acknowledge(ctx, ack, resp.Conflicts, resp.NextSeq, l.now()); err != nil {
			return err
		}
		refused := map[int64]bool{}
		for _, seq := range resp.Conflicts {
			refused[seq] = true
		}
		marked := 0
		for _, e := range batch {
			if e.Seq <= ack && !refused[e.Seq] {
				marked++
			}
		}
		res.Pushed += marked
		res.Pending -= marked
		switch {
		case marked > 0:
			stalls, renumbered = 0, 0
		case len(resp.Conflicts) > 0:
			// Renumbered: the next batch sends them. A central that keeps
			// refusing fresh numbers is a bug, not a reason to loop.
			if renumbered++; renumbered > 100 {
				return fmt.Errorf("central keeps refusing renumbered entries (next sequence %d)", resp.NextSeq)
			}
		default:
			if stalls++; stalls > 2 {
				return fmt.Errorf("central does not acknowledge entries from %d (ack %d)", first, resp.Ack)
			}
		}
	}
}

func (l *Loop) pull(ctx context.Context, c *conn, res *Result) error {
	cursor, err := l.Store.PullCursor(ctx)
	if err != nil {
		return err
	}
	page := ""
	for pages := 0; ; pages++ {
		req := wire.PullRequest{Protocol: wire.Version, Cursor: cursor, Page: page}
		if page == "" && l.Report != nil {
			req.Health = reportToWire(l.Report(ctx))
		}
		var resp wire.PullResponse
		if err := c.post(ctx, wire.PathPull, req, &resp); err != nil {
			return err
		}
		changes, err := changesFromWire(resp)
		if err != nil {
			return err
		}
		if err := l.Store.ApplyPull(ctx, page == "", changes, l.now()); err != nil {
			return err
		}
		res.Pulled += len(resp.Members)
		if !resp.More {
			res.Cursor = resp.Cursor
			return l.resendLost(ctx, resp.Acked)
		}
		if resp.Page == "" || pages > 100000 {
			return errors.New("central answered more pages without a page token")
		}
		page = resp.Page
	}
}

// Enroll trades a one-time enrollment token for this kiosk's token.
func Enroll(ctx context.Context, client *http.Client, central, token, software string) (wire.EnrollResponse, error) {
	if client == nil {
		client = &http.Client{Timeout: requestTimeout}
	}
	c := &conn{base: strings.TrimRight(central, "/"), client: client}
	var resp wire.EnrollResponse
	err := c.post(ctx, wire.PathEnroll, wire.EnrollRequest{Protocol: wire.Version, Token: token, Software: software}, &resp)
	if err == nil && resp.KioskToken == "" {
		err = errors.New("central answered without a kiosk token")
	}
	return resp, err
}

// conn posts protocol requests to one central.
type conn struct {
	base   string
	token  string
	client *http.Client
}

// post sends req as gzip-compressed JSON and decodes the answer into resp.
// A non-2xx answer becomes a *wire.Error.
func (c *conn) post(ctx context.Context, path string, req, resp any) error {
	var body bytes.Buffer
	zw := gzip.NewWriter(&body)
	if err := json.NewEncoder(zw).Encode(req); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, &body)
	if err != nil {
		return fmt.Errorf("central URL: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Content-Encoding", "gzip")
	if c.token != "" {
		hreq.Header.Set("Authorization", "Bearer "+c.token)
	}
	hresp, err := c.client.Do(hreq)
	if err != nil {
		return err
	}
	defer hresp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(hresp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if hresp.StatusCode/100 != 2 {
		var werr wire.Error
		if json.Unmarshal(data, &werr) != nil || werr.Code == "" {
			werr = wire.Error{Code: wire.CodeInternal, Message: fmt.Sprintf("HTTP %d: %.200s", hresp.StatusCode, data)}
		}
		return &werr
	}
	if err := json.Unmarshal(data, resp); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

// resendLost compares central's acknowledgement, as the pull reads it, with
// what central acknowledged before: lower means central was restored from
// an older backup and lacks entries. They are marked to be sent again at
// once, even when the kiosk has nothing new to push (a push would notice
// only with a new entry). Central's ack never goes down otherwise: the
// kiosk marks an entry synced only once central has it on disk.
func (l *Loop) resendLost(ctx context.Context, acked int64) error {
	last, err := l.Store.LastSynced(ctx)
	if err != nil || acked >= last {
		return err
	}
	l.logger().Warn("central lacks entries it acknowledged before (restored from a backup?); sending them again",
		"central_ack", acked, "last_synced", last)
	return l.Store.Unsync(ctx, acked)
}
