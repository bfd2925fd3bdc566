package central

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// The ledger's use cases live here, over small store interfaces: a push
// (which entries are replays, duplicates or conflicts, their clock
// correction, which entry makes a member's visit of a day, the ack), a pull
// (a snapshot or the changes since a cursor, with tombstones) and settling
// a member (her visits against her sales with access.Settle). A store
// implements reads and writes only; every decision above is made here, once,
// whatever the engine.
//
// Transactions: a use case runs inside one store transaction, which the
// store opens, passes in, and commits when the use case returns nil
// (LedgerStore.UpdateLedger, ViewLedger). The use case sees the
// transaction as an interface (LedgerTx, LedgerView) of plain reads and
// writes; it never begins, commits or retries. A push thus stays one
// transaction: its entries, visits, ack, balances, sync versions and the
// messages its arrivals cause are committed together or not at all. A
// store's own services (creating or refunding a sale) call SettleMember with
// their transaction in the same way.

// LedgerStore runs the ledger's use cases in its transactions.
type LedgerStore interface {
	// UpdateLedger runs fn in one write transaction, committed when fn
	// returns nil and rolled back otherwise (fn's error is returned).
	UpdateLedger(ctx context.Context, fn func(LedgerTx) error) error
	// ViewLedger runs fn in one read transaction: one consistent snapshot.
	ViewLedger(ctx context.Context, fn func(LedgerView) error) error
}

// MemberChange is a member changed (or erased: Deleted) at a sync version.
type MemberChange struct {
	Member  int64
	Version int64
	Deleted bool
}

// KioskMemberData is what a pull reads of a member: what kiosks see, and
// her sales, from which the pull derives her entitlements.
type KioskMemberData struct {
	*KioskMember
	Sales []*Sale // not refunded, by id
}

// LedgerView reads the ledger inside a transaction.
type LedgerView interface {
	// Now is the transaction's time: every row it writes carries it.
	Now() time.Time
	Settings(ctx context.Context) (Settings, error)
	// FindKiosk returns ENOTFOUND for an unknown kiosk.
	FindKiosk(ctx context.Context, id int64) (*Kiosk, error)
	// SyncCounter returns the sync version counter (the last version
	// given) and the tombstone horizon (the highest version of the
	// tombstones purged).
	SyncCounter(ctx context.Context) (counter, horizon int64, err error)
	// MembersAfter lists the ids of members above after, ascending, at
	// most limit.
	MembersAfter(ctx context.Context, after int64, limit int) ([]int64, error)
	// ChangesAfter lists the members and tombstones with a version above
	// after, by version, at most limit.
	ChangesAfter(ctx context.Context, after int64, limit int) ([]MemberChange, error)
	// KioskMembers loads the members of ids that exist, in any order, with
	// their badges (by id), their sales not refunded (by id) and their last
	// visit day at space.
	KioskMembers(ctx context.Context, ids []int64, space string) ([]KioskMemberData, error)
	// LastAccepted returns, for the badges of the members ids, when each
	// was last accepted at a kiosk of space at or after since (badges
	// not accepted since then are left out).
	LastAccepted(ctx context.Context, ids []int64, space string, since time.Time) (map[badge.Hash]time.Time, error)
	// CodeKey returns central's public code-signing key (see CodeKeys).
	CodeKey(ctx context.Context) (ed25519.PublicKey, error)
	// KioskEvents returns the events not over at the store's now whose
	// version is in (after, upTo], at most MaxKioskEvents, with their
	// registrations as kiosks need them.
	KioskEvents(ctx context.Context, after, upTo int64) ([]KioskEventData, error)
	SpaceView
}

// SettleTx is what settling a member needs, inside a write transaction.
type SettleTx interface {
	// MemberSales returns all her sales (refunded ones too), with their
	// cached Left.
	MemberSales(ctx context.Context, member int64) ([]*Sale, error)
	// MemberVisits returns her visits with ID, Space, Day, Charge and Sale.
	MemberVisits(ctx context.Context, member int64) ([]*Visit, error)
	SetSaleLeft(ctx context.Context, sale int64, left int) error
	SetVisitCharge(ctx context.Context, visit int64, charge string, sale int64) error
	// SetOverdraft stores her overdraft and, when version is not 0, gives
	// her that sync version (kiosks receive her again).
	SetOverdraft(ctx context.Context, member int64, overdraft int, version int64) error
	// MemberGuestVisits returns the visits of her guests that take her
	// entries (not the others), with Guest (the pass, also their ID),
	// Space, Day, Charge and Sale.
	MemberGuestVisits(ctx context.Context, member int64) ([]*Visit, error)
	SetGuestVisitCharge(ctx context.Context, pass int64, charge string, sale int64) error
	SpaceView
}

