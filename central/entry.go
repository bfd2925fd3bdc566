package central

import (
	"context"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// Entry is one decision made at a kiosk and pushed to central: personal
// movement data, purged after the retention period (setting
// entries.retention_days). What the books need of it lives on in visits.
type Entry struct {
	ID     string // UUIDv7 made by the kiosk: with (Kiosk, Seq), the idempotency key
	Kiosk  int64
	Seq    int64
	Member int64      // 0 when the badge was unknown (or the member erased)
	Badge  badge.Hash // zero when the QR code was not a badge

	// KioskTime is the kiosk's clock at the scan; Time is central's best
	// estimate of the real time (see CorrectTimes), used for the visit day.
	KioskTime time.Time
	Time      time.Time
	// ClockUnsure says Time may be wrong: the kiosk said so, or its clock
	// was off and the entry could not be corrected.
	ClockUnsure bool
	// TimeCorrected says Time was computed from the kiosk's monotonic clock.
	TimeCorrected bool
	BootID        string
	Mono          time.Duration // the kiosk's monotonic clock at the scan

	Accept bool
	Reason access.Reason
	// KioskConsumed is the pack the kiosk predicted to consume (0: none).
	KioskConsumed int64
	// Consumed is central's derivation: the entry made a visit that a pack
	// or an overdraft paid (the first accepted entry of the member at that
	// space that day, when no subscription covered it).
	Consumed bool
	Received time.Time // when central stored it
}

// Visit is a ledger debit: a member at a space on a calendar day (in the
// space's time zone) with at least one accepted entry. At most one per
// member, space and day, whatever the number of entries and kiosks.
type Visit struct {
	ID     int64
	Member int64
	Space  string
	Day    access.Day
	// Entry is the earliest accepted entry of that day ("" once purged)
	// and Time its time.
	Entry string
	Time  time.Time
	// Charge says what paid it (ChargeCovered, ChargePack,
	// ChargeOverdraft) and Sale which pack; both derived by Settle.
	Charge string
	Sale   int64
	// Guest is the guest pass whose visit this is, taking one of the
	// host's entries (setting guests.consumes_host_entry; Member is the
	// host, ID the pass); 0 for the member's own visit.
	Guest int64
	// SpaceID is the space of Space (SpaceOfKey), set by the ledger's use
	// cases before settling; 0 when not known (every sale pays it).
	SpaceID int64
}

// EntryFilter selects entries. Zero fields select everything.
type EntryFilter struct {
	Kiosk  *int64
	Member *int64
	Since  time.Time // Time >= Since
	Until  time.Time // Time < Until
	Offset int
	Limit  int
}

// VisitFilter selects visits. Zero fields select everything.
type VisitFilter struct {
	Member *int64
	Space  *string
	Since  access.Day // Day >= Since
	Until  access.Day // Day <= Until
	// Guests adds the visits of guests that took one of their host's
	// entries (guests.consumes_host_entry): Visit.Guest set, Member the
	// host, ID the pass. They are paid by the host's passes, so the
	// settlement between spaces counts them as her own (issue 14).
	Guests bool
	Offset int
	Limit  int
}

// EntryService reads entries and visits.
type EntryService interface {
	// FindEntries returns the matching entries ordered by time, kiosk and
	// sequence, and how many match without Offset and Limit.
	FindEntries(ctx context.Context, filter EntryFilter) ([]*Entry, int, error)

	// FindVisits returns the matching visits ordered by day, space and
	// member, and how many match without Offset and Limit.
	FindVisits(ctx context.Context, filter VisitFilter) ([]*Visit, int, error)
}

// RetentionService forgets personal data that is no longer needed.
// centrald serve runs it daily with the cut-offs of the settings
// entries.retention_days and sync.tombstone_days.
type RetentionService interface {
	// PurgeEntries deletes the entries older than before (by Time) that
	// their kiosk's ack covers, and returns how many. Visits and sales
	// stay: balances do not change. Audited.
	PurgeEntries(ctx context.Context, before time.Time) (int, error)

	// PurgeTombstones deletes the tombstones of members erased before
	// before; kiosks with an older cursor then get a full snapshot.
	PurgeTombstones(ctx context.Context, before time.Time) (int, error)
}

// RetentionTx is what purging needs of a store, inside a write
// transaction (see ledger.go).
type RetentionTx interface {
	// DeleteAckedEntries deletes the entries with a Time before before
	// whose sequence their kiosk's ack covers, and returns how many.
	DeleteAckedEntries(ctx context.Context, before time.Time) (int, error)
	// RaiseEntriesHorizon records before as the purge horizon of entries,
	// unless a later one is recorded.
	RaiseEntriesHorizon(ctx context.Context, before time.Time) error
	// DeleteTombstones deletes the tombstones of members erased before
	// before, and returns how many and the highest version among them.
	DeleteTombstones(ctx context.Context, before time.Time) (n int, newest int64, err error)
	// RaiseTombstoneHorizon records version as the tombstone horizon,
	// unless a higher one is recorded.
	RaiseTombstoneHorizon(ctx context.Context, version int64) error
	// Audit records a change made by ctx's actor; details hold no secret.
	Audit(ctx context.Context, action, object string, details any) error
}

// PurgeEntries deletes in tx the entries older than before (by Time)
// that their kiosk's ack covers: an entry above a gap may still be resent,
// and must then be recognised as a duplicate. Visits and sales stay:
// balances do not change. The cut-off becomes the entries' horizon, which
// tells a purged entry sent again (older) from a new entry reusing a purged
// sequence (see SyncLedger.Push). Audited.
func PurgeEntries(ctx context.Context, tx RetentionTx, before time.Time) (int, error) {
	n, err := tx.DeleteAckedEntries(ctx, before)
	if err != nil || n == 0 {
		return 0, err
	}
	if err := tx.RaiseEntriesHorizon(ctx, before); err != nil {
		return 0, err
	}
	if err := tx.Audit(ctx, "entries.purge", "entries", map[string]any{"before": before.UTC(), "deleted": n}); err != nil {
		return 0, err
	}
	return n, nil
}

// PurgeTombstones deletes in tx the tombstones of members erased before
// before. The highest version purged becomes the tombstone horizon: a pull
// with an older cursor might miss an erasure, so it gets a full snapshot.
// Audited.
func PurgeTombstones(ctx context.Context, tx RetentionTx, before time.Time) (int, error) {
	n, newest, err := tx.DeleteTombstones(ctx, before)
	if err != nil || n == 0 {
		return 0, err
	}
	if err := tx.RaiseTombstoneHorizon(ctx, newest); err != nil {
		return 0, err
	}
	if err := tx.Audit(ctx, "tombstones.purge", "tombstones", map[string]any{"before": before.UTC(), "deleted": n}); err != nil {
		return 0, err
	}
	return n, nil
}
