package admin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// The member portal (issue 15): the tabs of her personal link beside Moi
// (self.go): Qui est là (who is here today, live) and Annuaire (the
// directory, and her own profile and choices). Every tab is a page of its
// own under /m/{token}/..., reached by the same unguessable link; every
// POST carries the link's anti-forgery token and answers 303.

// selfTab is one tab of the portal's navigation.
type selfTab struct {
	Key  string // message key
	Path string // under /m/{token}
}

var selfTabs = []selfTab{
	{"self.tab.me", ""},
	{"self.tab.here", "/here"},
	{"self.tab.directory", "/directory"},
	{"self.tab.agenda", "/agenda"},
	{"self.tab.book", "/book"},
}

// formPlaces is where each address her forms post to leads when opened
// (selfElsewhere): the tab, or the section of her page, that holds the
// form, by the address's first word after her link.
var formPlaces = map[string]string{
	"here":      "/here",
	"directory": "/directory",
	"profile":   "/directory",
	"agenda":    "/agenda",
	"calendar":  "/agenda",
	"book":      "/book",
	"guests":    "#myguests",
	"claim":     "#myclaim",
	"mail":      "#mymails",
	"badge":     "#mybadge",
	"phone":     "#mybadge",
}

// selfElsewhere answers a GET under her link that is no page (GET
// /m/{token}/{rest...}): the address of a form she sent, in the address
// bar of its refused answer (« English » there, a reload), or her link
// with a slash after it. 303 to the tab or section that holds that form,
// her page otherwise; never the bureau's login page. An unknown link gets
// the form that e-mails a new one, as her page does.
func (s *Server) selfElsewhere(w http.ResponseWriter, r *http.Request) {
	_, token, ok := s.selfLink(w, r)
	if !ok {
		return
	}
	first, _, _ := strings.Cut(r.PathValue("rest"), "/")
	http.Redirect(w, r, "/m/"+token+formPlaces[first], http.StatusSeeOther)
}

// selfPortal is what every tab's template reads besides its data.
type selfPortal struct {
	Token string
	Tab   string // the current tab's path
	Tabs  []selfTab
}

// selfView renders a tab of the portal for the link.
func (s *Server) selfView(w http.ResponseWriter, r *http.Request, l *central.MemberLink, token, view, tab string, title string, d any) {
	s.selfViewStatus(w, r, l, http.StatusOK, token, view, tab, title, d)
}

// selfViewStatus renders a tab of the portal with a status: 400 for a
// refused form shown again.
func (s *Server) selfViewStatus(w http.ResponseWriter, r *http.Request, l *central.MemberLink, status int, token, view, tab string, title string, d any) {
	s.selfRender(w, r, l, status, token, view, tab, title, d, "")
}

// selfRender renders a tab of the portal as selfViewStatus does, with
// errText (translated), when not "", in the banner at the top of the
// page: why what she just tried was refused.
func (s *Server) selfRender(w http.ResponseWriter, r *http.Request, l *central.MemberLink, status int, token, view, tab string, title string, d any, errText string) {
	p := s.newPage(r, title, d)
	p.Error = errText
	p.Bare, p.CSRF = true, s.selfToken(l.Hash)
	p.Portal = &selfPortal{Token: token, Tab: tab, Tabs: selfTabs}
	s.renderStatus(w, r, status, view, p)
}

// selfPost checks a portal POST: a valid link and its anti-forgery token.
// It returns the context with the member as the actor of the audit log.
func (s *Server) selfPost(w http.ResponseWriter, r *http.Request) (*central.MemberLink, string, context.Context, bool) {
	l, token, ok := s.selfLink(w, r)
	if !ok {
		return nil, "", nil, false
	}
	if !validToken(formToken(r), s.selfToken(l.Hash)) {
		s.log.Warn("admin: self-service POST without a valid anti-forgery token")
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return nil, "", nil, false
	}
	return l, token, central.NewContextWithActor(r.Context(), "member:"+i64(l.Member)), true
}

// selfPostOn checks a portal POST on one thing of hers, the {id} of its
// path (an event, a booking, a phone badge), as selfPost; a malformed id
// is not found. Whether the thing is hers is the handler's to check.
func (s *Server) selfPostOn(w http.ResponseWriter, r *http.Request) (*central.MemberLink, string, context.Context, int64, bool) {
	l, token, ctx, ok := s.selfPost(w, r)
	if !ok {
		return nil, "", nil, 0, false
	}
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return nil, "", nil, 0, false
	}
	return l, token, ctx, id, true
}

type hereData struct {
	Token   string
	Spaces  []central.SpacePresence
	Total   int
	Me      *central.Profile
	Version string // changes when the list does (the live updates)
}

