package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// axeVersion is the pinned axe-core the phone-rules test injects; `make
// test` installs it with npm (Makefile, target axe) at axePath.
const axeVersion = "4.10.3"

var axePath = filepath.Join(".cache", "npm", "axe-core-"+axeVersion, "node_modules", "axe-core", "axe.min.js")

// viewports are the phone and the desktop of issue 18.
var viewports = []struct {
	name string
	w, h int64
}{{"phone", 390, 844}, {"desktop", 1366, 900}}

// allowedWords may show on a French page although the English catalog
// uses them: names of things, and words French shares with English.
var allowedWords = strings.Fields(`
	badgeuse slack pennylane helloasso csv pdf png smtp https http url api webhook
	kiosk kioskd centrald restic json ssh iban siret`)

// TestBrowserPhoneRules visits every page of the admin, as each role, and
// the member's own page, at 390 × 844 and 1366 × 900 in Chromium, and
// fails on what issue 18 forbids: a page wider than the screen, a tap
// target under 44 × 44 CSS px (a link inside a sentence excepted), an
// English word on a French page, a serious or critical axe-core
// violation, and a form whose POST does not answer 303. Pages are found
// by following the links from /today and every GET route without a
// parameter, so that a new page is checked as soon as it is linked.
func TestBrowserPhoneRules(t *testing.T) {
	axe := axeSource(t)
	// A hang guard, not a time limit: the crawl (every page, each role,
	// both sizes) ran past 4 minutes beside other builds with the race
	// detector ("context deadline exceeded" on the readonly pages).
	ctx := browserFor(t, 10*time.Minute)
	// Payments read (no billing worker): /donations shows its donations,
	// its space select and its tax receipts button, not "billing off".
	lp := &lazyPayments{}
	e := newEnv(t, func(c *admin.Config) { c.Payments, c.TaxReceipts = lp, &sentReceipts{} })
	lp.PaymentService = sqlstore.NewPaymentService(e.db.DB)
	token := seedPhoneRules(t, e)
	english := englishOnlyWords()
	// A kiosk added and never plugged in: its card says so in words
	// ("jamais synchronisée", no version yet), which a narrow column
	// used to split inside a word.
	if _, err := e.kiosks.CreateKiosk(e.ctx(), &central.Kiosk{Name: "Salle du fond"}); err != nil {
		t.Fatal(err)
	}
	// A second space (issue 14): the space selects of the users, kiosks
	// and statistics show, and a bureau user of it crawls her pages below.
	hangar := &central.Space{Name: "Le Hangar"}
	if err := e.cfg.Spaces.CreateSpace(e.ctx(), hangar); err != nil {
		t.Fatal(err)
	}
	// Its own Pennylane company: its admin's menu leads to its books.
	if err := e.cfg.Spaces.SetSpaceBooks(e.ctx(), hangar.ID, "pennylane.token", "plt_hangar_0123456789"); err != nil {
		t.Fatal(err)
	}
	// A gift to the network and one to Le Hangar's own organisation: each
	// association's donations page has a row (and the network's a select).
	for i, space := range []int64{0, hangar.ID} {
		ref := fmt.Sprintf("95%d", i)
		if _, err := lp.RecordPaymentOrder(e.ctx(), &central.PaymentOrder{Source: central.SourceHelloAsso, ID: ref, Form: "don",
			FormType: "Donation", Date: e.clock.Now().Add(-time.Hour), Space: space,
			Payer: central.Payer{Email: "hugo@example.org", FirstName: "Hugo", LastName: "Dubois", City: "Lyon"},
			Items: []central.PaymentItem{{ID: ref + "1", Type: "Donation", Gift: true, Amount: 2500, State: central.PaymentPaid}}}); err != nil {
			t.Fatal(err)
		}
	}
	// A public event: the bureau's page of it (its link and QR code) and
	// its public page (event_public.go), opened without a session.
	ev := &central.CalendarEvent{Title: "Atelier compta", Description: "Les bases de la comptabilité d’une association.",
		Start: e.clock.Now().Add(48 * time.Hour), End: e.clock.Now().Add(50 * time.Hour), Capacity: 20, Public: true}
	if err := e.cfg.Calendar.CreateEvent(e.ctx(), ev); err != nil {
		t.Fatal(err)
	}

	// axe-core in every document, before the page's own script (a
	// script added by the DevTools protocol is not subject to the
	// page's Content-Security-Policy).
	mustDo(t, ctx, "inject axe", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: axe})
		return err
	}))

	start := time.Now()
	visited := 0
	for _, role := range central.Roles {
		c := e.as(role)
		setSession(t, ctx, e, c)
		pc := &phoneCrawl{t: t, ctx: ctx, base: e.ts.URL, role: string(role), english: english, seen: map[string]bool{}, forms: map[string]phoneForm{}}
		pc.queue = append(pc.queue, "/today")
		for _, rt := range e.srv.Routes() {
			method, path, _ := strings.Cut(rt.Pattern, " ")
			if method == "GET" && !rt.Public && !strings.Contains(path, "{") && crawlable(path) && allowed(rt, role) {
				pc.queue = append(pc.queue, path)
			}
		}
		pc.run()
		visited += len(pc.seen)
		pc.postForms(c)
	}

	// A bureau user of one space: the pages she may open (scope.go).
	spaceUser := &central.AdminUser{Email: "hangar@example.org", Role: central.RoleAdmin, Space: hangar.ID, PasswordHash: "x"}
	if err := e.store.CreateAdminUser(e.ctx(), spaceUser); err != nil {
		t.Fatal(err)
	}
	sc := e.sessionFor(spaceUser)
	setSession(t, ctx, e, sc)
	spc := &phoneCrawl{t: t, ctx: ctx, base: e.ts.URL, role: "admin of Le Hangar", english: english, seen: map[string]bool{}, forms: map[string]phoneForm{}}
	spc.queue = append(spc.queue, "/today")
	for _, rt := range e.srv.Routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if method == "GET" && rt.Spaced() && !strings.Contains(path, "{") && crawlable(path) && allowed(rt, spaceUser.Role) {
			spc.queue = append(spc.queue, path)
		}
	}
	spc.run()
	visited += len(spc.seen)
	if !spc.seen["/spaces/{n}/books"] {
		t.Errorf("Le Hangar's admin did not reach its books from her menu (pages seen: %v)", spc.seen)
	}
	spc.postForms(sc)

	// The member's own page, without a session.
	mustDo(t, ctx, "no session", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
	pc := &phoneCrawl{t: t, ctx: ctx, base: e.ts.URL, role: "member", english: english, seen: map[string]bool{}, forms: map[string]phoneForm{}, member: true}
	pc.queue = []string{"/m/" + token, "/login", fmt.Sprintf("/e/%d", ev.ID)}
	pc.run()
	visited += len(pc.seen)
	pc.postForms(e.client())

	// A member of the network without a pass (issue 14): her Agenda and
	// Réserver tabs name the space of every event and room and offer a
	// filter of the spaces (portal_spaces.go), which must fit a phone too.
	nc := &phoneCrawl{t: t, ctx: ctx, base: e.ts.URL, role: "member of the network", english: english, seen: map[string]bool{}, forms: map[string]phoneForm{}, member: true}
	dan := "/m/" + seedPortalSpaces(t, e, hangar)
	nc.queue = []string{dan + "/agenda"}
	nc.run()
	visited += len(nc.seen)
	for _, p := range []string{"/agenda", "/book"} {
		if !nc.seen["/m/{token}"+p] {
			t.Errorf("the network member's crawl did not reach %s (pages seen: %v)", p, nc.seen)
		}
	}
	mustDo(t, ctx, "her agenda", chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.ts.URL+dan+"/agenda"))
	if text := bodyText(t, ctx); !strings.Contains(text, "Tous mes espaces") || !strings.Contains(text, "Soirée du Hangar") ||
		!strings.Contains(text, "Petit-déjeuner des membres") {
		t.Errorf("her agenda, every space:\n%s", text)
	}
	mustDo(t, ctx, "filter Le Hangar", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href$="/agenda?space=%d"]`, hangar.ID))),
		waitJS(`location.search.includes("space=") && document.readyState === "complete"`))
	if text := bodyText(t, ctx); !strings.Contains(text, "Soirée du Hangar") || strings.Contains(text, "Petit-déjeuner des membres") {
		t.Errorf("her agenda, Le Hangar only:\n%s", text)
	}
	t.Logf("%d pages checked at %d sizes in %s", visited, len(viewports), time.Since(start).Round(time.Millisecond))
}

func allowed(rt admin.Route, role central.Role) bool {
	for _, r := range rt.Roles() {
		if r == role {
			return true
		}
	}
	return false
}

// crawlable: a page of the admin (no download, no language switch).
func crawlable(path string) bool {
	for _, suffix := range []string{".csv", ".pdf", ".png", ".svg"} {
		if strings.HasSuffix(path, suffix) {
			return false
		}
	}
	for _, prefix := range []string{"/static/", "/lang/", "/api/", "/hooks/", "/m/"} {
		if strings.HasPrefix(path, prefix) {
			return false
		}
	}
	return path != "/logout" && path != "/login"
}

// axeSource reads the pinned axe-core.
func axeSource(t *testing.T) string {
	t.Helper()
	if os.Getenv("BADGEUSE_SKIP_BROWSER") == "1" {
		t.Skip("BADGEUSE_SKIP_BROWSER=1")
	}
	b, err := os.ReadFile(filepath.Join(repoRoot(t), axePath))
	if err != nil {
		t.Fatalf("axe-core %s not found: run `make axe` (npm install of the pinned version; `make test` does it): %v", axeVersion, err)
	}
	return string(b)
}

// browserFor is browser with a longer deadline, in a French volunteer's
// browser.
func browserFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	bctx := frenchChromium.tab(t, d)
	mustDo(t, bctx, "French locale", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{Locale: "fr_FR"})
		return err
	}))
	return bctx
}

// frenchChromium is the browser of browserFor.
var frenchChromium = &sharedChromium{opts: []chromedp.ExecAllocatorOption{
	chromedp.Flag("hide-scrollbars", true),
	chromedp.Flag("lang", "fr-FR"), // a French volunteer's browser
	chromedp.Env("LANGUAGE=fr_FR", "LANG=fr_FR.UTF-8"),
	chromedp.WindowSize(1366, 900),
}}

// setSession gives the browser the session of a logged-in test client.
func setSession(t *testing.T, ctx context.Context, e *env, c *client) {
	t.Helper()
	u, _ := url.Parse(e.ts.URL)
	mustDo(t, ctx, "session cookie", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
			return err
		}
		for _, ck := range c.Jar.Cookies(u) {
			if _, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: ck.Name, Value: ck.Value, URL: e.ts.URL}); err != nil {
				return err
			}
		}
		return nil
	}))
}

// englishOnlyWords are the words of the English messages that no French
// message uses: seeing one on a French page means an untranslated text.
func englishOnlyWords() map[string]bool {
	fr, en := map[string]bool{}, map[string]bool{}
	for _, m := range admin.Messages() {
		for _, w := range words(m[0]) {
			fr[w] = true
		}
		for _, w := range words(m[1]) {
			en[w] = true
		}
	}
	for _, w := range allowedWords {
		fr[w] = true
	}
	out := map[string]bool{}
	for w := range en {
		if !fr[w] {
			out[w] = true
		}
	}
	// A program's values shown as they are stored ("Nouvelle valeur :
	// true") are English too, though no message says them.
	for _, w := range []string{"true", "false", "null", "nil", "undefined", "nan"} {
		out[w] = true
	}
	return out
}

var addressRE = regexp.MustCompile(`\S+@\S+|https?://\S+|/\S*`)

