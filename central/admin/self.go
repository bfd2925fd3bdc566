package admin

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

type selfData struct {
	Token   string
	Member  *central.Member
	Balance *central.Balance
	Visits  []*central.Visit
	Badge   *badgeCard // a badge just reissued, shown once
	// Badges are all of hers, cards and phones, valid or not; Cards the
	// valid printed ones (a new card replaces them: the confirmation
	// names them). Phones says phone badges can be made.
	Badges []*central.Badge
	Cards  []*central.Badge
	Phones bool
	// BuyURL is where to buy more when her card is low (claim.go);
	// Claim: she may claim a payment made with another address.
	BuyURL string
	Claim  bool
	// ClaimEmail is the address the claim form refused, typed again.
	ClaimEmail string
	ClaimError bool
	// Refused is her latest refusal at a door with one of her badges,
	// of the last refusedShownFor: the welcome mail says her page tells
	// why a door said no.
	Refused *adminstore.EntryRow
	// Mails: she has an address and e-mail is set up: her page leads to
	// her mails' preferences (mail.go).
	Mails bool
	// RenewURL is where to renew her dues when they end within
	// central.RenewalLead days or have ended (claim.go).
	RenewURL string
	// Invite: she may invite guests (guests.go): GuestLeft of GuestQuota
	// this month; GuestForm as typed; MyGuests her latest passes.
	Invite                bool
	GuestLeft, GuestQuota int
	GuestBack             access.Day // when her invitations come back (none left)
	GuestForm             guestForm
	MyGuests              []*adminstore.HostGuest
}

// selfLink returns the valid link of the {token} path parameter, or writes
// a 404 page (an unknown or revoked link says nothing more).
func (s *Server) selfLink(w http.ResponseWriter, r *http.Request) (*central.MemberLink, string, bool) {
	return s.selfLinkOr(w, r, s.selfNotFound)
}

// selfLinkOr returns the valid link of the {token} path parameter, or
// answers an unknown or revoked one with gone (an internal error with
// the error page).
func (s *Server) selfLinkOr(w http.ResponseWriter, r *http.Request, gone func(http.ResponseWriter, *http.Request)) (*central.MemberLink, string, bool) {
	token := r.PathValue("token")
	if !strings.HasPrefix(token, central.MemberLinkPrefix) || len(token) > 100 {
		gone(w, r)
		return nil, "", false
	}
	l, err := s.cfg.Store.FindMemberLink(r.Context(), token)
	if err != nil {
		if central.ErrorCode(err) == central.EINTERNAL {
			s.failErr(w, r, err)
		} else {
			gone(w, r)
		}
		return nil, "", false
	}
	return l, token, true
}

// selfNotFound answers an unknown or revoked link with the form that
// e-mails a new one (mail.go).
func (s *Server) selfNotFound(w http.ResponseWriter, r *http.Request) {
	s.renderLostLink(w, r, http.StatusNotFound, lostLinkData{}, "self.unknown")
}

// selfPage is a member's own page (GET /m/{token}): entries left,
// subscription end, visits, and a button to get a new badge QR.
func (s *Server) selfPage(w http.ResponseWriter, r *http.Request) {
	l, token, ok := s.selfLink(w, r)
	if !ok {
		return
	}
	// ?badge= names the one-time view of a badge she just made: shown
	// once, "déjà affiché" on a reload (secret_view.go).
	var card *badgeCard
	shown := false
	if id := r.URL.Query().Get("badge"); id != "" && len(id) <= 64 {
		v, show, live := s.takeView(id, "link:"+l.Hash, false)
		if live && show {
			c := v.data.(badgeCard)
			card = &c
		}
		shown = !show
	}
	s.renderSelf(w, r, l, token, card, shown)
}

