package admin

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

// Bureau users of one space (issue 14). A user whose AdminUser.Space is
// set sees only that space: its members (central.MemberFilter.Space: those
// holding a sale of a product it sells or that is valid there, and those
// its bureau registered who bought nothing yet), its kiosks, their
// entries, its visits, the guests of its members, its events. A network user (Space 0, every user
// made before spaces) sees everything, as before.
//
// Deny by default: a route serves users of a space only when it is listed
// in spaceRoutes, whose handlers narrow what they read to the user's space
// (requestScope). Every other route is the network's (its settings, its
// products and sales, billing, the admin users, the audit log...) and
// answers 403 to them. Member, kiosk, event, resource, product, sale and space
// routes with an {id} check that it is the space's before their handler
// runs (checkScope):
// another space's id answers 404, as an id that does not exist.
var spaceRoutes = map[string]bool{
	"POST /logout":           true,
	"GET /account":           true, // her own account: nothing of a space
	"POST /account/password": true,
	"GET /today":             true,

	"GET /members":                             true,
	"GET /members/new":                         true,
	"POST /members":                            true,
	"GET /members/{id}":                        true,
	"GET /members/{id}/edit":                   true,
	"POST /members/{id}":                       true,
	"POST /members/{id}/status":                true,
	"POST /members/{id}/erase":                 true,
	"POST /members/{id}/badges":                true,
	"POST /members/{id}/badges/{badge}/revoke": true,
	"POST /members/{id}/badges/{badge}/email":  true,
	"POST /members/{id}/link":                  true,
	"POST /members/{id}/link/revoke":           true,
	"POST /members/{id}/link/email":            true,
	"POST /members/{id}/guests":                true,
	"GET /members/{id}/guests/{pass}":          true,
	"POST /members/{id}/guests/{pass}/mail":    true,
	"GET /shown/{id}":                          true, // the session's own one-time views

	"GET /kiosks":                true,
	"POST /kiosks":               true,
	"POST /kiosks/{id}":          true,
	"POST /kiosks/{id}/disabled": true,

	"GET /entries":     true,
	"GET /entries.csv": true,

	// Her space's books: the products her space sells (a new one is sold
	// by her space and valid there only: productCreate), selling them to
	// her space's members, their sales, payments by hand and refunds.
	// Another space's product or sale by id answers 404 (checkScope), a
	// sale form naming another space's product too. Receipts and Pennylane
	// invoices are issued in the books of the product's selling space (its
	// own, central.Space.Books, or the network's); their pages stay the
	// network's.
	"GET /products":                   true,
	"POST /products":                  true,
	"POST /products/{id}/active":      true,
	"POST /members/{id}/sales":        true,
	"GET /members/{id}/sales/confirm": true,
	"GET /sales":                      true,
	"GET /sales.csv":                  true,
	"GET /sales/unpaid":               true,
	"GET /sales/deposit":              true,
	"POST /sales/{id}/paid":           true,
	"POST /sales/{id}/refund":         true,

	// Her space's donations (donations.go): the gifts to its own
	// organisation when it keeps its own books, their CSV and its tax
	// receipts, never the network's nor another space's.
	"GET /donations":           true,
	"GET /donations.csv":       true,
	"POST /donations/receipts": true,

	"GET /export":              true,
	"GET /export/members.csv":  true,
	"GET /export/products.csv": true, // the products her space sells

	// The statistics of her space: its attendance, and its books (the
	// sales of the products it sells, the entries owed on its cards).
	"GET /stats":                  true,
	"GET /stats/sales.csv":        true,
	"GET /stats/visits-days.csv":  true,
	"GET /stats/visits-weeks.csv": true,
	"GET /stats/members.csv":      true,
	"GET /stats/guests.csv":       true,
	"GET /stats/hours.csv":        true,

	// Her space's events and resources (events.go, bookings.go,
	// blocks.go): lists show only them, a new one is at her space, and an
	// event or resource of another space by id answers 404 (checkScope);
	// she books for her space's members only.
	"GET /events":                                    true,
	"POST /events":                                   true,
	"GET /events/{id}":                               true,
	"GET /events/{id}/edit":                          true,
	"POST /events/{id}/edit":                         true,
	"GET /events/{id}/registrations.csv":             true,
	"POST /events/{id}/registrations/{reg}/attended": true,
	"POST /events/{id}/registrations/{reg}/cancel":   true,
	"POST /events/{id}/registrations":                true,
	"POST /events/{id}/payment":                      true,
	"GET /resources":                                 true,
	"POST /resources":                                true,
	"GET /resources/{id}/edit":                       true,
	"POST /resources/{id}/edit":                      true,
	"POST /resources/{id}/withdraw":                  true,
	"POST /resources/{id}/restore":                   true,
	"POST /resources/{id}/blocks":                    true,
	"POST /resources/book":                           true,
	"POST /resources/{id}/blocks/{block}/cancel":     true,
	"POST /resources/{id}/bookings/{booking}/cancel": true,

	// Her space's own books (space_books.go), when the network made them
	// its own: she keeps its tokens and association up to date, and may
	// neither start nor end a part of its own.
	"GET /spaces/{id}/books":                   true,
	"POST /spaces/{id}/books":                  true,
	"POST /spaces/{id}/books/check/{provider}": true,
}

