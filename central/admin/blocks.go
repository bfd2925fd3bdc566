package admin

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// The bureau blocks a resource's time (issue 15): maintenance, an event
// in the meeting room. A block is a booking with Blocked set and the
// bureau's reason (central.Booking): members cannot book over it, the
// weekly limit does not count it, and the availability feeds show it as
// unavailable (calendar.go). Blocks are whole slots of one day, as any
// booking; the store refuses one over a booking that holds (ECONFLICT,
// said on the page: the bureau cancels that booking first, with its
// holder).

// maxBlockNote bounds a block's reason.
const maxBlockNote = 200

// blocksShown is how far ahead /resources lists the blocks.
const blocksShown = 90 * 24 * time.Hour

// resourceBlock blocks time of a resource (POST /resources/{id}/blocks):
// day, from, to (the space's clock) and a reason.
func (s *Server) resourceBlock(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	p := s.newPage(r, "", nil)
	lang := requestLang(r)
	loc, err := s.resourceLoc(p, id)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	day := strings.TrimSpace(r.PostFormValue("day"))
	start, ok1 := parseLocal(day+"T"+strings.TrimSpace(r.PostFormValue("from")), loc)
	end, ok2 := parseLocal(day+"T"+strings.TrimSpace(r.PostFormValue("to")), loc)
	if strings.TrimSpace(r.PostFormValue("to")) == "24:00" {
		if d, err := time.ParseInLocation("2006-01-02", day, loc); err == nil {
			end, ok2 = d.AddDate(0, 0, 1), true
		}
	}
	note := strings.Join(strings.Fields(r.PostFormValue("note")), " ")
	switch {
	case !ok1 || !ok2:
		s.renderResources(w, r, http.StatusBadRequest, translate(lang, "blocks.bad_time"))
		return
	case len(note) > maxBlockNote:
		s.renderResources(w, r, http.StatusBadRequest, translate(lang, "blocks.note_long", maxBlockNote))
		return
	}
	b := &central.Booking{Resource: id, Blocked: true, Note: note, Start: start, End: end}
	if err := s.cfg.Bookings.Book(r.Context(), b); err != nil {
		if code := central.ErrorCode(err); code == central.EINVALID || code == central.ECONFLICT {
			s.renderResources(w, r, central.HTTPStatus(code), errorText(lang, err))
			return
		}
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/resources", "time_blocked")
}

// resourceUnblock frees blocked time (POST /resources/{id}/blocks/{block}/cancel).
func (s *Server) resourceUnblock(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	block, ok2 := pathID(r, "block")
	if !ok || !ok2 {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	// The block by its id, however far ahead: a list of the resource's
	// bookings is capped (central.MaxBookings), and a block past it was
	// said freed and was not.
	b, err := s.cfg.Bookings.FindBooking(r.Context(), block)
	if central.ErrorCode(err) == central.ENOTFOUND || (err == nil && (b.Resource != id || !b.Blocked)) {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	} else if err != nil {
		s.failErr(w, r, err)
		return
	}
	// Freed already (a double tap): no error.
	if err := s.cfg.Bookings.CancelBooking(r.Context(), b.ID, 0); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/resources", "time_unblocked")
}

// The bureau books for a member (issue 15): at the desk, for a member
// without her phone, or who asked by mail. The form on /resources picks
// her from a search (who=, GET) narrowing a select, then a resource, a
// day and times of the space's clock, as a block. The booking is hers
// (her portal, her agenda feed, she may cancel it) and follows the same
// conflict rule; her weekly limit is not checked (central.Booking.ByBureau
// says why), and the journal's booking.create says by_bureau.

// resourceLoc returns the clock of resource id's space (the network's
// for a resource gone: Book then says it is not found).
func (s *Server) resourceLoc(p *page, id int64) (*time.Location, error) {
	rs, err := s.cfg.Bookings.FindResources(p.ctx)
	if err != nil {
		return nil, err
	}
	for _, res := range rs {
		if res.ID == id {
			return p.placeLoc(res.Space)
		}
	}
	return p.loc, nil
}

// bookForMembers bounds the members the form's select offers.
const bookForMembers = 200

// bookForChoices reads the members the select offers: those matching who,
// or the active members when there is no search.
func (s *Server) bookForChoices(r *http.Request, who string) ([]*central.Member, error) {
	f := central.MemberFilter{Query: who, Limit: bookForMembers, Space: requestScope(r).MemberSpace()}
	if who == "" {
		active := access.MemberActive
		f.Status = &active
	}
	ms, _, err := s.cfg.Members.FindMembers(r.Context(), f)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(ms, func(i, j int) bool { return central.FoldText(ms[i].Name) < central.FoldText(ms[j].Name) })
	return ms, nil
}

// resourceBookFor books a slot in a member's name (POST /resources/book):
// member, resource, day, from, to.
func (s *Server) resourceBookFor(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", nil)
	lang := requestLang(r)
	member, err1 := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("member")), 10, 64)
	resource, err2 := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("resource")), 10, 64)
	if err1 != nil || err2 != nil || member <= 0 || resource <= 0 {
		s.renderResources(w, r, http.StatusBadRequest, translate(lang, "bookfor.pick"))
		return
	}
	// A user of a space books her space's resources for her space's
	// members: another's, as one gone, is not found.
	if sc := requestScope(r); !sc.Network() {
		res, err := s.scopedResource(r.Context(), resource, sc)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		ms, _, err := s.cfg.Members.FindMembers(r.Context(), central.MemberFilter{ID: &member, Space: sc.Space.ID, Limit: 1})
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		if res == nil || len(ms) == 0 {
			s.renderResources(w, r, http.StatusNotFound, translate(lang, "bookfor.pick"))
			return
		}
	}
	loc, err := s.resourceLoc(p, resource)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	day := strings.TrimSpace(r.PostFormValue("day"))
	start, ok1 := parseLocal(day+"T"+strings.TrimSpace(r.PostFormValue("from")), loc)
	end, ok2 := parseLocal(day+"T"+strings.TrimSpace(r.PostFormValue("to")), loc)
	if strings.TrimSpace(r.PostFormValue("to")) == "24:00" {
		if d, err := time.ParseInLocation("2006-01-02", day, loc); err == nil {
			end, ok2 = d.AddDate(0, 0, 1), true
		}
	}
	if !ok1 || !ok2 {
		s.renderResources(w, r, http.StatusBadRequest, translate(lang, "blocks.bad_time"))
		return
	}
	b := &central.Booking{Resource: resource, Member: member, ByBureau: true, Start: start, End: end}
	if err := s.cfg.Bookings.Book(r.Context(), b); err != nil {
		switch code := central.ErrorCode(err); code {
		case central.EINVALID, central.ECONFLICT:
			s.renderResources(w, r, central.HTTPStatus(code), errorText(lang, err))
			return
		case central.ENOTFOUND: // a member or resource gone meanwhile
			s.renderResources(w, r, http.StatusNotFound, translate(lang, "bookfor.pick"))
			return
		}
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/resources", "booked_for")
}

