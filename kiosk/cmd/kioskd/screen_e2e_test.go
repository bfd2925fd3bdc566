package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's Chromium, installed by `make deps` (as for the
// admin's browser tests).
const chromiumPath = "/usr/bin/chromium"

func headlessChromium(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	if os.Getenv("BADGEUSE_SKIP_BROWSER") == "1" {
		t.Skip("BADGEUSE_SKIP_BROWSER=1")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("Chromium not found at %s: run `make deps`, or set BADGEUSE_SKIP_BROWSER=1 to skip the browser tests", chromiumPath)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(800, 480)) // a 7" screen
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	return bctx
}

// screenshotsDir is where `make screenshots` asks for the README's
// pictures (BADGEUSE_SCREENSHOTS, relative to the repository's root), or ""
// for none.
func screenshotsDir(t *testing.T) string {
	d := os.Getenv("BADGEUSE_SCREENSHOTS")
	if d == "" || filepath.IsAbs(d) {
		return d
	}
	wd, _ := os.Getwd()
	for root := wd; root != filepath.Dir(root); root = filepath.Dir(root) {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			return filepath.Join(root, d)
		}
	}
	t.Fatalf("no go.mod above %s", wd)
	return ""
}

var frenchMonth = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// TestDoorScreen: a real kioskd reading a video serves the door screen;
// headless Chromium shows each decision's text in order, greeting members
// by their first names (issue 12), full screen in the LED's colour, then
// nothing personal once the messages end; the
// camera's preview plays; the page runs no inline script.
func TestDoorScreen(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	c.run("settings", "set", "space.name", "La Ruche")
	c.run("settings", "set", "space.hours", "mon-sun 00:00-24:00")
	c.start()
	k := newKiosk(t, c, "Entrée")
	k.sync()
	clip := video(t, a.aliceB, a.brunoB, a.old, a.emmaB, "BG1:000000000000000000000000", a.aliceB)
	until, err := time.Parse("2006-01-02", c.balance(a.bruno).SubscriptionUntil)
	if err != nil {
		t.Fatal(err)
	}
	end := fmt.Sprintf("%d %s", until.Day(), frenchMonth[until.Month()-1])
	if until.Day() == 1 {
		end = "1er " + frenchMonth[until.Month()-1]
	}
	if until.Year() != time.Now().Year() {
		end += fmt.Sprintf(" %d", until.Year())
	}
	// Members are greeted by their first name (door.show_names is on by
	// default), which is all of their names the kiosk holds; a refusal
	// names nobody.
	want := []string{
		"Bonjour Alice\u00a0!|Il te reste 9 entrées",
		"Bonjour Bruno\u00a0!|Abonnement valable jusqu'au " + end,
		"Entrée refusée|Badge révoqué\u00a0: voyez le bureau",
		"Entrée refusée|Adhésion suspendue\u00a0: voyez le bureau",
		"Entrée refusée|Badge inconnu\u00a0: voyez le bureau",
		"Bonjour Alice\u00a0!|Déjà venu·e aujourd'hui\u00a0: rien de décompté",
	}

	// The camera's file is put in place once the page listens: until
	// then the camera fails (and is retried), as a camera being plugged.
	camera := clip + ".live.avi"
	addr := freeAddr(t)
	cmd := k.cmd("run", "--data", k.data, "--camera", camera, "--led", "console", "--screen", addr)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var printed bytes.Buffer
	go io.Copy(&printed, bufio.NewReader(stdout))
	url := "http://" + addr + "/"
	var resp *http.Response
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if resp, err = http.Get(url); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("door screen not served: %v\n%s", err, errOut.String())
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`).Match(html) || regexp.MustCompile(` on[a-z]+=`).Match(html) {
		t.Errorf("inline script in the page:\n%s", html)
	}
	if !strings.Contains(string(html), "La Ruche") {
		t.Errorf("the space's name is missing:\n%s", html)
	}

	ctx := headlessChromium(t, 3*time.Minute)
	const observe = `window.__seen = [];
		new MutationObserver(function () {
			window.__seen.push(document.getElementById("title").textContent + "|" + document.getElementById("text").textContent +
				"|" + document.getElementById("message").className);
		}).observe(document.getElementById("message"), {attributes: true, attributeFilter: ["data-seq"]}); true`
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(800, 480), chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS(`body[data-live="1"]`))); err != nil {
		t.Fatalf("page: %v\n%s", err, errOut.String())
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](observe)); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(clip, camera); err != nil {
		t.Fatal(err)
	}
	if dir := screenshotsDir(t); dir != "" {
		// For the README: the first message, caught while it shows.
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#message.green:not([hidden])`))); err != nil {
			t.Fatal(err)
		}
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if len(shot) > 150<<10 {
			t.Errorf("the door screen's screenshot is %d KB, want under 150", len(shot)>>10)
		}
		if err := os.WriteFile(filepath.Join(dir, "door-screen.png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var seen []string
	for deadline := time.Now().Add(90 * time.Second); len(seen) < len(want) && time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		if seen, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__seen`)); err != nil {
			t.Fatal(err)
		}
	}
	// The video plays again and again; once its file is gone the door
	// sees nothing more and the screen empties.
	os.Remove(camera)
	if len(seen) < len(want) {
		t.Fatalf("the page showed %d messages, want %d: %q\nkioskd printed:\n%s\n%s", len(seen), len(want), seen, printed.String(), errOut.String())
	}
	for i, w := range want {
		colour := "green"
		if strings.HasPrefix(w, "Entrée refusée") {
			colour = "red"
		}
		if seen[i] != w+"|"+colour {
			t.Errorf("message %d = %q, want %q in %s", i, seen[i], w, colour)
		}
	}

	if preview, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementById("preview").naturalWidth`)); err != nil || preview == 0 {
		t.Errorf("no camera preview on the page (width %d, %v)", preview, err)
	}
	// Nothing personal stays on screen once the last message ends.
	var left string
	quiet := time.Now().Add(60 * time.Second)
	for ; time.Now().Before(quiet); time.Sleep(500 * time.Millisecond) {
		if left, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("message").hidden ? document.getElementById("message").textContent.trim() : "shown"`)); err != nil {
			t.Fatal(err)
		}
		if left == "" {
			break
		}
	}
	if left != "" {
		t.Fatalf("after the messages the screen still shows %q", left)
	}
	if here, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("#here"))); err != nil || !strings.Contains(here, "2 personnes ici aujourd’hui") {
		t.Errorf("people here today: %q (%v); want 2 (Alice and Bruno)", here, err)
	}
	if dir := screenshotsDir(t); dir != "" {
		// And between messages: the space, its hours, the camera's view.
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if len(shot) > 150<<10 {
			t.Errorf("the idle door screen's screenshot is %d KB, want under 150", len(shot)>>10)
		}
		if err := os.WriteFile(filepath.Join(dir, "door-screen-idle.png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
