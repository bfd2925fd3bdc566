package admin

import (
	"net/http"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// One-time secret views (issue 18). A badge's QR code and a member's
// personal link exist in clear only when they are made: the database
// keeps their hashes. The POST that makes one keeps what the page shows
// in memory, for the session that asked, and answers 303 to GET
// /shown/{id}, so that reloading the page never makes another badge.
// The view shows the secret once; a reload then says "déjà affiché".
// Until the view expires (viewTTL) the member's page offers to show it
// again, to reprint a card the printer spoiled; after that it is gone
// (the process keeps it in memory only: a restart forgets it too).
const (
	viewTTL  = 15 * time.Minute
	maxViews = 2000 // bounds the memory: the oldest view goes first
)

// secretView is one secret to show: the view that draws it and its data.
type secretView struct {
	id      string
	owner   string // the session's hash, or the member link's hash
	member  int64  // whose secret (the member's page offers a reprint)
	badges  []int64
	view    string // "badge_print", "member_link" or "self"
	title   string
	flash   string
	data    any
	made    time.Time
	expires time.Time
	shown   int
}

// ID, Badges and Expires are for the templates (the member's page
// offers to show a view again).
func (v secretView) ID() string         { return v.id }
func (v secretView) Badges() []int64    { return v.badges }
func (v secretView) Expires() time.Time { return v.expires }

type secretViews struct {
	mu sync.Mutex
	m  map[string]*secretView
}

// keep stores a view and returns its id.
func (s *Server) keepView(v *secretView) (string, error) {
	id, err := randomToken(18)
	if err != nil {
		return "", err
	}
	now := s.now()
	v.id, v.made, v.expires = id, now, now.Add(viewTTL)
	sv := &s.views
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if sv.m == nil {
		sv.m = map[string]*secretView{}
	}
	for k, old := range sv.m {
		if !now.Before(old.expires) {
			delete(sv.m, k)
		}
	}
	for len(sv.m) >= maxViews {
		var oldest *secretView
		for _, old := range sv.m {
			if oldest == nil || old.made.Before(oldest.made) {
				oldest = old
			}
		}
		delete(sv.m, oldest.id)
	}
	sv.m[id] = v
	return id, nil
}

// takeView returns the owner's live view id and whether it may show the
// secret now (its first showing, or a reprint asked for); it counts
// the showing.
func (s *Server) takeView(id, owner string, reprint bool) (v secretView, show, ok bool) {
	sv := &s.views
	sv.mu.Lock()
	defer sv.mu.Unlock()
	p, found := sv.m[id]
	if !found || p.owner != owner || !s.now().Before(p.expires) {
		return secretView{}, false, false
	}
	show = p.shown == 0 || reprint
	if show {
		p.shown++
	}
	return *p, show, true
}

// liveViews returns the owner's views of a member that can still be
// shown again, newest first.
func (s *Server) liveViews(owner string, member int64) []secretView {
	sv := &s.views
	sv.mu.Lock()
	defer sv.mu.Unlock()
	now := s.now()
	var out []secretView
	for _, v := range sv.m {
		if v.owner == owner && v.member == member && v.view == "badge_print" && now.Before(v.expires) {
			out = append(out, *v)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].made.After(out[j-1].made); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// sessionOwner is the owner key of the request's session.
func sessionOwner(r *http.Request) string {
	if sess := requestSession(r); sess != nil {
		return "session:" + sess.Hash
	}
	return ""
}

type shownData struct {
	Member  int64
	Until   time.Time
	Reprint string // the address that shows the secret again
}

// shown is a one-time view (GET /shown/{id}): the secret on its first
// showing or when a reprint is asked for (?again=1), "déjà affiché"
// otherwise, and "expiré" once gone.
func (s *Server) shown(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if len(id) > 64 {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	v, show, ok := s.takeView(id, sessionOwner(r), r.URL.Query().Get("again") == "1")
	if !ok {
		p := s.newPage(r, "shown.gone_title", shownData{})
		s.renderStatus(w, r, http.StatusGone, "shown", p)
		return
	}
	if !show {
		p := s.newPage(r, "shown.title", shownData{Member: v.member, Until: v.expires, Reprint: "/shown/" + v.id + "?again=1"})
		s.render(w, r, "shown", p)
		return
	}
	p := s.newPage(r, v.title, v.data)
	if p.Flash == "" { // a form sent twice says so (actOnce)
		p.Flash = v.flash
	}
	s.render(w, r, v.view, p)
}

// showView keeps a view for the request's session and answers 303 to it;
// it returns the view's address ("" when it could not be kept).
func (s *Server) showView(w http.ResponseWriter, r *http.Request, v *secretView) string {
	v.owner = sessionOwner(r)
	id, err := s.keepView(v)
	if err != nil {
		s.failErr(w, r, err)
		return ""
	}
	http.Redirect(w, r, "/shown/"+id, http.StatusSeeOther)
	return "/shown/" + id
}

// The result of an action that is shown on the page the POST answers 303
// to (a Slack test message's answer, a failed connection check): kept as
// a view of the session that asked, shown on GET ?KEY=ID as long as it
// lives, so that reloading the page shows it again and sends nothing.

// redirectToResult keeps data as the session's view of kind view and
// answers 303 to prefix+ID+fragment, which it returns ("" when the view
// could not be kept).
func (s *Server) redirectToResult(w http.ResponseWriter, r *http.Request, view string, data any, prefix, fragment string) string {
	return s.redirectToResultOf(w, r, sessionOwner(r), view, data, prefix, fragment)
}

// redirectToResultOf is redirectToResult for an owner of its own: a
// login-free page's, the hash of the mailed token it was opened with
// (tokenOwner).
func (s *Server) redirectToResultOf(w http.ResponseWriter, r *http.Request, owner, view string, data any, prefix, fragment string) string {
	id, err := s.keepView(&secretView{owner: owner, view: view, data: data})
	if err != nil {
		s.failErr(w, r, err)
		return ""
	}
	http.Redirect(w, r, prefix+id+fragment, http.StatusSeeOther)
	return prefix + id + fragment
}

// resultView returns the data of the session's view of kind view named
// by the query's key, if it lives.
func (s *Server) resultView(r *http.Request, key, view string) (any, bool) {
	return s.resultViewOf(r, sessionOwner(r), key, view)
}

// resultViewOf is resultView for an owner of its own (redirectToResultOf).
func (s *Server) resultViewOf(r *http.Request, owner, key, view string) (any, bool) {
	id := r.URL.Query().Get(key)
	if id == "" || len(id) > 64 || owner == "" {
		return nil, false
	}
	v, _, ok := s.takeView(id, owner, true)
	if !ok || v.view != view {
		return nil, false
	}
	return v.data, true
}

// tokenOwner is the owner of what a login-free page opened with a mailed
// token shows once it is spent: only its link leads there.
func tokenOwner(token string) string { return "token:" + central.HashToken(token) }

// recentView returns the data of the owner's view of kind view kept
// within the last d (a button pressed twice: the second press shows what
// the first did), without counting a showing.
func (s *Server) recentView(owner, view string, d time.Duration) (any, bool) {
	sv := &s.views
	sv.mu.Lock()
	defer sv.mu.Unlock()
	now := s.now()
	for _, v := range sv.m {
		if v.owner == owner && v.view == view && now.Sub(v.made) < d && now.Before(v.expires) {
			return v.data, true
		}
	}
	return nil, false
}