// LedgerTx reads and writes the ledger inside a write transaction.
type LedgerTx interface {
	LedgerView
	SettleTx
	// ExistingMembers reports which of ids exist.
	ExistingMembers(ctx context.Context, ids []int64) (map[int64]bool, error)
	// InsertEntry stores e unless its id or its (kiosk, seq) is held; it
	// reports whether it did.
	InsertEntry(ctx context.Context, e *Entry) (bool, error)
	// EntryKiosk returns the kiosk of the entry held with id, if any.
	EntryKiosk(ctx context.Context, id string) (kiosk int64, found bool, err error)
	// SeqHeld reports whether an entry is held at (kiosk, seq).
	SeqHeld(ctx context.Context, kiosk, seq int64) (bool, error)
	// EntriesHorizon is the latest cut-off of the entries purged (zero:
	// none purged).
	EntriesHorizon(ctx context.Context) (time.Time, error)
	// AddVisit inserts v (Member, Space, Day, Entry, Time, Charge) unless
	// that member, space and day have a visit already; then it loads that
	// visit's ID, Entry and Time into v instead. It reports whether it
	// inserted.
	AddVisit(ctx context.Context, v *Visit) (created bool, err error)
	// SetVisitEntry makes entry, at t, the visit's entry.
	SetVisitEntry(ctx context.Context, visit int64, entry string, t time.Time) error
	// ContiguousSeq returns the highest n >= from such that the kiosk's
	// entries from+1 to n are all held.
	ContiguousSeq(ctx context.Context, kiosk, from int64) (int64, error)
	// MaxSeq returns the highest sequence held for the kiosk (0: none).
	MaxSeq(ctx context.Context, kiosk int64) (int64, error)
	SetKioskAck(ctx context.Context, kiosk, ack int64) error
	KioskSeen(ctx context.Context, kiosk int64, seen KioskSeen) error
	// NextVersions takes n sync versions and returns the last one: the n
	// versions are last-n+1 to last.
	NextVersions(ctx context.Context, n int) (last int64, err error)
	// Arrived enqueues what new visits cause (the Reactions to their
	// ArrivalEvents), in the transaction. Members are loaded by the store
	// when it has reactions.
	Arrived(ctx context.Context, arrivals []Arrival) error
	// GuestPassByHash returns the guest pass whose badge hash is h (the
	// hash its guest's entries carry), or nil when there is none.
	GuestPassByHash(ctx context.Context, h badge.Hash) (*GuestPass, error)
	// AddGuestVisit inserts v (Guest, Member the host, Space, Day, Entry,
	// Time, Charge), taking one of the host's entries or not, unless its
	// pass has a visit already; it reports whether it inserted.
	AddGuestVisit(ctx context.Context, v *Visit, takesEntry bool) (created bool, err error)
	// GuestsArrived enqueues the Reactions to guests' arrivals, in the
	// transaction. Hosts are loaded by the store when it has reactions.
	GuestsArrived(ctx context.Context, arrivals []GuestArrival) error
	EventAttendance
}

// EntryID returns the canonical form of an entry id (a UUID, lower case),
// or EINVALID. The sync API calls it once for every entry it receives;
// stores and use cases compare ids as they are.
func EntryID(s string) (string, error) {
	if len(s) != 36 {
		return "", Errorf(EINVALID, "Entry id %q is not a UUID.", s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return "", Errorf(EINVALID, "Entry id %q is not a UUID.", s)
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
			return "", Errorf(EINVALID, "Entry id %q is not a UUID.", s)
		}
	}
	return strings.ToLower(s), nil
}

// SyncLedger is the sync protocol's use cases (SyncService) over a store.
type SyncLedger struct {
	Store LedgerStore
}

var _ SyncService = (*SyncLedger)(nil)

