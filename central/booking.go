package central

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Booking rooms and equipment (issue 15): resources of a space (a meeting
// room, a phone booth, a projector) booked by slots within bookable hours.
// Slots and hours are wall-clock times of the space's time zone: a
// 09:00-10:00 slot is 09:00-10:00 in Paris on the day of a DST change too.
// Bookings are instants: one across the spring change lasts an hour less
// than its clock times say (the weekly limit counts real time), and the
// repeated autumn hour can be booked twice, once per pass. Conflicts are
// decided by Book in the store's write transaction (BookingTx), one
// booking after another, so two people booking the same slot at once
// never both get it.

// Bounds of a resource.
const (
	MaxResourceName = 100
	MinSlot         = 5 * time.Minute
	MaxSlot         = 24 * time.Hour
)

// Resource is something members book.
type Resource struct {
	ID    int64
	Name  string
	Space string // "" is the main space
	// Opens and Closes are the bookable hours, minutes after local
	// midnight (540 is 09:00); Closes up to 1440 (midnight).
	Opens, Closes int
	// Slot is the length bookings are made of (30 minutes: 09:00-09:30,
	// 09:30-10:00...).
	Slot time.Duration
	// MaxPerWeek bounds what one member books in a week (Monday to
	// Sunday, local); 0: no bound.
	MaxPerWeek time.Duration
	Active     bool
	Created    time.Time
}

// Validate checks and normalizes the resource. It returns EINVALID.
func (r *Resource) Validate() error {
	r.Name = strings.Join(strings.Fields(r.Name), " ")
	r.Space = strings.TrimSpace(r.Space)
	switch {
	case r.Name == "":
		return Errorf(EINVALID, "Resource name required.")
	case utf8.RuneCountInString(r.Name) > MaxResourceName || len(r.Space) > MaxEventSpace:
		return Errorf(EINVALID, "Resource name too long (%d characters at most).", MaxResourceName)
	case r.Slot < MinSlot || r.Slot > MaxSlot || r.Slot%time.Minute != 0:
		return Errorf(EINVALID, "A slot lasts from 5 minutes to 24 hours, in whole minutes.")
	case r.Opens < 0 || r.Closes > 24*60 || r.Opens >= r.Closes:
		return Errorf(EINVALID, "Bookable hours: the opening comes before the closing, within the day.")
	case (r.Closes-r.Opens)%int(r.Slot/time.Minute) != 0:
		return Errorf(EINVALID, "The bookable hours must hold a whole number of slots.")
	case r.MaxPerWeek < 0:
		return Errorf(EINVALID, "The weekly limit cannot be negative.")
	}
	return nil
}

// CheckSlot checks that start-end is a booking this resource takes: whole
// slots of one local day, within the bookable hours, at times that exist
// on the space's clock. It returns EINVALID.
func (r *Resource) CheckSlot(start, end time.Time, loc *time.Location) error {
	if !end.After(start) {
		return Errorf(EINVALID, "A booking ends after it starts.")
	}
	ls, le := start.In(loc), end.In(loc)
	day := time.Date(ls.Year(), ls.Month(), ls.Day(), 0, 0, 0, 0, loc)
	from := ls.Hour()*60 + ls.Minute()
	to := le.Hour()*60 + le.Minute()
	if le.Year() != ls.Year() || le.YearDay() != ls.YearDay() {
		// Only midnight ends a booking on the next day.
		next := day.AddDate(0, 0, 1)
		if !le.Equal(next) {
			return Errorf(EINVALID, "A booking holds within one day.")
		}
		to = 24 * 60
	}
	slot := int(r.Slot / time.Minute)
	if ls.Second() != 0 || le.Second() != 0 || ls.Nanosecond() != 0 || le.Nanosecond() != 0 ||
		(from-r.Opens)%slot != 0 || (to-r.Opens)%slot != 0 {
		return Errorf(EINVALID, "A booking is made of whole slots of %d minutes from %s.", slot, clockOf(r.Opens))
	}
	if from < r.Opens || to > r.Closes {
		return Errorf(EINVALID, "Bookable from %s to %s.", clockOf(r.Opens), clockOf(r.Closes))
	}
	return nil
}

// clockOf writes minutes after midnight as "09:30" (1440, the closing
// at midnight, as "24:00").
func clockOf(min int) string {
	if min == 24*60 {
		return "24:00"
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(min) * time.Minute).Format("15:04")
}

// Booking is a resource held from Start to End, by a member or blocked by
// the bureau (Member 0, Blocked).
type Booking struct {
	ID        int64
	Resource  int64
	Member    int64
	Blocked   bool   // time the bureau took (maintenance, an event)
	Note      string // the bureau's reason for a block
	Start     time.Time
	End       time.Time
	Created   time.Time
	Cancelled time.Time // zero while it holds

	// ByBureau: the bureau books the slot in the member's name (she has
	// no phone at hand, she asked at the desk). The member's weekly limit
	// is not checked: it shares a resource among members booking for
	// themselves, and the bureau, who decides exceptions, is the one
	// asking (the journal says who, with "by_bureau"). The booking counts
	// in her week all the same, so her own later bookings meet the limit.
	// Not stored.
	ByBureau bool
}

// Overlaps reports whether two time ranges [aStart, aEnd) and [bStart,
// bEnd) share an instant: back-to-back bookings do not.
func Overlaps(aStart, aEnd, bStart, bEnd time.Time) bool {
	return aStart.Before(bEnd) && bStart.Before(aEnd)
}

// WeekOf returns the local week (Monday 00:00 to the next Monday 00:00)
// holding t; it lasts 167 or 169 hours the weeks the clock changes.
func WeekOf(t time.Time, loc *time.Location) (time.Time, time.Time) {
	l := t.In(loc)
	back := (int(l.Weekday()) + 6) % 7 // days since Monday
	start := time.Date(l.Year(), l.Month(), l.Day()-back, 0, 0, 0, 0, loc)
	return start, start.AddDate(0, 0, 7)
}

// WeekUse sums what bookings hold within the week [weekStart, weekEnd).
func WeekUse(bs []*Booking, weekStart, weekEnd time.Time) time.Duration {
	var d time.Duration
	for _, b := range bs {
		s, e := b.Start, b.End
		if s.Before(weekStart) {
			s = weekStart
		}
		if e.After(weekEnd) {
			e = weekEnd
		}
		if e.After(s) {
			d += e.Sub(s)
		}
	}
	return d
}

// BookingFilter selects bookings that hold (not cancelled).
type BookingFilter struct {
	Resource *int64
	Member   *int64
	Since    time.Time // End > Since
	Until    time.Time // Start < Until
	// Limit bounds the bookings read, soonest first: 0 (or more than
	// MaxBookings) reads MaxBookings. A list that holds Limit may have
	// been cut.
	Limit int
}

// MaxBookings bounds the bookings a list reads.
const MaxBookings = 2000

// BookingTx is what deciding a booking reads and writes of a store,
// inside its write transaction: what Book reads cannot change before the
// booking it adds is committed.
type BookingTx interface {
	// Now is the transaction's time.
	Now() time.Time
	Settings(ctx context.Context) (Settings, error)
	Spaces(ctx context.Context) ([]*Space, error)
	// FindResource returns a resource, or ENOTFOUND.
	FindResource(ctx context.Context, id int64) (*Resource, error)
	MemberExists(ctx context.Context, member int64) (bool, error)
	// Bookings returns the bookings that hold (BookingFilter).
	Bookings(ctx context.Context, f BookingFilter) ([]*Booking, error)
	// InsertBooking stores b (its Created given) and sets its ID.
	InsertBooking(ctx context.Context, b *Booking) error
	// Audit records a change made by ctx's actor.
	Audit(ctx context.Context, action, object string, details any) error
}

// Book decides a booking and adds it through tx, as BookingService.Book
// says: whole slots of the resource's bookable hours on its space's clock
// (PlaceLocation), not past, of a member who exists (a block is
// nobody's), overlapping no booking that holds (Overlaps: back to back
// is fine; time the bureau blocked says so), and, for a member booking
// for herself, within her weekly
// limit (WeekOf, WeekUse: real time, the week of the space's clock).
func Book(ctx context.Context, tx BookingTx, b *Booking) error {
	r, err := tx.FindResource(ctx, b.Resource)
	if err != nil {
		return err
	}
	if !r.Active {
		return Errorf(EINVALID, "This resource is not bookable any more.")
	}
	set, err := tx.Settings(ctx)
	if err != nil {
		return err
	}
	spaces, err := tx.Spaces(ctx)
	if err != nil {
		return err
	}
	loc := PlaceLocation(spaces, r.Space, set)
	if err := r.CheckSlot(b.Start, b.End, loc); err != nil {
		return err
	}
	if !b.End.After(tx.Now()) {
		return Errorf(EINVALID, "This time is past.")
	}
	if b.Blocked {
		b.Member = 0
	} else if ok, err := tx.MemberExists(ctx, b.Member); err != nil {
		return err
	} else if !ok {
		return Errorf(ENOTFOUND, "Member %d not found.", b.Member)
	}
	held, err := tx.Bookings(ctx, BookingFilter{Resource: &r.ID, Since: b.Start, Until: b.End})
	if err != nil {
		return err
	}
	for _, h := range held {
		switch {
		case !Overlaps(h.Start, h.End, b.Start, b.End):
		case h.Blocked:
			return Errorf(ECONFLICT, "This time is blocked by the bureau.")
		default:
			return Errorf(ECONFLICT, "This slot is already booked.")
		}
	}
	if !b.Blocked && !b.ByBureau && r.MaxPerWeek > 0 {
		ws, we := WeekOf(b.Start, loc)
		mine, err := tx.Bookings(ctx, BookingFilter{Resource: &r.ID, Member: &b.Member, Since: ws, Until: we})
		if err != nil {
			return err
		}
		if WeekUse(mine, ws, we)+WeekUse([]*Booking{b}, ws, we) > r.MaxPerWeek {
			return Errorf(ECONFLICT, "Weekly limit reached: %s a member a week for this resource.", r.MaxPerWeek.String())
		}
	}
	b.Created = tx.Now()
	if err := tx.InsertBooking(ctx, b); err != nil {
		return err
	}
	detail := map[string]any{"booking": b.ID, "member": b.Member, "blocked": b.Blocked,
		"start": b.Start.UTC().Format(auditTime), "end": b.End.UTC().Format(auditTime)}
	if b.ByBureau && !b.Blocked {
		detail["by_bureau"] = true
	}
	return tx.Audit(ctx, "booking.create", "resource:"+strconv.FormatInt(r.ID, 10), detail)
}

// ResourceTx is what changing a resource reads and writes of a store,
// inside its write transaction: the bookings read cannot change before
// the resource is saved.
type ResourceTx interface {
	// Now is the transaction's time.
	Now() time.Time
	Settings(ctx context.Context) (Settings, error)
	Spaces(ctx context.Context) ([]*Space, error)
	// FindResource returns a resource, or ENOTFOUND.
	FindResource(ctx context.Context, id int64) (*Resource, error)
	// Bookings returns the bookings that hold (BookingFilter).
	Bookings(ctx context.Context, f BookingFilter) ([]*Booking, error)
	// SaveResource stores r's name, place, hours, slot and weekly limit.
	SaveResource(ctx context.Context, r *Resource) error
	// Audit records a change made by ctx's actor.
	Audit(ctx context.Context, action, object string, details any) error
}

// CheckResourceChange decides whether the bureau may change resource old
// into r (both valid), given coming, the bookings and blocked times of
// old that hold from now on (not over, not cancelled):
//
//   - another space (EventSpace, whatever the letters' case) is refused
//     while any is to come: members booked it at its space, whose doors
//     let them in, on its clock; moved, a member of the first space
//     might not get in, and a space of another time zone would read her
//     10:00 as another hour. A resource at a place that names no space
//     (UnknownPlace, stored by an older version) moves all the same, as
//     `centrald room space` moves it: no door held its bookings.
//   - new bookable hours, slot length or clock are refused when a booking
//     to come would not be made of whole slots of the new hours
//     (CheckSlot on the new space's clock): it would show outside the
//     day's slots, and nobody could tell it was still held.
//
// A lower weekly limit applies to the bookings made after it; those made
// stay. It returns ECONFLICT.
func CheckResourceChange(old, r *Resource, spaces []*Space, set Settings, coming []*Booking) error {
	from, to := EventSpace(spaces, old.Space), EventSpace(spaces, r.Space)
	if from != to && from != 0 && len(coming) > 0 {
		return Errorf(ECONFLICT, "Bookings to come (%d): the resource cannot move to another space until they are over or cancelled.", len(coming))
	}
	newLoc, oldLoc := PlaceLocation(spaces, r.Space, set), PlaceLocation(spaces, old.Space, set)
	if r.Opens == old.Opens && r.Closes == old.Closes && r.Slot == old.Slot && newLoc.String() == oldLoc.String() {
		return nil
	}
	for _, b := range coming {
		if r.CheckSlot(b.Start, b.End, newLoc) != nil {
			return Errorf(ECONFLICT, "A booking to come (%s) would not fit the new bookable hours or slots: keep them until it is over or cancelled.",
				b.Start.In(oldLoc).Format("02/01/2006 15:04"))
		}
	}
	return nil
}

// UpdateResource changes a resource through tx, as
// BookingService.UpdateResource says: valid (Validate), as
// CheckResourceChange allows against its bookings to come; whether it is
// bookable and when it was made stay. Audited as resource.update, with
// what it was.
func UpdateResource(ctx context.Context, tx ResourceTx, r *Resource) error {
	if err := r.Validate(); err != nil {
		return err
	}
	old, set, spaces, err := resourcePlaced(ctx, tx, r.ID)
	if err != nil {
		return err
	}
	coming, err := tx.Bookings(ctx, BookingFilter{Resource: &r.ID, Since: tx.Now()})
	if err != nil {
		return err
	}
	if err := CheckResourceChange(old, r, spaces, set, coming); err != nil {
		return err
	}
	r.Active, r.Created = old.Active, old.Created
	if err := tx.SaveResource(ctx, r); err != nil {
		return err
	}
	detail := map[string]any{"name": r.Name, "space": r.Space, "opens": clockOf(r.Opens), "closes": clockOf(r.Closes),
		"slot_minutes": int(r.Slot / time.Minute), "max_hours_week": int(r.MaxPerWeek / time.Hour)}
	if old.Name != r.Name {
		detail["name_before"] = old.Name
	}
	if old.Space != r.Space {
		detail["space_before"] = old.Space
	}
	return tx.Audit(ctx, "resource.update", "resource:"+strconv.FormatInt(r.ID, 10), detail)
}

// ResourceActiveTx is what withdrawing a resource, or putting it back,
// reads and writes of a store, inside its write transaction: no member
// books it between the check and the change.
type ResourceActiveTx interface {
	// Now is the transaction's time.
	Now() time.Time
	// FindResource returns a resource, or ENOTFOUND.
	FindResource(ctx context.Context, id int64) (*Resource, error)
	// Bookings returns the bookings that hold (BookingFilter).
	Bookings(ctx context.Context, f BookingFilter) ([]*Booking, error)
	// SetResourceActive makes a resource bookable or not.
	SetResourceActive(ctx context.Context, id int64, active bool) error
	// Audit records a change made by ctx's actor.
	Audit(ctx context.Context, action, object string, details any) error
}

// WithdrawResource takes a resource off the members' bookings (a room the
// association gave up, a broken projector) through tx, as
// BookingService.WithdrawResource says: refused (ECONFLICT) while members
// hold bookings of it to come, which the bureau cancels first, each
// member told (CancelBooking: BookingCancelled) — withdrawing does not
// cancel them itself, so that nobody loses a booking by a tap she did
// not read. Blocked times stay as they are: nobody books a withdrawn
// resource, and put back it keeps them. Withdrawing one withdrawn already
// is no error and changes nothing (a double tap). Audited as
// resource.withdraw.
func WithdrawResource(ctx context.Context, tx ResourceActiveTx, id int64) error {
	r, err := tx.FindResource(ctx, id)
	if err != nil {
		return err
	}
	if !r.Active {
		return nil
	}
	coming, err := tx.Bookings(ctx, BookingFilter{Resource: &id, Since: tx.Now()})
	if err != nil {
		return err
	}
	n := 0
	for _, b := range coming {
		if !b.Blocked && b.Member != 0 {
			n++
		}
	}
	if n > 0 {
		return Errorf(ECONFLICT, "Bookings of members to come (%d): cancel them before withdrawing the resource.", n)
	}
	if err := tx.SetResourceActive(ctx, id, false); err != nil {
		return err
	}
	return tx.Audit(ctx, "resource.withdraw", "resource:"+strconv.FormatInt(id, 10), map[string]any{"name": r.Name})
}

// RestoreResource puts a withdrawn resource back into service through tx:
// members book it again, at its hours. One bookable already is no error
// and changes nothing. Audited as resource.restore.
func RestoreResource(ctx context.Context, tx ResourceActiveTx, id int64) error {
	r, err := tx.FindResource(ctx, id)
	if err != nil {
		return err
	}
	if r.Active {
		return nil
	}
	if err := tx.SetResourceActive(ctx, id, true); err != nil {
		return err
	}
	return tx.Audit(ctx, "resource.restore", "resource:"+strconv.FormatInt(id, 10), map[string]any{"name": r.Name})
}

// resourceReader reads a resource and what places it (ResourceTx,
// BookingCancelTx).
type resourceReader interface {
	FindResource(ctx context.Context, id int64) (*Resource, error)
	Settings(ctx context.Context) (Settings, error)
	Spaces(ctx context.Context) ([]*Space, error)
}

// resourcePlaced returns resource id with the settings and spaces that
// give its space and clock (PlaceLocation).
func resourcePlaced(ctx context.Context, tx resourceReader, id int64) (*Resource, Settings, []*Space, error) {
	r, err := tx.FindResource(ctx, id)
	if err != nil {
		return nil, Settings{}, nil, err
	}
	set, err := tx.Settings(ctx)
	if err != nil {
		return nil, Settings{}, nil, err
	}
	spaces, err := tx.Spaces(ctx)
	if err != nil {
		return nil, Settings{}, nil, err
	}
	return r, set, spaces, nil
}

// BookingCancelTx is what cancelling a booking reads and writes of a
// store, inside its write transaction.
type BookingCancelTx interface {
	// Now is the transaction's time.
	Now() time.Time
	// FindBooking returns a booking (cancelled or not), or ENOTFOUND.
	FindBooking(ctx context.Context, id int64) (*Booking, error)
	// SetBookingCancelled cancels a booking at the transaction's time.
	SetBookingCancelled(ctx context.Context, id int64) error
	// Audit records a change made by ctx's actor.
	Audit(ctx context.Context, action, object string, details any) error
	// FindResource, Settings and Spaces give the clock of a booking the
	// bureau cancels (BookingCancelled).
	FindResource(ctx context.Context, id int64) (*Resource, error)
	Settings(ctx context.Context) (Settings, error)
	Spaces(ctx context.Context) ([]*Space, error)
	// React enqueues in the transaction what the events cause.
	React(ctx context.Context, events ...Event) error
}

// BookingCancelled: the bureau cancelled a member's booking (a member's
// own cancel and a block freed are not told: she knows, and a block is
// nobody's). Location is the clock of the resource's space
// (PlaceLocation), on which she booked it.
type BookingCancelled struct {
	Booking  *Booking
	Resource *Resource
	Location *time.Location
}

func (BookingCancelled) event() {}

// CancelBooking cancels a booking through tx, as
// BookingService.CancelBooking says: a member (member not 0) cancels her
// own only, another's being ENOTFOUND as if it did not exist (she learns
// nothing of others' bookings), and cancelling twice is no error. The
// bureau (member 0) cancelling a member's booking reacts with
// BookingCancelled, once: twice cancels nothing more.
func CancelBooking(ctx context.Context, tx BookingCancelTx, id, member int64) error {
	b, err := tx.FindBooking(ctx, id)
	if err != nil {
		return err
	}
	if member != 0 && b.Member != member {
		return Errorf(ENOTFOUND, "Booking %d not found.", id)
	}
	if !b.Cancelled.IsZero() {
		return nil
	}
	if err := tx.SetBookingCancelled(ctx, id); err != nil {
		return err
	}
	if err := tx.Audit(ctx, "booking.cancel", "resource:"+strconv.FormatInt(b.Resource, 10), map[string]any{"booking": id}); err != nil {
		return err
	}
	if member != 0 || b.Member == 0 || b.Blocked {
		return nil
	}
	r, set, spaces, err := resourcePlaced(ctx, tx, b.Resource)
	if err != nil {
		return err
	}
	b.Cancelled = tx.Now()
	return tx.React(ctx, BookingCancelled{Booking: b, Resource: r, Location: PlaceLocation(spaces, r.Space, set)})
}

// auditTime is how the journal writes a booking's times (as the store
// writes times: fixed width, UTC).
const auditTime = "2006-01-02T15:04:05.000000Z"

// BookingService keeps resources and bookings. Changes are audited with
// the actor of the context.
type BookingService interface {
	CreateResource(ctx context.Context, r *Resource) error
	FindResources(ctx context.Context) ([]*Resource, error)
	// SetResourcePlace moves a resource to place (a space's key, as
	// ResolvePlace returns it; "" the main space), audited: a resource
	// stored at a place that names no space (UnknownPlaces). Returns
	// ENOTFOUND.
	SetResourcePlace(ctx context.Context, id int64, place string) error
	// UpdateResource changes a resource's name, place, bookable hours,
	// slot and weekly limit in one write transaction (UpdateResource:
	// CheckResourceChange against its bookings to come), audited.
	// Returns EINVALID, ECONFLICT or ENOTFOUND.
	UpdateResource(ctx context.Context, r *Resource) error
	// WithdrawResource makes a resource not bookable any more (Book
	// refuses it, the member portal does not show it), in one write
	// transaction (WithdrawResource: refused while members hold bookings
	// of it to come), audited; RestoreResource makes it bookable again.
	// Both return ENOTFOUND; WithdrawResource ECONFLICT too.
	WithdrawResource(ctx context.Context, id int64) error
	RestoreResource(ctx context.Context, id int64) error
	// Book checks the slot (Resource.CheckSlot in the space's zone), the
	// member's weekly limit and conflicts with the bookings that hold, in
	// one write transaction, and adds the booking. Returns EINVALID,
	// ECONFLICT (the slot is taken, or the weekly limit reached) or
	// ENOTFOUND. A blocked booking (the bureau) and one the bureau makes
	// for a member (ByBureau) skip the weekly limit.
	Book(ctx context.Context, b *Booking) error
	// CancelBooking cancels a booking; member, when not 0, must be its
	// holder (ENOTFOUND otherwise).
	CancelBooking(ctx context.Context, id, member int64) error
	FindBookings(ctx context.Context, f BookingFilter) ([]*Booking, error)
	// FindBooking returns a booking, cancelled or not (the journal names
	// the one a booking.cancel cancelled), or ENOTFOUND.
	FindBooking(ctx context.Context, id int64) (*Booking, error)
}
