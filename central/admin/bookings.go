package admin

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// Booking rooms and equipment (issue 15): the bureau's /resources and the
// member portal's Réserver tab, one day of a week at a time (a phone shows
// a day's slots; the week's days are links). Conflicts are the store's.

type resourcesData struct {
	// Resources are the bookable ones, Withdrawn the others
	// (resource_withdraw.go), listed apart.
	Resources []*central.Resource
	Withdrawn []*central.Resource
	// Blocks are the coming blocked times by resource (blocks.go).
	Blocks map[int64][]*central.Booking
	// Booked are the members' coming bookings by resource, for the
	// bureau to cancel (blocks.go: at most bookingsShown a resource, in
	// the blocks' window); BookedMore how many more each has there.
	Booked     map[int64][]heldBooking
	BookedMore map[int64]int
	// Cut: the window held more bookings and blocks than the page reads
	// (Server.resourcesRead, the soonest first): Read of them, up to
	// CutAt (the last one's start); the lists and counts stop there.
	Cut   bool
	Read  int
	CutAt time.Time
	Today string // the form's default day
	// The form to book for a member (blocks.go): the search typed, the
	// members it offers, and whether the search matched nobody.
	Who     string
	Members []*central.Member
	NoMatch bool
	// Spaces are what a network user picks a new resource's space from
	// (placeChoices).
	Spaces []*central.Space
	// Form is the new resource's form: its defaults, or as typed with
	// the reason of its refusal under its field (resource_edit.go).
	// Zone is "": the space picked decides the clock.
	Form resourceForm
	Zone string
}

// newResourceForm is the new resource's form, before anything is typed.
var newResourceForm = resourceForm{Opens: "08:00", Closes: "20:00", Slot: "30", MaxHours: "0"}

// resourceList lists the resources, their coming blocked times and the
// forms to add a resource and block time (GET /resources).
func (s *Server) resourceList(w http.ResponseWriter, r *http.Request) {
	s.renderResources(w, r, http.StatusOK, "")
}

func (s *Server) renderResources(w http.ResponseWriter, r *http.Request, status int, errText string) {
	s.renderResourcesForm(w, r, status, errText, newResourceForm)
}