// Push implements SyncService, in one transaction of the store.
//
// Each entry is classified: an id central holds is a replay (a duplicate,
// whatever its seq, or a conflict when another kiosk holds it); a new id
// at a (kiosk, seq) central holds with another id (a kiosk restored from a
// backup) is not stored but answered in Resend, with NextSeq, for the
// kiosk to renumber; a new id at a sequence the ack covers but that
// retention purged is a replay when it is older than the purge horizon,
// and answered in Resend otherwise. Other entries are stored with their
// corrected time (CorrectTimes); a member central does not know is
// forgotten (an anonymous entry). Each new accepted entry of a member makes
// or joins her visit of the kiosk's space and the entry's day (in the
// space's time zone); the visit keeps the earliest entry (by time, then
// id), so which entry consumed does not depend on the order entries arrive
// in. The ack advances over the contiguous sequences held; the members
// with new visits are settled and get new sync versions; their arrivals
// are enqueued.
//
// Entries after a sequence gap are stored, but the ack stays below the gap
// until it is filled: the kiosk sees an ack lower than it expects and sends
// the missing entries again. Nothing that arrived is refused or lost.
func (l *SyncLedger) Push(ctx context.Context, p *Push) (PushResult, error) {
	var res PushResult
	err := l.Store.UpdateLedger(ctx, func(tx LedgerTx) error {
		var err error
		res, err = push(ctx, tx, p)
		return err
	})
	if err != nil {
		return PushResult{}, err
	}
	return res, nil
}

func push(ctx context.Context, tx LedgerTx, p *Push) (PushResult, error) {
	var res PushResult
	k, err := tx.FindKiosk(ctx, p.Kiosk)
	if err != nil {
		return res, err
	}
	settings, err := tx.Settings(ctx)
	if err != nil {
		return res, err
	}
	spaces, err := tx.Spaces(ctx)
	if err != nil {
		return res, err
	}
	// Visits are days in the space's time zone (its own, or the settings');
	// its own policies (anti-passback) over the network's.
	space := SpaceByID(spaces, SpaceOfKey(spaces, k.Space))
	loc := space.Location(settings)
	settings = space.Apply(settings)
	passback := settings.Passback() > 0
	now := tx.Now()
	if p.Received.IsZero() {
		p.Received = now
	}
	CorrectTimes(p)

	var ids []int64
	for _, e := range p.Entries {
		if e.Member > 0 {
			ids = append(ids, e.Member)
		}
	}
	known := map[int64]bool{}
	if len(ids) > 0 {
		if known, err = tx.ExistingMembers(ctx, ids); err != nil {
			return res, err
		}
	}
	affected := map[int64]bool{}
	var arrivals []Arrival
	var guests []GuestArrival
	var horizon *time.Time // read once, when needed
	for _, e := range p.Entries {
		e.Kiosk, e.Received, e.Consumed = k.ID, now, false
		if e.Member > 0 && !known[e.Member] {
			e.Member = 0 // unknown here (erased, or another database): kept as an anonymous entry
		}
		// At or below the ack the sequence is held (or was, and purged):
		// only the id tells a replay from a new entry.
		inserted := false
		if e.Seq > k.Acked {
			if inserted, err = tx.InsertEntry(ctx, e); err != nil {
				return res, err
			}
		}
		if !inserted {
			kiosk, found, err := tx.EntryKiosk(ctx, e.ID)
			switch {
			case err != nil:
				return res, err
			case found && kiosk == k.ID:
				res.Duplicates++ // a replay, maybe at another sequence (renumbered)
				continue
			case found:
				res.Conflicts++ // another kiosk's entry: a copied kiosk database
				continue
			}
			if e.Seq <= k.Acked {
				held, err := tx.SeqHeld(ctx, k.ID, e.Seq)
				if err != nil {
					return res, err
				}
				if !held { // purged: a replay if as old as the purged entries
					if horizon == nil {
						h, err := tx.EntriesHorizon(ctx)
						if err != nil {
							return res, err
						}
						horizon = &h
					}
					if e.Time.Before(*horizon) {
						res.Duplicates++
						continue
					}
				}
			}
			res.Conflicts++
			res.Resend = append(res.Resend, e.Seq)
			continue
		}
		res.Inserted++
		// A guest's entry carries her host as its member: it is not the
		// host's visit (she may come herself the same day, or not), but
		// her guest's, which may take one of her entries (recordGuest).
		if e.Accept && e.Member != 0 && e.Reason == access.OKGuest {
			ga, consumed, err := recordGuest(ctx, tx, e, k, loc, settings.GuestConsumesHostEntry())
			if err != nil {
				return res, err
			}
			if ga != nil {
				guests = append(guests, *ga)
			}
			if consumed {
				affected[e.Member] = true
			}
		}
		if e.Accept && e.Reason == access.OKEvent {
			// Her registration is attended; her entry is a visit only for
			// an event that consumes (or one central does not know her
			// registered to: a day like any other).
			consumes, found, err := attendEvent(ctx, tx, e, SpaceOfKey(spaces, k.Space), spaces)
			if err != nil {
				return res, err
			}
			if found && !consumes {
				continue
			}
		}
		if !e.Accept || e.Member == 0 || e.Reason == access.OKGuest {
			continue
		}
		if passback {
			// Other kiosks learn of this acceptance at their next pull.
			affected[e.Member] = true
		}
		v, created, err := recordVisit(ctx, tx, e, k.Space, access.DayOf(e.Time, loc))
		if err != nil {
			return res, err
		}
		if created {
			affected[e.Member] = true
			arrivals = append(arrivals, Arrival{Entry: e, Kiosk: k, Visit: v})
		}
	}

	if res.Ack, err = tx.ContiguousSeq(ctx, k.ID, k.Acked); err != nil {
		return res, err
	}
	if err := tx.SetKioskAck(ctx, k.ID, res.Ack); err != nil {
		return res, err
	}
	k.Acked = res.Ack
	last, err := tx.MaxSeq(ctx, k.ID)
	if err != nil {
		return res, err
	}
	res.NextSeq = max(last, k.Acked) + 1
	if err := tx.KioskSeen(ctx, k.ID, KioskSeen{At: now, Software: p.Software, Pending: p.Pending}); err != nil {
		return res, err
	}

	members := make([]int64, 0, len(affected))
	for m := range affected {
		members = append(members, m)
	}
	slices.Sort(members)
	if len(members) > 0 {
		// One counter update gives every affected member her new version.
		last, err := tx.NextVersions(ctx, len(members))
		if err != nil {
			return res, err
		}
		for i, m := range members {
			if err := SettleMember(ctx, tx, m, last-int64(len(members)-1-i)); err != nil {
				return res, err
			}
		}
	}
	if len(arrivals) > 0 {
		if err := tx.Arrived(ctx, arrivals); err != nil {
			return res, err
		}
	}
	if len(guests) > 0 {
		if err := tx.GuestsArrived(ctx, guests); err != nil {
			return res, err
		}
	}
	return res, nil
}

