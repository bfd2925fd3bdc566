package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// The public join page (central/join.go says the flow): GET/POST /join,
// the address confirmed by the link mailed (GET/POST /join/confirm/{token}),
// then the product's HelloAsso form, or a request the bureau accepts or
// refuses on /joins. Nothing about the newcomer is kept before she
// confirms, but the mail token holding her form for 24 hours.

// Bounds of the join form's fields.
const (
	maxJoinName  = 200
	maxJoinPhone = 40
	// honeypotField is a field people never see nor fill (hidden by the
	// style sheet, out of the tab order): robots that fill every field
	// give themselves away.
	honeypotField = "website"
)

// joinForm is what a newcomer typed.
type joinForm struct {
	Name    string `json:"name"`
	Email   string `json:"email"`
	Phone   string `json:"phone,omitempty"`
	Product int64  `json:"product,omitempty"`
	Consent bool   `json:"-"`
	Lang    string `json:"lang,omitempty"`
}

// parseJoinForm reads and checks the join form's values: the products
// offered are the only ones she may choose (0: none, when none are
// offered). It returns the form, normalized, and a message key ("" when
// valid) and whether the honeypot was filled (a robot).
func parseJoinForm(v url.Values, offered []int64) (f joinForm, errKey string, robot bool) {
	get := func(k string) string {
		s := v.Get(k)
		if !utf8.ValidString(s) {
			return ""
		}
		return s
	}
	robot = strings.TrimSpace(v.Get(honeypotField)) != ""
	f.Name = strings.Join(strings.Fields(get("name")), " ")
	f.Email = strings.TrimSpace(get("email"))
	f.Phone = strings.Join(strings.Fields(get("phone")), " ")
	f.Consent = v.Get("consent") == "1"
	switch {
	case f.Name == "":
		return f, "member.error.name", robot
	case len(f.Name) > maxJoinName || strings.ContainsFunc(f.Name, unicode.IsControl):
		return f, "member.error.name_long", robot
	case central.ValidateEmail(f.Email) != nil:
		return f, "member.error.email", robot
	case len(f.Phone) > maxJoinPhone || strings.ContainsFunc(f.Phone, func(r rune) bool {
		return !unicode.IsDigit(r) && !strings.ContainsRune(" +-.()", r)
	}):
		return f, "join.error.phone", robot
	case !f.Consent:
		return f, "join.error.consent", robot
	}
	if p := strings.TrimSpace(v.Get("product")); p != "" && p != "0" {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || !slices.Contains(offered, id) {
			return f, "join.error.product", robot
		}
		f.Product = id
	} else if len(offered) > 0 {
		return f, "join.error.product", robot
	}
	return f, "", robot
}

type joinData struct {
	Token    string
	Form     joinForm
	Products []*central.Product
	Notice   string
	Sent     bool
	// SentTo is the address the form mailed, named to the browser that
	// typed it only (joinSent): a typo shows.
	SentTo string
}

// joinOwner is who may see the address a join form mailed: the browser
// that sent it, by its form cookie; "" without one.
func (s *Server) joinOwner(r *http.Request) string {
	c, err := r.Cookie(s.loginCookieName(r))
	if err != nil || c.Value == "" {
		return ""
	}
	return "join:" + central.HashToken(c.Value)
}

// joinSent answers the join form: 303 to the page that says the mail is
// on its way (reloading it sends no other), which names the address to
// this browser (to=, a one-time view of joinOwner's).
func (s *Server) joinSent(w http.ResponseWriter, r *http.Request, addr string) {
	owner := s.joinOwner(r)
	if owner == "" {
		http.Redirect(w, r, "/join?sent=1", http.StatusSeeOther)
		return
	}
	s.redirectToResultOf(w, r, owner, "join_sent", addr, "/join?sent=1&to=", "")
}

// joinSettings returns the join page's settings when it is open: joining
// on, and e-mail set up to confirm addresses.
func (s *Server) joinSettings(ctx context.Context) (central.JoinSettings, bool, error) {
	set, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		return central.JoinSettings{}, false, err
	}
	j := set.Join()
	return j, j.Enabled && s.mailsOn(ctx), nil
}

// joinProducts returns the active products offered on the join page.
func (s *Server) joinProducts(ctx context.Context, j central.JoinSettings) ([]*central.Product, []int64, error) {
	var ps []*central.Product
	var ids []int64
	for _, id := range j.Products {
		p, err := s.cfg.Products.FindProductByID(ctx, id)
		if central.ErrorCode(err) == central.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, nil, err
		}
		if p.Active {
			ps, ids = append(ps, p), append(ids, p.ID)
		}
	}
	return ps, ids, nil
}

