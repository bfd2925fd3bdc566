package admin_test

import (
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
	m := regexp.MustCompile(`(?m)^map \$request_uri \$badgeuse_logged_uri \{\n\t"~([^"]+)" "([^"]+)";`).FindSubmatch(conf)
	if m == nil {
		t.Fatal("deploy/nginx.conf: no map $request_uri $badgeuse_logged_uri with a regular expression")
	}
	re, err := regexp.Compile(string(m[1]))
	if err != nil {
		t.Fatalf("the map's regular expression: %v", err)
	}
	logged := func(uri string) string {
		sub := re.FindStringSubmatchIndex(uri)
		if sub == nil {
			return uri // the map's default: $request_uri
		}
		return string(re.ExpandString(nil, string(m[2]), uri, sub))
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
}
