package admin

import (
	"net/http"
	"strconv"

	"github.com/badgeuse/badgeuse/central"
)

// badgeCard is one printed badge: the member's name and the QR code of
// the secret, shown once.
type badgeCard struct {
	Member int64
	Badge  int64
	Name   string
	QR     qrImage
}

type badgePrintData struct {
	Cards   []badgeCard
	Sheet   bool // an A4 sheet of several cards
	Member  int64
	Replace bool
}

func (s *Server) card(m *central.Member, b *central.Badge, text string) (badgeCard, error) {
	qr, err := newQR(text, 512)
	if err != nil {
		return badgeCard{}, err
	}
	return badgeCard{Member: m.ID, Badge: b.ID, Name: m.Name, QR: qr}, nil
}

// badgeIssue makes a new badge for a member and shows it once, ready to
// print at credit-card size (POST /members/{id}/badges; replace=1
// revokes her other badges: a lost or stolen badge).
func (s *Server) badgeIssue(w http.ResponseWriter, r *http.Request) {
	m, ok := s.memberOf(w, r)
	if !ok {
		return
	}
	replace := r.PostFormValue("replace") == "1"
	b, secret, err := s.cfg.Badges.IssueBadge(r.Context(), m.ID, replace)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	c, err := s.card(m, b, secret.Text())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "badge.print_title", badgePrintData{Cards: []badgeCard{c}, Member: m.ID, Replace: replace})
	p.Flash = "done.badge_issued"
	s.render(w, r, "badge_print", p)
}

// badgeRevoke revokes one badge (POST /members/{id}/badges/{badge}/revoke).
func (s *Server) badgeRevoke(w http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r, "id")
	bid, ok2 := pathID(r, "badge")
	if !ok1 || !ok2 {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	bs, _, err := s.cfg.Badges.FindBadges(r.Context(), central.BadgeFilter{Member: &id})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	found := false
	for _, b := range bs {
		found = found || b.ID == bid
	}
	if !found { // the badge must be this member's (object-level check)
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if _, err := s.cfg.Badges.RevokeBadge(r.Context(), bid); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/members/"+strconv.FormatInt(id, 10), "badge_revoked")
}

// maxSheet is how many badges one A4 sheet holds (2 × 5 cards).
const maxSheet = 10

// badgeSheet issues one more badge for each member ticked in the list and
// shows them on an A4 sheet to print and cut (POST /badges/sheet).
func (s *Server) badgeSheet(w http.ResponseWriter, r *http.Request) {
	ids := r.PostForm["member"]
	if len(ids) == 0 || len(ids) > maxSheet {
		s.fail(w, r, http.StatusBadRequest, "badge.sheet_count")
		return
	}
	var cards []badgeCard
	ctx := r.Context()
	for _, v := range ids {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.fail(w, r, http.StatusBadRequest, "error.bad_request")
			return
		}
		m, err := s.cfg.Members.FindMemberByID(ctx, id)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		b, secret, err := s.cfg.Badges.IssueBadge(ctx, id, false)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		c, err := s.card(m, b, secret.Text())
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		cards = append(cards, c)
	}
	p := s.newPage(r, "badge.sheet_title", badgePrintData{Cards: cards, Sheet: true})
	p.Flash = "done.badges_issued"
	s.render(w, r, "badge_print", p)
}
