package admin

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// Mails queues the e-mails the admin causes (central/email through the
// one outbox, wired by centrald): a member's welcome, her link and badge,
// a bureau user's password reset, a newcomer's and a claim's address
// confirmation.
type Mails interface {
	// Enabled reports whether e-mail is set up (smtp.host and smtp.from).
	Enabled(ctx context.Context) bool
	// Queue enqueues a mail. A second mail of the same kind and key is
	// dropped: it reports false.
	Queue(ctx context.Context, m Mail) (bool, error)
}

// Kinds of Mail (central/email's kinds of the same names).
const (
	MailWelcome       = "welcome"        // Member, Link, BadgePNG
	MailLink          = "link"           // Member, Link
	MailLinkRequest   = "link_request"   // Member, Link (the lost-link form's one-time link: mailLostLink)
	MailBadge         = "badge"          // Member, BadgePNG
	MailPasswordReset = "password_reset" // To, Link
	MailJoin          = "join"           // To, Name, Link
	MailClaim         = "claim"          // Member, To (the address claimed), Link
	MailGuest         = "guest"          // To, Name (the guest), Host, Space, Day, BadgePNG (the pass)
	// MailEventRegister: the link that registers the address given on a
	// public event's page (To, Name, Lang, Event, Link).
	MailEventRegister = "event_register"
	// An event's registration mails, again (Again), to an address that
	// confirmed the public form's link once more: Event, Registration,
	// To, Name.
	MailEventConfirmed  = "event_confirmed"
	MailEventWaitlisted = "event_waitlisted"
)

// Mail is one mail to queue.
type Mail struct {
	Kind string
	// Key names its cause, unique for the kind ("member:7", "link:12").
	Key    string
	Member int64  // the member it is for (0: To only)
	To     string // the address, when it is not the member's own
	Name   string // the recipient's name, when she is no member
	Lang   string // "fr", "en"; "" for the member's own choice
	Link   string
	// BadgePNG is a badge's QR code, drawn now: badges are stored hashed.
	BadgePNG []byte
	// Host invites the guest (Name) to Space on Day (YYYY-MM-DD);
	// Address is the space's, Hours its door's opening hours in words,
	// in the mail's language ("" when it has none: always open).
	Host, Space, Day string
	Address, Hours   string
	// Event and Registration name the registration of an event mail;
	// Again says the address was registered already when it confirmed
	// the public form's link again.
	Event, Registration int64
	Again               bool
}

// Lifetimes of the links sent by e-mail.
const (
	// doubleTapFor: a spent link's button pressed again within this
	// shows what the first press did (a double tap), never later.
	doubleTapFor     = time.Minute
	passwordResetFor = time.Hour
	confirmFor       = 24 * time.Hour
	// unsubscribeFor: a reminder's unsubscribe link works for a year.
	unsubscribeFor = 366 * 24 * time.Hour
)

// Token prefixes of the links sent by e-mail (central.NewToken).
const (
	resetTokenPrefix    = "bgr1_"
	joinTokenPrefix     = "bgj1_"
	claimTokenPrefix    = "bgc1_"
	unsubscribePrefix   = "bgu1_"
	linkRequestPrefix   = "bgl1_"
	eventRegisterPrefix = "bgi1_"
	maxMailTokenLength  = 100
)

// mailsOn reports whether the admin can send e-mails now.
func (s *Server) mailsOn(ctx context.Context) bool {
	return s.cfg.Mails != nil && s.cfg.Mails.Enabled(ctx)
}

// Public forms (lost link, join, password reset, claim) send mails to
// addresses typed by anyone: each is counted per client address and per
// address typed, in the login throttle's table, so that neither a robot
// nor a prankster flooding one mailbox gets far: formPolicy per client
// address, targetPolicy per address typed (across client addresses: three
// mails, then 5 minutes between two, doubling).
var (
	formPolicy = throttlePolicy{free: 5, base: time.Minute, maxWait: time.Hour, lockAfter: 20,
		lockFor: time.Hour, forgetAfter: 24 * time.Hour}
	targetPolicy = throttlePolicy{free: 2, base: 5 * time.Minute, maxWait: time.Hour, lockAfter: 10,
		lockFor: 6 * time.Hour, forgetAfter: 24 * time.Hour}
)

