package central_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

func TestAssessKiosk(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	enrolled := &central.Kiosk{ID: 1, Name: "Entrée", Enrolled: now.Add(-48 * time.Hour), LastSeen: now.Add(-5 * time.Second)}
	good := func(change func(h *central.KioskHealth)) *central.KioskHealth {
		h := &central.KioskHealth{Kiosk: 1, Received: now.Add(-5 * time.Second), CameraOK: true, CameraFPS: 12,
			LastFrame: now.Add(-5 * time.Second), Started: now.Add(-time.Hour), DiskFree: 10 << 30, DiskTotal: 30 << 30}
		if change != nil {
			change(h)
		}
		return h
	}
	silent := *enrolled
	silent.LastSeen = now.Add(-time.Hour)
	disabled := *enrolled
	disabled.Disabled = true
	waiting := &central.Kiosk{ID: 2, Name: "Nouvelle"}
	for _, tc := range []struct {
		name     string
		k        *central.Kiosk
		h        *central.KioskHealth
		level    central.HealthLevel
		problems []string
	}{
		{"all well", enrolled, good(nil), central.HealthOK, nil},
		{"camera down", enrolled, good(func(h *central.KioskHealth) { h.CameraOK, h.CameraError = false, "open /dev/video0: no such device" }),
			central.HealthDown, []string{central.ProblemCamera}},
		{"disk nearly full (bytes)", enrolled, good(func(h *central.KioskHealth) { h.DiskFree = 100 << 20 }), central.HealthWarning, []string{central.ProblemDiskLow}},
		{"disk nearly full (share)", enrolled, good(func(h *central.KioskHealth) { h.DiskFree, h.DiskTotal = 1<<30, 64<<30 }),
			central.HealthWarning, []string{central.ProblemDiskLow}},
		{"disk size unknown", enrolled, good(func(h *central.KioskHealth) { h.DiskFree, h.DiskTotal = -1, -1 }), central.HealthOK, nil},
		{"clock 5 min fast", enrolled, good(func(h *central.KioskHealth) { h.ClockOffset = 5 * time.Minute }), central.HealthWarning, []string{central.ProblemClock}},
		{"clock 1 min slow is fine", enrolled, good(func(h *central.KioskHealth) { h.ClockOffset = -time.Minute }), central.HealthOK, nil},
		{"silent, camera down too", &silent, good(func(h *central.KioskHealth) { h.CameraOK = false }), central.HealthDown,
			[]string{central.ProblemSilent, central.ProblemCamera}},
		{"disk and clock", enrolled, good(func(h *central.KioskHealth) { h.DiskFree, h.ClockOffset = 1<<20, -time.Hour }),
			central.HealthWarning, []string{central.ProblemDiskLow, central.ProblemClock}},
		{"older kioskd: no report", enrolled, nil, central.HealthUnknown, []string{central.ProblemNoReport}},
		{"older kioskd, silent", &silent, nil, central.HealthDown, []string{central.ProblemSilent, central.ProblemNoReport}},
		{"disabled", &disabled, good(nil), central.HealthUnknown, []string{central.ProblemDisabled}},
		{"waiting for enrollment", waiting, nil, central.HealthUnknown, []string{central.ProblemNotEnrolled}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := central.AssessKiosk(tc.k, tc.h, now, 30*time.Minute)
			var codes []string
			for _, p := range a.Problems {
				codes = append(codes, p.Code)
			}
			if a.Level != tc.level || len(codes) != len(tc.problems) {
				t.Fatalf("level %s problems %v, want %s %v", a.Level, codes, tc.level, tc.problems)
			}
			for i := range codes {
				if codes[i] != tc.problems[i] {
					t.Fatalf("problems %v, want %v", codes, tc.problems)
				}
			}
		})
	}
}

