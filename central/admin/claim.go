package admin

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// Claiming a payment (issue 11): a member whose HelloAsso payment used
// another address enters it on her page (POST /m/{token}/claim); a link
// mailed to that address (24 hours, once) confirms it is hers (GET/POST
// /claim/{token}): the payments waiting with it are credited to her and
// the address is remembered for the next ones
// (central.PaymentService.AddPayerEmail). The bureau's assignment on the
// payments page stays.

// selfClaim mails the confirmation link to the address a member claims.
func (s *Server) selfClaim(w http.ResponseWriter, r *http.Request) {
	l, token, ok := s.selfLink(w, r)
	if !ok {
		return
	}
	if !validToken(formToken(r), s.selfToken(l.Hash)) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	ctx := r.Context()
	back := "/m/" + token
	addr := strings.TrimSpace(r.PostFormValue("email"))
	if central.ValidateEmail(addr) != nil { // back to the form, with what she typed
		q := url.Values{"claim_error": {"1"}, "claim_email": {cut(addr, central.MaxEmailLength)}}
		http.Redirect(w, r, back+"?"+q.Encode()+"#myclaim", http.StatusSeeOther)
		return
	}
	if s.cfg.Payments == nil || !s.mailsOn(ctx) {
		redirect(w, r, back, "claim_off")
		return
	}
	if !s.throttled(w, r, "claim", addr, func(time.Time) { redirect(w, r, back, "claim_wait") }) {
		return
	}
	base, err := s.mailURL(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	ct, err := s.newMailToken(ctx, claimTokenPrefix, adminstore.TokenClaim, l.Member, addr, confirmFor)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if _, err := s.cfg.Mails.Queue(ctx, Mail{Kind: MailClaim, Key: central.HashToken(ct)[:16], Member: l.Member, To: addr,
		Lang: requestLang(r), Link: base + "/claim/" + ct}); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, back, "claim_sent")
}

type claimData struct {
	Token string
	Email string
	// Member is the full name of the member who claims the address, as
	// the space knows it: whoever opens the link (her partner, maybe)
	// reads who asks; "" when she is gone.
	Member   string
	Credited int
	Done     bool
}

// claimer returns the full name of the member who claims an address;
// "" when she is erased.
func (s *Server) claimer(ctx context.Context, member int64) (string, error) {
	m, err := s.cfg.Members.FindMemberByID(ctx, member)
	if central.ErrorCode(err) == central.ENOTFOUND {
		return "", nil
	} else if err != nil {
		return "", err
	}
	return m.Name, nil
}

// claimToken checks a claim link's {token}, or writes 404.
func (s *Server) claimToken(w http.ResponseWriter, r *http.Request, use bool) (*adminstore.MailToken, string, bool) {
	var t *adminstore.MailToken
	var token string
	var err error = central.Errorf(central.EUNAUTHORIZED, "Unknown, used or expired link.")
	if s.cfg.Payments != nil { // no payments, nothing to claim
		t, token, err = s.mailToken(r, claimTokenPrefix, adminstore.TokenClaim, use)
	}
	if err != nil {
		if central.ErrorCode(err) == central.EINTERNAL {
			s.failErr(w, r, err)
			return nil, "", false
		}
		p := s.newPage(r, "claim.title", nil)
		p.Bare, p.Error = true, translate(p.Lang, "claim.unknown")
		s.renderStatus(w, r, http.StatusNotFound, "error", p)
		return nil, "", false
	}
	return t, token, true
}

// claimPage asks to confirm a claimed address (GET /claim/{token}),
// naming the member who claims it before the button: the address may be
// someone else's. Opening the link changes nothing.
func (s *Server) claimPage(w http.ResponseWriter, r *http.Request) {
	if v, ok := s.resultViewOf(r, tokenOwner(mailTokenParam(r, claimTokenPrefix)), "done", "claim_done"); ok {
		p := s.newPage(r, "claim.title", v.(claimData)) // what claimConfirm did
		p.Bare = true
		s.render(w, r, "claim", p)
		return
	}
	t, token, ok := s.claimToken(w, r, false)
	if !ok {
		return
	}
	name, err := s.claimer(r.Context(), t.Subject)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "claim.title", claimData{Token: token, Email: t.Data, Member: name})
	p.Bare, p.CSRF = true, s.selfToken("claim:"+t.Hash)
	s.render(w, r, "claim", p)
}

// claimConfirm confirms a claimed address (POST /claim/{token}): the
// payments waiting with it are credited to the member.
func (s *Server) claimConfirm(w http.ResponseWriter, r *http.Request) {
	token := mailTokenParam(r, claimTokenPrefix)
	if !validToken(formToken(r), s.selfToken("claim:"+central.HashToken(token))) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	t, _, ok := s.claimToken(w, r, true)
	if !ok {
		return
	}
	ctx := central.NewContextWithActor(r.Context(), "member:"+i64(t.Subject))
	credited, err := s.cfg.Payments.AddPayerEmail(ctx, t.Subject, t.Data)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	name, err := s.claimer(ctx, t.Subject)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	// Said on the page the POST answers 303 to (the link's, ?done=ID).
	s.redirectToResultOf(w, r, tokenOwner(token), "claim_done", claimData{Email: t.Data, Member: name, Credited: len(credited), Done: true},
		"/claim/"+token+"?done=", "")
}

// buyURL returns where a member buys more when her card is low (2
// entries or fewer, no unlimited plan nor subscription covering today):
// the HelloAsso form (join.forms) of the pack she bought last, else
// slack.buy_url; "" when she is not low or there is none.
func (s *Server) buyURL(ctx context.Context, m *central.Member, b *central.Balance) (string, error) {
	if b == nil || b.Unlimited || (!b.SubscriptionUntil.IsZero() && !b.SubscriptionUntil.Before(m.Balance.Day)) || b.EntriesLeft > 2 {
		return "", nil
	}
	set, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		return "", err
	}
	forms := set.Join().Forms
	rows, _, err := s.cfg.Store.SaleRows(ctx, adminstore.SaleRowFilter{Member: &m.ID, Limit: historyLength})
	if err != nil {
		return "", err
	}
	for _, r := range rows { // newest first
		if r.Kind == access.Pack && forms[r.Product] != "" {
			return forms[r.Product], nil
		}
	}
	return set.Get("slack.buy_url"), nil
}

// renewURL returns where a member renews her dues (adhésion) when they
// end within central.RenewalLead days or have ended and she has not
// renewed: the HelloAsso form (join.forms) of the membership product of
// her latest dues, else of the first membership product sold that has
// one (central.RenewURL); "" otherwise.
func (s *Server) renewURL(ctx context.Context, m *central.Member) (string, error) {
	set, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		return "", err
	}
	forms := set.Join().Forms
	if len(forms) == 0 {
		return "", nil
	}
	sales, _, err := s.cfg.Ledger.FindSales(ctx, central.SaleFilter{Member: &m.ID})
	if err != nil {
		return "", err
	}
	state, latest := central.DuesOf(sales, m.Balance.Day)
	if state != central.DuesSoon && state != central.DuesExpired {
		return "", nil
	}
	products, _, err := s.cfg.Products.FindProducts(ctx, central.ProductFilter{})
	if err != nil {
		return "", err
	}
	return central.RenewURL(forms, latest, products), nil
}