// allowForm counts a public form's request from the client's address
// (and for the address typed, when given) and returns until when it must
// wait (zero: go on).
func (s *Server) allowForm(ctx context.Context, r *http.Request, form, target string) (time.Time, error) {
	keys := []string{"form:" + form + ":ip:" + throttleAddress(s.clientIP(r))}
	policies := []throttlePolicy{formPolicy}
	if target != "" {
		keys = append(keys, "form:"+form+":to:"+strings.ToLower(target))
		policies = append(policies, targetPolicy)
	}
	return s.countRequests(ctx, keys, policies)
}

// countRequests counts a request under each key, in the login throttle's
// table, and returns until when it must wait (zero: go on), as the
// policies (one per key) say.
func (s *Server) countRequests(ctx context.Context, keys []string, policies []throttlePolicy) (time.Time, error) {
	var until time.Time
	err := s.cfg.Store.UpdateLoginThrottles(ctx, keys, func(rows []adminstore.LoginThrottle) []adminstore.LoginThrottle {
		now := s.now()
		until = time.Time{}
		for i := range rows {
			forget(&rows[i], policies[i], now)
			if rows[i].LockedUntil.After(now) && rows[i].LockedUntil.After(until) {
				until = rows[i].LockedUntil
			}
		}
		if !until.IsZero() {
			return nil
		}
		for i := range rows {
			t := &rows[i]
			t.Failures++
			t.LastFailure = now
			t.LockedUntil = time.Time{}
			if d := policies[i].wait(t.Failures); d > 0 {
				t.LockedUntil = now.Add(d)
			}
		}
		return rows
	})
	if err != nil {
		return time.Time{}, err
	}
	s.purgeThrottles(ctx)
	return until, nil
}

// formCookieToken returns the anti-forgery token of a public form without
// a link token (double submit, as the login form: the same cookie).
func (s *Server) formCookieToken(w http.ResponseWriter, r *http.Request) (string, error) {
	if c, err := r.Cookie(s.loginCookieName(r)); err == nil && len(c.Value) == 43 {
		return c.Value, nil
	}
	token, err := randomToken(32)
	if err != nil {
		return "", err
	}
	s.setCookie(w, r, s.loginCookieName(r), token, 3600)
	return token, nil
}

// validFormCookie checks a public form's anti-forgery token.
func (s *Server) validFormCookie(r *http.Request) bool {
	c, err := r.Cookie(s.loginCookieName(r))
	return err == nil && validToken(formToken(r), c.Value)
}

// newMailToken stores a token sent by e-mail and returns it.
func (s *Server) newMailToken(ctx context.Context, prefix, purpose string, subject int64, data string, valid time.Duration) (string, error) {
	token, hash, err := central.NewToken(prefix)
	if err != nil {
		return "", err
	}
	now := s.now()
	if err := s.cfg.Store.CreateMailToken(ctx, &adminstore.MailToken{Hash: hash, Purpose: purpose, Subject: subject,
		Data: data, Created: now, Expires: now.Add(valid)}); err != nil {
		return "", err
	}
	return token, nil
}

// mailTokenParam reads a {token} path parameter of a prefix, or "".
func mailTokenParam(r *http.Request, prefix string) string {
	t := r.PathValue("token")
	if !strings.HasPrefix(t, prefix) || len(t) > maxMailTokenLength {
		return ""
	}
	return t
}

// mailToken reads the {token} of a mailed link of prefix and purpose:
// spent when use (a button pressed), else only looked up (the link
// opened); an unknown, used or expired one is EUNAUTHORIZED. The callers
// say so on a page of their own.
func (s *Server) mailToken(r *http.Request, prefix, purpose string, use bool) (*adminstore.MailToken, string, error) {
	token := mailTokenParam(r, prefix)
	if token == "" {
		return nil, "", central.Errorf(central.EUNAUTHORIZED, "Unknown, used or expired link.")
	}
	var t *adminstore.MailToken
	var err error
	if use {
		t, err = s.cfg.Store.UseMailToken(r.Context(), purpose, token, s.now())
	} else {
		t, err = s.cfg.Store.FindMailToken(r.Context(), purpose, token, s.now())
	}
	return t, token, err
}

