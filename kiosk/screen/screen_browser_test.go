package screen_test

import (
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/kiosk/screen"
)

// TestMessageInHerLanguage (issue 12): in headless Chromium, the page
// says a message in French first, with English below; for a member who
// speaks English, in English first, with French below (and the page's
// lang attributes follow, for a screen reader).
func TestMessageInHerLanguage(t *testing.T) {
	if os.Getenv("BADGEUSE_SKIP_BROWSER") == "1" {
		t.Skip("BADGEUSE_SKIP_BROWSER=1")
	}
	const chromium = "/usr/bin/chromium" // Debian's, installed by `make deps`
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("Chromium not found at %s: run `make deps`, or set BADGEUSE_SKIP_BROWSER=1 to skip the browser tests", chromium)
	}
	s := &screen.Server{Info: func(context.Context) (screen.Info, error) { return screen.Info{Space: "La Ruche", Here: 1}, nil }}
	srv := httptest.NewServer(s.Handler()) // 127.0.0.1: a loopback Host
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.UserDataDir(t.TempDir()))
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitReady(chromedp.CSS(`body[data-live="1"]`))); err != nil {
		t.Fatal(err)
	}
	const read = `[document.getElementById("message").lang, document.getElementById("title").textContent,
		document.getElementById("text").textContent, document.getElementById("second").lang,
		document.getElementById("second").textContent].join("|")`
	for _, tc := range []struct {
		lang, want string
	}{
		{"", "fr|Bonjour Alice !|Il te reste 7 entrées|en|Hello Alice! 7 entries left"},
		{"en", "en|Hello Alice!|7 entries left|fr|Bonjour Alice ! Il te reste 7 entrées"},
		{"de", "fr|Bonjour Alice !|Il te reste 7 entrées|en|Hello Alice! 7 entries left"},
	} {
		s.Show(ctx, screen.Message{Accept: true, Title: [2]string{"Bonjour Alice !", "Hello Alice!"},
			Text: [2]string{"Il te reste 7 entrées", "7 entries left"}, For: 10 * time.Second, Lang: tc.lang})
		var got string
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			var err error
			if got, err = chromedp.Run(bctx, chromedp.Evaluate[string](read)); err != nil {
				t.Fatal(err)
			}
			if got == tc.want {
				break
			}
		}
		if strings.TrimSpace(got) != tc.want {
			t.Errorf("lang %q: the page shows %q, want %q", tc.lang, got, tc.want)
		}
	}
}
