package admin

import (
	"net/http"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
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
	day := strings.TrimSpace(r.PostFormValue("day"))
	start, ok1 := parseLocal(day+"T"+strings.TrimSpace(r.PostFormValue("from")), p.loc)
	end, ok2 := parseLocal(day+"T"+strings.TrimSpace(r.PostFormValue("to")), p.loc)
	if strings.TrimSpace(r.PostFormValue("to")) == "24:00" {
		if d, err := time.ParseInLocation("2006-01-02", day, p.loc); err == nil {
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
	bs, err := s.cfg.Bookings.FindBookings(r.Context(), central.BookingFilter{Resource: &id, Since: s.now().Add(-blocksShown)})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, b := range bs {
		if b.ID == block && b.Blocked {
			if err := s.cfg.Bookings.CancelBooking(r.Context(), b.ID, 0); err != nil {
				s.failErr(w, r, err)
				return
			}
			redirect(w, r, "/resources", "time_unblocked")
			return
		}
	}
	// Not a block of this resource, or already freed.
	redirect(w, r, "/resources", "time_unblocked")
}