// selfHere shows who is here today (GET /m/{token}/here): the members who
// chose to be shown, the others counted.
func (s *Server) selfHere(w http.ResponseWriter, r *http.Request) {
	l, token, ok := s.selfLink(w, r)
	if !ok {
		return
	}
	d := hereData{Token: token}
	var err error
	if d.Me, err = s.cfg.Profiles.FindProfile(r.Context(), l.Member); err != nil {
		s.failErr(w, r, err)
		return
	}
	ps, err := s.cfg.Profiles.PresentToday(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	mine := ""
	for _, p := range ps {
		if p.Member == l.Member {
			mine = p.Space
		}
	}
	d.Spaces, d.Total, d.Version = central.WhoIsHere(ps, mine), len(ps), presenceVersion(ps)
	s.selfView(w, r, l, token, "self_here", "/here", "self.here.title", d)
}

// presenceVersion is a digest of what the who-is-here tab shows.
func presenceVersion(ps []central.Presence) string {
	h := sha256.New()
	for _, p := range ps {
		fmt.Fprintf(h, "%d|%s|%t|%s\n", p.Member, p.Space, p.Shown, p.Name)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// Live updates of the who-is-here tab: server-sent events. A stream sends
// "here" with the list's version whenever it changes (the page's script
// then reads the page again and replaces the list); it checks every
// hereEvery, lasts hereStreamFor at most (the browser reconnects by
// itself), and at most maxHereStreams are open at once: each holds a
// connection. Without the script, the page's "Actualiser" link does it.
const (
	hereEvery      = 5 * time.Second
	hereStreamFor  = 5 * time.Minute
	maxHereStreams = 64
	// maxLinkStreams bounds the streams of one member's link (her phone
	// and her laptop, a tab or two): one link held every stream of the
	// server, and every other member's page got 503.
	maxLinkStreams = 4
)

// linkStreams counts the open streams of each member's link (by hash).
type linkStreams struct {
	mu sync.Mutex
	n  map[string]int
}

// take counts one more stream of the link; false when it has
// maxLinkStreams already.
func (ls *linkStreams) take(link string) bool {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.n[link] >= maxLinkStreams {
		return false
	}
	if ls.n == nil {
		ls.n = map[string]int{}
	}
	ls.n[link]++
	return true
}

func (ls *linkStreams) give(link string) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.n[link]--; ls.n[link] <= 0 {
		delete(ls.n, link)
	}
}

// selfHereEvents streams the who-is-here list's versions (GET
// /m/{token}/here/events).
func (s *Server) selfHereEvents(w http.ResponseWriter, r *http.Request) {
	l, _, ok := s.selfLink(w, r)
	if !ok {
		return
	}
	if !s.linkStreams.take(l.Hash) {
		w.Header().Set("Retry-After", "30")
		http.Error(w, "too many streams for this link", http.StatusTooManyRequests)
		return
	}
	defer s.linkStreams.give(l.Hash)
	select {
	case s.hereStreams <- struct{}{}:
		defer func() { <-s.hereStreams }()
	default:
		w.Header().Set("Retry-After", "30")
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	end := time.Now().Add(hereStreamFor)
	tick := time.NewTicker(hereEvery)
	defer tick.Stop()
	last := ""
	for first := true; ; first = false {
		ps, err := s.cfg.Profiles.PresentToday(r.Context())
		if err != nil {
			if r.Context().Err() == nil {
				s.log.Error("admin: who is here", "err", err)
			}
			return
		}
		v := presenceVersion(ps)
		_ = rc.SetWriteDeadline(time.Now().Add(hereEvery + 30*time.Second))
		msg := ": ping\n\n"
		if v != last {
			msg = "retry: 10000\nevent: here\ndata: " + v + "\n\n"
			if first {
				msg = "retry: 10000\nevent: version\ndata: " + v + "\n\n"
			}
			last = v
		}
		if _, err := fmt.Fprint(w, msg); err != nil || rc.Flush() != nil {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			if time.Now().After(end) {
				return
			}
		}
	}
}

type directoryData struct {
	Token   string
	Query   string
	Entries []*central.DirectoryEntry
	Total   int // in the directory, before the search
	Me      *central.Profile
	Email   string // hers, for the e-mail contact choice
	Skills  string // her skills as she edits them
	// ErrField ("about", "skills", "link", "contact", "contact_value" or
	// "form") and ErrText: why her profile was refused, said next to
	// its field; Me and Skills then hold what she typed.
	ErrField, ErrText string
}

// maxDirectoryQuery bounds a directory search.
const maxDirectoryQuery = 200

// selfDirectory shows the directory and a search by name and skill,
// accent-insensitive (GET /m/{token}/directory?q=), and her own profile
// form.
func (s *Server) selfDirectory(w http.ResponseWriter, r *http.Request) {
	l, token, ok := s.selfLink(w, r)
	if !ok {
		return
	}
	d := directoryData{Token: token, Query: strings.TrimSpace(clipText(r.URL.Query().Get("q"), maxDirectoryQuery))}
	s.renderDirectory(w, r, l, http.StatusOK, d)
}

// renderDirectory draws her directory tab: the directory searched by
// d.Query, and her profile form, her saved profile or (d.Me set: a
// refused one) what she typed, with d.ErrField's mistake next to it.
func (s *Server) renderDirectory(w http.ResponseWriter, r *http.Request, l *central.MemberLink, status int, d directoryData) {
	m, err := s.cfg.Members.FindMemberByID(r.Context(), l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Email = m.Email
	saved, err := s.cfg.Profiles.FindProfile(r.Context(), l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.Me == nil {
		d.Me, d.Skills = saved, strings.Join(saved.Skills, ", ")
	} else {
		d.Me.Hidden = saved.Hidden // the bureau's, not in her form
	}
	all, err := s.cfg.Profiles.Directory(r.Context(), false)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Total = len(all)
	for _, e := range all {
		if e.Matches(d.Query) {
			d.Entries = append(d.Entries, e)
		}
	}
	s.selfViewStatus(w, r, l, status, d.Token, "self_directory", "/directory", "self.directory.title", d)
}

// selfProfile saves her choices and profile (POST /m/{token}/profile).
func (s *Server) selfProfile(w http.ResponseWriter, r *http.Request) {
	l, token, ctx, ok := s.selfPost(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	p := &central.Profile{Member: l.Member,
		ShowPresence: f.Get("presence") == "1", InDirectory: f.Get("directory") == "1",
		About: clipText(f.Get("about"), 4*central.MaxAboutLength), Skills: central.ParseSkills(clipText(f.Get("skills"), 2000)),
		Link: clipText(f.Get("link"), 2*central.MaxLinkLength), Contact: central.ContactKind(clipText(f.Get("contact"), 20)),
		ContactValue: clipText(f.Get("contact_value"), 2*central.MaxContactLength)}
	skills := clipText(f.Get("skills"), 2000)
	if err := s.cfg.Profiles.SaveProfile(ctx, p); err != nil {
		var ce *central.Error
		if central.ErrorCode(err) == central.EINVALID && f.Get("from") != "here" && errors.As(err, &ce) {
			// Her directory tab again, with what she typed and the
			// mistake next to its field (the who-is-here button sends
			// her saved profile, which was valid: an error page there).
			p.Skills = central.ParseSkills(skills)
			s.renderDirectory(w, r, l, http.StatusBadRequest, directoryData{Token: token, Me: p, Skills: skills,
				ErrField: profileErrField(ce.Format), ErrText: domainMessage(requestLang(r), err)})
			return
		}
		s.failErr(w, r, err)
		return
	}
	back := "/directory"
	if f.Get("from") == "here" {
		back = "/here"
	}
	redirect(w, r, "/m/"+token+back, "profile_saved")
}

// profileErrField names the field of the profile form a refusal of
// central's (Profile.Validate, by its message's format) is about.
func profileErrField(format string) string {
	switch format {
	case "Profile text too long (%d characters at most).":
		return "about"
	case "Skill %q too long (%d characters at most).", "At most %d skills.":
		return "skills"
	case "The link must be a web address starting with https:// (%d characters at most).":
		return "link"
	case "Unknown way to be reached %q (email, slack, phone or none).":
		return "contact"
	case "Slack handle required, without spaces (%d characters at most).", "Phone number %q: digits, spaces and + . - ( ) only.",
		"Write your phone number, or choose another way to be reached.":
		return "contact_value"
	}
	return "form"
}

// clipText cuts s to at most n bytes (a bound before anything reads it).
func clipText(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}

// The bureau's side of the directory.

type directoryAdminData struct {
	Entries []*central.DirectoryEntry
}

// directoryAdmin lists the directory's profiles, hidden ones included,
// for the bureau (GET /directory).
func (s *Server) directoryAdmin(w http.ResponseWriter, r *http.Request) {
	es, err := s.cfg.Profiles.Directory(r.Context(), true)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, r, "directory", s.newPage(r, "directory.title", directoryAdminData{Entries: es}))
}

// directoryHide hides a profile from the directory, or shows it again
// (POST /directory/{id}/hidden, hidden=1 or 0).
func (s *Server) directoryHide(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	hidden := r.PostFormValue("hidden") == "1"
	if err := s.cfg.Profiles.SetProfileHidden(r.Context(), id, hidden); err != nil {
		s.failErr(w, r, err)
		return
	}
	done := "profile_shown"
	if hidden {
		done = "profile_hidden"
	}
	redirect(w, r, "/directory", done)
}

// TelURL is a tel: link of a phone number (digits and + only, so that
// the trusted URL holds nothing else).
func (p *page) TelURL(phone string) template.URL {
	var b strings.Builder
	b.WriteString("tel:")
	for _, r := range phone {
		if r == '+' || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return template.URL(b.String())
}
