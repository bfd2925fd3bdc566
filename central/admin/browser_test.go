package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// chromiumPath is Debian's Chromium, installed by `make deps`.
const chromiumPath = "/usr/bin/chromium"

// browser gives the test a tab of a headless Chromium, or fails with
// what to do (BADGEUSE_SKIP_BROWSER=1 skips instead).
func browser(t *testing.T) context.Context {
	t.Helper()
	// The limit stops a hung browser; it does not time the pages (the
	// admin's benchmark does). TestBrowser, the longest flow (a dozen
	// pages, screenshots at two sizes), took 40 s in a CI run on a
	// loaded machine: 40 s was too tight a bound.
	return plainChromium.tab(t, 2*time.Minute)
}

// plainChromium is the browser of browser(t).
var plainChromium = &sharedChromium{opts: []chromedp.ExecAllocatorOption{
	chromedp.WindowSize(1280, 900),
}}

// sharedChromium is one Chromium started by the first test that needs it
// and shared by the next ones (its start and stop took more than a second
// of each): each test has a browser context of its own, as a new
// incognito window (its own cookies, storage, cache and service workers),
// closed at its end, so no test sees another's pages or data. A browser
// that stopped (crashed) is started again for the next test. TestMain
// stops them (stopBrowsers).
type sharedChromium struct {
	opts []chromedp.ExecAllocatorOption // beside the flags of every one

	mu     sync.Mutex
	ctx    context.Context // the browser's first tab, nil when not started
	cancel context.CancelFunc
	dir    string // its user data folder
}

// chromiums are the shared browsers, for stopBrowsers.
var chromiums = []*sharedChromium{plainChromium, frenchChromium}

// tab returns a tab of the browser, in a browser context of the test's
// own, closed at the test's end or after d (a hang guard).
func (c *sharedChromium) tab(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	if os.Getenv("BADGEUSE_SKIP_BROWSER") == "1" {
		t.Skip("BADGEUSE_SKIP_BROWSER=1")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("Chromium not found at %s: run `make deps` (it installs Debian's chromium package), "+
			"or set BADGEUSE_SKIP_BROWSER=1 to skip the browser tests", chromiumPath)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == nil || c.ctx.Err() != nil {
		c.stop()
		if err := c.start(d); err != nil {
			t.Fatalf("starting Chromium: %v", err)
		}
	}
	tctx, tcancel := context.WithTimeout(c.ctx, d)
	t.Cleanup(tcancel)
	ctx, cancel := chromedp.NewContext(tctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	return ctx
}

// start starts the browser, waiting at most d (the browser's context
// must have no deadline: it would stop the browser).
func (c *sharedChromium) start(d time.Duration) error {
	dir, err := os.MkdirTemp("", "admin-chromium-")
	if err != nil {
		return err
	}
	// The network of this machine is closed: no background traffic at all.
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
	}, c.opts...)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	c.ctx, c.dir = bctx, dir
	c.cancel = func() { bcancel(); acancel() }
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(bctx) }()
	select {
	case err = <-started:
	case <-time.After(d):
		err = fmt.Errorf("not started after %v", d)
	}
	if err != nil {
		c.stop()
	}
	return err
}

// stop stops the browser and removes its folder.
func (c *sharedChromium) stop() {
	if c.cancel != nil {
		c.cancel()
		os.RemoveAll(c.dir)
	}
	c.ctx, c.cancel, c.dir = nil, nil, ""
}

// stopBrowsers stops the shared browsers (TestMain, after the tests).
func stopBrowsers() {
	for _, c := range chromiums {
		c.mu.Lock()
		c.stop()
		c.mu.Unlock()
	}
}

// shots saves screenshots: every one to the artifacts folder
// (BADGEUSE_ARTIFACTS, default a temporary folder), and the main ones to
// BADGEUSE_SCREENSHOTS too (relative to the repository's root, e.g.
// deploy/screenshots) for the README.
type shots struct {
	t         *testing.T
	ctx       context.Context
	artifacts string
	docs      string
}