// sendWelcome welcomes a new member who has an e-mail address: it makes
// her personal link and a badge, and queues the welcome mail (key
// member:<id>: once per member). It reports whether a mail was queued.
func (s *Server) sendWelcome(ctx context.Context, r *http.Request, m *central.Member, lang string) (bool, error) {
	if m.Email == "" || !s.mailsOn(ctx) {
		return false, nil
	}
	return Welcomer{Links: s.cfg.Store, Badges: s.cfg.Badges, Mails: s.cfg.Mails, PublicURL: s.publicURL(r)}.Welcome(ctx, m, lang)
}

// Welcomer welcomes a new member by e-mail, as the admin does when it
// creates her: centrald member add uses it too, outside any request.
type Welcomer struct {
	Links interface {
		CreateMemberLink(ctx context.Context, member int64) (*central.MemberLink, string, error)
	}
	Badges central.BadgeService
	Mails  Mails
	// PublicURL is the address members reach central at (her link
	// starts with it).
	PublicURL string
}

// Welcome makes a member's personal link and a badge, and queues her
// welcome mail with the link and the badge's QR attached (key
// member:<id>: once per member, ever). A member without an address, or
// e-mail not set up, gets nothing: it reports whether a mail was queued.
// Without PublicURL it returns EINVALID (the link would lead nowhere).
func (w Welcomer) Welcome(ctx context.Context, m *central.Member, lang string) (bool, error) {
	if m.Email == "" || w.Mails == nil || !w.Mails.Enabled(ctx) {
		return false, nil
	}
	if w.PublicURL == "" {
		return false, central.Errorf(central.EINVALID, "No public address to link to (CENTRALD_PUBLIC_URL).")
	}
	_, token, err := w.Links.CreateMemberLink(ctx, m.ID)
	if err != nil {
		return false, err
	}
	_, secret, err := w.Badges.IssueBadge(ctx, m.ID, false)
	if err != nil {
		return false, err
	}
	png, err := qrPNG(secret.Text(), 512)
	if err != nil {
		return false, err
	}
	return w.Mails.Queue(ctx, Mail{Kind: MailWelcome, Key: "member:" + i64(m.ID), Member: m.ID, Lang: lang,
		Link: strings.TrimRight(w.PublicURL, "/") + "/m/" + token, BadgePNG: png})
}

