package main

import (
	"bytes"
	"context"
	"image"
	_ "image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestPhoneBadgePageOffline: the real centrald issues a phone badge; its
// page, opened in headless Chromium, shows the code of now, and keeps
// showing fresh codes once central is gone (the network cut: every
// request fails), from what its service worker kept. The QR code read
// back from the screen is exactly the text `centrald badge codes` prints
// for that window, which the kiosk accepts (kiosk/cmd/kioskd
// TestPhoneBadgeEndToEnd).
func TestPhoneBadgePageOffline(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs Chromium")
	}
	const chromium = "/usr/bin/chromium"
	if os.Getenv("BADGEUSE_SKIP_BROWSER") == "1" {
		t.Skip("BADGEUSE_SKIP_BROWSER=1")
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("Chromium not found at %s: run `make deps`, or set BADGEUSE_SKIP_BROWSER=1", chromium)
	}
	bin := bintest.Build(t, ".")
	data := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		full := append(append(append([]string{}, args[:2]...), "--data", data), args[2:]...)
		out, err := exec.Command(bin, full...).Output()
		if err != nil {
			t.Fatalf("centrald %v: %v", full, err)
		}
		return strings.TrimSpace(string(out))
	}
	member := run("member", "add", "--name", "Alice Martin")
	// Her personal link, as the bureau makes it, then the badge on her
	// phone (a new link ends her phone badges).
	db := sqlite.NewDB(data)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, c := range member {
		id = id*10 + int64(c-'0')
	}
	_, token, err := sqlstore.NewAdminService(db.DB).CreateMemberLink(context.Background(), id)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	phone := run("badge", "phone", "--member", member)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var logs bintest.Buffer // written by the process, read on failure
	srv := exec.Command(bin, "serve", "--data", data, "--addr", addr)
	srv.Stdout, srv.Stderr = &logs, &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() {
		if srv.Process != nil {
			srv.Process.Kill()
			srv.Wait()
			srv.Process = nil
		}
	}
	t.Cleanup(stop)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("centrald did not start:\n%s", logs.String())
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(390, 844))
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	page := "http://" + addr + "/m/" + token + "/phone/" + phone + "/"
	if err := chromedp.Do(bctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	waitFor := func(what, expr string) {
		t.Helper()
		for deadline := time.Now().Add(40 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool](expr))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				text, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.body.innerText`))
				t.Fatalf("%s: not after 40 s (%v)\n%s\n%s", what, err, text, logs.String())
			}
		}
	}
	// Online: a code shows, and the service worker takes the page over
	// (it kept the page, the script and the codes on install).
	waitFor("a code on the page", `document.getElementById("phone-code").hasAttribute("data-window")`)
	waitFor("the service worker in control", `!!navigator.serviceWorker.controller || (location.reload(), false)`)
	waitFor("a code on the page", `document.getElementById("phone-code").hasAttribute("data-window")`)
	checkScreen(t, bctx, run, phone)

	// The network cut: central is gone; the page opened again still shows
	// codes, from the phone, and says so.
	stop()
	if err := chromedp.Do(bctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	waitFor("a code offline", `document.getElementById("phone-code").hasAttribute("data-window") && document.getElementById("phone-status").textContent.includes("Hors ligne")`)
	checkScreen(t, bctx, run, phone)
	// Until when the phone holds codes, written as the page's other dates
	// (French), whatever the phone's own language.
	until, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById("phone-until-day").textContent`))
	if err != nil || !regexp.MustCompile(`^\d\d/\d\d/20\d\d \d\d:\d\d$`).MatchString(until) {
		t.Errorf("codes stored until %q (%v), want dd/mm/yyyy hh:mm", until, err)
	}
	// The README's picture of a badge on a phone, offline (make
	// screenshots).
	if dir := os.Getenv("BADGEUSE_SCREENSHOTS"); dir != "" {
		if !filepath.IsAbs(dir) {
			dir = filepath.Join("..", "..", "..", dir) // from central/cmd/centrald to the repository's root
		}
		if err := chromedp.Do(bctx, chromedp.EmulateViewport(390, 844)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "phone-badge-offline.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkScreen reads the QR code on the page's screen with gozxing and
// checks it is the code `centrald badge codes` gives for the window
// the page shows (that window, or the one before or after: the screen may
// turn between the two reads).
func checkScreen(t *testing.T, ctx context.Context, run func(...string) string, phone string) {
	t.Helper()
	var res *gozxing.Result
	for try := 0; ; try++ {
		png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#phone-code")))
		if err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("BADGEUSE_ARTIFACTS"); dir != "" {
			os.WriteFile(filepath.Join(dir, "phone-badge.png"), png, 0o644)
		}
		img, _, err := image.Decode(bytes.NewReader(png))
		if err != nil {
			t.Fatal(err)
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		if res, err = gzqr.NewQRCodeReader().Decode(bmp, nil); err == nil {
			break
		}
		// gozxing's finder search misreads about 1% of perfect codes
		// (central/admin's TestPhoneBadgePage); the canvas holds the code
		// alone, so its pure-barcode mode reads it.
		pure := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true}
		if res, err = gzqr.NewQRCodeReader().Decode(bmp, pure); err == nil {
			break
		}
		// A screenshot taken while the page redraws: once more, then fail.
		if try == 2 {
			t.Fatalf("the phone's screen holds no readable QR code: %v", err)
		}
		time.Sleep(300 * time.Millisecond)
	}
	from := time.Now().Add(-30 * time.Second).Format(time.RFC3339)
	codes := strings.Split(run("badge", "codes", "--badge", phone, "--from", from, "--count", "3"), "\n")
	if !slices.Contains(codes, res.GetText()) {
		t.Fatalf("the screen shows %q, not one of the codes of now %q", res.GetText(), codes)
	}
}
