package admin

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// templates holds one parsed template per view: the layout, the partials
// and the view's "content" (miniflux's engine, without its codegen).
type templates struct {
	views map[string]*template.Template
}

// funcs are the few template functions; formatting and translation are
// methods of page.
var funcs = template.FuncMap{
	"hasPrefix": strings.HasPrefix,
	"list":      func(s ...string) []string { return s },
	"static":    staticURL, // static.go
	"count":     toCount,   // a number of things, 10 000 (i18n.go)
}

// parsedTemplates are the templates parsed once per process, shared by
// every Server: nothing changes a template once parsed (html/template
// runs one from many goroutines). centrald makes one Server, so this
// changes nothing there; the tests make one per test, and parsing took
// 1.4 to 1.8 s of each under -race on a loaded machine (with each view's
// escaping at its first page).
var parsedTemplates = sync.OnceValues(parseTemplates)

func parseTemplates() (*templates, error) {
	names, err := fs.Glob(templateFS, "templates/views/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{views: map[string]*template.Template{}}
	for _, name := range names {
		view := strings.TrimSuffix(path.Base(name), ".html")
		tt, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", name)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", view, err)
		}
		t.views[view] = tt
	}
	return t, nil
}

// page is what every template gets as its dot: the request's language,
// user and anti-forgery token, and the view's data in D. Its methods
// translate and format ({{$.T "members.title"}}, {{$.Money .Amount}}).
type page struct {
	Lang string
	User *central.AdminUser
	CSRF string
	Path string
	// LangNext is the page the language link brings her back to: its
	// path and query (the room and day she was booking, her link of
	// « Mes e-mails »), the flash message left out.
	LangNext string
	Title    string // message key
	Flash    string // message key, shown once after a change
	Error    string // translated message
	Bare     bool   // no navigation (login, member's page)
	Back     string // the error page's way back: the page the request came from
	Home     string // a refused route's way back: the home of the user's role (refuse)
	// Visitor marks an error page for someone who may be no member (a
	// public event's mailed links, the join page): no « Retrouver mon lien »,
	// the member's lost-link form, which she cannot use.
	Visitor bool
	Space   string // the user's space's name; the network's for a network user
	D       any
	// Portal is set on the member portal's tabs (self_community.go).
	Portal *selfPortal
	// Manifest and Script, when set, add a web app manifest and a script
	// of this server to the page (the phone badge: self_phone.go).
	Manifest string
	Script   string

	// paid is a refused "paid" form, shown again as typed (PaidForm).
	paid *paidTyped

	loc *time.Location
	s   *Server
	// set and ctx are the request's settings and context, for the clocks
	// of events' and resources' places (placeLoc), read once a page.
	set    central.Settings
	ctx    context.Context
	spaces []*central.Space
	read   bool // spaces were read
}

// newPage returns the page of a request.
func (s *Server) newPage(r *http.Request, title string, data any) *page {
	p := &page{Lang: requestLang(r), User: requestUser(r), Path: r.URL.Path, Title: title, D: data, s: s, loc: time.UTC,
		ctx: r.Context(), LangNext: langNext(r)}
	if sess := requestSession(r); sess != nil {
		p.CSRF = sess.CSRF
	}
	if st, err := s.cfg.Settings.Settings(r.Context()); err == nil {
		// The days and times of a space's pages are on its clock, and
		// carry its name.
		sc := requestScope(r)
		p.loc, p.Space, p.set = sc.clock(st), sc.name(st), st
	}
	if f := r.URL.Query().Get("done"); f != "" && catalogHas("done."+f) {
		p.Flash = "done." + f
	}
	return p
}