// TestKioskHealthEvents: a camera silent for 5 minutes alerts during
// opening hours only; a disk nearly full alerts; each incident keeps its
// name (Since) from one report to the next.
func TestKioskHealthEvents(t *testing.T) {
	k := &central.Kiosk{ID: 3, Name: "Entrée"}
	set := central.Settings{central.SettingHours: "mon-fri 08:00-20:00", central.SettingTimezone: "Europe/Paris"}
	wed10 := time.Date(2026, 12, 2, 10, 0, 0, 0, access.Paris) // a Wednesday, open
	wed22 := time.Date(2026, 12, 2, 22, 0, 0, 0, access.Paris) // closed
	report := func(at time.Time, lastFrame time.Time, free int64) *central.KioskHealth {
		return &central.KioskHealth{Kiosk: 3, Received: at, Started: at.Add(-24 * time.Hour), CameraOK: at.Sub(lastFrame) < 10*time.Second,
			LastFrame: lastFrame, DiskFree: free, DiskTotal: 32 << 30}
	}
	kinds := func(evs []central.Event) (camera, disk []time.Time) {
		for _, ev := range evs {
			switch ev := ev.(type) {
			case central.KioskCameraDown:
				camera = append(camera, ev.Since)
			case central.KioskDiskLow:
				disk = append(disk, ev.Since)
			default:
				t.Fatalf("unexpected event %T", ev)
			}
		}
		return
	}
	for _, tc := range []struct {
		name         string
		h            *central.KioskHealth
		prev         *central.KioskHealth
		camera, disk int
	}{
		{"all well", report(wed10, wed10.Add(-time.Second), 8<<30), nil, 0, 0},
		{"camera silent 4 min", report(wed10, wed10.Add(-4*time.Minute), 8<<30), nil, 0, 0},
		{"camera silent 5 min, open", report(wed10, wed10.Add(-5*time.Minute), 8<<30), nil, 1, 0},
		{"camera silent an hour, closed", report(wed22, wed22.Add(-time.Hour), 8<<30), nil, 0, 0},
		{"disk nearly full at night", report(wed22, wed22.Add(-time.Second), 200<<20), nil, 0, 1},
		{"both", report(wed10, wed10.Add(-time.Hour), 1<<20), nil, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			camera, disk := kinds(central.KioskHealthEvents(k, tc.prev, tc.h, set))
			if len(camera) != tc.camera || len(disk) != tc.disk {
				t.Fatalf("%d camera and %d disk alerts, want %d and %d", len(camera), len(disk), tc.camera, tc.disk)
			}
			if tc.camera == 1 && !camera[0].Equal(tc.h.LastFrame) {
				t.Fatalf("camera incident since %v, want the last frame %v", camera[0], tc.h.LastFrame)
			}
		})
	}

	// A camera that never gave a frame since kioskd started: the incident
	// starts then, and stays the same in the next report.
	first := &central.KioskHealth{Kiosk: 3, Received: wed10, Started: wed10.Add(-6 * time.Minute), DiskFree: -1}
	c1, _ := kinds(central.KioskHealthEvents(k, nil, first, set))
	next := &central.KioskHealth{Kiosk: 3, Received: wed10.Add(time.Minute), Started: wed10.Add(-6 * time.Minute), DiskFree: -1}
	c2, _ := kinds(central.KioskHealthEvents(k, first, next, set))
	if len(c1) != 1 || len(c2) != 1 || !c1[0].Equal(c2[0]) || !c1[0].Equal(first.Started) {
		t.Fatalf("camera never delivered: incidents %v then %v, want both at kioskd's start", c1, c2)
	}

	// The disk incident carries over while the disk stays low, and a new
	// one starts after it was fine again.
	low1 := report(wed10, wed10, 100<<20)
	_, d1 := kinds(central.KioskHealthEvents(k, nil, low1, set))
	low2 := report(wed10.Add(time.Minute), wed10.Add(time.Minute), 90<<20)
	_, d2 := kinds(central.KioskHealthEvents(k, low1, low2, set))
	fine := report(wed10.Add(2*time.Minute), wed10.Add(2*time.Minute), 8<<30)
	_, d3 := kinds(central.KioskHealthEvents(k, low2, fine, set))
	low3 := report(wed10.Add(3*time.Minute), wed10.Add(3*time.Minute), 80<<20)
	_, d4 := kinds(central.KioskHealthEvents(k, fine, low3, set))
	if len(d1) != 1 || len(d2) != 1 || !d1[0].Equal(d2[0]) || len(d3) != 0 || !fine.DiskLowSince.IsZero() ||
		len(d4) != 1 || d4[0].Equal(d1[0]) {
		t.Fatalf("disk incidents %v, %v, %v, %v", d1, d2, d3, d4)
	}
}

func TestBytes(t *testing.T) {
	for _, tc := range []struct {
		b           central.Bytes
		fr, english string
	}{
		{512 << 10, "512 ko", "512 kB"}, {120 << 20, "120 Mo", "120 MB"}, {3 << 29, "1,5 Go", "1.5 GB"},
		{12 << 30, "12 Go", "12 GB"}, {-1, "?", "?"},
	} {
		if got := tc.b.French(); got != tc.fr {
			t.Errorf("%d French = %q, want %q", tc.b, got, tc.fr)
		}
		if got := tc.b.English(); got != tc.english {
			t.Errorf("%d English = %q, want %q", tc.b, got, tc.english)
		}
	}
}