// scope is what a request's user may see of the network.
type scope struct {
	// Space is the user's space; nil for a network user, who sees all.
	Space *central.Space
	// Spaces are the network's spaces.
	Spaces []*central.Space
	// keys are the space keys (central.Space.Key) that kiosks, visits,
	// guest passes and events of Space carry: its own, and for the main
	// space the free texts of kiosks made before spaces (SpaceOfKey).
	keys map[string]bool
	// kiosks are the ids of Space's kiosks.
	kiosks []int64
}

// Network reports whether the scope is the whole network.
func (sc *scope) Network() bool { return sc == nil || sc.Space == nil }

// clock is the time zone of the scope's days and times: its space's own
// (central.Space.Location: a space overseas), the network's
// (space.timezone) for the whole network.
func (sc *scope) clock(set central.Settings) *time.Location {
	if sc.Network() {
		return set.Location()
	}
	return sc.Space.Location(set)
}

// name is the name the scope's pages carry (their header, the printed
// badge): its space's, the network's (space.name) for the whole network.
func (sc *scope) name(set central.Settings) string {
	if sc.Network() {
		return set.SpaceName()
	}
	return sc.Space.Name
}

// HasKey reports whether things carrying the space key are in scope.
func (sc *scope) HasKey(key string) bool { return sc.Network() || sc.keys[key] }

// HasPlace reports whether an event or a resource at the place named
// (central.CalendarEvent.Space, central.Resource.Space: a space's key or
// its name, "" the main space) is in scope. A place that names no space
// of the network is the network's only.
func (sc *scope) HasPlace(name string) bool {
	return sc.Network() || sc.keys[strings.TrimSpace(name)] || central.EventSpace(sc.Spaces, name) == sc.Space.ID
}

// Place is what a new event or resource of the scope's space carries as
// its place: the space's key ("" for the main space); for the network,
// what the form says.
func (sc *scope) Place(typed string) string {
	if sc.Network() {
		return typed
	}
	return sc.Space.Key
}

// HasKiosk reports whether the kiosk id is in scope.
func (sc *scope) HasKiosk(id int64) bool { return sc.Network() || slices.Contains(sc.kiosks, id) }

// MemberSpace is the central.MemberFilter.Space of the scope (0: all).
func (sc *scope) MemberSpace() int64 {
	if sc.Network() {
		return 0
	}
	return sc.Space.ID
}

// Kiosks returns the kiosk ids to narrow a list to: nil for the network
// (no narrowing), else the space's (maybe none: an empty, non-nil list).
func (sc *scope) Kiosks() []int64 {
	if sc.Network() {
		return nil
	}
	return append([]int64{}, sc.kiosks...)
}