// joinPage is the public join form (GET /join).
func (s *Server) joinPage(w http.ResponseWriter, r *http.Request) {
	s.renderJoin(w, r, http.StatusOK, joinForm{}, r.URL.Query().Get("sent") == "1", "")
}

func (s *Server) renderJoin(w http.ResponseWriter, r *http.Request, status int, f joinForm, sent bool, errKey string, args ...any) {
	ctx := r.Context()
	j, open, err := s.joinSettings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if !open {
		p := s.newPage(r, "join.title", nil)
		p.Bare, p.Visitor, p.Error = true, true, translate(p.Lang, "join.closed")
		s.renderStatus(w, r, http.StatusNotFound, "error", p)
		return
	}
	d := joinData{Form: f, Sent: sent, Notice: j.PrivacyNotice}
	if v, ok := s.resultViewOf(r, s.joinOwner(r), "to", "join_sent"); sent && ok {
		d.SentTo, _ = v.(string)
	}
	if d.Products, _, err = s.joinProducts(ctx, j); err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.Token, err = s.formCookieToken(w, r); err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "join.title", d)
	p.Bare = true
	if d.Notice == "" {
		d.Notice = translate(p.Lang, "join.default_notice")
		p.D = d
	}
	if errKey != "" {
		p.Error = translate(p.Lang, errKey, args...)
	}
	s.renderStatus(w, r, status, "join", p)
}

