package email

import (
	"context"
	"strconv"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// Kiosk health alerts by e-mail (issue 18): the incidents Slack posts to
// the bureau's channel (a camera that sees nothing for 5 minutes during
// opening hours, a disk nearly full, a kiosk not heard from) are also
// mailed to the bureau's address (alerts.email), once per incident: the
// outbox key names the kiosk and the incident's start, the same in every
// report while it lasts, as Slack's.

// AlertHook is e-mail's reaction to a kiosk health event (central's
// KioskCameraDown, KioskDiskLow, KioskSilent; centrald registers it):
// with e-mail set up and alerts.email set, the alert's mail to that
// address. Other events make nothing.
func AlertHook(ev central.Event, set central.Settings) []central.OutboxMessage {
	to := get(set, SettingAlertsEmail)
	if to == "" || !ConfigFrom(set).Enabled() {
		return nil
	}
	var a Alert
	var key string
	var loc *time.Location
	switch ev := ev.(type) {
	case central.KioskCameraDown:
		a = Alert{What: "camera", Kiosk: ev.Kiosk.Name, Since: ev.Since, Detail: ev.Error}
		key, loc = "camera:"+strconv.FormatInt(ev.Kiosk.ID, 10)+":"+strconv.FormatInt(ev.Since.UnixMilli(), 10), ev.Location
	case central.KioskDiskLow:
		a = Alert{What: "disk", Kiosk: ev.Kiosk.Name, Since: ev.Since, Free: ev.Free}
		key, loc = "disk:"+strconv.FormatInt(ev.Kiosk.ID, 10)+":"+strconv.FormatInt(ev.Since.UnixMilli(), 10), ev.Location
	case central.KioskSilent:
		a = Alert{What: "silent", Kiosk: ev.Kiosk.Name, Since: ev.LastSeen}
		key, loc = "silent:"+strconv.FormatInt(ev.Kiosk.ID, 10)+":"+strconv.FormatInt(ev.LastSeen.Unix(), 10), ev.Location
	default:
		return nil
	}
	if loc == nil {
		loc = set.Location()
	}
	a.Since = a.Since.In(loc)
	if len(a.Detail) > 1000 {
		a.Detail = a.Detail[:1000]
	}
	msg, err := NewMessage(KindAlert, key, Payload{Email: to, Alert: &a})
	if err != nil {
		return nil
	}
	return []central.OutboxMessage{msg}
}

// SilentKiosks are the kiosks to watch for silence.
type SilentKiosks interface {
	FindKiosks(ctx context.Context, f central.KioskFilter) ([]*central.Kiosk, int, error)
}

// EnqueueSilentAlerts enqueues the alert of each enrolled, enabled kiosk
// not heard from for after (0: never) at now, unless its incident's mail
// is queued already (the key: the kiosk and when it was last heard from).
// centrald runs it every minute, with Slack's slack.kiosk_silent_after,
// so that both say the same silences.
func EnqueueSilentAlerts(ctx context.Context, kiosks SilentKiosks, outbox central.Outbox, set central.Settings,
	after time.Duration, now time.Time) (int, error) {
	if after <= 0 || get(set, SettingAlertsEmail) == "" || !ConfigFrom(set).Enabled() {
		return 0, nil
	}
	ks, _, err := kiosks.FindKiosks(ctx, central.KioskFilter{})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, k := range ks {
		if k.Disabled || k.Enrolled.IsZero() || k.LastSeen.IsZero() || now.Sub(k.LastSeen) < after {
			continue
		}
		for _, msg := range AlertHook(central.KioskSilent{Kiosk: k, LastSeen: k.LastSeen, Location: set.Location()}, set) {
			ok, err := outbox.EnqueueOutbox(ctx, msg)
			if err != nil {
				return n, err
			}
			if ok {
				n++
			}
		}
	}
	return n, nil
}
