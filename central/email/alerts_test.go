package email_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestKioskAlertsByEmail: with e-mail set up and alerts.email set, a
// kiosk whose camera has seen nothing for 5 minutes during opening hours,
// a disk nearly full and a kiosk not heard from are each mailed to the
// bureau once per incident, however many reports repeat them; a new
// incident is mailed again; without alerts.email, or without e-mail set
// up, nothing is queued.
func TestKioskAlertsByEmail(t *testing.T) {
	if _, ok := central.LookupSetting(email.SettingAlertsEmail); !ok {
		central.AddSettings(email.Settings...) // as centrald does
	}
	db := sqlite.NewDB(t.TempDir())
	db.Reactions = []central.Reaction{email.AlertHook}
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := central.NewContextWithActor(context.Background(), central.ActorCLI)
	set, kiosks, outbox := sqlstore.NewSettingsService(db.DB), sqlstore.NewKioskService(db.DB), sqlstore.NewOutboxService(db.DB)
	token, err := kiosks.CreateKiosk(ctx, &central.Kiosk{Name: "Porte"})
	if err != nil {
		t.Fatal(err)
	}
	k, _, err := kiosks.Enroll(ctx, token, "test")
	if err != nil {
		t.Fatal(err)
	}
	alerts := func() []*central.OutboxItem {
		t.Helper()
		items, _, err := outbox.FindOutbox(ctx, central.OutboxFilter{TopicPrefix: email.Topic(email.KindAlert)})
		if err != nil {
			t.Fatal(err)
		}
		return items
	}
	now := time.Now()
	report := func(lastFrame time.Time, free int64) {
		t.Helper()
		h := &central.KioskHealth{Kiosk: k.ID, Received: now, Started: now.Add(-time.Hour), LastFrame: lastFrame,
			CameraOK: lastFrame.IsZero(), DiskFree: free, DiskTotal: 32 << 30, DatabaseBytes: 1 << 20}
		if err := kiosks.ReportKioskHealth(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	silentSince := now.Add(-10 * time.Minute)
	report(silentSince, 10<<30) // e-mail not set up yet
	if n := len(alerts()); n != 0 {
		t.Fatalf("%d alerts without e-mail set up", n)
	}
	for k, v := range map[string]string{"smtp.host": "smtp.example.org", "smtp.from": "bureau@example.org"} {
		if err := set.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	report(silentSince, 10<<30) // no alerts.email yet
	if n := len(alerts()); n != 0 {
		t.Fatalf("%d alerts without alerts.email", n)
	}
	if err := set.SetSetting(ctx, email.SettingAlertsEmail, "alertes@example.org"); err != nil {
		t.Fatal(err)
	}
	report(silentSince, 10<<30)
	report(silentSince, 10<<30) // the same incident
	got := alerts()
	if len(got) != 1 || !strings.Contains(got[0].Payload, `"what":"camera"`) || !strings.Contains(got[0].Payload, `"email":"alertes@example.org"`) {
		t.Fatalf("camera alerts %+v", got)
	}
	report(now.Add(-6*time.Minute), 100<<20) // a new silence, and the disk fills
	report(now.Add(-6*time.Minute), 90<<20)
	got = alerts()
	if len(got) != 3 {
		t.Fatalf("%d alerts, want 3 (two camera incidents, one disk)", len(got))
	}
	for _, it := range got {
		if _, p, err := email.ParsePayload(it.Topic, it.Payload); err != nil || p.Alert == nil {
			t.Fatalf("payload %s: %v", it.Payload, err)
		}
	}

	// Silence: once per silence, with Slack's threshold.
	sset, err := set.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	later := now.Add(time.Hour)
	for range 2 {
		if _, err := email.EnqueueSilentAlerts(ctx, kiosks, outbox, sset, 30*time.Minute, later); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := email.EnqueueSilentAlerts(ctx, kiosks, outbox, sset, 0, later); err != nil || n != 0 {
		t.Fatalf("threshold 0 (never): %d %v", n, err)
	}
	got = alerts()
	silent := 0
	for _, it := range got {
		if strings.Contains(it.Payload, `"what":"silent"`) {
			silent++
		}
	}
	if silent != 1 {
		t.Fatalf("%d silence alerts, want 1", silent)
	}
}
