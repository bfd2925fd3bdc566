package admin

import (
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// The badge on her phone (issue 12). From her page a member makes a phone
// badge (POST /m/{token}/phone) and lands on its page,
// /m/{token}/phone/{id}/: an installable web page (a manifest and a
// service worker, this server's scripts only) that shows a QR code
// changing every 30 seconds. The codes of the next PhoneCodeDays days
// come in one answer (codes.json), drawn in advance as QR modules (version
// 5, level M: the phone needs no QR encoder), which the service worker
// keeps: the page works in airplane mode until they run out, and takes new
// ones whenever it is opened online.

//go:embed static/phone-sw.js
var phoneServiceWorker []byte

type phoneData struct {
	Token string
	Badge *central.Badge
	Name  string
	Base  string // the page's path, ending in /: the service worker's scope
}

// phoneCodes is the JSON of codes.json.
type phoneCodes struct {
	Badge  int64    `json:"badge"`
	Window int      `json:"window"` // seconds a code lasts
	First  uint32   `json:"first"`  // window number of Codes[0] (Unix time / Window)
	Size   int      `json:"size"`   // modules a side
	Codes  []string `json:"codes"`  // base64 of the modules, row by row, 1 = dark, MSB first
}

// selfPhoneCreate makes a phone badge for the member (one more badge: her
// card stays valid) and answers 303 to its page.
func (s *Server) selfPhoneCreate(w http.ResponseWriter, r *http.Request) {
	l, token, ok := s.selfLink(w, r)
	if !ok {
		return
	}
	if s.cfg.Codes == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if !validToken(formToken(r), s.selfToken(l.Hash)) {
		s.log.Warn("admin: self-service POST without a valid anti-forgery token")
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	if !s.selfThrottled(w, r, "phone", l.Member, selfPolicy) {
		return
	}
	ctx := central.NewContextWithActor(r.Context(), "member:"+i64(l.Member))
	b, err := s.cfg.Badges.IssuePhoneBadge(ctx, l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, "/m/"+token+"/phone/"+i64(b.ID)+"/", http.StatusSeeOther)
}

// selfPhoneStop revokes one of her phone badges (POST
// /m/{token}/phone/{id}/revoke, after her page's question): a phone lost,
// sold or changed stops opening the door without asking the bureau. Her
// card and other badges stay. 303 to her badges, done=phone_stopped (a
// badge stopped already says the same); another's badge, or a printed
// card (« Nouvelle carte imprimée » replaces it), is not found.
func (s *Server) selfPhoneStop(w http.ResponseWriter, r *http.Request) {
	l, token, ctx, id, ok := s.selfPostOn(w, r)
	if !ok {
		return
	}
	bs, _, err := s.cfg.Badges.FindBadges(ctx, central.BadgeFilter{ID: &id, Member: &l.Member, Limit: 1})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if len(bs) == 0 || bs[0].Kind != central.BadgePhone {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if _, err := s.cfg.Badges.RevokeBadge(ctx, id); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/m/"+token+"#mybadge", "phone_stopped")
}

var _ = addMessages(map[string][2]string{
	"self.phone_stop":         {"Arrêter", "Stop"},
	"self.phone_stop_confirm": {"Arrêter le badge Téléphone n° %d ? Il n’ouvrira plus la porte (un téléphone perdu, vendu ou changé). Votre carte et vos autres badges restent valables.", "Stop the badge Phone no. %d? It will no longer open the door (a phone lost, sold or changed). Your card and your other badges stay valid."},
	"self.phone_stop_yes":     {"Oui, arrêter ce badge", "Yes, stop this badge"},
	"done.phone_stopped":      {"Badge de téléphone arrêté : il n’ouvre plus la porte.", "Phone badge stopped: it no longer opens the door."},
})

// selfPhoneBadge returns the member's phone badge of the {id} path
// parameter, valid, or answers 410 Gone with what to do (phoneGone): the
// page, its codes and its manifest are what the phone saved to its home
// screen, under the link it was added with, and 410 has its service
// worker forget the codes it keeps (static/phone-sw.js).
func (s *Server) selfPhoneBadge(w http.ResponseWriter, r *http.Request) (*central.MemberLink, string, *central.Badge, bool) {
	l, token, ok := s.selfLinkOr(w, r, s.phoneLinkGone)
	if !ok {
		return nil, "", nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || s.cfg.Codes == nil {
		s.selfNotFound(w, r)
		return nil, "", nil, false
	}
	bs, _, err := s.cfg.Badges.FindBadges(r.Context(), central.BadgeFilter{ID: &id, Member: &l.Member, Limit: 1})
	if err != nil {
		s.failErr(w, r, err)
		return nil, "", nil, false
	}
	if len(bs) == 0 {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return nil, "", nil, false
	}
	if bs[0].CanShowCodes() != nil {
		p := s.newPage(r, "phone.title", token)
		p.Bare, p.Error = true, translate(p.Lang, "phone.badge_gone")
		s.renderStatus(w, r, http.StatusGone, "phone_gone", p)
		return nil, "", nil, false
	}
	return l, token, bs[0], true
}

// phoneLinkGone answers a phone badge saved with a link that was since
// replaced (a new one from the lost-link form or the bureau) or revoked:
// the badge no longer shows codes; the page says so and offers the form
// that e-mails her link, whose page makes a new phone badge.
func (s *Server) phoneLinkGone(w http.ResponseWriter, r *http.Request) {
	s.renderLostLink(w, r, http.StatusGone, lostLinkData{}, "phone.link_gone")
}

// selfPhonePage is the phone badge's page (GET /m/{token}/phone/{id}/).
func (s *Server) selfPhonePage(w http.ResponseWriter, r *http.Request) {
	l, token, b, ok := s.selfPhoneBadge(w, r)
	if !ok {
		return
	}
	m, err := s.cfg.Members.FindMemberByID(r.Context(), l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d := phoneData{Token: token, Badge: b, Name: m.Name, Base: "/m/" + token + "/phone/" + i64(b.ID) + "/"}
	p := s.newPage(r, "phone.title", d)
	p.Bare, p.Manifest, p.Script = true, d.Base+"manifest.webmanifest", staticURL("phone.js")
	s.render(w, r, "self_phone", p)
}

// selfPhoneCodes answers the codes of the next days, drawn
// (GET /m/{token}/phone/{id}/codes.json).
func (s *Server) selfPhoneCodes(w http.ResponseWriter, r *http.Request) {
	_, _, b, ok := s.selfPhoneBadge(w, r)
	if !ok {
		return
	}
	body, err := s.drawnCodes(r.Context(), b.ID, s.now())
	if errors.Is(err, errDrawBusy) {
		s.log.Warn("admin: phone codes refused, too many drawn at once")
		w.Header().Set("Retry-After", "10")
		s.fail(w, r, http.StatusServiceUnavailable, "error.busy")
		return
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store") // the service worker keeps its own copy
	_, _ = w.Write(body)
}

// drawPhoneCodes draws the codes.json of badge id: the codes of
// PhoneCodeDays days from now's window.
func (s *Server) drawPhoneCodes(id int64, now time.Time) ([]byte, error) {
	key, err := s.cfg.Codes.SigningKey()
	if err != nil {
		return nil, err
	}
	n := int(central.PhoneCodeDays * 24 * time.Hour / badge.CodeWindow)
	out := phoneCodes{Badge: id, Window: int(badge.CodeWindow / time.Second), First: badge.WindowOf(now),
		Size: pqSize, Codes: make([]string, 0, n)}
	for _, text := range central.PhoneCodes(key, id, now, n) {
		modules, err := phoneModules(text)
		if err != nil {
			return nil, err
		}
		out.Codes = append(out.Codes, modules)
	}
	return json.Marshal(out)
}

// A phone badge's page and its service worker each ask for codes.json
// when the page opens, at the same moment: on a busy server the second
// waited its turn (drawWait) behind the first's drawing, was told to come
// back (503), and the phone was left without its offline copy. The codes
// drawn are the same for a while (those of the days ahead from a window),
// so a drawing is shared: a request for a badge whose codes are being
// drawn waits for them, and codes drawn less than codesReused ago are
// answered again (the phone then has the days ahead less those minutes).
// At most codesKept drawings are kept (2 MB each), the oldest dropped.
// Each request still checks the badge and her link first (selfPhoneBadge):
// a badge revoked is not answered from here.
const (
	codesReused = 5 * time.Minute
	codesKept   = 8
)

// errDrawBusy: no drawing slot came free within drawWait.
var errDrawBusy = errors.New("admin: phone codes: too many drawn at once")

// codesDrawing is one drawing of a badge's codes.json, done once done is
// closed.
type codesDrawing struct {
	done  chan struct{}
	first uint32 // the window its codes start at
	body  []byte
	err   error
}

// codeDrawings holds the drawings of the last minutes by badge.
type codeDrawings struct {
	mu sync.Mutex
	by map[int64]*codesDrawing
}

// drawnCodes answers badge id's codes.json: a drawing of the last
// codesReused shared, or one drawn now in a drawing slot (drawSlot;
// errDrawBusy when none comes free).
func (s *Server) drawnCodes(ctx context.Context, id int64, now time.Time) ([]byte, error) {
	w := badge.WindowOf(now)
	reuse := uint32(codesReused / badge.CodeWindow)
	c := &s.codes
	c.mu.Lock()
	if d := c.by[id]; d != nil && d.first <= w && w-d.first < reuse {
		c.mu.Unlock()
		select {
		case <-d.done:
			return d.body, d.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	d := &codesDrawing{done: make(chan struct{}), first: w}
	if c.by == nil {
		c.by = map[int64]*codesDrawing{}
	}
	c.by[id] = d
	c.prune(w, reuse)
	c.mu.Unlock()

	if release, ok := s.drawSlot(ctx); !ok {
		d.err = errDrawBusy
	} else {
		d.body, d.err = s.drawPhoneCodes(id, now)
		release()
	}
	close(d.done)
	if d.err != nil { // not kept: the next request draws again
		c.mu.Lock()
		if c.by[id] == d {
			delete(c.by, id)
		}
		c.mu.Unlock()
	}
	return d.body, d.err
}

// prune drops the drawings done and too old to share, then the oldest
// done ones beyond codesKept. c.mu is held.
func (c *codeDrawings) prune(w, reuse uint32) {
	for id, d := range c.by {
		if isDone(d) && (d.first > w || w-d.first >= reuse) {
			delete(c.by, id)
		}
	}
	for len(c.by) > codesKept {
		var oldest int64
		var at *codesDrawing
		for id, d := range c.by {
			if isDone(d) && (at == nil || d.first < at.first) {
				oldest, at = id, d
			}
		}
		if at == nil {
			return // all being drawn: each has its slot or waits for one
		}
		delete(c.by, oldest)
	}
}

func isDone(d *codesDrawing) bool {
	select {
	case <-d.done:
		return true
	default:
		return false
	}
}

// Drawing the codes of PhoneCodeDays days (8640 QR codes, 2 MB of JSON)
// takes most of a second of a CPU, and anyone holding a member's link may
// ask for them in a loop: a few such loops took every CPU of central
// (kiosks' syncs, the bureau's pages). maxDrawings are drawn at a time;
// the others wait drawWait at most, then get 503 with Retry-After (the
// phone keeps the codes it has and asks again later).
const maxDrawings = 1

var drawWait = 10 * time.Second

// drawSlot waits for one of the maxDrawings drawings that may run at a
// time; release gives it back.
func (s *Server) drawSlot(ctx context.Context) (release func(), ok bool) {
	wait, cancel := context.WithTimeout(ctx, drawWait)
	defer cancel()
	select {
	case s.drawings <- struct{}{}:
		return func() { <-s.drawings }, true
	case <-wait.Done():
		return nil, false
	}
}

// phoneModules draws text as a QR code of version 5, level M (phoneqr.go),
// and packs its modules (no quiet zone) as bits, row by row, in base64.
func phoneModules(text string) (string, error) {
	m, err := phoneQR(text)
	if err != nil {
		return "", err
	}
	bits := make([]byte, (pqSize*pqSize+7)/8)
	for y, row := range m {
		for x, dark := range row {
			if dark {
				i := y*pqSize + x
				bits[i/8] |= 0x80 >> (i % 8)
			}
		}
	}
	return base64.StdEncoding.EncodeToString(bits), nil
}

// selfPhoneManifest is the web app manifest that makes the page
// installable (GET /m/{token}/phone/{id}/manifest.webmanifest).
func (s *Server) selfPhoneManifest(w http.ResponseWriter, r *http.Request) {
	_, token, b, ok := s.selfPhoneBadge(w, r)
	if !ok {
		return
	}
	base := "/m/" + token + "/phone/" + i64(b.ID) + "/"
	name := translate(requestLang(r), "phone.title")
	body, _ := json.Marshal(map[string]any{
		"name": name, "short_name": name, "start_url": base, "scope": base, "display": "standalone",
		"background_color": "#ffffff", "theme_color": "#ffffff", "orientation": "portrait",
		"icons": []map[string]string{{"src": staticURL("badge-icon.svg"), "sizes": "any", "type": "image/svg+xml"}},
	})
	w.Header().Set("Content-Type", "application/manifest+json")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(body)
}

// selfPhoneWorker is the page's service worker, served under the page's
// path so that its scope is the page (GET /m/{token}/phone/{id}/sw.js).
func (s *Server) selfPhoneWorker(w http.ResponseWriter, r *http.Request) {
	if _, _, _, ok := s.selfPhoneBadge(w, r); !ok {
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(phoneServiceWorker)
}

// CardList names printed badges for a confirmation: "n° 3, n° 7".
func (p *page) CardList(cards []*central.Badge) string {
	out := ""
	for i, b := range cards {
		if i > 0 {
			out += ", "
		}
		out += p.T("self.card_number", b.ID)
	}
	return out
}
