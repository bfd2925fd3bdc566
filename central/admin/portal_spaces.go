package admin

import (
	"context"
	"net/http"
	"strconv"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// The member portal in a network of spaces (issue 14): her Agenda and
// Réserver tabs show the events and resources of the spaces whose doors
// let her in (central.PortalSpaces: where a pass she holds is valid;
// every space when she holds none), each named by its space, with a
// space filter (?space=ID) when there are several. Her own registrations
// and bookings are always shown. Registering or booking at a space she is
// not shown answers 404 from the portal; the bureau registers and books
// for anyone.

// portalScope is what a member's portal shows of the network.
type portalScope struct {
	spaces []*central.Space // the network's; one (or none): no names, no filter
	shown  map[int64]bool   // PortalSpaces
	// Pick is the space the filter picked (0: every space shown).
	Pick int64
}

// portalScope reads what member's portal shows; r's ?space= picks one of
// them.
func (s *Server) portalScope(r *http.Request, member int64) (*portalScope, error) {
	ctx := r.Context()
	ps := &portalScope{}
	if s.cfg.Spaces == nil {
		return ps, nil
	}
	var err error
	if ps.spaces, err = s.cfg.Spaces.FindSpaces(ctx); err != nil || len(ps.spaces) < 2 {
		return ps, err
	}
	if ps.shown, err = s.memberSpaces(ctx, ps.spaces, member); err != nil {
		return nil, err
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("space"), 10, 64); err == nil && ps.shown[id] {
		ps.Pick = id
	}
	return ps, nil
}

// memberSpaces returns the spaces a member's portal shows
// (central.PortalSpaces).
func (s *Server) memberSpaces(ctx context.Context, spaces []*central.Space, member int64) (map[int64]bool, error) {
	sales, _, err := s.cfg.Ledger.FindSales(ctx, central.SaleFilter{Member: &member})
	if err != nil {
		return nil, err
	}
	places, err := s.cfg.Spaces.ProductPlaces(ctx)
	if err != nil {
		return nil, err
	}
	valid := make(map[int64]access.SpaceSet, len(places))
	for id, p := range places {
		valid[id] = p.Valid.ValidAt(p.Space)
	}
	return central.PortalSpaces(spaces, sales, valid, s.spaceToday(ctx)), nil
}

// Network reports whether the portal is a network's (several spaces):
// places are named and may be filtered.
func (ps *portalScope) Network() bool { return len(ps.spaces) > 1 }

// Shows reports whether the portal lists what is at place: one of her
// spaces (the one picked, when one is), or a place of the network's.
func (ps *portalScope) Shows(place string) bool {
	if !ps.Network() {
		return true
	}
	id := central.EventSpace(ps.spaces, place)
	if ps.Pick != 0 {
		return id == ps.Pick
	}
	return central.ShownAt(ps.shown, ps.spaces, place)
}

// May reports whether she may register or book at place from the portal:
// one of her spaces, whatever the filter.
func (ps *portalScope) May(place string) bool {
	return !ps.Network() || central.ShownAt(ps.shown, ps.spaces, place)
}

// Name names the space of place in a network (central.PlaceName: its
// current name; the place as typed when it names no space); "" otherwise.
func (ps *portalScope) Name(place string) string {
	if !ps.Network() {
		return ""
	}
	return central.PlaceName(ps.spaces, place)
}

// Choices are the spaces of the filter: hers, when there are several.
func (ps *portalScope) Choices() []*central.Space {
	var out []*central.Space
	for _, sp := range ps.spaces {
		if ps.shown[sp.ID] {
			out = append(out, sp)
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out
}