// linkEmail e-mails a member her personal link (POST
// /members/{id}/link/email): the link just shown (field link, which must
// be her valid link), or a new one, revoking the previous, when none is
// given.
func (s *Server) linkEmail(w http.ResponseWriter, r *http.Request) {
	m, ok := s.memberOf(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	if m.Email == "" || !s.mailsOn(ctx) {
		redirect(w, r, "/members/"+i64(m.ID), "mail_off")
		return
	}
	token := strings.TrimSpace(r.PostFormValue("link"))
	var linkID int64
	if token != "" {
		if i := strings.LastIndex(token, "/m/"); i >= 0 {
			token = token[i+3:]
		}
		l, err := s.cfg.Store.FindMemberLink(ctx, token)
		if err != nil || l.Member != m.ID || !strings.HasPrefix(token, central.MemberLinkPrefix) {
			s.fail(w, r, http.StatusNotFound, "error.not_found")
			return
		}
		linkID = l.ID
	} else {
		l, t, err := s.cfg.Store.CreateMemberLink(ctx, m.ID)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		linkID, token = l.ID, t
	}
	if _, err := s.cfg.Mails.Queue(ctx, Mail{Kind: MailLink, Key: "link:" + i64(linkID), Member: m.ID,
		Link: s.publicURL(r) + "/m/" + token}); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/members/"+i64(m.ID), "link_mailed")
}

// badgeEmail e-mails a member the badge just printed (POST
// /members/{id}/badges/{badge}/email, field secret: the badge's text,
// which must be this valid badge of hers).
func (s *Server) badgeEmail(w http.ResponseWriter, r *http.Request) {
	m, ok := s.memberOf(w, r)
	if !ok {
		return
	}
	bid, ok := pathID(r, "badge")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	ctx := r.Context()
	if m.Email == "" || !s.mailsOn(ctx) {
		redirect(w, r, "/members/"+i64(m.ID), "mail_off")
		return
	}
	text := strings.TrimSpace(r.PostFormValue("secret"))
	secret, err := badge.Parse(text)
	if err != nil || len(text) > 200 {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	bs, _, err := s.cfg.Badges.FindBadges(ctx, central.BadgeFilter{Member: &m.ID})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	found := false
	for _, b := range bs {
		found = found || (b.ID == bid && b.Hash == secret.Hash() && !b.IsRevoked())
	}
	if !found {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	png, err := qrPNG(text, 512)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if _, err := s.cfg.Mails.Queue(ctx, Mail{Kind: MailBadge, Key: "badge:" + i64(bid), Member: m.ID, BadgePNG: png}); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/members/"+i64(m.ID), "badge_mailed")
}

type lostLinkData struct {
	Token string
	Email string
	Sent  bool
}

// lostLinkPage is the login-free "lost my link" form (GET /m), and what
// its POST answers 303 to (?sent=1: "if the address is a member's, a mail
// is on its way", the same for any address).
func (s *Server) lostLinkPage(w http.ResponseWriter, r *http.Request) {
	s.renderLostLink(w, r, http.StatusOK, lostLinkData{Sent: r.URL.Query().Get("sent") == "1"}, "")
}

func (s *Server) renderLostLink(w http.ResponseWriter, r *http.Request, status int, d lostLinkData, errKey string, args ...any) {
	token, err := s.formCookieToken(w, r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Token = token
	p := s.newPage(r, "lost.title", d)
	p.Bare = true
	if errKey != "" {
		p.Error = translate(p.Lang, errKey, args...)
	}
	s.renderStatus(w, r, status, "lost_link", p)
}

// lostLink e-mails a member a one-time link to a new personal link (POST
// /m: mailLostLink). The answer is the same whether the address is a
// member's or not; the form is throttled per client address and per
// address typed.
func (s *Server) lostLink(w http.ResponseWriter, r *http.Request) {
	if !s.validFormCookie(r) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	ctx := r.Context()
	addr := strings.TrimSpace(r.PostFormValue("email"))
	if central.ValidateEmail(addr) != nil {
		s.renderLostLink(w, r, http.StatusBadRequest, lostLinkData{Email: cut(addr, central.MaxEmailLength)}, "member.error.email")
		return
	}
	if !s.throttled(w, r, "link", addr, func(until time.Time) {
		s.renderLostLink(w, r, http.StatusTooManyRequests, lostLinkData{Email: addr}, "form.throttled", s.newPage(r, "", nil).Clock(until))
	}) {
		return
	}
	if err := s.mailLostLink(ctx, r, addr); err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, "/m?sent=1", http.StatusSeeOther)
}

// throttled counts a public form's request and reports whether it may go
// on; when it may not, it calls refused (which writes the answer).
func (s *Server) throttled(w http.ResponseWriter, r *http.Request, form, target string, refused func(time.Time)) bool {
	until, err := s.allowForm(r.Context(), r, form, target)
	if err != nil {
		s.failErr(w, r, err)
		return false
	}
	if !until.IsZero() {
		s.log.Warn("admin: public form throttled", "form", form)
		w.Header().Set("Retry-After", retryAfter(until.Sub(s.now())))
		refused(until)
		return false
	}
	return true
}

// mailLostLink mails the active member with the address, if there is
// one, in her mails' language, a one-time link (adminstore.TokenMemberLink: 24 hours, once) to
// linkRequest, where a button makes her new personal link.
//
// It makes no personal link itself, and revokes none: anyone may type her
// address on the public form, and her link must keep working whatever a
// stranger types (the form used to replace it at once, cutting her off
// until she opened her mail). Of the two ways to that, this one was
// chosen over adding a new personal link beside the old one: a member
// keeps one personal link (the bureau's page shows it, its "new link"
// and "revoke" act on it), nothing in the form can push her working link
// out (a bound on links added beside it would, typed often enough), and
// the token is the project's usual mailed secret (stored hashed, expiring,
// confirmed by a button because mail programs open links to scan them,
// purged with the others). When she asks because her link leaked, using
// the mailed link still revokes the old one.
func (s *Server) mailLostLink(ctx context.Context, r *http.Request, addr string) error {
	if !s.mailsOn(ctx) {
		return nil
	}
	base, err := s.mailURL(r) // before the member is looked for: the same answer for any address
	if err != nil {
		return err
	}
	ms, _, err := s.cfg.Members.FindMembers(ctx, central.MemberFilter{Email: &addr, Limit: 1})
	if err != nil || len(ms) == 0 || ms[0].Status != access.MemberActive {
		return err
	}
	token, err := s.newMailToken(ctx, linkRequestPrefix, adminstore.TokenMemberLink, ms[0].ID, "", confirmFor)
	if err != nil {
		return err
	}
	// Lang "": the language she chose for her mails (« Mes e-mails »,
	// French when she never chose), as her other mails; not the page's,
	// which is the browser's of whoever typed her address.
	_, err = s.cfg.Mails.Queue(ctx, Mail{Kind: MailLinkRequest, Key: central.HashToken(token)[:16], Member: ms[0].ID,
		Link: base + "/link/" + token})
	return err
}

// linkRequestToken checks the {token} of a link mailed by the lost-link
// form (use: spend it), or answers 404 with the form to ask again.
func (s *Server) linkRequestToken(w http.ResponseWriter, r *http.Request, use bool) (*adminstore.MailToken, string, bool) {
	t, token, err := s.mailToken(r, linkRequestPrefix, adminstore.TokenMemberLink, use)
	if err != nil {
		if central.ErrorCode(err) == central.EINTERNAL {
			s.failErr(w, r, err)
		} else {
			s.renderLostLink(w, r, http.StatusNotFound, lostLinkData{}, "lost.request_unknown")
		}
		return nil, "", false
	}
	return t, token, true
}

type linkRequestData struct {
	Token string
	// Phones: she has a phone badge that works, which the new link
	// disables (adminstore.CreateMemberLink): the page says so.
	Phones bool
}

// workingPhoneBadges reports whether the member has a phone badge that
// works: a new personal link disables it.
func (s *Server) workingPhoneBadges(ctx context.Context, member int64) (bool, error) {
	bs, _, err := s.cfg.Badges.FindBadges(ctx, central.BadgeFilter{Member: &member, Limit: 100})
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(bs, func(b *central.Badge) bool { return b.Kind == central.BadgePhone && !b.IsRevoked() }), nil
}

// linkRenewed is what a new link from the lost-link form leads to: her
// page at the new link, and its flash (done.link_renewed, or
// done.link_renewed_phone when it disabled her phone badge).
type linkRenewed struct {
	Link, Done string
}

// linkRequestPage is the page of a link mailed by the lost-link form (GET
// /link/{token}): a button that makes her new personal link. Opening it
// changes nothing.
func (s *Server) linkRequestPage(w http.ResponseWriter, r *http.Request) {
	t, token, ok := s.linkRequestToken(w, r, false)
	if !ok {
		return
	}
	phones, err := s.workingPhoneBadges(r.Context(), t.Subject)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "lost.title", linkRequestData{Token: token, Phones: phones})
	p.Bare, p.CSRF = true, s.selfToken("member_link:"+t.Hash)
	s.render(w, r, "link_request", p)
}

// linkRequestConfirm spends a link mailed by the lost-link form (POST
// /link/{token}): it makes the member's new personal link, revoking the
// old one (CreateMemberLink: the link she lost may be in other hands),
// and answers 303 to her page at the new link. The member must still be
// active, as when the link was mailed.
func (s *Server) linkRequestConfirm(w http.ResponseWriter, r *http.Request) {
	token := mailTokenParam(r, linkRequestPrefix)
	if !validToken(formToken(r), s.selfToken("member_link:"+central.HashToken(token))) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	// Her button pressed twice: the browser shows the second answer. The
	// first replaced her link: the second, within doubleTapFor, leads to
	// the same new page, not to "this link does not work any more".
	if v, ok := s.recentView(tokenOwner(token), "link_renewed", doubleTapFor); ok {
		to := v.(linkRenewed)
		redirect(w, r, "/m/"+to.Link, to.Done)
		return
	}
	t, _, ok := s.linkRequestToken(w, r, true)
	if !ok {
		return
	}
	ctx := central.NewContextWithActor(r.Context(), "member:"+i64(t.Subject))
	m, err := s.cfg.Members.FindMemberByID(ctx, t.Subject)
	if central.ErrorCode(err) == central.ENOTFOUND || err == nil && m.Status != access.MemberActive {
		s.renderLostLink(w, r, http.StatusNotFound, lostLinkData{}, "lost.request_unknown")
		return
	} else if err != nil {
		s.failErr(w, r, err)
		return
	}
	to := linkRenewed{Done: "link_renewed"}
	if phones, err := s.workingPhoneBadges(ctx, m.ID); err != nil {
		s.failErr(w, r, err)
		return
	} else if phones {
		to.Done = "link_renewed_phone"
	}
	if _, to.Link, err = s.cfg.Store.CreateMemberLink(ctx, m.ID); err != nil {
		s.failErr(w, r, err)
		return
	}
	if _, err := s.keepView(&secretView{owner: tokenOwner(token), view: "link_renewed", member: m.ID, data: to}); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/m/"+to.Link, to.Done)
}

type resetData struct {
	Token string // the form's anti-forgery token
	Reset string // the reset link's token (the new password form)
	Email string
	Sent  bool
}

// resetPage asks for the address of a bureau user who forgot her
// password (GET /login/reset).
// resetPage is the password reset's form (GET /login/reset), and what its
// POST answers 303 to (?sent=1, the same for any address).
func (s *Server) resetPage(w http.ResponseWriter, r *http.Request) {
	s.renderReset(w, r, http.StatusOK, resetData{Sent: r.URL.Query().Get("sent") == "1"}, "")
}

func (s *Server) renderReset(w http.ResponseWriter, r *http.Request, status int, d resetData, errKey string, args ...any) {
	token, err := s.formCookieToken(w, r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Token = token
	if d.Reset != "" {
		d.Token = s.selfToken("reset:" + central.HashToken(d.Reset))
	}
	p := s.newPage(r, "reset.title", d)
	p.Bare = true
	if errKey != "" {
		p.Error = translate(p.Lang, errKey, args...)
	}
	s.renderStatus(w, r, status, "password_reset", p)
}

// resetRequest e-mails a one-time link, valid passwordResetFor, to the
// bureau user with the address (POST /login/reset). The answer is the
// same for any address.
func (s *Server) resetRequest(w http.ResponseWriter, r *http.Request) {
	if !s.validFormCookie(r) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	ctx := r.Context()
	addr := strings.TrimSpace(r.PostFormValue("email"))
	if central.ValidateEmail(addr) != nil {
		s.renderReset(w, r, http.StatusBadRequest, resetData{}, "member.error.email")
		return
	}
	if !s.throttled(w, r, "reset", addr, func(until time.Time) {
		s.renderReset(w, r, http.StatusTooManyRequests, resetData{Email: addr}, "form.throttled", s.newPage(r, "", nil).Clock(until))
	}) {
		return
	}
	mailsOn := s.mailsOn(ctx)
	var base string
	if mailsOn { // before the user is looked for: the same answer for any address
		var err error
		if base, err = s.mailURL(r); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	u, err := s.cfg.Store.FindAdminUserByEmail(ctx, addr)
	if err != nil && central.ErrorCode(err) != central.ENOTFOUND {
		s.failErr(w, r, err)
		return
	}
	if u != nil && !u.Disabled && mailsOn {
		token, err := s.newMailToken(ctx, resetTokenPrefix, adminstore.TokenPasswordReset, u.ID, "", passwordResetFor)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		if _, err := s.cfg.Mails.Queue(ctx, Mail{Kind: MailPasswordReset, Key: "reset:" + central.HashToken(token)[:16],
			To: u.Email, Lang: requestLang(r), Link: base + "/login/reset/" + token}); err != nil {
			s.failErr(w, r, err)
			return
		}
		s.log.Info("admin: password reset mailed", "user", u.ID)
	}
	http.Redirect(w, r, "/login/reset?sent=1", http.StatusSeeOther)
}

// resetForm shows the new password form of a reset link (GET
// /login/reset/{token}); the link is used by the POST only.
func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) {
	token := mailTokenParam(r, resetTokenPrefix)
	if token == "" {
		s.resetUnknown(w, r)
		return
	}
	if _, err := s.cfg.Store.FindMailToken(r.Context(), adminstore.TokenPasswordReset, token, s.now()); err != nil {
		s.resetUnknown(w, r)
		return
	}
	s.renderReset(w, r, http.StatusOK, resetData{Reset: token}, "")
}

func (s *Server) resetUnknown(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "reset.title", nil)
	p.Bare, p.Error = true, translate(p.Lang, "reset.unknown")
	s.renderStatus(w, r, http.StatusNotFound, "error", p)
}

// resetSave sets the new password of a reset link and uses the link up
// (POST /login/reset/{token}); the user then logs in.
func (s *Server) resetSave(w http.ResponseWriter, r *http.Request) {
	token := mailTokenParam(r, resetTokenPrefix)
	if token == "" {
		s.resetUnknown(w, r)
		return
	}
	if !validToken(formToken(r), s.selfToken("reset:"+central.HashToken(token))) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	pw := r.PostFormValue("password")
	if err := CheckPassword(pw); err != nil {
		s.renderReset(w, r, http.StatusBadRequest, resetData{Reset: token}, "reset.password_rules", MinPasswordLength, MaxPasswordLength)
		return
	}
	hash, err := HashPassword(pw)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	ctx := r.Context()
	t, err := s.cfg.Store.UseMailToken(ctx, adminstore.TokenPasswordReset, token, s.now())
	if err != nil {
		s.resetUnknown(w, r)
		return
	}
	ctx = central.NewContextWithActor(ctx, "admin_user:"+i64(t.Subject))
	// Her other reset links die with the old password, in the same
	// transaction (adminstore.UpdateAdminUser): one mailed earlier (asked
	// twice, or by someone else) set a password of its own for an hour
	// more, over the one she just chose.
	if _, err := s.cfg.Store.UpdateAdminUser(ctx, t.Subject, central.AdminUserUpdate{PasswordHash: &hash}); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.log.Info("admin: password reset", "user", t.Subject)
	http.Redirect(w, r, "/login?done=password_reset", http.StatusSeeOther)
}

type prefsData struct {
	Token        string
	Name         string
	Lang         string
	RemindersOff bool
	// Home is her personal link's token when she came from her page
	// (?m=, checked to be hers): the page leads back to it.
	Home string
}

// UnsubscribeURL returns the page where a member chooses her mails'
// language and turns reminders off, without logging in (a new link each
// time, valid unsubscribeFor); "" without a public address
// (Config.PublicURL): mails then say to reply instead. centrald gives it
// to central/email for the reminders it sends.
func (s *Server) UnsubscribeURL(ctx context.Context, member int64) (string, error) {
	if s.cfg.PublicURL == "" {
		return "", nil
	}
	token, err := s.newMailToken(ctx, unsubscribePrefix, adminstore.TokenUnsubscribe, member, "", unsubscribeFor)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(s.cfg.PublicURL, "/") + "/u/" + token, nil
}

// selfMailPrefs leads from her page to her mails' preferences (POST
// /m/{token}/mail): a new link of the reminders' kind, valid a day, to
// the page it opens.
func (s *Server) selfMailPrefs(w http.ResponseWriter, r *http.Request) {
	l, home, ctx, ok := s.selfPost(w, r)
	if !ok {
		return
	}
	token, err := s.newMailToken(ctx, unsubscribePrefix, adminstore.TokenUnsubscribe, l.Member, "", confirmFor)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, prefsPath(token, home), http.StatusSeeOther)
}

// prefsPath is the address of her mails' preferences, with her personal
// link's token when she came from her page (home; "" from a reminder).
func prefsPath(token, home string) string {
	if home == "" {
		return "/u/" + token
	}
	return "/u/" + token + "?m=" + url.QueryEscape(home)
}

// prefsHome returns the personal link's token of the ?m= parameter when
// it is the valid link of the member the preferences are of, else "".
func (s *Server) prefsHome(r *http.Request, member int64) string {
	home := r.URL.Query().Get("m")
	if !strings.HasPrefix(home, central.MemberLinkPrefix) || len(home) > 100 {
		return ""
	}
	if l, err := s.cfg.Store.FindMemberLink(r.Context(), home); err != nil || l.Member != member {
		return ""
	}
	return home
}

// prefsToken returns the member of an unsubscribe link, or writes 404.
func (s *Server) prefsToken(w http.ResponseWriter, r *http.Request) (*adminstore.MailToken, string, bool) {
	token := mailTokenParam(r, unsubscribePrefix)
	var t *adminstore.MailToken
	var err error = central.Errorf(central.EUNAUTHORIZED, "Unknown, used or expired link.")
	if token != "" {
		t, err = s.cfg.Store.FindMailToken(r.Context(), adminstore.TokenUnsubscribe, token, s.now())
	}
	if err != nil {
		if central.ErrorCode(err) == central.EINTERNAL {
			s.failErr(w, r, err)
		} else {
			s.selfNotFound(w, r)
		}
		return nil, "", false
	}
	return t, token, true
}

// prefsPage shows a member's mail preferences (GET /u/{token}, the
// unsubscribe link of every reminder).
func (s *Server) prefsPage(w http.ResponseWriter, r *http.Request) {
	t, token, ok := s.prefsToken(w, r)
	if !ok {
		return
	}
	m, err := s.cfg.Members.FindMemberByID(r.Context(), t.Subject)
	if err != nil {
		s.selfNotFound(w, r)
		return
	}
	lang, off, err := s.cfg.Store.MailPrefs(r.Context(), m.ID)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "prefs.title", prefsData{Token: token, Name: m.Name, Lang: lang, RemindersOff: off, Home: s.prefsHome(r, m.ID)})
	p.Bare, p.CSRF = true, s.selfToken("prefs:"+t.Hash)
	s.render(w, r, "mail_prefs", p)
}

