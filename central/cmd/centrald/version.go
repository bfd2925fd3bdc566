package main

import (
	"context"
	"fmt"
	"runtime"
	"time"

	buildversion "github.com/badgeuse/badgeuse/shared/version"
)

// version is stamped by make (deploy/version.sh):
// -ldflags "-X main.version=1.2.3". See shared/version.
var version = ""

func versionString() string { return buildversion.String(version) }

func cmdVersion(e *env, args []string) error {
	if err := e.flags(args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "centrald %s (%s)\n", versionString(), runtime.Version())
	return nil
}

// purge applies the retention settings: entries older than
// entries.retention_days, tombstones older than sync.tombstone_days.
func purge(ctx context.Context, db *database, now time.Time) (entries, tombstones int, err error) {
	s, err := db.Settings.Settings(ctx)
	if err != nil {
		return 0, 0, err
	}
	r := db.Entry
	if entries, err = r.PurgeEntries(ctx, now.AddDate(0, 0, -s.RetentionDays())); err != nil {
		return 0, 0, err
	}
	if tombstones, err = r.PurgeTombstones(ctx, now.AddDate(0, 0, -s.TombstoneDays())); err != nil {
		return entries, 0, err
	}
	return entries, tombstones, nil
}

func cmdPurge(e *env, args []string) error {
	db, err := e.start(args)
	if err != nil {
		return err
	}
	n, t, err := purge(e.ctx, db, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d entries and %d tombstones purged\n", n, t)
	return nil
}
