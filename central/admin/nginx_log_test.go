package admin_test

import (
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestNginxLogHidesTokens: deploy/nginx.conf logs requests through a map
// that writes the secret part of personal links as "***" (a member's page,
// her calendar, a password reset...). Every route of the admin whose path
// carries a {token} must be masked by it, so that a route added later
// without its line in the map fails here; the other paths are logged as
// they are. The map's regular expression is read from the file and run
// with Go's regexp, which reads this one as nginx's PCRE does.
func TestNginxLogHidesTokens(t *testing.T) {
	conf, err := os.ReadFile("../../deploy/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)\nmap \$request_uri \$badgeuse_logged_uri \{\n(.*?)\n\}`).FindSubmatch(conf)
	if block == nil {
		t.Fatal("deploy/nginx.conf: no map $request_uri $badgeuse_logged_uri")
	}
	type entry struct {
		re   *regexp.Regexp
		into string
	}
	var entries []entry
	for _, m := range regexp.MustCompile(`(?m)^\t"~([^"]+)" "([^"]+)";$`).FindAllSubmatch(block[1], -1) {
		re, err := regexp.Compile(string(m[1]))
		if err != nil {
			t.Fatalf("the map's regular expression %s: %v", m[1], err)
		}
		entries = append(entries, entry{re, string(m[2])})
	}
	if len(entries) == 0 {
		t.Fatal("deploy/nginx.conf: the map has no regular expression")
	}
	logged := func(uri string) string {
		for _, e := range entries { // nginx tries them in order
			if sub := e.re.FindStringSubmatchIndex(uri); sub != nil {
				return string(e.re.ExpandString(nil, e.into, uri, sub))
			}
		}
		return uri // the map's default: $request_uri
	}
	const secret = "bgm1_SecretToken-0123456789"
	e := newEnv(t)
	tokens := 0
	for _, rt := range e.srv.Routes() {
		_, path, _ := strings.Cut(rt.Pattern, " ")
		uri := strings.NewReplacer("{token}", secret, "{id}", "7", "{pass}", "8", "{reg}", "9", "{badge}", "3",
			"{block}", "4", "{lang}", "fr", "{provider}", "slack", "{$}", "").Replace(path) + "?day=2026-12-05"
		got := logged(uri)
		switch {
		case strings.Contains(path, "{token}"):
			tokens++
			if strings.Contains(got, secret) || !strings.Contains(got, "***") {
				t.Errorf("%s: nginx logs %q, want its token as ***", rt.Pattern, got)
			}
			// Its page's "English" link carries its path back
			// (/lang/en?next=%2fm%2fbgm1_…), as html/template or
			// another writer escapes it.
			for _, next := range []string{strings.ReplaceAll(url.QueryEscape(uri), "%2F", "%2f"), url.QueryEscape(uri), url.PathEscape(uri)} {
				for _, lang := range []string{"/lang/en?next=", "/lang/fr?next="} {
					if got := logged(lang + next); strings.Contains(got, secret) {
						t.Errorf("%s: its language link is logged as %q, want its token as ***", rt.Pattern, got)
					}
				}
			}
		case got != uri:
			t.Errorf("%s: nginx logs %q, want %q as it is", rt.Pattern, got, uri)
		}
	}
	if tokens < 5 {
		t.Errorf("only %d routes with a {token}: the test no longer sees them", tokens)
	}
	if got := logged("/m/" + secret + "/book?day=2026-12-05"); got != "/m/***/book?day=2026-12-05" {
		t.Errorf("a member's booking page is logged as %q", got)
	}
	// The language link of her page, as the page writes it.
	c := e.client()
	_, token := aliceWithLink(t, e)
	_, body := c.get("/m/" + token + "/book")
	href := regexp.MustCompile(`<a class="lang" href="([^"]+)"`).FindStringSubmatch(body)
	if href == nil {
		t.Fatalf("her page has no language link:\n%s", body)
	}
	link := strings.ReplaceAll(href[1], "&amp;", "&")
	if got := logged(link); strings.Contains(got, token) || got != "/lang/en?next=***" {
		t.Errorf("her page's language link %s is logged as %q, want /lang/en?next=***", link, got)
	}
	// « Choisir mes e-mails » on her page leads to her mails' page with
	// her personal link's token after ?m= (its link back to her page):
	// it was logged in clear.
	_, page := c.get("/m/" + token)
	resp, _ := c.post("/m/"+token+"/mail", url.Values{"csrf": {csrfRE.FindStringSubmatch(page)[1]}})
	prefs := resp.Header.Get("Location")
	if !strings.Contains(prefs, "?m=") {
		t.Fatalf("her mails' page is %q, want her link after ?m=", prefs)
	}
	if got := logged(prefs); strings.Contains(got, token) || !strings.HasPrefix(got, "/u/***?m=***") {
		t.Errorf("her mails' page %s is logged as %q, want /u/***?m=***", prefs, got)
	}
	if got := logged(prefs + "&x=1"); !strings.HasSuffix(got, "?m=***&x=1") {
		t.Errorf("her mails' page with more after is logged as %q", got)
	}
	// Any language link's page is masked alike, what follows kept.
	if got := logged("/lang/fr?next=%2ftoday&x=1"); got != "/lang/fr?next=***&x=1" {
		t.Errorf("the language link of /today is logged as %q", got)
	}
}