// place is the scope as the statistics' store reads it.
func (sc *scope) place() adminstore.Place {
	if sc.Network() {
		return adminstore.Place{}
	}
	keys := make([]string, 0, len(sc.keys))
	for k := range sc.keys {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return adminstore.Place{Keys: keys, Kiosks: sc.Kiosks(), Space: sc.Space.ID}
}

// memberLinks says which of the members a page names its user may open:
// /members/{id} answers 404 to a user of a space for another space's
// member (a refusal at her door, an arrival for an event), so her name is
// shown without a link. Nil for a network user, who opens any.
type memberLinks map[int64]bool

// Has reports whether the member's name links to her page.
func (l memberLinks) Has(id int64) bool { return l == nil || l[id] }

// memberLinks returns the memberLinks of the members ids for the user of
// the scope user (the user's, not a space a network user picked).
func (s *Server) memberLinks(ctx context.Context, user *scope, ids ...int64) (memberLinks, error) {
	if user.Network() {
		return nil, nil
	}
	l := memberLinks{}
	for _, id := range ids {
		if _, seen := l[id]; seen || id <= 0 {
			continue
		}
		ms, _, err := s.cfg.Members.FindMembers(ctx, central.MemberFilter{ID: &id, Space: user.Space.ID, Limit: 1})
		if err != nil {
			return nil, err
		}
		l[id] = len(ms) == 1
	}
	return l, nil
}

type scopeKey struct{}

// requestScope returns the scope of the request's user, set by handle.
func requestScope(r *http.Request) *scope { return scopeOf(r.Context()) }

func scopeOf(ctx context.Context) *scope {
	sc, _ := ctx.Value(scopeKey{}).(*scope)
	return sc
}

// pickSpace narrows a network user's request to the space of its query's
// space parameter (the space select of the statistics and of the
// exports); a user of a space, a request without it, or an unknown space:
// the request as it is.
func (s *Server) pickSpace(r *http.Request) (*http.Request, error) {
	id, err := strconv.ParseInt(r.URL.Query().Get("space"), 10, 64)
	if err != nil || id <= 0 || !requestScope(r).Network() || s.cfg.Spaces == nil {
		return r, nil
	}
	sc, err := s.spaceScope(r.Context(), id)
	if central.ErrorCode(err) == central.ENOTFOUND {
		return r, nil
	} else if err != nil {
		return nil, err
	}
	return r.WithContext(context.WithValue(r.Context(), scopeKey{}, sc)), nil
}

// spacePick is what a page a network user narrows to a space (pickSpace)
// shows of it: the space shown (nil: the whole network), the network's
// spaces to pick from (none for a user of a space, nor with one space),
// and the query that keeps the pick in the page's links.
type spacePick struct {
	Spaces    []*central.Space
	Space     *central.Space
	Query     string
	SpaceUser bool
}

// spacePick returns the pick of a request narrowed by pickSpace; user is
// the scope of its user (before the pick).
func (s *Server) spacePick(r *http.Request, user *scope) (spacePick, error) {
	pk := spacePick{Space: requestScope(r).Space, SpaceUser: !user.Network()}
	if pk.SpaceUser || s.cfg.Spaces == nil {
		return pk, nil
	}
	if pk.Space != nil {
		pk.Query = "?space=" + strconv.FormatInt(pk.Space.ID, 10)
	}
	spaces, err := s.cfg.Spaces.FindSpaces(r.Context())
	if err != nil {
		return pk, err
	}
	if len(spaces) > 1 { // one space: nothing to pick
		pk.Spaces = spaces
	}
	return pk, nil
}

// loadScope reads what the user may see. A network user's scope reads
// nothing.
func (s *Server) loadScope(ctx context.Context, u *central.AdminUser) (*scope, error) {
	if u.Network() {
		return &scope{}, nil
	}
	// Her space gone (spaces are never deleted today): she sees nothing
	// rather than everything.
	return s.spaceScope(ctx, u.Space)
}

// spaceScope returns the scope of one space. Returns ENOTFOUND.
func (s *Server) spaceScope(ctx context.Context, id int64) (*scope, error) {
	if s.cfg.Spaces == nil {
		return nil, central.Errorf(central.ENOTFOUND, "Space %d not found.", id)
	}
	spaces, err := s.cfg.Spaces.FindSpaces(ctx)
	if err != nil {
		return nil, err
	}
	sp := central.SpaceByID(spaces, id)
	if sp == nil {
		return nil, central.Errorf(central.ENOTFOUND, "Space %d not found.", id)
	}
	sc := &scope{Space: sp, Spaces: spaces, keys: map[string]bool{sp.Key: true}}
	kiosks, _, err := s.cfg.Kiosks.FindKiosks(ctx, central.KioskFilter{})
	if err != nil {
		return nil, err
	}
	for _, k := range kiosks {
		if central.SpaceOfKey(spaces, k.Space) == sp.ID {
			sc.keys[k.Space] = true
			sc.kiosks = append(sc.kiosks, k.ID)
		}
	}
	return sc, nil
}

// eraseHers lets a user of a space erase a member only when she is her
// space's alone: a member another space also sees (a network pass, a card
// of another space) holds that space's books and entries too, and only a
// network user erases her (403 otherwise, nothing erased).
func (s *Server) eraseHers(w http.ResponseWriter, r *http.Request, id int64, sc *scope) bool {
	for _, sp := range sc.Spaces {
		if sp.ID == sc.Space.ID {
			continue
		}
		ms, _, err := s.cfg.Members.FindMembers(r.Context(), central.MemberFilter{ID: &id, Space: sp.ID, Limit: 1})
		if err != nil {
			s.failErr(w, r, err)
			return false
		}
		if len(ms) > 0 {
			s.refuse(w, r, "error.space_shared")
			return false
		}
	}
	return true
}

// scopedResource returns the resource with the id when it is in scope;
// nil when there is none or it is another space's.
func (s *Server) scopedResource(ctx context.Context, id int64, sc *scope) (*central.Resource, error) {
	rs, err := s.cfg.Bookings.FindResources(ctx)
	if err != nil {
		return nil, err
	}
	for _, res := range rs {
		if res.ID == id && sc.HasPlace(res.Space) {
			return res, nil
		}
	}
	return nil, nil
}

// checkScope runs before the handler of a space route for a user of a
// space: the member or kiosk its path names must be her space's, else
// 404 (reported false, the answer written).
func (s *Server) checkScope(w http.ResponseWriter, r *http.Request, pattern string, sc *scope) bool {
	if sc.Network() {
		return true
	}
	_, path, _ := strings.Cut(pattern, " ")
	switch {
	case strings.HasPrefix(path, "/members/{id}"):
		id, ok := pathID(r, "id")
		if ok {
			ms, _, err := s.cfg.Members.FindMembers(r.Context(), central.MemberFilter{ID: &id, Space: sc.Space.ID, Limit: 1})
			if err != nil {
				s.failErr(w, r, err)
				return false
			}
			ok = len(ms) == 1
		}
		if !ok {
			s.fail(w, r, http.StatusNotFound, "error.not_found")
			return false
		}
		if pattern == "POST /members/{id}/erase" {
			return s.eraseHers(w, r, id, sc)
		}
		// Selling: the product named (the form's field, or the
		// confirmation's query: where each handler reads it) is one her
		// space sells. A missing or malformed one is the handler's mistake
		// to show.
		if strings.HasPrefix(path, "/members/{id}/sales") {
			named := r.URL.Query().Get("product")
			if r.Method == http.MethodPost {
				named = r.PostFormValue("product")
			}
			if pid, err := strconv.ParseInt(named, 10, 64); err == nil {
				return s.sells(w, r, sc, pid)
			}
		}
	case strings.HasPrefix(path, "/spaces/{id}"):
		if id, ok := pathID(r, "id"); !ok || id != sc.Space.ID {
			s.fail(w, r, http.StatusNotFound, "error.not_found")
			return false
		}
	case strings.HasPrefix(path, "/products/{id}"):
		id, ok := pathID(r, "id")
		if !ok {
			s.fail(w, r, http.StatusNotFound, "error.not_found")
			return false
		}
		return s.sells(w, r, sc, id)
	case strings.HasPrefix(path, "/sales/{id}"):
		id, ok := pathID(r, "id")
		var sale *central.Sale
		var err error
		if ok {
			sale, err = s.cfg.Ledger.FindSaleByID(r.Context(), id)
			if err != nil && central.ErrorCode(err) != central.ENOTFOUND {
				s.failErr(w, r, err)
				return false
			}
		}
		if !ok || err != nil {
			s.fail(w, r, http.StatusNotFound, "error.not_found")
			return false
		}
		return s.sells(w, r, sc, sale.Product)
	case strings.HasPrefix(path, "/events/{id}"):
		id, ok := pathID(r, "id")
		if ok {
			e, err := s.cfg.Calendar.FindEvent(r.Context(), id)
			if err != nil && central.ErrorCode(err) != central.ENOTFOUND {
				s.failErr(w, r, err)
				return false
			}
			ok = err == nil && sc.HasPlace(e.Space)
		}
		if !ok {
			s.fail(w, r, http.StatusNotFound, "error.not_found")
			return false
		}
	case strings.HasPrefix(path, "/resources/{id}"):
		id, ok := pathID(r, "id")
		if ok {
			res, err := s.scopedResource(r.Context(), id, sc)
			if err != nil {
				s.failErr(w, r, err)
				return false
			}
			ok = res != nil
		}
		if !ok {
			s.fail(w, r, http.StatusNotFound, "error.not_found")
			return false
		}
	case strings.HasPrefix(path, "/kiosks/{id}"):
		if id, ok := pathID(r, "id"); !ok || !sc.HasKiosk(id) {
			s.fail(w, r, http.StatusNotFound, "error.not_found")
			return false
		}
	}
	return true
}

// productsSold returns the ids of the products the scope's space sells;
// nil for the network (every product).
func (s *Server) productsSold(ctx context.Context, sc *scope) (map[int64]bool, error) {
	if sc.Network() {
		return nil, nil
	}
	places, err := s.cfg.Spaces.ProductPlaces(ctx)
	if err != nil {
		return nil, err
	}
	sold := map[int64]bool{}
	for id, pl := range places {
		if pl.Space == sc.Space.ID {
			sold[id] = true
		}
	}
	return sold, nil
}

// sells reports whether the scope's space sells the product; if not, it
// answers 404 (another space's product is none of hers).
func (s *Server) sells(w http.ResponseWriter, r *http.Request, sc *scope, product int64) bool {
	sold, err := s.productsSold(r.Context(), sc)
	if err != nil {
		s.failErr(w, r, err)
		return false
	}
	if sold != nil && !sold[product] {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return false
	}
	return true
}