func newShots(t *testing.T, ctx context.Context) *shots {
	s := &shots{t: t, ctx: ctx, artifacts: os.Getenv("BADGEUSE_ARTIFACTS")}
	if s.artifacts == "" {
		s.artifacts = t.TempDir()
	}
	if d := os.Getenv("BADGEUSE_SCREENSHOTS"); d != "" {
		if !filepath.IsAbs(d) {
			d = filepath.Join(repoRoot(t), d)
		}
		s.docs = d
	}
	for _, d := range []string{s.artifacts, s.docs} {
		if d != "" {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return s
}

func repoRoot(t *testing.T) string {
	dir, _ := os.Getwd()
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
	}
	t.Fatal("go.mod not found above " + dir)
	return ""
}

// now saves the whole page as the browser shows it now (its viewport's
// width), to the artifacts folder only, as NAME.png.
func (s *shots) now(name string) {
	s.t.Helper()
	png, err := chromedp.Run(s.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(s.artifacts, name+".png"), png, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// take saves the page at phone width (390 px) and on a desktop.
func (s *shots) take(name string, main bool) {
	s.t.Helper()
	for _, v := range []struct {
		suffix string
		w, h   int64
	}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
		if err := chromedp.Do(s.ctx, chromedp.EmulateViewport(v.w, v.h), chromedp.Sleep(100*time.Millisecond)); err != nil {
			s.t.Fatal(err)
		}
		png, err := chromedp.Run(s.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			s.t.Fatalf("screenshot %s: %v", name, err)
		}
		file := fmt.Sprintf("%s-%s.png", name, v.suffix)
		for _, d := range []string{s.artifacts, s.docs} {
			if d == "" || (d == s.docs && !main) {
				continue
			}
			if err := os.WriteFile(filepath.Join(d, file), png, 0o644); err != nil {
				s.t.Fatal(err)
			}
		}
	}
	s.t.Logf("screenshots of %s in %s", name, s.artifacts)
}

func bodyText(t *testing.T, ctx context.Context) string {
	t.Helper()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func mustDo(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestBrowser drives the admin in a real Chromium: log in, add a product
// and a member, sell her a 10-entry card, issue and print her badge, see
// her entry after a kiosk's push, export CSV, switch to English.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	e.addUser("bureau@example.org", central.RoleAdmin, "correct horse battery staple")
	sh := newShots(t, ctx)
	u := e.ts.URL
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	// Log in (phone width).
	mustDo(t, ctx, "login page", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/members"), chromedp.WaitVisible(css("#email")))
	sh.take("login", true)
	mustDo(t, ctx, "log in",
		chromedp.SendKeys(css("#email"), "bureau@example.org"),
		chromedp.SendKeys(css("#password"), "correct horse battery staple"),
		chromedp.Click(css(`form[action="/login"] button`)),
		chromedp.WaitVisible(css(`form[action="/members"][method="get"]`)))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/members") {
		t.Errorf("after login at %s, want back to /members", loc)
	}

	// A 10-entry card.
	mustDo(t, ctx, "add a product",
		chromedp.Navigate(u+"/products"), chromedp.WaitVisible(css("#pname")),
		chromedp.SendKeys(css("#pname"), "Carnet 10 entrées"),
		chromedp.SetValue(css("#kind"), "pack"),
		chromedp.SetValue(css("#entries"), "10"),
		chromedp.SendKeys(css("#price"), "80,00"),
		chromedp.Click(css(`form[action="/products#newp"] button`)),
		chromedp.WaitVisible(css(".flash")))
	if text := bodyText(t, ctx); !strings.Contains(text, "80,00\u00a0€") {
		t.Errorf("products page lacks the French price 80,00 €:\n%s", text)
	}

	// A member.
	mustDo(t, ctx, "add a member",
		chromedp.Navigate(u+"/members/new"), chromedp.WaitVisible(css("#name")),
		chromedp.SendKeys(css("#name"), "Alice Martin"),
		chromedp.SendKeys(css("#email"), "alice@example.org"),
		chromedp.Click(css(`form[action="/members"] button[type=submit]`)),
		chromedp.WaitVisible(css("#standing")))
	ms, _, err := e.members.FindMembers(e.ctx(), central.MemberFilter{Query: "Alice"})
	if err != nil || len(ms) != 1 {
		t.Fatalf("member not created: %v %v", ms, err)
	}
	alice := ms[0]

	// Sell her the card.
	mustDo(t, ctx, "sell",
		chromedp.Click(css(`form[action$="/sales"] button`)),
		waitText("Confirmer la vente"))
	sh.take("sale-confirm", true)
	mustDo(t, ctx, "confirm the sale",
		chromedp.Click(css(`form[action$="/sales"] button`)),
		waitText("Vente enregistrée"))
	if left, _ := chromedp.Run(ctx, chromedp.Text(css("#entries-left"))); left != "10" {
		t.Errorf("entries left after the sale: %q, want 10", left)
	}

	// Issue and print her badge.
	mustDo(t, ctx, "issue a badge",
		chromedp.Click(css(`form[action$="/badges"]:not(:has(input[name=replace])) button`)),
		chromedp.WaitVisible(css(".badge-card svg")))
	sh.take("badge", true)
	mustDo(t, ctx, "print media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	width, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('.badge-card').getBoundingClientRect().width`))
	if err != nil {
		t.Fatal(err)
	}
	if mm := width / 96 * 25.4; mm < 85 || mm > 86.2 { // CSS: 96 px per inch
		t.Errorf("printed badge %.1f mm wide, want 85.6 mm (a credit card)", mm)
	}
	nav, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('header.top')).display`))
	if nav != "none" {
		t.Errorf("navigation printed (display %q)", nav)
	}
	mustDo(t, ctx, "screen media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
		return err
	}))

	// A kiosk scans her badge; the entry reaches central through the
	// store's push path.
	bs, _, err := e.badges.FindBadges(e.ctx(), central.BadgeFilter{Member: &alice.ID})
	if err != nil || len(bs) != 1 {
		t.Fatalf("badges: %v %v", bs, err)
	}
	k := &central.Kiosk{Name: "Porte d’entrée"}
	if _, err := e.kiosks.CreateKiosk(e.ctx(), k); err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	if _, err := e.sync.Push(e.ctx(), &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: []*central.Entry{
		{ID: "0190b2a0-0000-7000-8000-0000000000a1", Seq: 1, Member: alice.ID, Badge: bs[0].Hash, KioskTime: now,
			Accept: true, Reason: access.OKPack, KioskConsumed: 1},
	}}); err != nil {
		t.Fatal(err)
	}
	mustDo(t, ctx, "today", chromedp.Navigate(u+"/today"), chromedp.WaitVisible(css("#here")))
	if text := bodyText(t, ctx); !strings.Contains(text, "Alice Martin") || !strings.Contains(text, "09:12") {
		t.Errorf("today lacks her arrival at 09:12 (Paris):\n%s", text)
	}
	mustDo(t, ctx, "member page", chromedp.Navigate(fmt.Sprintf("%s/members/%d", u, alice.ID)), chromedp.WaitVisible(css("#entries-left")))
	if left, _ := chromedp.Run(ctx, chromedp.Text(css("#entries-left"))); left != "9" {
		t.Errorf("entries left after her entry: %q, want 9", left)
	}

	// Export CSV (fetched by the page, with its session).
	csv, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/export/members.csv?format=raw').then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv, "Alice Martin,alice@example.org,active,0,9,") {
		t.Errorf("members.csv:\n%s", csv)
	}
	entries, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/entries.csv?format=raw').then(r => r.text())`, chromedp.EvalAwaitPromise))
	if !strings.Contains(entries, "Alice Martin,1,pack") {
		t.Errorf("entries.csv:\n%s", entries)
	}

	// More people, for the screenshots of the lists.
	seedScreenshots(t, e, k)
	for _, p := range []struct{ name, path, sel string }{
		{"today", "/today", "#here"},
		{"members", "/members", "table.members"},
		{"member", fmt.Sprintf("/members/%d", alice.ID), "#entries-left"},
		{"products", "/products", "#pname"},
		{"sales", "/sales", "table.totals"},
		{"entries", "/entries", "table.entries"},
		{"kiosks", "/kiosks", "#kname"},
		{"settings", "/settings", "#uemail"},
		{"audit", "/audit", "ol.journal"},
	} {
		mustDo(t, ctx, p.name, chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+p.path), chromedp.WaitVisible(css(p.sel)))
		// On a phone the page never scrolls sideways (wide tables scroll
		// inside their own box).
		if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
			wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8).join(' ')`))
			t.Errorf("%s is %.0f px wide on a 390 px phone: %s", p.path, w, wide)
		}
		sh.take(p.name, p.name != "audit")
	}

	// Switch to English with the link in the header.
	mustDo(t, ctx, "switch language", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(u+"/today"), chromedp.WaitVisible(css("a.lang")),
		chromedp.Click(css("a.lang")), chromedp.WaitVisible(css(`html[lang="en"] #here`)))
	if text := bodyText(t, ctx); !strings.Contains(text, "Here today") || !strings.Contains(text, "Log out") {
		t.Errorf("English page:\n%s", text)
	}
	mustDo(t, ctx, "members in English", chromedp.Navigate(fmt.Sprintf("%s/members/%d", u, alice.ID)), chromedp.WaitVisible(css("#entries-left")))
	if text := bodyText(t, ctx); !strings.Contains(text, "Entries left") || !strings.Contains(text, "€80.00") {
		t.Errorf("member page in English:\n%s", text)
	}
	sh.take("member-en", false)

	// Keyboard: the first Tab lands on the skip link, which is then visible.
	mustDo(t, ctx, "keyboard", chromedp.Navigate(u+"/today"), chromedp.WaitVisible(css("#here")), chromedp.KeyEvent("\t"))
	focused, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className`))
	if focused != "skip" {
		t.Errorf("first Tab focuses %q, want the skip link", focused)
	}
}

// seedScreenshots adds a few members with sales and entries.
func seedScreenshots(t *testing.T, e *env, k *central.Kiosk) {
	t.Helper()
	ctx := e.ctx()
	sub := &central.Product{Name: "Abonnement mensuel", Kind: access.Subscription, Days: 30, Price: 12000}
	if err := e.products.CreateProduct(ctx, sub); err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	seq := int64(1)
	for i, name := range []string{"Bastien Roux", "Chloé Lefèvre", "Dario Rossi", "Émilie Petit", "Farid Benali"} {
		m := &central.Member{Name: name, Email: fmt.Sprintf("m%d@example.org", i)}
		if err := e.members.CreateMember(ctx, m); err != nil {
			t.Fatal(err)
		}
		if _, err := e.ledger.CreateSale(ctx, central.NewSale{Member: m.ID, Product: sub.ID, Source: central.SourceAdmin}); err != nil {
			t.Fatal(err)
		}
		b, _, err := e.badges.IssueBadge(ctx, m.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		seq++
		accept := i != 3
		reason := access.OKSubscription
		if !accept {
			reason = access.RevokedBadge
		}
		if _, err := e.sync.Push(ctx, &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: []*central.Entry{
			{ID: fmt.Sprintf("0190b2a0-0000-7000-8000-0000000001%02d", seq), Seq: seq, Member: m.ID, Badge: b.Hash,
				KioskTime: now.Add(time.Duration(i) * time.Minute), Accept: accept, Reason: reason},
		}}); err != nil {
			t.Fatal(err)
		}
	}
}

// waitText waits until the page shows a text (after a navigation that
// keeps the same elements).
func waitText(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for {
			ok, err := chromedp.Evaluate[bool](fmt.Sprintf("document.body && document.body.innerText.includes(%q)", text))(ctx, tg)
			if err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %q: %w", text, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// TestBrowserTestsApart: tests share a Chromium, each in a browser
// context of its own: what one test's pages kept (a cookie, local
// storage) is not there for the next one, on the same address.
func TestBrowserTestsApart(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			http.SetCookie(w, &http.Cookie{Name: "kept", Value: "1", Path: "/"})
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>t</title><p>page</p>")
	}))
	defer ts.Close()
	kept := `document.cookie + "|" + (localStorage.getItem("kept") || "")`
	t.Run("first", func(t *testing.T) {
		ctx := browser(t)
		mustDo(t, ctx, "keep", chromedp.Navigate(ts.URL+"/set"))
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`localStorage.setItem("kept", "1"), "ok"`)); err != nil {
			t.Fatal(err)
		}
		if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](kept)); err != nil || got != "kept=1|1" {
			t.Fatalf("the first test kept %q (%v), want kept=1|1", got, err)
		}
	})
	t.Run("next", func(t *testing.T) {
		ctx := browser(t)
		mustDo(t, ctx, "open", chromedp.Navigate(ts.URL+"/"))
		if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](kept)); err != nil || got != "|" {
			t.Errorf("the next test found %q (%v): the first test's cookie or storage", got, err)
		}
	})
}
