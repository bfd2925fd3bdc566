package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/badgeuse/badgeuse/central/sqlite"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", ""
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "-dirty"
				}
			}
		}
		if len(rev) > 12 {
			return "dev-" + rev[:12] + dirty
		}
	}
	return "dev"
}

func cmdVersion(e *env, args []string) error {
	if err := e.flags(args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "centrald %s (%s)\n", versionString(), runtime.Version())
	return nil
}

// purge applies the retention settings: entries older than
// entries.retention_days, tombstones older than sync.tombstone_days.
func purge(ctx context.Context, db *sqlite.DB, now time.Time) (entries, tombstones int, err error) {
	s, err := sqlite.NewSettingsService(db).Settings(ctx)
	if err != nil {
		return 0, 0, err
	}
	r := sqlite.NewEntryService(db)
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
