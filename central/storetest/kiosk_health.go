package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/slack"
)

// testKioskHealthAlertOnce: a kiosk reports with every sync (every few
// seconds); a camera down or a disk nearly full alerts the bureau once per
// incident, and again for a new incident.
func testKioskHealthAlertOnce(t *testing.T) {
	f := newFixture(t)
	f.store.SetReactions(slack.React)
	k := f.kiosk("Entrée", "")
	if err := f.set.SetSetting(f.ctx, central.SettingHours, "mon-sun 08:00-20:00"); err != nil {
		t.Fatal(err)
	}
	start := f.clock.Now() // 10:00 in Paris
	lastFrame := start.Add(-time.Minute)
	report := func(cameraOK bool, free int64) {
		t.Helper()
		now := f.clock.Now()
		h := &central.KioskHealth{Kiosk: k.ID, Received: now, ClockOffset: 40 * time.Millisecond, Started: start.Add(-time.Hour),
			Uptime: time.Hour, CameraOK: cameraOK, CameraError: "camera video file clip.avi: cannot open", LastFrame: lastFrame,
			DiskFree: free, DiskTotal: 32 << 30, DatabaseBytes: 3 << 20, Software: "1.4.0"}
		if cameraOK {
			h.CameraError, h.LastFrame = "", now
			lastFrame = now
		}
		if err := f.store.Health.ReportKioskHealth(f.ctx, h); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(5 * time.Second)
	}
	alerts := func() []string {
		t.Helper()
		items, err := f.outbox.ClaimOutbox(f.ctx, slack.TopicAlert, 100, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, it := range items {
			keys = append(keys, it.Key)
		}
		return keys
	}

	// Five minutes of reports every 5 s with the camera down: one alert
	// once the silence reaches 5 minutes.
	for f.clock.Now().Sub(lastFrame) < 7*time.Minute {
		report(false, 8<<30)
	}
	got := alerts()
	if len(got) != 1 || !strings.Contains(got[0], "camera") {
		t.Fatalf("camera down for 7 minutes: alerts %v, want one", got)
	}
	// It works again, then fails again: a new incident, a new alert.
	report(true, 8<<30)
	for f.clock.Now().Sub(lastFrame) < 6*time.Minute {
		report(false, 8<<30)
	}
	if got := alerts(); len(got) != 1 || !strings.Contains(got[0], "camera") {
		t.Fatalf("second camera incident: alerts %v, want one more", got)
	}
	// The disk nearly full for many reports: one alert.
	for range 30 {
		report(true, 100<<20)
	}
	if got := alerts(); len(got) != 1 || !strings.Contains(got[0], "disk") {
		t.Fatalf("disk nearly full: alerts %v, want one", got)
	}
	report(true, 8<<30)
	for range 3 {
		report(true, 100<<20)
	}
	if got := alerts(); len(got) != 1 || !strings.Contains(got[0], "disk") {
		t.Fatalf("disk full again after room was made: alerts %v, want one more", got)
	}

	hs, err := f.store.Health.KioskHealths(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := hs[k.ID]
	if h == nil || !h.CameraOK || h.DiskFree != 100<<20 || h.DatabaseBytes != 3<<20 || h.Software != "1.4.0" ||
		h.ClockOffset != 40*time.Millisecond || h.Uptime != time.Hour || h.DiskLowSince.IsZero() {
		t.Fatalf("stored health %+v", h)
	}
}
