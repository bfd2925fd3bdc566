package main

import (
	"context"
	"path/filepath"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/sqlite"
)

// healthReport makes the health report the uplink sends with each sync:
// the door's camera and decisions, the data disk, the database's size,
// the version and how long kioskd has run.
func healthReport(door *kiosk.Door, db *sqlite.DB, started time.Time) func(context.Context) kiosk.Report {
	return func(context.Context) kiosk.Report {
		now := time.Now()
		r := door.Report(now)
		r.Started, r.Uptime, r.Software = started, now.Sub(started), version
		r.DiskFree, r.DiskTotal = sqlite.DiskSpace(filepath.Dir(db.Path()))
		r.DatabaseBytes = db.Size()
		return r
	}
}