// render writes a view with status 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, view string, p *page) {
	s.renderStatus(w, r, http.StatusOK, view, p)
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, view string, p *page) {
	t, ok := s.tmpl.views[view]
	if !ok {
		s.log.Error("admin: unknown view", "view", view)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("admin: render failed", "view", view, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail writes an error page with a translated message.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, key string) {
	p := s.newPage(r, "error.title", nil)
	p.Error = translate(requestLang(r), key)
	p.Back = backTo(r)
	s.renderStatus(w, r, status, "error", p)
}

// refuse writes the page of a route refused to the user (403): what
// happened, in her language (her role and whether it was a page or an
// action, or that the page is the network's and her account a space's),
// and the way to her role's home, never a dead end nor a "go back and
// correct" that nothing typed could change. Without a session (expired),
// the way back is the bureau's login, with the page to come back to.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, key string) {
	lang := requestLang(r)
	p := s.newPage(r, "error.forbidden_title", nil)
	p.Home = "/today" // every role's home (routes.go: everyone, and every space's)
	switch u := requestUser(r); {
	case u == nil:
		p.Title, p.Error = "error.session_title", translate(lang, key)
		p.Home = "/login"
		if r.Method == http.MethodPost {
			if next := backTo(r); next != "" {
				p.Home += "?next=" + url.QueryEscape(next)
			}
		}
	case key == "error.role" && r.Method != http.MethodGet && r.Method != http.MethodHead:
		p.Error = translate(lang, "error.role_action", translate(lang, "role."+string(u.Role)))
	case key == "error.role":
		p.Error = translate(lang, "error.role", translate(lang, "role."+string(u.Role)))
	default:
		p.Error = translate(lang, key)
	}
	s.renderStatus(w, r, http.StatusForbidden, "error", p)
}

// backTo is where an error page leads back: the page of this site the
// request came from (its Referer, a path only), so that nobody is left
// on a dead end; app.js makes the link go back in the history, which
// keeps what was typed in the form.
func backTo(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || ref.Path == r.URL.Path && r.Method == http.MethodGet {
		return ""
	}
	p := ref.EscapedPath()
	if ref.RawQuery != "" {
		p += "?" + ref.RawQuery
	}
	if !safeNext(p) {
		return ""
	}
	return p
}

// failErr writes the error page for a service error: its status and a
// translated message for the people who can act on it. A request whose
// context ended before it was served (waiting for the writers' turn: see
// central/sqlstore) changed nothing: 503, try again.
func (s *Server) failErr(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		s.log.Warn("admin: request not served in time", "path", logPath(r), "err", err)
		w.Header().Set("Retry-After", "5")
		s.fail(w, r, http.StatusServiceUnavailable, "error.busy")
		return
	}
	code := central.ErrorCode(err)
	if code == central.EINTERNAL {
		s.log.Error("admin: request failed", "path", logPath(r), "err", err)
	}
	p := s.newPage(r, "error.title", nil)
	p.Error = errorText(requestLang(r), err)
	if code == central.ECONFLICT && requestUser(r) == nil { // a member's pages (no bureau session): her words
		p.Error = memberConflictText(p.Lang, err)
	}
	p.Back = backTo(r)
	s.renderStatus(w, r, central.HTTPStatus(code), "error", p)
}

// errorText translates a service error: a message per code, with the
// service's detail for the codes people can act on (translated by
// domain_errors.go).
func errorText(lang string, err error) string {
	switch code := central.ErrorCode(err); code {
	case central.EINVALID, central.ECONFLICT:
		return translate(lang, "error."+code, domainMessage(lang, err))
	case central.ENOTFOUND:
		return translate(lang, "error.not_found")
	case central.EFORBIDDEN, central.EUNAUTHORIZED:
		return translate(lang, "error.forbidden")
	}
	return translate(lang, "error.internal")
}

// redirect answers a POST with 303 See Other to a page, and an optional
// flash message key ("done.<key>", see the catalog), put before the
// page's fragment if it has one. (A form whose action has a fragment, to
// show its errors on a phone, redirects with one of its own: a browser
// gives a Location without one the form's.)
func redirect(w http.ResponseWriter, r *http.Request, to, done string) {
	if done != "" {
		page, frag, hasFrag := strings.Cut(to, "#")
		sep := "?"
		if strings.Contains(page, "?") {
			sep = "&"
		}
		to = page + sep + "done=" + done
		if hasFrag {
			to += "#" + frag
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// langNext is the page a language link returns to (page.LangNext): the
// request's path with its query, but the flash message (done=, said once,
// and a refused booking's refused=),
// a next= that is not this site's (the login page's: safeNext) and a query
// that would not fit in a next= left out. A page
// answering a POST returns to its path.
func langNext(r *http.Request) string {
	path := r.URL.Path
	if r.Method != http.MethodGet && r.Method != http.MethodHead || r.URL.RawQuery == "" {
		return path
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return path
	}
	q.Del("done")
	q.Del("refused") // a booking refused (selfBookPost): said once, as done=
	if next := q.Get("next"); next != "" && !safeNext(next) {
		q.Del("next") // the login form's, refused: not carried about either
	}
	if len(q) == 0 {
		return path
	}
	if next := path + "?" + q.Encode(); len(next) <= maxNextLength {
		return next
	}
	return path
}
