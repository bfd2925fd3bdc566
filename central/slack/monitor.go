package slack

import (
	"context"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// ServeMonitor runs Monitor every MonitorEvery until ctx ends.
func (w *Worker) ServeMonitor(ctx context.Context) {
	w.init()
	for {
		if err := w.Monitor(ctx); err != nil && ctx.Err() == nil {
			w.Logger.Error("slack: monitor", "err", err)
		}
		if !sleep(ctx, w.MonitorEvery) {
			return
		}
	}
}

// Monitor makes one pass of what the worker watches, enqueueing what is
// due (the outbox keys make each post once, however many passes see it):
//
//   - the daily digest of each space with visits today, from
//     slack.digest_time on;
//   - the morning digest of each space (its events and bookings), from
//     slack.morning_time on (morning.go);
//   - a bureau alert per kiosk silent for slack.kiosk_silent_after;
//   - a bureau alert per revoked badge refused slack.revoked_alert_after
//     times today.
//
// The outbox loop purges finished messages (central/outbox.Worker.Retention).
//
// Alerts are enqueued only when they can be sent (bot token and bureau
// channel set).
func (w *Worker) Monitor(ctx context.Context) error {
	w.init()
	set, err := w.Settings.Settings(ctx)
	if err != nil {
		return err
	}
	ss, loc := ConfigFrom(set), set.Location()
	now := w.now()
	today := access.DayOf(now, loc)
	if ss.Configured() && ss.DigestTime != "" {
		if err := w.enqueueDigests(ctx, ss.DigestTime, now, today, loc); err != nil {
			return err
		}
	}
	if ss.Configured() && ss.MorningTime != "" {
		if err := w.enqueueMornings(ctx, set, ss.MorningTime, now); err != nil {
			return err
		}
	}
	if ss.Token != "" && ss.BureauChannel != "" {
		if err := w.kioskAlerts(ctx, ss, now, loc); err != nil {
			return err
		}
		if err := w.revokedAlerts(ctx, ss, today, loc); err != nil {
			return err
		}
	}
	return nil
}

func (w *Worker) enqueueDigests(ctx context.Context, at string, now time.Time, today access.Day, loc *time.Location) error {
	hm, err := time.Parse("15:04", at)
	if err != nil {
		return nil // validated when set
	}
	start := today.Start(loc)
	due := time.Date(start.Year(), start.Month(), start.Day(), hm.Hour(), hm.Minute(), 0, 0, loc)
	if now.Before(due) {
		return nil
	}
	visits, _, err := w.Entries.FindVisits(ctx, central.VisitFilter{Since: today, Until: today})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, v := range visits {
		if seen[v.Space] {
			continue
		}
		seen[v.Space] = true
		if _, err := w.Outbox.EnqueueOutbox(ctx, DigestMessage(v.Space, today)); err != nil {
			return err
		}
	}
	return nil
}

func (w *Worker) kioskAlerts(ctx context.Context, ss Config, now time.Time, loc *time.Location) error {
	if ss.KioskSilentAfter <= 0 {
		return nil
	}
	kiosks, _, err := w.Kiosks.FindKiosks(ctx, central.KioskFilter{})
	if err != nil {
		return err
	}
	for _, k := range kiosks {
		if k.Disabled || k.Enrolled.IsZero() || k.LastSeen.IsZero() || now.Sub(k.LastSeen) < ss.KioskSilentAfter {
			continue
		}
		if _, err := w.enqueue(ctx, central.KioskSilent{Kiosk: k, LastSeen: k.LastSeen, Location: loc}); err != nil {
			return err
		}
	}
	return nil
}

func (w *Worker) revokedAlerts(ctx context.Context, ss Config, today access.Day, loc *time.Location) error {
	if ss.RevokedAlertAfter <= 0 {
		return nil
	}
	entries, _, err := w.Entries.FindEntries(ctx, central.EntryFilter{Since: today.Start(loc), Until: today.AddDays(1).Start(loc)})
	if err != nil {
		return err
	}
	type badge struct {
		n      int
		member int64
		kiosk  int64
	}
	refused := map[string]*badge{}
	var order []string
	for _, e := range entries {
		if e.Accept || e.Reason != access.RevokedBadge || e.Badge.IsZero() {
			continue
		}
		h := e.Badge.String()
		b := refused[h]
		if b == nil {
			b = &badge{}
			refused[h] = b
			order = append(order, h)
		}
		b.n++
		b.member, b.kiosk = e.Member, e.Kiosk
	}
	var names map[int64]string
	for _, h := range order {
		b := refused[h]
		if b.n < ss.RevokedAlertAfter {
			continue
		}
		if names == nil {
			if names, err = w.kioskNames(ctx); err != nil {
				return err
			}
		}
		var m *central.Member
		if b.member != 0 {
			if m, err = w.Members.FindMemberByID(ctx, b.member); err != nil && central.ErrorCode(err) != central.ENOTFOUND {
				return err
			}
		}
		if _, err := w.enqueue(ctx, central.RevokedBadgeRepeated{Hash: h, Member: m, Kiosk: names[b.kiosk], Count: b.n, Day: today}); err != nil {
			return err
		}
	}
	return nil
}

func (w *Worker) kioskNames(ctx context.Context) (map[int64]string, error) {
	kiosks, _, err := w.Kiosks.FindKiosks(ctx, central.KioskFilter{})
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(kiosks))
	for _, k := range kiosks {
		names[k.ID] = k.Name
	}
	return names, nil
}

// enqueue stores the messages an event of the monitor causes (React).
func (w *Worker) enqueue(ctx context.Context, ev central.Event) (bool, error) {
	stored := false
	for _, msg := range React(ev, nil) {
		ok, err := w.Outbox.EnqueueOutbox(ctx, msg)
		if err != nil {
			return stored, err
		}
		stored = stored || ok
	}
	return stored, nil
}