// prefsSave records a member's mail preferences (POST /u/{token}).
func (s *Server) prefsSave(w http.ResponseWriter, r *http.Request) {
	t, token, ok := s.prefsToken(w, r)
	if !ok {
		return
	}
	if !validToken(formToken(r), s.selfToken("prefs:"+t.Hash)) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	lang := langFR
	if r.PostFormValue("lang") == langEN {
		lang = langEN
	}
	ctx := central.NewContextWithActor(r.Context(), "member:"+i64(t.Subject))
	if err := s.cfg.Store.SetMailPrefs(ctx, t.Subject, lang, r.PostFormValue("reminders") != "1"); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, prefsPath(token, s.prefsHome(r, t.Subject)), "prefs_saved")
}

// mailFailure is an e-mail to a member that was given up, for her page.
type mailFailure struct {
	Kind  string
	When  time.Time
	Error string
}

// memberMailFailures returns the mails to a member given up among the
// latest failed ones (at most maxFailuresRead read): the server's refusal
// (a 5xx: unknown address, mailbox full) is for the bureau to act on.
func (s *Server) memberMailFailures(ctx context.Context, member int64) ([]mailFailure, error) {
	if s.cfg.Outbox == nil || s.cfg.MailMember == nil {
		return nil, nil
	}
	items, _, err := s.cfg.Outbox.FindOutbox(ctx, central.OutboxFilter{TopicPrefix: "email.", State: central.OutcomeFailed,
		Limit: maxFailuresRead})
	if err != nil {
		return nil, err
	}
	var out []mailFailure
	for _, it := range items {
		if s.cfg.MailMember(it) == member {
			out = append(out, mailFailure{Kind: strings.TrimPrefix(it.Topic, "email."), When: it.Done, Error: it.Error})
		}
	}
	return out, nil
}

const maxFailuresRead = 500
