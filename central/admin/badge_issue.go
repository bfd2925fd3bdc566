package admin

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// badgeCard is one printed badge: the member's name and the QR code of
// the secret, shown once.
type badgeCard struct {
	Member int64
	Badge  int64
	Name   string
	QR     qrImage
	// Secret is the badge's text, for "send by e-mail" (mail.go): set
	// only when e-mail is set up and the member has an address.
	Secret string
}

type badgePrintData struct {
	Cards   []badgeCard
	Sheet   bool // an A4 sheet of several cards
	Member  int64
	Replace bool
	Kept    []int64   // the member's other badges, still valid (a second badge)
	Revoked []int64   // the badges the new one replaces
	Until   time.Time // the view can be shown again until then
}

// validBadges returns the ids of a member's badges that open the door.
func (s *Server) validBadges(r *http.Request, member int64) ([]int64, error) {
	bs, _, err := s.cfg.Badges.FindBadges(r.Context(), central.BadgeFilter{Member: &member})
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, b := range bs {
		if !b.IsRevoked() {
			ids = append(ids, b.ID)
		}
	}
	return ids, nil
}

// issueCard issues a printed badge for m (replacing her others with
// replace) and returns its card and its text, shown once.
func (s *Server) issueCard(ctx context.Context, m *central.Member, replace bool) (badgeCard, string, error) {
	b, secret, err := s.cfg.Badges.IssueBadge(ctx, m.ID, replace)
	if err != nil {
		return badgeCard{}, "", err
	}
	c, err := s.card(m, b, secret.Text())
	return c, secret.Text(), err
}

func (s *Server) card(m *central.Member, b *central.Badge, text string) (badgeCard, error) {
	qr, err := newQR(text, 512)
	if err != nil {
		return badgeCard{}, err
	}
	return badgeCard{Member: m.ID, Badge: b.ID, Name: m.Name, QR: qr}, nil
}

// badgeIssue makes a new badge for a member (POST /members/{id}/badges;
// replace=1 revokes her other badges: a lost or stolen badge) and
// answers 303 to its one-time view, ready to print at credit-card size,
// which says whether her other badges still work (secret_view.go). The
// form sent twice (a double tap) makes one badge.
func (s *Server) badgeIssue(w http.ResponseWriter, r *http.Request) {
	m, ok := s.memberOf(w, r)
	if !ok {
		return
	}
	s.actOnce(w, r, "/members/"+i64(m.ID), "badge_once", func() string {
		replace := r.PostFormValue("replace") == "1"
		before, err := s.validBadges(r, m.ID)
		if err != nil {
			s.failErr(w, r, err)
			return ""
		}
		c, secret, err := s.issueCard(r.Context(), m, replace)
		if err != nil {
			s.failErr(w, r, err)
			return ""
		}
		if m.Email != "" && s.mailsOn(r.Context()) {
			c.Secret = secret
		}
		d := badgePrintData{Cards: []badgeCard{c}, Member: m.ID, Replace: replace, Until: s.now().Add(viewTTL)}
		if replace {
			d.Revoked = before
		} else {
			d.Kept = before
		}
		return s.showView(w, r, &secretView{member: m.ID, badges: []int64{c.Badge}, view: "badge_print", title: "badge.print_title",
			flash: "done.badge_issued", data: d})
	})
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
// answers 303 to their one-time view, an A4 sheet to print and cut
// (POST /badges/sheet). Nobody ticked: back to the list with a word.
// The form sent twice (a double tap) makes one sheet.
func (s *Server) badgeSheet(w http.ResponseWriter, r *http.Request) {
	ids := r.PostForm["member"]
	if len(ids) == 0 {
		redirect(w, r, "/members", "sheet_empty")
		return
	}
	if len(ids) > maxSheet {
		s.fail(w, r, http.StatusBadRequest, "badge.sheet_count")
		return
	}
	s.actOnce(w, r, "/members", "badge_once", func() string {
		var cards []badgeCard
		ctx := r.Context()
		for _, v := range ids {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				s.fail(w, r, http.StatusBadRequest, "error.bad_request")
				return ""
			}
			m, err := s.cfg.Members.FindMemberByID(ctx, id)
			if err != nil {
				s.failErr(w, r, err)
				return ""
			}
			c, _, err := s.issueCard(ctx, m, false)
			if err != nil {
				s.failErr(w, r, err)
				return ""
			}
			cards = append(cards, c)
		}
		return s.showView(w, r, &secretView{view: "badge_print", title: "badge.sheet_title", flash: "done.badges_issued",
			data: badgePrintData{Cards: cards, Sheet: true, Until: s.now().Add(viewTTL)}})
	})
}
