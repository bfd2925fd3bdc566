package email

import (
	"context"
	"strconv"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

// The mail of a booking the bureau cancelled (booking_cancelled): the
// bureau cancels a member's booking on /resources (a room needed after
// all, time to block), and she is told which room, which day and times,
// on the clock of the room's space as her Réserver tab shows them.

// BookingCancelledHook is e-mail's reaction to the bureau cancelling a
// member's booking (central.BookingCancelled; centrald registers it), in
// the cancel's transaction: with e-mail set up, she is told, once per
// booking (its key is the booking's). publicURL is the address members
// reach central at (CENTRALD_PUBLIC_URL, "" for none): the mail links its
// lost-link page, for a member who no longer has her personal link (her
// link is kept hashed: no mail can carry it again without making a new
// one, which would end the old and her phone badges). Whether she has an
// address is read when the mail is sent: without one, it is skipped.
func BookingCancelledHook(ev central.BookingCancelled, set central.Settings, publicURL string) []central.OutboxMessage {
	b, r := ev.Booking, ev.Resource
	if b == nil || r == nil || b.Member == 0 || b.Blocked || !ConfigFrom(set).Enabled() {
		return nil
	}
	loc := ev.Location
	if loc == nil {
		loc = set.Location()
	}
	space := r.Space
	p := Payload{Member: b.Member, Booking: b.ID, Resource: r.Name, Start: b.Start.In(loc), End: b.End.In(loc),
		Zone: zoneShown(loc, set), Entered: &space}
	if publicURL != "" {
		if link := strings.TrimRight(publicURL, "/") + "/m"; webURL(link) {
			p.Link = link
		}
	}
	msg, err := NewMessage(KindBookingCancelled, "booking:"+strconv.FormatInt(b.ID, 10), p)
	if err != nil {
		return nil
	}
	return []central.OutboxMessage{msg}
}

// bookingMail fills d for a booking_cancelled mail; skip says why none
// is sent (the booking is over: nothing left to tell).
func (h *Handler) bookingMail(ctx context.Context, p Payload, d *Data) (skip string, err error) {
	if !h.now().Before(p.End) {
		return "the booking is over", nil
	}
	d.Booking = BookingData{Resource: p.Resource, Start: p.Start, End: p.End, Zone: p.Zone}
	if p.Entered != nil && *p.Entered != "" && h.Spaces != nil {
		spaces, err := h.Spaces.FindSpaces(ctx)
		if err != nil {
			return "", err
		}
		d.Booking.Space = central.PlaceName(spaces, *p.Entered) // a renamed space's new name
	}
	return "", nil
}
