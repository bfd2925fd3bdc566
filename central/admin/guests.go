package admin

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// Guest passes issued from the web (issue 12): a member invites someone
// from her page (POST /m/{token}/guests, within guests.monthly_quota a
// month), the bureau from the member's admin page (POST
// /members/{id}/guests, no quota). Both answer 303 to the pass's page
// (GET .../guests/{pass}), which shows its QR code to forward and a form
// that e-mails it to the guest through the outbox (POST
// .../guests/{pass}/mail), with how to use it at the door. A pass is no
// secret kept hashed: its text is signed again from central's key
// whenever its page is shown, so a reload shows it again and makes
// nothing.

// guestForm is the invitation form as typed, with the error to show
// next to it ("name", "day", "quota"), after a redirect.
type guestForm struct {
	Error, Name, Day string
	Today            string // the date input's min
}

// guestFormFrom reads the form's state from a page's query
// (?guest_error=name&guest_name=...&guest_day=...).
func guestFormFrom(q url.Values, today access.Day) guestForm {
	// Most guests come the day they are invited: the form starts there.
	f := guestForm{Today: today.String(), Day: today.String()}
	switch e := q.Get("guest_error"); e {
	case "name", "day", "quota", "closed":
		f.Error = "guest.error." + e
		f.Name, f.Day = cut(q.Get("guest_name"), central.MaxGuestName*4), cut(q.Get("guest_day"), 10)
	}
	return f
}

func cut(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return s
}

// issueGuest issues a pass from the posted form (guest_name, guest_day)
// for host, by her (byMember, within quota) or the bureau. On a mistake it
// returns the query that brings the form back with the error and what was
// typed.
func (s *Server) issueGuest(ctx context.Context, r *http.Request, host int64, byMember bool) (*central.GuestPass, url.Values, error) {
	name := strings.TrimSpace(r.PostFormValue("guest_name"))
	dayText := strings.TrimSpace(r.PostFormValue("guest_day"))
	back := func(code string) url.Values {
		return url.Values{"guest_error": {code}, "guest_name": {cut(name, central.MaxGuestName*4)}, "guest_day": {cut(dayText, 10)}}
	}
	if name == "" || utf8.RuneCountInString(name) > central.MaxGuestName || strings.ContainsAny(name, "\r\n\x00") {
		return nil, back("name"), nil
	}
	day, err := access.ParseDay(dayText)
	if err != nil || day.IsZero() {
		return nil, back("day"), nil
	}
	settings, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		return nil, nil, err
	}
	// The pass is signed for a space's door (its kiosks check it with
	// their space's name, central.PullPage): a bureau of one space invites
	// to hers; the network's bureau, or the member herself, to the host's
	// space when she is of one space only, else to the main space.
	space := settings.SpaceName()
	if sc := requestScope(r); !sc.Network() {
		if sc.Space.ID != central.MainSpace {
			space = sc.Space.Name
		}
	} else if home, err := s.hostSpace(ctx, host); err != nil {
		return nil, nil, err
	} else if home != nil && home.ID != central.MainSpace {
		space = home.Name
	}
	g := &central.GuestPass{Host: host, Name: name, Day: day, Space: space, ByMember: byMember}
	// A double tap posts the form twice: the same guest on the same day
	// is the pass already made, not a second one that takes an invitation.
	if same, err := s.sameGuestPass(ctx, g); err != nil || same != nil {
		return same, nil, err
	}
	quota := 0
	if byMember {
		quota = settings.GuestQuota()
	}
	switch err := s.cfg.Guests.IssueGuestPass(ctx, g, quota); {
	case central.ErrorCode(err) == central.ECONFLICT:
		// Both taps at once: the first made the pass that used the quota.
		if same, err := s.sameGuestPass(ctx, g); err != nil || same != nil {
			return same, nil, err
		}
		return nil, back("quota"), nil
	case central.ErrorCode(err) == central.EINVALID && byMember && quota <= 0:
		return nil, back("closed"), nil
	case central.ErrorCode(err) == central.EINVALID:
		return nil, back("day"), nil // the name was checked above: the day is out of range
	case err != nil:
		return nil, nil, err
	}
	return g, nil, nil
}

