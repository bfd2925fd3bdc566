package admin

import (
	"context"
	"net/http"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

// exportPage lists the CSV exports the user may download (GET /export):
// for a user of a space, her space's; a network user picks a space
// (?space=ID, the links keep it: members, sales, products and entries of
// that space) or the whole network.
func (s *Server) exportPage(w http.ResponseWriter, r *http.Request) {
	user := requestScope(r)
	r, err := s.pickSpace(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	pk, err := s.spacePick(r, user)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, r, "export", s.newPage(r, "export.title", &pk))
}

// exportMembers exports every member with her balance (GET
// /export/members.csv); for a user of a space, or the space a network
// user picked, that space's members. In a network, each line ends with
// her spaces (memberSpaceNames), all of them for a user of one space too.
func (s *Server) exportMembers(w http.ResponseWriter, r *http.Request) {
	r, ok := s.statsPlace(w, r)
	if !ok {
		return
	}
	ms, _, err := s.cfg.Members.FindMembers(r.Context(), central.MemberFilter{Space: requestScope(r).MemberSpace()})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	spacesOf, err := s.memberSpaceNames(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	cw := s.newExport(w, r, "members")
	head := []string{"id", "name", "email", "status", "slack_opt_out", "entries_left", "overdraft", "subscription_until",
		"unlimited", "last_visit", "created"}
	if spacesOf != nil {
		head = append(head, "spaces")
	}
	cw.header(head...)
	for _, m := range ms {
		cells := []string{i64(m.ID), m.Name, m.Email, cw.word("status.", string(m.Status)), cw.bool(m.SlackOptOut), itoa(m.Balance.EntriesLeft),
			itoa(m.Balance.Overdraft), cw.day(m.Balance.SubscriptionUntil), cw.bool(m.Balance.Unlimited),
			cw.day(m.LastVisit), cw.time(m.Created)}
		if spacesOf != nil {
			cells = append(cells, spacesOf(m.ID))
		}
		cw.row(cells...)
	}
	cw.flush(s)
}

// memberSpaceNames returns what the members export's last column says of a
// member in a network: the names of her spaces (central.MemberSpaces),
// separated by ", " (a cell French Excel opens as it is; the raw format
// quotes it). Nil for an association of one space.
func (s *Server) memberSpaceNames(ctx context.Context) (func(member int64) string, error) {
	spaces, err := s.networkSpaces(ctx)
	if err != nil || spaces == nil {
		return nil, err
	}
	places, err := s.cfg.Spaces.ProductPlaces(ctx)
	if err != nil {
		return nil, err
	}
	bought, err := s.cfg.Store.MemberPurchases(ctx)
	if err != nil {
		return nil, err
	}
	return func(member int64) string {
		b := bought[member]
		ps := make([]central.ProductPlace, 0, len(b.Products))
		for _, id := range b.Products {
			ps = append(ps, places[id])
		}
		var names []string
		for _, sp := range central.MemberSpaces(spaces, b.Registered, ps) {
			names = append(names, sp.Name)
		}
		return strings.Join(names, ", ")
	}, nil
}

// exportProducts exports the catalogue (GET /export/products.csv); for a
// user of a space, or the space a network user picked, the products that
// space sells (its /products page).
func (s *Server) exportProducts(w http.ResponseWriter, r *http.Request) {
	r, ok := s.statsPlace(w, r)
	if !ok {
		return
	}
	ps, err := s.spaceProducts(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	spaces, sellers, err := s.productSellers(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	cw := s.newExport(w, r, "products")
	cw.spaces = spaces // the space that sells it
	cw.header("id", "name", "kind", "entries", "days", "price_eur", "active", "created")
	for _, p := range ps {
		cw.spaceRow(sellers[p.ID], i64(p.ID), p.Name, cw.word("kind.", string(p.Kind)), itoa(p.Entries), itoa(p.Days), cw.money(p.Price), cw.bool(p.Active),
			cw.time(p.Created))
	}
	cw.flush(s)
}

// productSellers returns a network's spaces and the space that sells
// each product, by product id; nothing for an association of one space.
func (s *Server) productSellers(ctx context.Context) ([]*central.Space, map[int64]int64, error) {
	spaces, err := s.networkSpaces(ctx)
	if err != nil || spaces == nil {
		return nil, nil, err
	}
	places, err := s.cfg.Spaces.ProductPlaces(ctx)
	if err != nil {
		return nil, nil, err
	}
	sellers := make(map[int64]int64, len(places))
	for id, pl := range places {
		sellers[id] = pl.Space
	}
	return spaces, sellers, nil
}

// exportAudit exports the audit log (GET /export/audit.csv).
func (s *Server) exportAudit(w http.ResponseWriter, r *http.Request) {
	es, _, err := s.cfg.Audit.FindAuditEvents(r.Context(), central.AuditFilter{})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	cw := s.newExport(w, r, "audit")
	cw.header("id", "time", "actor", "action", "object", "details")
	for _, e := range es {
		cw.row(i64(e.ID), cw.time(e.Time), e.Actor, e.Action, e.Object, e.Details)
	}
	cw.flush(s)
}