// renderResourcesForm is renderResources with the new resource's form
// as typed (f).
func (s *Server) renderResourcesForm(w http.ResponseWriter, r *http.Request, status int, errText string, f resourceForm) {
	rs, err := s.cfg.Bookings.FindResources(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	sc := requestScope(r) // a user of a space: her space's resources and their blocks
	rs = slices.DeleteFunc(rs, func(res *central.Resource) bool { return !sc.HasPlace(res.Space) })
	var withdrawn []*central.Resource
	rs = slices.DeleteFunc(rs, func(res *central.Resource) bool {
		if !res.Active {
			withdrawn = append(withdrawn, res)
		}
		return !res.Active
	})
	now := s.now()
	p := s.newPage(r, "resources.title", nil)
	d := resourcesData{Resources: rs, Withdrawn: withdrawn, Blocks: map[int64][]*central.Booking{}, Booked: map[int64][]heldBooking{},
		BookedMore: map[int64]int{}, Today: now.In(p.loc).Format("2006-01-02"), Form: f}
	if d.Spaces, err = s.placeChoices(r); err != nil {
		s.failErr(w, r, err)
		return
	}
	bs, err := s.cfg.Bookings.FindBookings(r.Context(), central.BookingFilter{Since: now, Until: now.Add(blocksShown),
		Limit: s.resourcesRead})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if len(bs) > 0 && len(bs) >= s.resourcesRead { // the store read no more: there may be
		d.Cut, d.Read, d.CutAt = true, len(bs), bs[len(bs)-1].Start
	}
	for _, b := range bs {
		if b.Blocked && slices.ContainsFunc(rs, func(res *central.Resource) bool { return res.ID == b.Resource }) {
			d.Blocks[b.Resource] = append(d.Blocks[b.Resource], b)
		}
	}
	if p.Can("POST /resources/{id}/bookings/{booking}/cancel") {
		if err := s.heldBookings(r.Context(), rs, bs, &d); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	if p.Can("POST /resources/book") && len(rs) > 0 {
		who := strings.TrimSpace(r.URL.Query().Get("who"))
		if len(who) > 100 {
			who = who[:100]
		}
		if d.Members, err = s.bookForChoices(r, who); err != nil {
			s.failErr(w, r, err)
			return
		}
		d.Who, d.NoMatch = who, who != "" && len(d.Members) == 0
	}
	p.D, p.Error = d, errText
	s.renderStatus(w, r, status, "resources", p)
}

// resourceCreate adds a resource (POST /resources): 303 to the list, or
// 400 with the form as typed and the reason under its field, as its edit
// (resourceUpdate): a number or a time that is none ("abc", "1,5"), an
// unknown space, what the domain refuses. Nothing is added then.
func (s *Server) resourceCreate(w http.ResponseWriter, r *http.Request) {
	f := resourceForm{Name: r.PostFormValue("name"), Space: r.PostFormValue("space"), Opens: r.PostFormValue("opens"),
		Closes: r.PostFormValue("closes"), Slot: r.PostFormValue("slot"), MaxHours: r.PostFormValue("max_hours")}
	lang := requestLang(r)
	bad := func(status int, field, text string) {
		f.ErrField, f.ErrText = field, text
		s.renderResourcesForm(w, r, status, "", f)
	}
	// A user of a space adds her space's resources, whatever the form says.
	place, err := s.formPlace(r, f.Space)
	if central.ErrorCode(err) == central.EINVALID {
		bad(http.StatusBadRequest, "space", domainMessage(lang, err))
		return
	} else if err != nil {
		s.failErr(w, r, err)
		return
	}
	res := &central.Resource{Name: f.Name, Space: place}
	if field, key := f.read(res); field != "" {
		bad(http.StatusBadRequest, field, translate(lang, key))
		return
	}
	// The form sent twice (a double tap) adds one resource.
	s.actOnce(w, r, "/resources", "resource_once", func() string {
		if err := s.cfg.Bookings.CreateResource(r.Context(), res); err != nil {
			if code := central.ErrorCode(err); code == central.EINVALID || code == central.ECONFLICT {
				bad(central.HTTPStatus(code), resourceField(err), domainMessage(lang, err))
				return ""
			}
			s.failErr(w, r, err)
			return ""
		}
		redirect(w, r, "/resources", "resource_created")
		return "/resources"
	})
}

// clockMinutes reads "09:30" as minutes after midnight ("24:00" is 1440);
// -1 for anything else (Validate refuses it).
func clockMinutes(v string) int {
	h, m, ok := strings.Cut(strings.TrimSpace(v), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return -1
	}
	return hh*60 + mm
}

// bookSlot is one slot of the day shown.
type bookSlot struct {
	Start, End time.Time
	Mine       int64 // her booking's id
	Taken      bool
	Past       bool
}

type bookDay struct {
	Date     time.Time // local midnight
	Selected bool
}

type bookData struct {
	Token     string
	Resources []*central.Resource
	Resource  *central.Resource
	Days      []bookDay
	Day       time.Time
	Slots     []bookSlot
	PrevWeek  string
	NextWeek  string
	Portal    *portalScope // her spaces (portal_spaces.go)
	// Mine are her coming bookings (myBookings), More that she has
	// more than those; Back the query of the grid shown, where cancelling
	// one of them comes back to.
	Mine []myBooking
	More bool
	Back string
}

// myBooking is one line of her coming bookings: a resource held from
// Start to End by one booking of hers (First), or by several back to back
// (With the others): a member books an afternoon slot by slot.
type myBooking struct {
	Resource   *central.Resource
	Start, End time.Time
	First      int64
	With       []int64
}

// myBookingsShown bounds the lines of her coming bookings.
const myBookingsShown = 20

// maxBookingsCancelled bounds the bookings one cancel takes (a line of
// back-to-back slots: a day of 15-minute slots is 96).
const maxBookingsCancelled = 96

// myBookings returns her bookings not over yet, soonest first, on the
// resources her portal shows (rs), those back to back on a resource in
// one line: at most myBookingsShown lines, and whether she has more.
func (s *Server) myBookings(ctx context.Context, member int64, rs []*central.Resource, now time.Time) ([]myBooking, bool, error) {
	bs, err := s.cfg.Bookings.FindBookings(ctx, central.BookingFilter{Member: &member, Since: now})
	if err != nil {
		return nil, false, err
	}
	var mine []myBooking
	last := map[int64]int{} // a resource's latest line in mine
	for _, b := range bs {  // by start
		i := slices.IndexFunc(rs, func(res *central.Resource) bool { return res.ID == b.Resource })
		if i < 0 {
			continue
		}
		if j, ok := last[b.Resource]; ok && mine[j].End.Equal(b.Start) && len(mine[j].With) < maxBookingsCancelled-1 {
			mine[j].End, mine[j].With = b.End, append(mine[j].With, b.ID)
			continue
		}
		if len(mine) == myBookingsShown {
			return mine, true, nil
		}
		last[b.Resource] = len(mine)
		mine = append(mine, myBooking{Resource: rs[i], Start: b.Start, End: b.End, First: b.ID})
	}
	return mine, false, nil
}

// selfBook shows a resource's slots for a day of a week (GET
// /m/{token}/book?resource=ID&day=2026-12-04).
func (s *Server) selfBook(w http.ResponseWriter, r *http.Request) {
	l, token, ok := s.selfLink(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	p := s.newPage(r, "", nil)
	loc, now := p.loc, s.now()
	d := bookData{Token: token}
	var err error
	if d.Resources, err = s.cfg.Bookings.FindResources(ctx); err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.Portal, err = s.portalScope(r, l.Member); err != nil {
		s.failErr(w, r, err)
		return
	}
	// Her spaces' resources (the one picked).
	d.Resources = slices.DeleteFunc(d.Resources, func(res *central.Resource) bool { return !d.Portal.Shows(res.Space) })
	// The one asked for, or the first bookable: a link to one the bureau
	// withdrew since shows another, saying so on top.
	want, _ := strconv.ParseInt(r.URL.Query().Get("resource"), 10, 64)
	refused := r.URL.Query().Get("refused")
	for _, res := range d.Resources {
		if res.Active && (d.Resource == nil || res.ID == want) {
			d.Resource = res
		}
		if res.ID == want && !res.Active && refused == "" {
			refused = "closed"
		}
	}
	if d.Resource != nil { // days and slots on the clock of the resource's space
		if loc, err = p.placeLoc(d.Resource.Space); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	day, err := time.ParseInLocation("2006-01-02", r.URL.Query().Get("day"), loc)
	if err != nil {
		n := now.In(loc)
		day = time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	}
	d.Day = day
	ws, _ := central.WeekOf(day, loc)
	for i := range 7 {
		dd := ws.AddDate(0, 0, i)
		d.Days = append(d.Days, bookDay{Date: dd, Selected: dd.Equal(day)})
	}
	d.PrevWeek, d.NextWeek = ws.AddDate(0, 0, -7).Format("2006-01-02"), ws.AddDate(0, 0, 7).Format("2006-01-02")
	if d.Mine, d.More, err = s.myBookings(ctx, l.Member, d.Resources, now); err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.Back = "?day=" + day.Format("2006-01-02"); d.Resource != nil {
		d.Back = "?resource=" + i64(d.Resource.ID) + "&day=" + day.Format("2006-01-02")
	}
	if d.Portal.Pick != 0 { // a cancel comes back to the space she picked
		d.Back += "&space=" + i64(d.Portal.Pick)
	}
	if d.Resource != nil {
		res := d.Resource
		next := day.AddDate(0, 0, 1)
		bs, err := s.cfg.Bookings.FindBookings(ctx, central.BookingFilter{Resource: &res.ID, Since: day, Until: next})
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		for m := res.Opens; m < res.Closes; m += int(res.Slot / time.Minute) {
			st := time.Date(day.Year(), day.Month(), day.Day(), m/60, m%60, 0, 0, loc)
			en := st.Add(res.Slot)
			if st.In(loc).Hour()*60+st.In(loc).Minute() != m { // the hour the clock skips in spring
				continue
			}
			sl := bookSlot{Start: st, End: en, Past: !en.After(now)}
			for _, b := range bs {
				if central.Overlaps(b.Start, b.End, st, en) {
					if b.Member == l.Member {
						sl.Mine = b.ID
					} else {
						sl.Taken = true
					}
				}
			}
			d.Slots = append(d.Slots, sl)
		}
	}
	// A booking refused (selfBookPost) says why, on top.
	s.selfRender(w, r, l, http.StatusOK, token, "self_book", "/book", "self.book.title", d,
		bookRefusalText(p.Lang, refused, d.Resource))
}

// selfBookPost books a slot (POST /m/{token}/book: resource, start and
// end as Unix seconds), then 303 to that day's grid saying « Réservé. ».
// A slot central's rules refuse (bookRefusals: taken meanwhile, blocked,
// over her week, past, off the hours, the resource withdrawn) also
// answers 303 to that day's grid, which says why at its top (refused=)
// and shows the slot as it is now: on a phone, an error page was a dead
// end. Times that are no slot's (no numbers, the end first) are 400, a
// resource id malformed or unknown 404.
func (s *Server) selfBookPost(w http.ResponseWriter, r *http.Request) {
	l, token, ctx, ok := s.selfPost(w, r)
	if !ok {
		return
	}
	res, err1 := strconv.ParseInt(r.PostFormValue("resource"), 10, 64)
	start, err2 := strconv.ParseInt(r.PostFormValue("start"), 10, 64)
	end, err3 := strconv.ParseInt(r.PostFormValue("end"), 10, 64)
	if err1 != nil || res <= 0 { // a malformed id is not found (selfPostOn)
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err2 != nil || err3 != nil || start <= 0 || end <= start {
		s.fail(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	// A resource of a space her portal does not show her is not found.
	rs, err := s.cfg.Bookings.FindResources(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	ps, err := s.portalScope(r, l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if i := slices.IndexFunc(rs, func(x *central.Resource) bool { return x.ID == res }); i >= 0 && !ps.May(rs[i].Space) {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if !s.selfThrottled(w, r, "book", l.Member, selfPlanPolicy) {
		return
	}
	b := &central.Booking{Resource: res, Member: l.Member, Start: time.Unix(start, 0).UTC(), End: time.Unix(end, 0).UTC()}
	refused := ""
	if err := s.cfg.Bookings.Book(ctx, b); err != nil && !s.bookedAlready(ctx, err, b) {
		if refused = bookRefusal(err); refused == "" {
			s.failErr(w, r, err)
			return
		}
	}
	loc, err := s.resourceLoc(s.newPage(r, "", nil), res)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	grid := "/m/" + token + "/book?resource=" + i64(res) + "&day=" + b.Start.In(loc).Format("2006-01-02")
	if ps.Pick != 0 { // the space she picked stays picked (the form's ?space=)
		grid += "&space=" + i64(ps.Pick)
	}
	if refused != "" {
		http.Redirect(w, r, grid+"&refused="+refused, http.StatusSeeOther)
		return
	}
	redirect(w, r, grid, "booked")
}

// bookRefusals are the refusals of central's booking rules (central.Book)
// her grid explains (refused=, bookRefusalText), by the error's format:
// what a page shown a while ago meets.
var bookRefusals = map[string]string{
	"This slot is already booked.":                                "taken",
	"This time is blocked by the bureau.":                         "blocked",
	"Weekly limit reached: %s a member a week for this resource.": "week",
	"This time is past.":                                          "past",
	// The bureau changed the hours or slots since the page was shown.
	"Bookable from %s to %s.":                                 "hours",
	"A booking is made of whole slots of %d minutes from %s.": "hours",
	"A booking holds within one day.":                         "hours",
	"This resource is not bookable any more.":                 "closed",
}

// bookRefusal returns why central refused her booking (a value of
// bookRefusals), or "" for any other error.
func bookRefusal(err error) string {
	var e *central.Error
	if !errors.As(err, &e) {
		return ""
	}
	return bookRefusals[e.Format]
}

// bookRefusalText is the sentence at the top of her grid after a refused
// booking (refused=, bookRefusals), on the resource shown (res: its
// hours, its weekly limit, as they are now); "" for a value that is none.
func bookRefusalText(lang, refused string, res *central.Resource) string {
	switch refused {
	case "taken", "blocked", "past", "closed":
		return translate(lang, "self.book.refused."+refused)
	case "week":
		if res != nil && res.MaxPerWeek > 0 {
			return translate(lang, "self.book.refused.week", hoursText(res.MaxPerWeek))
		}
	case "hours":
		if res != nil {
			return translate(lang, "self.book.refused.hours", clockText(res.Opens), clockText(res.Closes), int(res.Slot/time.Minute))
		}
	default:
		return ""
	}
	return translate(lang, "self.book.refused.other") // the resource changed again
}

// clockText writes minutes after midnight as "09:30", the closing at
// midnight as "24:00".
func clockText(m int) string {
	return strconv.Itoa(m/60/10) + strconv.Itoa(m/60%10) + ":" + strconv.Itoa(m%60/10) + strconv.Itoa(m%10)
}

// bookedAlready reports whether err refuses b because she holds that very
// slot already: a double tap on "Réserver" posts it twice, and the second
// post is her booking, not a conflict.
func (s *Server) bookedAlready(ctx context.Context, err error, b *central.Booking) bool {
	if central.ErrorCode(err) != central.ECONFLICT {
		return false
	}
	mine, ferr := s.cfg.Bookings.FindBookings(ctx, central.BookingFilter{Resource: &b.Resource, Member: &b.Member,
		Since: b.Start, Until: b.End})
	if ferr != nil {
		return false
	}
	return slices.ContainsFunc(mine, func(x *central.Booking) bool {
		return !x.Blocked && x.Cancelled.IsZero() && x.Start.Equal(b.Start) && x.End.Equal(b.End)
	})
}

// selfBookCancel cancels one of her bookings (POST
// /m/{token}/book/{id}/cancel), and the ones back to back with it that
// the line of her coming bookings names (with=ID, repeated), then 303 to
// the grid she was on (back=).
func (s *Server) selfBookCancel(w http.ResponseWriter, r *http.Request) {
	l, token, ctx, id, ok := s.selfPostOn(w, r)
	if !ok {
		return
	}
	// The line of her coming bookings cancels its slots back to back
	// (with=ID, myBookings): each hers, checked before any is cancelled.
	ids := []int64{id}
	for _, v := range r.PostForm["with"] {
		other, err := strconv.ParseInt(v, 10, 64)
		if err != nil || len(ids) == maxBookingsCancelled {
			s.fail(w, r, http.StatusNotFound, "error.not_found")
			return
		}
		if b, err := s.cfg.Bookings.FindBooking(ctx, other); err != nil || b.Member != l.Member {
			if err != nil && central.ErrorCode(err) != central.ENOTFOUND {
				s.failErr(w, r, err)
			} else {
				s.fail(w, r, http.StatusNotFound, "error.not_found")
			}
			return
		}
		ids = append(ids, other)
	}
	for _, id := range ids {
		if err := s.cfg.Bookings.CancelBooking(ctx, id, l.Member); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	back := "/m/" + token + "/book"
	if v := r.PostFormValue("back"); strings.HasPrefix(v, "?") && len(v) < 100 && pathOnly("/x"+v) {
		back += v
	}
	redirect(w, r, back, "booking_cancelled")
}

// Minutes writes minutes after midnight as "09:30".
func (p *page) Minutes(m int) string { return clockText(m) }

var (
	weekdaysFR = [7]string{"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."}
	weekdaysEN = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
)

// WeekdayShort names a day in a week's links ("ven. 4", "Fri 4").
func (p *page) WeekdayShort(t time.Time) string {
	names := weekdaysFR
	if p.Lang == langEN {
		names = weekdaysEN
	}
	return names[t.Weekday()] + " " + strconv.Itoa(t.Day())
}

// LongDay writes a day with its weekday ("ven. 04/12/2026").
func (p *page) LongDay(t time.Time) string {
	names := weekdaysFR
	layout := "02/01/2006"
	if p.Lang == langEN {
		names, layout = weekdaysEN, "2006-01-02"
	}
	return names[t.Weekday()] + " " + t.Format(layout)
}

var _ = addMessages(map[string][2]string{
	"resources.cut": {"Les %d premières réservations seulement (jusqu’au %s) : après, les réservations et les temps bloqués des 90 prochains jours ne sont pas montrés ici.", "The first %d bookings only (until %s): after that, the bookings and blocked times of the next 90 days are not shown here."},
})