// recordVisit makes the visit of the entry's member at the space on day, or
// joins it; the visit keeps the earliest entry (by time, then id).
func recordVisit(ctx context.Context, tx LedgerTx, e *Entry, space string, day access.Day) (*Visit, bool, error) {
	// Most accepted entries start a visit: the store tries the insert first.
	v := &Visit{Member: e.Member, Space: space, Day: day, Entry: e.ID, Time: e.Time, Charge: ChargeOverdraft} // until settled
	created, err := tx.AddVisit(ctx, v)
	if err != nil || created {
		return v, created, err
	}
	t := e.Time.Truncate(time.Microsecond) // stores keep microseconds
	if t.Before(v.Time) || (t.Equal(v.Time) && (v.Entry == "" || e.ID < v.Entry)) {
		if err := tx.SetVisitEntry(ctx, v.ID, e.ID, e.Time); err != nil {
			return nil, false, err
		}
	}
	v.Entry = "" // not necessarily this entry's: what the arrival hooks need is the visit
	return v, false, nil
}

// SettleMember re-derives a member's balance from her sales and visits
// (Settle) and stores the caches that changed: each pack's Left, each
// visit's charge, her overdraft; with version not 0, she gets that sync
// version. Called in the transaction of every change of her sales or
// visits.
func SettleMember(ctx context.Context, tx SettleTx, member, version int64) error {
	sales, err := tx.MemberSales(ctx, member)
	if err != nil {
		return err
	}
	visits, err := tx.MemberVisits(ctx, member)
	if err != nil {
		return err
	}
	guestVisits, err := tx.MemberGuestVisits(ctx, member)
	if err != nil {
		return err
	}
	visits = append(visits, guestVisits...)
	if err := placeSales(ctx, tx, sales, visits); err != nil {
		return err
	}
	oldLeft := make(map[int64]int, len(sales))
	for _, s := range sales {
		oldLeft[s.ID] = s.Left
	}
	type charge struct {
		charge string
		sale   int64
	}
	type visitKey struct{ id, guest int64 } // a guest visit's ID is its pass's
	oldCharge := make(map[visitKey]charge, len(visits))
	for _, v := range visits {
		oldCharge[visitKey{v.ID, v.Guest}] = charge{v.Charge, v.Sale}
	}
	overdraft := Settle(sales, visits)
	for _, s := range sales {
		if s.Left != oldLeft[s.ID] {
			if err := tx.SetSaleLeft(ctx, s.ID, s.Left); err != nil {
				return err
			}
		}
	}
	for _, v := range visits {
		if oldCharge[visitKey{v.ID, v.Guest}] == (charge{v.Charge, v.Sale}) {
			continue
		}
		set := tx.SetVisitCharge
		if v.Guest != 0 {
			set = tx.SetGuestVisitCharge
		}
		if err := set(ctx, v.ID, v.Charge, v.Sale); err != nil {
			return err
		}
	}
	return tx.SetOverdraft(ctx, member, overdraft, version)
}