func (s *Server) renderSelf(w http.ResponseWriter, r *http.Request, l *central.MemberLink, token string, card *badgeCard, shown bool) {
	ctx := r.Context()
	m, err := s.cfg.Members.FindMemberByID(ctx, l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d := selfData{Token: token, Member: m, Badge: card, Phones: s.cfg.Codes != nil}
	if d.Badges, _, err = s.cfg.Badges.FindBadges(ctx, central.BadgeFilter{Member: &m.ID, Limit: 100}); err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, b := range d.Badges {
		if b.Kind != central.BadgePhone && !b.IsRevoked() {
			d.Cards = append(d.Cards, b)
		}
	}
	if d.Balance, err = s.cfg.Ledger.MemberBalance(ctx, m.ID, m.Balance.Day); err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.BuyURL, err = s.buyURL(ctx, m, d.Balance); err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.RenewURL, err = s.renewURL(ctx, m); err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Claim = s.cfg.Payments != nil && s.mailsOn(ctx)
	if q := r.URL.Query(); d.Claim && q.Get("claim_error") == "1" {
		d.ClaimError, d.ClaimEmail = true, cut(q.Get("claim_email"), central.MaxEmailLength)
	}
	d.Mails = m.Email != "" && s.mailsOn(ctx)
	if d.Invite = s.cfg.Guests != nil && s.cfg.Codes != nil; d.Invite {
		if d.GuestLeft, d.GuestQuota, d.GuestBack, err = s.guestQuota(ctx, m.ID); err != nil {
			s.failErr(w, r, err)
			return
		}
		if d.MyGuests, err = s.cfg.Store.HostGuests(ctx, m.ID, 10); err != nil {
			s.failErr(w, r, err)
			return
		}
		d.GuestForm = guestFormFrom(r.URL.Query(), s.spaceToday(ctx))
	}
	if d.Refused, err = s.lastRefusal(ctx, d.Badges); err != nil {
		s.failErr(w, r, err)
		return
	}
	_, nv, err := s.cfg.Entries.FindVisits(ctx, central.VisitFilter{Member: &m.ID, Limit: 1})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.Visits, _, err = s.cfg.Entries.FindVisits(ctx, central.VisitFilter{Member: &m.ID,
		Offset: max(nv-historyLength, 0), Limit: historyLength}); err != nil {
		s.failErr(w, r, err)
		return
	}
	for i, j := 0, len(d.Visits)-1; i < j; i, j = i+1, j-1 {
		d.Visits[i], d.Visits[j] = d.Visits[j], d.Visits[i]
	}
	p := s.newPage(r, "self.title", d)
	p.Bare, p.CSRF = true, s.selfToken(l.Hash)
	p.Portal = &selfPortal{Token: token, Tabs: selfTabs} // the Moi tab
	if card != nil {
		p.Flash = "done.self_badge"
	} else if shown {
		p.Flash = "self.already_shown"
	}
	s.render(w, r, "self", p)
}

// refusedShownFor is how long her page shows a refusal at a door.
const refusedShownFor = 7 * 24 * time.Hour

// lastRefusal returns the member's latest refusal at a door of the last
// refusedShownFor with one of her badges (not a guest's pass she
// answers for), or nil. A door of another space refuses her card
// without knowing her (not_valid_here): her badges find it.
func (s *Server) lastRefusal(ctx context.Context, badges []*central.Badge) (*adminstore.EntryRow, error) {
	refused := false
	hashes := make([]badge.Hash, len(badges))
	for i, b := range badges {
		hashes[i] = b.Hash
	}
	rows, _, err := s.cfg.Store.EntryRows(ctx, adminstore.EntryRowFilter{Badges: hashes, Accept: &refused,
		Since: s.now().Add(-refusedShownFor), Limit: 1})
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return rows[0], nil
}

// selfBadge reissues the member's badge from her page (POST
// /m/{token}/badge): her other badges are revoked, and the answer is 303
// to her page with the new QR's one-time view, to download or print.
func (s *Server) selfBadge(w http.ResponseWriter, r *http.Request) {
	l, token, ok := s.selfLink(w, r)
	if !ok {
		return
	}
	if !validToken(formToken(r), s.selfToken(l.Hash)) {
		s.log.Warn("admin: self-service POST without a valid anti-forgery token")
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	if !s.selfThrottled(w, r, "badge", l.Member, selfPolicy) {
		return
	}
	ctx := central.NewContextWithActor(r.Context(), "member:"+i64(l.Member))
	m, err := s.cfg.Members.FindMemberByID(ctx, l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	b, secret, err := s.cfg.Badges.IssueBadge(ctx, m.ID, true)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	c, err := s.card(m, b, secret.Text())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	id, err := s.keepView(&secretView{owner: "link:" + l.Hash, member: m.ID, badges: []int64{b.ID}, view: "self", data: c})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, "/m/"+token+"?badge="+id, http.StatusSeeOther)
}

// A member's page makes rows that stay: badges (POST /m/{token}/badge, a
// new one in place of her others, and /phone, one more), kept revoked or
// not, which every kiosk of her spaces holds and pulls again, with all
// her others, whenever she changes; calendar links (/calendar), kept ten
// years once revoked; registrations and bookings (/agenda/{id}/register,
// /book), kept cancelled, each with its mail, journal line and kiosks'
// pulls. Anyone holding her link could add them in a loop, without end.
// They are counted per member and action, in the login throttle's table:
// selfPolicy ten a day, then a minute between two, doubling up to an
// hour, thirty lock six hours; selfPlanPolicy thirty a day, for what a
// busy day plans.
var (
	selfPolicy = throttlePolicy{free: 10, base: time.Minute, maxWait: time.Hour, lockAfter: 30,
		lockFor: 6 * time.Hour, forgetAfter: 24 * time.Hour}
	selfPlanPolicy = throttlePolicy{free: 30, base: time.Minute, maxWait: time.Hour, lockAfter: 100,
		lockFor: 6 * time.Hour, forgetAfter: 24 * time.Hour}
)

// selfThrottled counts what a member's page makes; when she must wait,
// it answers 429 (Retry-After, and until when on the page) and reports
// false.
func (s *Server) selfThrottled(w http.ResponseWriter, r *http.Request, action string, member int64, policy throttlePolicy) bool {
	until, err := s.countRequests(r.Context(), []string{"self:" + action + ":member:" + i64(member)}, []throttlePolicy{policy})
	if err != nil {
		s.failErr(w, r, err)
		return false
	}
	if until.IsZero() {
		return true
	}
	s.log.Warn("admin: member's page throttled", "action", action, "member", member)
	w.Header().Set("Retry-After", retryAfter(until.Sub(s.now())))
	s.selfTooMany(w, r, until)
	return false
}

// selfTooMany answers 429 on a member's page: until when to wait, and the
// way back to her page.
func (s *Server) selfTooMany(w http.ResponseWriter, r *http.Request, until time.Time) {
	p := s.newPage(r, "error.title", nil)
	p.Bare, p.Back = true, "/m/"+r.PathValue("token")
	p.Error = translate(p.Lang, "form.throttled", p.Clock(until))
	s.renderStatus(w, r, http.StatusTooManyRequests, "error", p)
}