// sameGuestPass returns the host's pass for the same guest (her name as
// typed), day and space as g, or nil.
func (s *Server) sameGuestPass(ctx context.Context, g *central.GuestPass) (*central.GuestPass, error) {
	passes, _, err := s.cfg.Guests.FindGuestPasses(ctx, central.GuestFilter{Host: &g.Host, Day: g.Day, Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, p := range passes {
		if p.Name == g.Name && p.Space == g.Space {
			return p, nil
		}
	}
	return nil, nil
}

// hostSpace is the one space a host is a member of (central.MemberFilter.Space:
// a sale of a product sold or valid there, or registered there), nil
// when she is of several (a network pass), or of none.
func (s *Server) hostSpace(ctx context.Context, host int64) (*central.Space, error) {
	spaces, err := s.networkSpaces(ctx)
	if err != nil {
		return nil, err
	}
	var home *central.Space
	for _, sp := range spaces {
		ms, _, err := s.cfg.Members.FindMembers(ctx, central.MemberFilter{ID: &host, Space: sp.ID, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(ms) == 1 {
			if home != nil {
				return nil, nil // of several spaces
			}
			home = sp
		}
	}
	return home, nil
}

// guestQuota says how many passes a member may still issue herself this
// month (in the space's time zone), and the monthly quota.
//
// back is the day her quota comes back: the first of next month on the
// network's clock, as central.IssueGuestPass counts the passes she made
// (by the day they were made, whatever the guest's day).
func (s *Server) guestQuota(ctx context.Context, member int64) (left, quota int, back access.Day, err error) {
	settings, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		return 0, 0, back, err
	}
	quota = settings.GuestQuota()
	loc := settings.Location()
	today := access.DayOf(s.now(), loc)
	monthStart := access.Day{Year: today.Year, Month: today.Month, Day: 1}.Start(loc)
	back = access.DayOf(time.Date(today.Year, today.Month+1, 1, 12, 0, 0, 0, time.UTC), time.UTC)
	passes, _, err := s.cfg.Guests.FindGuestPasses(ctx, central.GuestFilter{Host: &member, Limit: 500})
	if err != nil {
		return 0, 0, back, err
	}
	used := 0
	for _, g := range passes {
		if g.ByMember && !g.Created.Before(monthStart) {
			used++
		}
	}
	return max(quota-used, 0), quota, back, nil
}

// hostPass returns the pass {pass} of host, or writes a 404 page.
func (s *Server) hostPass(w http.ResponseWriter, r *http.Request, host int64) (*central.GuestPass, bool) {
	id, ok := pathID(r, "pass")
	if ok {
		passes, _, err := s.cfg.Guests.FindGuestPasses(r.Context(), central.GuestFilter{Host: &host, Limit: 500})
		if err != nil {
			s.failErr(w, r, err)
			return nil, false
		}
		for _, g := range passes {
			if g.ID == id {
				return g, true
			}
		}
	}
	s.fail(w, r, http.StatusNotFound, "error.not_found")
	return nil, false
}

// guestPassData is a pass's page: its QR code to forward, and the form
// that e-mails it.
type guestPassData struct {
	Pass     *central.GuestPass
	HostName string
	QR       qrImage
	Text     string
	Past     bool   // its day is over
	MailOn   bool   // e-mail is set up
	Action   string // where the e-mail form posts
	Back     string // the host's page
	Sent     bool   // just e-mailed
	BadEmail string // the address typed, refused
	MailLang string // the e-mail's language: the page's, or the one chosen before a refusal
}

// guestPassPage makes a pass's page data; action is where its e-mail form
// posts, back the host's page.
func (s *Server) guestPassPage(ctx context.Context, g *central.GuestPass, hostName, action, back string, r *http.Request) (*guestPassData, error) {
	text, err := s.guestPassText(g)
	if err != nil {
		return nil, err
	}
	qr, err := newQR(text, 512)
	if err != nil {
		return nil, err
	}
	settings, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	d := &guestPassData{Pass: g, HostName: hostName, QR: qr, Text: text,
		Past: g.Day.Before(access.DayOf(s.now(), settings.Location())), MailOn: s.mailsOn(ctx),
		Action: action, Back: back, Sent: q.Get("sent") == "1"}
	d.MailLang = requestLang(r)
	if q.Get("mail_error") == "1" {
		d.BadEmail = cut(q.Get("email"), 254)
		if l := q.Get("lang"); l == langFR || l == langEN {
			d.MailLang = l
		}
	}
	return d, nil
}

// guestPassText signs the pass's text (its QR code's) again.
func (s *Server) guestPassText(g *central.GuestPass) (string, error) {
	if s.cfg.Codes == nil {
		return "", central.Errorf(central.EINTERNAL, "no code-signing key")
	}
	key, err := s.cfg.Codes.SigningKey()
	if err != nil {
		return "", err
	}
	return central.GuestPassText(key, g), nil
}

// mailGuest queues the pass's e-mail to the address posted (email, lang):
// once per pass and address. It returns the page to go back to.
func (s *Server) mailGuest(ctx context.Context, r *http.Request, g *central.GuestPass, hostName, page string) (string, error) {
	addr := strings.TrimSpace(r.PostFormValue("email"))
	if len(addr) > 254 || central.ValidateEmail(addr) != nil {
		return page + "?" + url.Values{"mail_error": {"1"}, "email": {cut(addr, 254)}, "lang": {mailLangOf(r)}}.Encode() + "#passmail", nil
	}
	if !s.mailsOn(ctx) {
		return page, nil
	}
	text, err := s.guestPassText(g)
	if err != nil {
		return "", err
	}
	png, err := qrPNG(text, 512)
	if err != nil {
		return "", err
	}
	lang := mailLangOf(r)
	place := g.Space          // its space as it is named now (central.PlaceName): a renamed space's new name
	var address, hours string // where and when to come: the door's hours, as its kiosk keeps them
	if s.cfg.Spaces != nil {
		spaces, err := s.cfg.Spaces.FindSpaces(ctx)
		if err != nil {
			return "", err
		}
		place = central.PlaceName(spaces, g.Space)
		if sp := central.SpaceByID(spaces, central.EventSpace(spaces, g.Space)); sp != nil {
			address, hours = sp.Address, sp.Hours
		}
	}
	if hours == "" { // the network's
		set, err := s.cfg.Settings.Settings(ctx)
		if err != nil {
			return "", err
		}
		hours = set.Get(central.SettingHours)
	}
	if hours != "" {
		hours = hoursWords(lang, hours)
	}
	key := "guest:" + i64(g.ID) + ":" + central.HashToken(strings.ToLower(addr))[:16]
	if _, err := s.cfg.Mails.Queue(ctx, Mail{Kind: MailGuest, Key: key, To: addr, Name: g.Name, Lang: lang,
		BadgePNG: png, Host: hostName, Space: place, Day: g.Day.String(), Address: address, Hours: hours}); err != nil {
		return "", err
	}
	// The answer is at the form, below the pass's QR code: a phone
	// opens the page there.
	return page + "?sent=1#passmail", nil
}

// mailLangOf returns the language chosen for a guest's e-mail: "en" or
// "fr".
func mailLangOf(r *http.Request) string {
	if r.PostFormValue("lang") == langEN {
		return langEN
	}
	return langFR
}

// selfGuestCreate: a member invites someone (POST /m/{token}/guests).
func (s *Server) selfGuestCreate(w http.ResponseWriter, r *http.Request) {
	l, token, ctx, ok := s.selfPost(w, r)
	if !ok {
		return
	}
	g, back, err := s.issueGuest(ctx, r, l.Member, true)
	switch {
	case err != nil:
		s.failErr(w, r, err)
	case back != nil:
		http.Redirect(w, r, "/m/"+token+"?"+back.Encode()+"#myguests", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/m/"+token+"/guests/"+i64(g.ID), http.StatusSeeOther)
	}
}

// selfGuestPage shows one of her passes (GET /m/{token}/guests/{pass}).
func (s *Server) selfGuestPage(w http.ResponseWriter, r *http.Request) {
	l, token, ok := s.selfLink(w, r)
	if !ok {
		return
	}
	g, ok := s.hostPass(w, r, l.Member)
	if !ok {
		return
	}
	m, err := s.cfg.Members.FindMemberByID(r.Context(), l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	base := "/m/" + token + "/guests/" + i64(g.ID)
	d, err := s.guestPassPage(r.Context(), g, m.Name, base+"/mail", "/m/"+token, r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "guest.pass_title", d)
	p.Bare, p.CSRF = true, s.selfToken(l.Hash)
	p.Portal = &selfPortal{Token: token, Tabs: selfTabs}
	s.render(w, r, "guest_pass", p)
}

// selfGuestMail e-mails one of her passes to her guest (POST
// /m/{token}/guests/{pass}/mail).
func (s *Server) selfGuestMail(w http.ResponseWriter, r *http.Request) {
	l, token, ctx, ok := s.selfPost(w, r)
	if !ok {
		return
	}
	g, ok := s.hostPass(w, r, l.Member)
	if !ok {
		return
	}
	// Mailed from the association's address, to any address typed, her
	// pass's guest name in it: counted per member, per client address and
	// per address typed, as the public forms that mail, so that her link
	// is no way to flood mailboxes (and the association's sender name).
	if !s.selfThrottled(w, r, "guest_mail", l.Member, selfPolicy) ||
		!s.throttled(w, r, "guest", strings.TrimSpace(r.PostFormValue("email")), func(until time.Time) { s.selfTooMany(w, r, until) }) {
		return
	}
	m, err := s.cfg.Members.FindMemberByID(ctx, l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	to, err := s.mailGuest(ctx, r, g, m.Name, "/m/"+token+"/guests/"+i64(g.ID))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// memberGuestCreate: the bureau invites someone for a member (POST
// /members/{id}/guests): no quota.
func (s *Server) memberGuestCreate(w http.ResponseWriter, r *http.Request) {
	m, ok := s.memberOf(w, r)
	if !ok {
		return
	}
	// The form sent twice (a double tap) goes to the pass made, saying so.
	s.actOnce(w, r, "/members/"+i64(m.ID)+"#guests", "guest_once", func() string {
		g, back, err := s.issueGuest(r.Context(), r, m.ID, false)
		switch {
		case err != nil:
			s.failErr(w, r, err)
			return ""
		case back != nil: // a mistake: the form corrected acts
			http.Redirect(w, r, "/members/"+i64(m.ID)+"?"+back.Encode()+"#guests", http.StatusSeeOther)
			return ""
		}
		to := "/members/" + i64(m.ID) + "/guests/" + i64(g.ID)
		http.Redirect(w, r, to, http.StatusSeeOther)
		return to
	})
}

// memberGuestPage shows a member's pass to the bureau (GET
// /members/{id}/guests/{pass}).
func (s *Server) memberGuestPage(w http.ResponseWriter, r *http.Request) {
	m, ok := s.memberOf(w, r)
	if !ok {
		return
	}
	g, ok := s.hostPass(w, r, m.ID)
	if !ok {
		return
	}
	base := "/members/" + i64(m.ID) + "/guests/" + i64(g.ID)
	d, err := s.guestPassPage(r.Context(), g, m.Name, base+"/mail", "/members/"+i64(m.ID), r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, r, "guest_pass", s.newPage(r, "guest.pass_title", d))
}

// memberGuestMail e-mails a member's pass to her guest (POST
// /members/{id}/guests/{pass}/mail).
func (s *Server) memberGuestMail(w http.ResponseWriter, r *http.Request) {
	m, ok := s.memberOf(w, r)
	if !ok {
		return
	}
	g, ok := s.hostPass(w, r, m.ID)
	if !ok {
		return
	}
	to, err := s.mailGuest(r.Context(), r, g, m.Name, "/members/"+i64(m.ID)+"/guests/"+i64(g.ID))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// spaceToday is today in the space's time zone (UTC when the settings
// cannot be read: the date input's min only).
func (s *Server) spaceToday(ctx context.Context) access.Day {
	loc := time.UTC
	if st, err := s.cfg.Settings.Settings(ctx); err == nil {
		loc = st.Location()
	}
	return access.DayOf(s.now(), loc)
}