// The bureau cancels a member's booking (POST
// /resources/{id}/bookings/{booking}/cancel): what the README asks of it
// before blocking that time or moving the room, or when the room cannot
// be had after all. /resources lists each resource's bookings to come
// with the member's name, to door staff and admins; a space's bureau its
// own space's resources (checkScope). The journal's booking.cancel has
// the bureau user as its actor (a member's own cancel has her as
// actor). The store's cancel reacts central.BookingCancelled, and
// centrald's e-mail reaction tells her in the same transaction (mail
// booking_cancelled, once per booking): the confirmation says she will be
// told by e-mail when e-mail is set up and she has an address, else that
// no e-mail tells her, for the bureau to tell her.

// bookingsShown bounds the bookings /resources lists a resource; the
// others of the blocks' window are counted ("et 3 autres").
const bookingsShown = 20

// heldBooking is one line of a resource's bookings to come on /resources:
// a member's booking and her name ("" when she is gone); Mailed: a
// cancel is mailed to her (e-mail set up, her address known).
type heldBooking struct {
	*central.Booking
	Name   string
	Mailed bool
}

// heldItem is a held booking as the partial "held-booking" shows it, with
// its cancel: Back, on the resource's edit page, brings the bureau back
// there once cancelled.
type heldItem struct {
	P    *page
	Res  *central.Resource
	B    heldBooking
	Back bool
}

// HeldItem is b of res for the partial "held-booking" (back: from the
// edit page).
func (p *page) HeldItem(res *central.Resource, b heldBooking, back bool) heldItem {
	return heldItem{P: p, Res: res, B: b, Back: back}
}

// heldBookings fills d.Booked and d.BookedMore from bs (the blocks'
// window, soonest first) for the resources rs shown.
func (s *Server) heldBookings(ctx context.Context, rs []*central.Resource, bs []*central.Booking, d *resourcesData) error {
	type holder struct {
		name   string
		mailed bool
	}
	mailsOn := s.mailsOn(ctx)
	names := map[int64]holder{}
	for _, b := range bs {
		if b.Blocked || b.Member == 0 || !slices.ContainsFunc(rs, func(res *central.Resource) bool { return res.ID == b.Resource }) {
			continue
		}
		if len(d.Booked[b.Resource]) == bookingsShown {
			d.BookedMore[b.Resource]++
			continue
		}
		h, ok := names[b.Member]
		if !ok {
			m, err := s.cfg.Members.FindMemberByID(ctx, b.Member)
			if err != nil && central.ErrorCode(err) != central.ENOTFOUND {
				return err
			}
			if m != nil {
				h = holder{name: m.Name, mailed: mailsOn && m.Email != ""}
			}
			names[b.Member] = h
		}
		d.Booked[b.Resource] = append(d.Booked[b.Resource], heldBooking{Booking: b, Name: h.name, Mailed: h.mailed})
	}
	return nil
}

// resourceBookingCancel cancels a member's booking of the resource (POST
// /resources/{id}/bookings/{booking}/cancel); one already cancelled is
// fine (a double tap), a block or another resource's booking is not
// found.
func (s *Server) resourceBookingCancel(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	booking, ok2 := pathID(r, "booking")
	if !ok || !ok2 {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	b, err := s.cfg.Bookings.FindBooking(r.Context(), booking)
	if central.ErrorCode(err) == central.ENOTFOUND || (err == nil && (b.Resource != id || b.Blocked || b.Member == 0)) {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	} else if err != nil {
		s.failErr(w, r, err)
		return
	}
	// The bureau cancels (member 0); twice is no error.
	if err := s.cfg.Bookings.CancelBooking(r.Context(), b.ID, 0); err != nil {
		s.failErr(w, r, err)
		return
	}
	if r.PostFormValue("back") == "edit" { // from the edit page's list, to withdraw it next
		redirect(w, r, "/resources/"+i64(id)+"/edit#withdraw", "booking_cancelled")
		return
	}
	redirect(w, r, "/resources", "booking_cancelled")
}