// placeSales sets where each sale is valid (its product's spaces) and the
// space of each visit (by its key), so that Settle pays a visit only with
// what is valid at its space.
func placeSales(ctx context.Context, tx SpaceView, sales []*Sale, visits []*Visit) error {
	valid, err := tx.ProductValidSpaces(ctx)
	if err != nil {
		return err
	}
	for _, s := range sales {
		s.Spaces = valid[s.Product]
	}
	if len(visits) == 0 {
		return nil
	}
	spaces, err := tx.Spaces(ctx)
	if err != nil {
		return err
	}
	for _, v := range visits {
		v.SpaceID = SpaceOfKey(spaces, v.Space)
	}
	return nil
}

// Pull implements SyncService, in one read transaction of the store: the
// counter, the members and the kiosk's ack are read together, so Acked is
// exactly what the balances include.
//
// A snapshot is sent when the cursor is 0, above the counter (the kiosk's
// state comes from another database) or below the tombstone horizon (it
// may have missed an erasure). A snapshot pages by member id with the
// counter at its start as Cursor: changes made while it is read come again
// in the next incremental pull. An incremental pull pages by version; its
// Cursor is the last version included, or the counter when complete.
func (l *SyncLedger) Pull(ctx context.Context, req PullRequest) (*PullPage, error) {
	limit := req.Limit
	if limit == 0 {
		limit = DefaultPullLimit
	}
	if limit < 0 || limit > MaxPullLimit {
		return nil, Errorf(EINVALID, "Pull limit %d outside 1..%d.", limit, MaxPullLimit)
	}
	var out *PullPage
	err := l.Store.ViewLedger(ctx, func(tx LedgerView) error {
		var err error
		out, err = pull(ctx, tx, req, limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func pull(ctx context.Context, tx LedgerView, req PullRequest, limit int) (*PullPage, error) {
	k, err := tx.FindKiosk(ctx, req.Kiosk)
	if err != nil {
		return nil, err
	}
	counter, horizon, err := tx.SyncCounter(ctx)
	if err != nil {
		return nil, err
	}
	settings, err := tx.Settings(ctx)
	if err != nil {
		return nil, err
	}
	spaces, err := tx.Spaces(ctx)
	if err != nil {
		return nil, err
	}
	here := SpaceOfKey(spaces, k.Space)
	space := SpaceByID(spaces, here)
	loc := space.Location(settings)
	settings = space.Apply(settings) // its own door policies
	today := access.DayOf(tx.Now(), loc)
	spaceName := k.Space
	if spaceName == "" {
		spaceName = settings.SpaceName()
	}
	var spaceKey string // its first name, that guest passes mailed before a rename are signed for
	if here != MainSpace && space != nil {
		spaceName = space.Name // renamed since the kiosk was added: its key is the old name
		spaceKey = space.Key
	}
	tz, hours := settings.Timezone(), settings.Get(SettingHours)
	if space != nil && space.Timezone != "" {
		tz = space.Timezone
	}
	if space != nil && space.Hours != "" {
		hours = space.Hours // the space's own door hours
	}
	key, err := tx.CodeKey(ctx)
	if err != nil {
		return nil, err
	}
	out := &PullPage{
		Acked: k.Acked,
		Settings: KioskSettings{Space: spaceName, SpaceID: here, SpaceKey: spaceKey, Timezone: tz, Hours: hours,
			StaleAfter: settings.Get(SettingStaleAfter), StalePolicy: settings.StalePolicy(),
			CodeKey: base64.StdEncoding.EncodeToString(key), CodeTolerance: settings.CodeTolerance().String(),
			Passback:          settings.Get(SettingPassback),
			RequireMembership: settings.RequireMembership(), GuestConsumes: settings.GuestConsumesHostEntry(),
			ShowNames: settings.ShowNames()},
	}

	var snapshot bool
	var cursor, after int64
	if req.Page != "" {
		tok, err := parsePageToken(req.Page)
		if err != nil {
			return nil, err
		}
		snapshot, cursor, after = tok.snapshot, tok.cursor, tok.after
		if (snapshot && cursor > counter) || (!snapshot && after > counter) {
			snapshot, cursor, after = true, counter, 0 // a page of another database: start over
		}
	} else if req.Cursor <= 0 || req.Cursor > counter || req.Cursor < horizon {
		snapshot, cursor = true, counter
	} else {
		after = req.Cursor
	}

	var ids []int64
	if snapshot {
		out.Snapshot, out.Cursor = true, cursor
		if ids, err = tx.MembersAfter(ctx, after, limit+1); err != nil {
			return nil, err
		}
		if len(ids) > limit {
			ids = ids[:limit]
			out.More, out.Page = true, pageToken{snapshot: true, cursor: cursor, after: ids[len(ids)-1]}.String()
		}
	} else {
		changes, err := tx.ChangesAfter(ctx, after, limit+1)
		if err != nil {
			return nil, err
		}
		if len(changes) > limit { // the one row past the page
			changes, out.More = changes[:limit], true
		}
		for _, c := range changes {
			if c.Deleted {
				out.Deleted = append(out.Deleted, c.Member)
			} else {
				ids = append(ids, c.Member)
			}
		}
		out.Cursor = counter
		if out.More {
			last := changes[len(changes)-1].Version
			out.Cursor, out.Page = last, pageToken{after: last}.String()
		}
	}
	// The events of the kiosk's space: every one not over with a
	// snapshot's first page; with an incremental page, those whose version
	// is in the page's range, so that the pages of a pull send each change
	// once, whatever happens meanwhile.
	evFrom, evTo := after, out.Cursor
	if snapshot {
		evFrom, evTo = -1, cursor
		if after != 0 {
			evTo = evFrom // a later page
		}
	}
	if evTo > evFrom {
		events, err := tx.KioskEvents(ctx, evFrom, evTo)
		if err != nil {
			return nil, err
		}
		for _, ev := range events {
			if EventSpace(spaces, ev.Space) == here {
				out.Events = append(out.Events, ev.KioskEvent)
			}
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	data, err := tx.KioskMembers(ctx, ids, k.Space)
	if err != nil {
		return nil, err
	}
	valid, err := tx.ProductValidSpaces(ctx)
	if err != nil {
		return nil, err
	}
	network := len(spaces) > 1
	var registered map[int64]bool // members registered to an event here, read when needed
	byID := make(map[int64]KioskMemberData, len(data))
	for _, d := range data {
		byID[d.ID] = d
	}
	// Anti-passback across kiosks: when each badge was last accepted at
	// the space, within the anti-passback time.
	var lastAccepted map[badge.Hash]time.Time
	if pb := settings.Passback(); pb > 0 {
		if lastAccepted, err = tx.LastAccepted(ctx, ids, k.Space, tx.Now().Add(-pb)); err != nil {
			return nil, err
		}
	}
	out.Members = make([]*KioskMember, 0, len(ids))
	for _, id := range ids {
		d, ok := byID[id]
		if !ok {
			continue // erased between the listing and now: cannot happen in one read transaction
		}
		m := d.KioskMember
		for _, s := range d.Sales {
			s.Spaces = valid[s.Product]
		}
		if network && !mayEnter(d.Sales, here) && registered == nil {
			if registered, err = registeredAt(ctx, tx, spaces, here, counter); err != nil {
				return nil, err
			}
		}
		if network && !mayEnter(d.Sales, here) && !registered[id] {
			// Not a member of this space: the kiosk holds none of her data,
			// only her badges' hashes (to say not_valid_here), and drops
			// her if it held her (she lost her last pass valid here).
			out.Elsewhere = append(out.Elsewhere, elsewhereBadges(m.Badges, d.Sales)...)
			if !snapshot {
				out.Deleted = append(out.Deleted, id)
			}
			continue
		}
		if !out.Settings.ShowNames {
			m.Name = "" // the door greets nobody by name: the kiosk holds none
		}
		if m.Badges == nil {
			m.Badges = []KioskBadge{}
		}
		for i := range m.Badges {
			m.Badges[i].LastAccepted = lastAccepted[m.Badges[i].Hash]
		}
		m.Entitlements = []access.Entitlement{}
		if ents := NewBalance(id, d.Sales, 0, today).Entitlements; ents != nil {
			m.Entitlements = ents
		}
		for i, e := range m.Entitlements {
			if e.ValidAt(here) {
				m.Entitlements[i].Spaces = access.AllSpaces // all the kiosk needs to know
			}
		}
		out.Members = append(out.Members, m)
	}
	return out, nil
}

// registeredAt returns the members registered to the events of space not
// over: its kiosks hold them, with or without a pass valid there, to let
// them in for the event.
func registeredAt(ctx context.Context, tx LedgerView, spaces []*Space, space, counter int64) (map[int64]bool, error) {
	events, err := tx.KioskEvents(ctx, -1, counter)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for _, ev := range events {
		if EventSpace(spaces, ev.Space) == space {
			for _, m := range ev.Members {
				out[m] = true
			}
		}
	}
	return out, nil
}

// mayEnter reports whether a member with these sales (not refunded) may
// be held by a kiosk of space: one of them is valid there. An expired one
// counts (the door then says why, "subscription expired"); a member who
// never bought anything is a member of no space of a network.
func mayEnter(sales []*Sale, space int64) bool {
	for _, s := range sales {
		if s.Spaces.Has(space) {
			return true
		}
	}
	return false
}

// elsewhereBadges returns a member's badges as a kiosk of another space
// holds them: hashes only, nothing that names or counts her. A member with
// no sale at all is no one's: none.
func elsewhereBadges(badges []KioskBadge, sales []*Sale) []KioskBadge {
	if len(sales) == 0 {
		return nil
	}
	out := make([]KioskBadge, len(badges))
	for i, b := range badges {
		out[i] = KioskBadge{Hash: b.Hash, Revoked: b.Revoked}
	}
	return out
}

// pageToken continues a pull. Its text form is opaque to kiosks.
type pageToken struct {
	snapshot bool
	cursor   int64 // snapshot: the counter at its start
	after    int64 // snapshot: last member id sent; incremental: last version sent
}

func (t pageToken) String() string {
	var s string
	if t.snapshot {
		s = fmt.Sprintf("s:%d:%d", t.cursor, t.after)
	} else {
		s = fmt.Sprintf("i:%d", t.after)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func parsePageToken(s string) (pageToken, error) {
	bad := Errorf(EINVALID, "Invalid pull page token.")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) > 64 {
		return pageToken{}, bad
	}
	parts := strings.Split(string(raw), ":")
	num := func(p string) (int64, bool) {
		n, err := strconv.ParseInt(p, 10, 64)
		return n, err == nil && n >= 0
	}
	switch {
	case len(parts) == 3 && parts[0] == "s":
		c, ok1 := num(parts[1])
		a, ok2 := num(parts[2])
		if ok1 && ok2 {
			return pageToken{snapshot: true, cursor: c, after: a}, nil
		}
	case len(parts) == 2 && parts[0] == "i":
		if a, ok := num(parts[1]); ok && a > 0 {
			return pageToken{after: a}, nil
		}
	}
	return pageToken{}, bad
}