// words splits a text into lower-case words of three letters or more,
// without e-mail addresses, URLs and paths.
func words(s string) []string {
	s = addressRE.ReplaceAllString(s, " ")
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) >= 3 {
			out = append(out, strings.ToLower(w))
		}
	}
	return out
}

// seedPhoneRules fills every list: products, members on each plan with
// sales, badges, visits, a refund, a kiosk with entries; it returns a
// member's link token.
func seedPhoneRules(t *testing.T, e *env) string {
	t.Helper()
	e.seedNetwork() // a second space and a visit between spaces: /settlement has a row, /spaces two forms
	ctx := e.ctx()
	k := &central.Kiosk{Name: "Porte d’entrée"}
	if _, err := e.kiosks.CreateKiosk(ctx, k); err != nil {
		t.Fatal(err)
	}
	pack := &central.Product{Name: "Carnet 10 entrées", Kind: access.Pack, Entries: 10, Price: 8000}
	sub := &central.Product{Name: "Abonnement mensuel", Kind: access.Subscription, Days: 30, Price: 12000}
	for _, p := range []*central.Product{pack, sub} {
		if err := e.products.CreateProduct(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	now := e.clock.Now()
	seq := int64(0)
	var first int64
	for i, name := range []string{"Alice Martin", "Bastien Roux", "Chloé Lefèvre"} {
		m := &central.Member{Name: name, Email: fmt.Sprintf("m%d@example.org", i)}
		if err := e.members.CreateMember(ctx, m); err != nil {
			t.Fatal(err)
		}
		if first == 0 {
			first = m.ID
		}
		p := pack
		if i == 1 {
			p = sub
		}
		sale, err := e.ledger.CreateSale(ctx, central.NewSale{Member: m.ID, Product: p.ID, Source: central.SourceAdmin})
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			if _, err := e.ledger.RefundSale(ctx, sale.ID); err != nil {
				t.Fatal(err)
			}
		}
		b, _, err := e.badges.IssueBadge(ctx, m.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		seq++
		reason := access.OKPack
		if i == 1 {
			reason = access.OKSubscription
		}
		if _, err := e.sync.Push(ctx, &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: []*central.Entry{
			{ID: fmt.Sprintf("0190b2a0-0000-7000-8000-0000000002%02d", seq), Seq: seq, Member: m.ID, Badge: b.Hash,
				KioskTime: now.Add(time.Duration(i) * time.Minute), Accept: i != 2, Reason: reason},
		}}); err != nil {
			t.Fatal(err)
		}
	}
	// She is in the directory: the bureau's /directory and the members'
	// list a name (as a link, which must be a 44 px target).
	if err := e.cfg.Profiles.SaveProfile(ctx, &central.Profile{Member: first, InDirectory: true, About: "Graphiste",
		Skills: []string{"Illustration"}, Contact: central.ContactEmail}); err != nil {
		t.Fatal(err)
	}
	// A guest pass of hers: its page, from hers and from her admin page.
	g := &central.GuestPass{Host: first, Name: "Léa Invitée", Day: access.DayOf(now, access.Paris), Space: "Badgeuse"}
	if err := e.cfg.Guests.IssueGuestPass(ctx, g, 0); err != nil {
		t.Fatal(err)
	}
	_, token, err := e.store.CreateMemberLink(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// seedPortalSpaces adds a member without a pass (her portal shows every
// space), an event and a room at hangar and one at the main space, and
// returns her link's token.
func seedPortalSpaces(t *testing.T, e *env, hangar *central.Space) string {
	t.Helper()
	ctx := e.ctx()
	dan := &central.Member{Name: "Dan Nouveau", Email: "dan@example.org"}
	if err := e.members.CreateMember(ctx, dan); err != nil {
		t.Fatal(err)
	}
	day := e.clock.Now().Add(72 * time.Hour)
	for _, ev := range []*central.CalendarEvent{
		{Title: "Soirée du Hangar", Space: hangar.Key, Start: day, End: day.Add(2 * time.Hour), Capacity: 30, Public: true},
		{Title: "Petit-déjeuner des membres", Start: day, End: day.Add(time.Hour), Capacity: 12},
	} {
		if err := e.cfg.Calendar.CreateEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	for _, res := range []*central.Resource{
		{Name: "Atelier bois", Space: hangar.Key, Opens: 9 * 60, Closes: 18 * 60, Slot: time.Hour},
		{Name: "Salle de réunion", Opens: 9 * 60, Closes: 18 * 60, Slot: time.Hour},
	} {
		if err := e.cfg.Bookings.CreateResource(ctx, res); err != nil {
			t.Fatal(err)
		}
	}
	_, token, err := e.store.CreateMemberLink(ctx, dan.ID)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// phoneCrawl visits the pages of one role.
type phoneCrawl struct {
	t       *testing.T
	ctx     context.Context
	base    string
	role    string
	english map[string]bool
	queue   []string
	seen    map[string]bool      // page keys (numbers as {n})
	forms   map[string]phoneForm // POST forms seen, by key
	member  bool                 // the member's own pages: follow only her links (/m/…)
}

// phoneForm is a POST form as the page has it, ready to send.
type phoneForm struct {
	Page   string            `json:"-"`
	Action string            `json:"action"`
	Fields [][2]string       `json:"fields"`
	Ready  bool              `json:"ready"` // every required field has a value
	Extra  map[string]string `json:"-"`
}

// phoneReport is what the page's check finds (check.js below).
type phoneReport struct {
	Lang     string      `json:"lang"`
	Overflow string      `json:"overflow"`
	Small    []string    `json:"small"`
	Text     string      `json:"text"`
	Links    []string    `json:"links"`
	Forms    []phoneForm `json:"forms"`
	Axe      []string    `json:"axe"`
	AxeVer   string      `json:"axeVersion"`
	// Mislabelled lists the cells over several columns (a table's
	// "nothing yet" line) that a phone shows after one column's name.
	Mislabelled []string `json:"mislabelled"`
	// Cramped lists the cards whose text touches their border (padding
	// under 8 px), on screen.
	Cramped []string `json:"cramped"`
	// Misaligned lists the table rows whose cells do not match the
	// header's columns: on a phone a cell then shows after another
	// column's name, or after none.
	Misaligned []string `json:"misaligned"`
	// Broken lists the words (letters only, 4 to 14 of them) that a
	// column too narrow splits across two lines ("synchro" / "nisée").
	Broken []string `json:"broken"`
	// Hidden lists the <summary> elements that show no sign they open:
	// no marker, not drawn as a button (display: flex takes the
	// browser's marker away), which read as a label with nothing under it.
	Hidden []string `json:"hidden"`
}

var numberRE = regexp.MustCompile(`/\d+`)

// pagePluralRE finds "entrée(s)" in a page's text: counts agree with
// their number (see the catalog's ".one" messages).
var pagePluralRE = regexp.MustCompile(`\pL+\(s\)`)

var tokenRE = regexp.MustCompile(`/m/[^/]+`)

func pageKey(path string) string {
	return numberRE.ReplaceAllString(tokenRE.ReplaceAllString(path, "/m/{token}"), "/{n}")
}

const maxPhonePages = 80

func (pc *phoneCrawl) run() {
	for len(pc.queue) > 0 && len(pc.seen) < maxPhonePages {
		p := pc.queue[0]
		pc.queue = pc.queue[1:]
		u, err := url.Parse(p)
		if err != nil {
			continue
		}
		key := pageKey(u.Path)
		if pc.seen[key] {
			continue
		}
		pc.seen[key] = true
		pc.visit(p)
	}
}

func (pc *phoneCrawl) visit(p string) {
	t := pc.t
	t.Helper()
	if err := chromedp.Do(pc.ctx, chromedp.EmulateViewport(viewports[0].w, viewports[0].h), chromedp.Navigate(pc.base+p)); err != nil {
		t.Errorf("%s as %s: %v", p, pc.role, err)
		return
	}
	for i, v := range viewports {
		if i > 0 {
			if err := chromedp.Do(pc.ctx, chromedp.EmulateViewport(v.w, v.h)); err != nil {
				t.Fatal(err)
			}
		}
		raw, err := chromedp.Run(pc.ctx, chromedp.Evaluate[string](phoneCheckJS, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Errorf("%s as %s at %s: check: %v", p, pc.role, v.name, err)
			return
		}
		var rep phoneReport
		if err := json.Unmarshal([]byte(raw), &rep); err != nil {
			t.Fatalf("check's report: %v\n%s", err, raw)
		}
		where := fmt.Sprintf("%s as %s at %d px", p, pc.role, v.w)
		if rep.AxeVer != axeVersion {
			t.Fatalf("%s: axe-core %q in the page, want %s", where, rep.AxeVer, axeVersion)
		}
		if rep.Overflow != "" {
			t.Errorf("%s scrolls sideways: %s", where, rep.Overflow)
		}
		for _, s := range rep.Small {
			t.Errorf("%s: tap target under 44×44 px: %s", where, s)
		}
		for _, a := range rep.Axe {
			t.Errorf("%s: axe-core: %s", where, a)
		}
		for _, c := range rep.Cramped {
			t.Errorf("%s: a card's text touches its border: %s", where, c)
		}
		for _, c := range rep.Hidden {
			t.Errorf("%s: a summary shows no sign that it opens: %s", where, c)
		}
		for _, c := range rep.Misaligned {
			t.Errorf("%s: a table row's cells do not match its header's columns: %s", where, c)
		}
		for _, c := range rep.Broken {
			t.Errorf("%s: a word split across two lines: %s", where, c)
		}
		for _, c := range rep.Mislabelled {
			t.Errorf("%s: a cell over several columns is shown after one column's name: %s", where, c)
		}
		if i == 0 {
			if rep.Lang == "fr" {
				var found []string
				for _, w := range words(rep.Text) {
					if pc.english[w] {
						found = append(found, w)
					}
				}
				if len(found) > 0 {
					t.Errorf("%s: English on a French page: %s", where, strings.Join(dedupe(found), ", "))
				}
				if m := pagePluralRE.FindAllString(rep.Text, 3); m != nil {
					t.Errorf("%s: a plural left to the reader: %s", where, strings.Join(m, ", "))
				}
			}
			for _, f := range rep.Forms {
				f.Page = p
				names := make([]string, 0, len(f.Fields))
				for _, kv := range f.Fields {
					if kv[0] != "csrf" {
						names = append(names, kv[0]+"="+kv[1])
					}
				}
				k := pageKey(f.Action) + "?" + strings.Join(names, "&")
				if _, ok := pc.forms[k]; !ok {
					pc.forms[k] = f
				}
			}
			for _, l := range rep.Links {
				path := strings.SplitN(l, "?", 2)[0]
				if (!pc.member && crawlable(path)) || (pc.member && strings.HasPrefix(path, "/m/") && !strings.Contains(path, ".")) {
					pc.queue = append(pc.queue, l)
				}
			}
		}
	}
}

// postForms sends, with the role's session, every form seen whose
// required fields have a value (as a person pressing its button would),
// and wants 303 See Other. Logging out comes last.
func (pc *phoneCrawl) postForms(c *client) {
	t := pc.t
	keys := make([]string, 0, len(pc.forms))
	for k := range pc.forms {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		li, lj := strings.HasPrefix(keys[i], "/logout"), strings.HasPrefix(keys[j], "/logout")
		if li != lj {
			return lj
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		f := pc.forms[k]
		if !f.Ready {
			continue
		}
		form := url.Values{}
		for _, kv := range f.Fields {
			form.Add(kv[0], kv[1])
		}
		if !form.Has("csrf") {
			form.Set("_nocsrf", "1")
		}
		resp, body := c.post(f.Action, form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("POST %s (the form of %s as %s) answered %d, want 303 See Other: %.300s", f.Action, f.Page, pc.role, resp.StatusCode, textOf(body))
		}
	}
}

var tagRE = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]+>`)

// textOf is a page's text without its tags, each run of spaces one space;
// a no-break space stays, as French typography puts it (« Statut : »).
func textOf(html string) string {
	space := func(r rune) bool { return unicode.IsSpace(r) && r != '\u00a0' }
	return strings.Join(strings.FieldsFunc(tagRE.ReplaceAllString(html, " "), space), " ")
}

func dedupe(ws []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range ws {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// phoneCheckJS runs in the page and answers a JSON phoneReport.
const phoneCheckJS = `(async () => {
  const vw = document.documentElement.clientWidth;
  const out = {lang: document.documentElement.lang, overflow: "", small: [], text: "", links: [], forms: [], axe: [],
    axeVersion: window.axe ? axe.version : "", mislabelled: [], cramped: [], misaligned: [], hidden: []};
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (el.className && typeof el.className === "string") s += "." + el.className.trim().split(/\s+/).join(".");
    const txt = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40);
    return txt ? s + " «" + txt + "»" : s;
  };
  if (document.documentElement.scrollWidth > vw) {
    const wide = [...document.querySelectorAll("body *")].filter(e => {
      const r = e.getBoundingClientRect();
      return r.right > vw + 1 && r.width > 0;
    }).slice(0, 6).map(e => name(e) + " (" + Math.round(e.getBoundingClientRect().right) + " px)");
    out.overflow = document.documentElement.scrollWidth + " px wide: " + wide.join(", ");
  }
  // A link inside a sentence keeps the size of the text (WCAG 2.5.8's
  // inline exception).
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    const block = el.parentElement && el.parentElement.closest("p, li, td, dd, dt, span, small, label, div, th, h1, h2, h3, figcaption");
    return !!block && block.innerText.trim().length > el.innerText.trim().length + 2;
  };
  for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]")) {
    let r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= 0 || r.bottom <= 0 || el.closest(".sr")) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    if (el.tagName === "A" && inSentence(el)) continue;
    if ((el.type === "checkbox" || el.type === "radio") && el.labels && el.labels.length) {
      // The target of a box with a label is the box and its label.
      const l = el.labels[0].getBoundingClientRect();
      r = {width: Math.max(r.right, l.right) - Math.min(r.left, l.left), height: Math.max(r.bottom, l.bottom) - Math.min(r.top, l.top)};
    }
    if (r.width < 43.5 || r.height < 43.5) out.small.push(name(el) + " " + Math.round(r.width) + "×" + Math.round(r.height));
  }
  for (const c of document.querySelectorAll(".card")) {
    const st = getComputedStyle(c);
    if (c.getBoundingClientRect().width > 0 && st.borderLeftStyle !== "none" && parseFloat(st.borderLeftWidth) > 0 && parseFloat(st.paddingLeft) < 8) out.cramped.push(name(c) + " padding " + st.paddingLeft);
  }
  for (const td of document.querySelectorAll("table.cards tbody td[colspan]")) {
    if (parseInt(td.getAttribute("colspan"), 10) > 1 && getComputedStyle(td, "::before").content !== "none") out.mislabelled.push(name(td));
  }
  for (const su of document.querySelectorAll("summary")) {
    if (su.getBoundingClientRect().width === 0) continue;
    const st = getComputedStyle(su), before = getComputedStyle(su, "::before").content;
    const button = parseFloat(st.borderTopWidth) > 0 || (st.backgroundColor !== "rgba(0, 0, 0, 0)" && st.backgroundColor !== "transparent");
    if (st.display !== "list-item" && (before === "none" || before === "normal") && !button) out.hidden.push(name(su));
  }
  // Every row of a table has as many columns as its header (a row of
  // one cell over all of them, a list's "nothing yet", aside).
  const span = (c) => parseInt(c.getAttribute("colspan") || "1", 10) || 1;
  for (const table of document.querySelectorAll("main table")) {
    const head = table.querySelector("thead tr:last-child");
    if (!head) continue;
    const cols = [...head.children].reduce((n, c) => n + span(c), 0);
    for (const tr of table.querySelectorAll("tbody tr")) {
      const n = [...tr.children].reduce((m, c) => m + span(c), 0);
      if (n !== cols && !(tr.children.length === 1 && n >= cols)) out.misaligned.push(name(tr).slice(0, 80) + ": " + n + " columns for " + cols + " in the header");
    }
  }
  // A word split inside itself across two lines: a column too narrow
  // for it (a short word breaks only where there is no room at all);
  // in the closed <details> too, opened as a person would (then closed).
  out.broken = [];
  const closed = [...document.querySelectorAll("details:not([open])")];
  closed.forEach(d => d.open = true);
  const range = document.createRange();
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n && out.broken.length < 5; n = walk.nextNode()) {
    if (!n.parentElement || n.parentElement.closest(".sr, script, style, textarea, select")) continue;
    const re = /\p{L}{4,14}/gu;
    for (let m = re.exec(n.data); m !== null; m = re.exec(n.data)) {
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const rs = [...range.getClientRects()].filter(r => r.width > 0);
      if (rs.length > 1 && rs[rs.length - 1].top - rs[0].top > 2) { out.broken.push(name(n.parentElement).slice(0, 60) + ": " + m[0]); break; }
    }
  }
  closed.forEach(d => d.open = false);
  const texts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title], img[alt], input[type=submit], input[type=button]")) {
    texts.push(el.getAttribute("placeholder") || "", el.getAttribute("aria-label") || "", el.getAttribute("title") || "", el.getAttribute("alt") || "", el.value || "");
  }
  // Closed <details> and <dialog> hide their text from innerText.
  for (const el of document.querySelectorAll("details:not([open]), dialog:not([open])")) texts.push(el.textContent);
  out.text = texts.join(" \n ");
  for (const a of document.querySelectorAll("a[href]")) {
    const u = new URL(a.href, location.href);
    if (u.origin === location.origin && !a.hasAttribute("download")) out.links.push(u.pathname + u.search);
  }
  for (const f of document.querySelectorAll("form")) {
    if ((f.getAttribute("method") || "get").toLowerCase() !== "post") continue;
    const form = {action: new URL(f.getAttribute("action") || location.pathname, location.href).pathname, fields: [], ready: true};
    for (const el of f.elements) {
      if (!el.name || el.disabled) continue;
      if (el.type === "file") { form.ready = false; continue; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { if (el.required) form.ready = false; continue; }
      if (el.tagName === "BUTTON" || el.type === "submit") {
        if (!form.button) { form.button = true; form.fields.push([el.name, el.value]); }
        continue;
      }
      if (el.required && !el.value) form.ready = false;
      form.fields.push([el.name, el.value]);
    }
    if (!form.button && !f.querySelector("button, input[type=submit]")) continue; // nothing to press
    out.forms.push(form);
  }
  if (window.axe) {
    const res = await axe.run(document, {resultTypes: ["violations"]});
    for (const v of res.violations) {
      if (v.impact !== "serious" && v.impact !== "critical") continue;
      out.axe.push(v.impact + " " + v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
    }
  }
  return JSON.stringify(out);
})()`