// join reads the join form (POST /join) and mails the link that confirms
// the address. A robot (the honeypot filled) gets the same answer and
// nothing is sent; the form is throttled per client and per address.
func (s *Server) join(w http.ResponseWriter, r *http.Request) {
	if !s.validFormCookie(r) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	ctx := r.Context()
	j, open, err := s.joinSettings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if !open {
		s.renderJoin(w, r, http.StatusNotFound, joinForm{}, false, "")
		return
	}
	_, offered, err := s.joinProducts(ctx, j)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	f, errKey, robot := parseJoinForm(r.PostForm, offered)
	if robot {
		s.log.Warn("admin: join form with its honeypot filled: nothing sent")
		s.joinSent(w, r, f.Email)
		return
	}
	if errKey != "" {
		s.renderJoin(w, r, http.StatusBadRequest, f, false, errKey)
		return
	}
	if !s.throttled(w, r, "join", f.Email, func(until time.Time) {
		s.renderJoin(w, r, http.StatusTooManyRequests, f, false, "form.throttled", s.newPage(r, "", nil).Clock(until))
	}) {
		return
	}
	f.Lang = requestLang(r)
	base, err := s.mailURL(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	data, _ := json.Marshal(f)
	token, err := s.newMailToken(ctx, joinTokenPrefix, adminstore.TokenJoin, 0, string(data), confirmFor)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if _, err := s.cfg.Mails.Queue(ctx, Mail{Kind: MailJoin, Key: central.HashToken(token)[:16], To: f.Email, Name: f.Name,
		Lang: f.Lang, Link: base + "/join/confirm/" + token}); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.joinSent(w, r, f.Email)
}

type joinConfirmData struct {
	Token string
	Name  string
	// Done: the request waits for the bureau; Member: she already is one.
	Done, Member bool
}

// joinToken checks the {token} of a confirmation link, or writes 404:
// the join form, saying that a request confirmed already needs nothing
// more (a spent link is not told from an unknown one) and that one not
// confirmed is made again below.
func (s *Server) joinToken(w http.ResponseWriter, r *http.Request, use bool) (*adminstore.MailToken, string, bool) {
	t, token, err := s.mailToken(r, joinTokenPrefix, adminstore.TokenJoin, use)
	if err != nil {
		if central.ErrorCode(err) == central.EINTERNAL {
			s.failErr(w, r, err)
			return nil, "", false
		}
		s.renderJoin(w, r, http.StatusNotFound, joinForm{}, false, "join.unknown")
		return nil, "", false
	}
	return t, token, true
}

// joinConfirmPage asks to confirm (GET /join/confirm/{token}): opening
// the link changes nothing, since mail programs open links to scan them.
func (s *Server) joinConfirmPage(w http.ResponseWriter, r *http.Request) {
	if v, ok := s.resultViewOf(r, tokenOwner(mailTokenParam(r, joinTokenPrefix)), "done", "join_done"); ok {
		p := s.newPage(r, "join.title", v.(joinConfirmData)) // what joinConfirm did
		p.Bare = true
		s.render(w, r, "join_confirm", p)
		return
	}
	t, token, ok := s.joinToken(w, r, false)
	if !ok {
		return
	}
	var f joinForm
	_ = json.Unmarshal([]byte(t.Data), &f)
	p := s.newPage(r, "join.title", joinConfirmData{Token: token, Name: f.Name})
	p.Bare, p.CSRF = true, s.selfToken("join:"+t.Hash)
	s.render(w, r, "join_confirm", p)
}

// joinConfirm uses the confirmation link (POST /join/confirm/{token}):
// with a HelloAsso form for the product chosen, she becomes a member
// (welcomed by e-mail) and goes to pay; otherwise her request waits for
// the bureau. An address that is already a member's makes nothing.
func (s *Server) joinConfirm(w http.ResponseWriter, r *http.Request) {
	token := mailTokenParam(r, joinTokenPrefix)
	if !validToken(formToken(r), s.selfToken("join:"+central.HashToken(token))) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	t, _, ok := s.joinToken(w, r, true)
	if !ok {
		return
	}
	var f joinForm
	if err := json.Unmarshal([]byte(t.Data), &f); err != nil {
		s.failErr(w, r, err)
		return
	}
	ctx := central.NewContextWithActor(r.Context(), "join")
	// What was done is said on the page the POST answers 303 to (the
	// link's, ?done=ID): reloading it does nothing again.
	page := func(d joinConfirmData) {
		s.redirectToResultOf(w, r, tokenOwner(token), "join_done", d, "/join/confirm/"+token+"?done=", "")
	}
	ms, _, err := s.cfg.Members.FindMembers(ctx, central.MemberFilter{Email: &f.Email, Limit: 1})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if len(ms) > 0 {
		page(joinConfirmData{Name: f.Name, Member: true})
		return
	}
	set, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if form := set.Join().Forms[f.Product]; f.Product != 0 && form != "" {
		m := &central.Member{Name: f.Name, Email: f.Email, Status: access.MemberActive}
		if err := s.cfg.Members.CreateMember(ctx, m); err != nil {
			s.failErr(w, r, err)
			return
		}
		if err := s.cfg.Store.SetMailPrefs(ctx, m.ID, f.Lang, false); err != nil {
			s.failErr(w, r, err)
			return
		}
		if _, err := s.sendWelcome(ctx, r, m, f.Lang); err != nil {
			s.failErr(w, r, err)
			return
		}
		http.Redirect(w, r, form, http.StatusSeeOther)
		return
	}
	if err := s.cfg.Store.CreateJoinRequest(ctx, &adminstore.JoinRequest{Name: f.Name, Email: f.Email, Phone: f.Phone,
		Product: f.Product, Lang: f.Lang}); err != nil {
		s.failErr(w, r, err)
		return
	}
	page(joinConfirmData{Name: f.Name, Done: true})
}

type joinsData struct {
	Pending  []*adminstore.JoinRequest
	Products map[int64]string
	URL      string
	QR       qrImage
	Open     bool
}

// joinList shows the requests waiting for the bureau, and the join page's
// link and QR code to print for the door (GET /joins).
func (s *Server) joinList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := joinsData{URL: s.publicURL(r) + "/join", Products: map[int64]string{}}
	var err error
	if d.Pending, err = s.cfg.Store.FindJoinRequests(ctx, adminstore.JoinPending, 200); err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, j := range d.Pending {
		if j.Product != 0 && d.Products[j.Product] == "" {
			if p, err := s.cfg.Products.FindProductByID(ctx, j.Product); err == nil {
				d.Products[j.Product] = p.Name
			}
		}
	}
	if _, d.Open, err = s.joinSettings(ctx); err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.QR, err = newQR(d.URL, 512); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, r, "joins", s.newPage(r, "joins.title", d))
}

// joinDecide accepts (POST /joins/{id}/accept: the member is made and
// welcomed by e-mail) or refuses (POST /joins/{id}/refuse, confirm=1) a
// request.
func (s *Server) joinDecide(accept bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(r, "id")
		if !ok {
			s.fail(w, r, http.StatusNotFound, "error.not_found")
			return
		}
		if !accept && r.PostFormValue("confirm") != "1" {
			redirect(w, r, "/joins", "join_confirm_refuse")
			return
		}
		ctx := r.Context()
		j, err := s.cfg.Store.DecideJoinRequest(ctx, id, accept)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		if !accept {
			redirect(w, r, "/joins", "join_refused")
			return
		}
		m, err := s.cfg.Members.FindMemberByID(ctx, j.Member)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		if _, err := s.sendWelcome(ctx, r, m, j.Lang); err != nil {
			s.failErr(w, r, err)
			return
		}
		redirect(w, r, "/members/"+i64(m.ID), "join_accepted")
	}
}
