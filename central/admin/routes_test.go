package admin_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

const (
	A = central.RoleAdmin
	T = central.RoleTreasurer
	D = central.RoleDoor
	R = central.RoleReadOnly
)

// routeRoles is the access policy, written out: every route of the admin
// and the roles allowed on it (nil: public). TestRoutesTable fails when a
// route is added to routes.go without being added here.
var routeRoles = map[string][]central.Role{
	"GET /login":                                     nil,
	"POST /login":                                    nil,
	"GET /lang/{lang}":                               nil,
	"GET /m/{token}":                                 nil,
	"POST /m/{token}/badge":                          nil,
	"POST /m/{token}/phone":                          nil,
	"POST /m/{token}/phone/{id}/revoke":              nil,
	"POST /m/{token}/guests":                         nil,
	"GET /m/{token}/guests/{pass}":                   nil,
	"POST /m/{token}/guests/{pass}/mail":             nil,
	"GET /m/{token}/phone/{id}/{$}":                  nil,
	"GET /m/{token}/phone/{id}/codes.json":           nil,
	"GET /m/{token}/phone/{id}/manifest.webmanifest": nil,
	"GET /m/{token}/phone/{id}/sw.js":                nil,
	"GET /m/{token}/here":                            nil,
	"GET /m/{token}/here/events":                     nil,
	"GET /m/{token}/directory":                       nil,
	"POST /m/{token}/profile":                        nil,
	"POST /m/{token}/mail":                           nil,
	"GET /m/{token}/agenda":                          nil,
	"POST /m/{token}/agenda/{id}/register":           nil,
	"GET /m/{token}/book":                            nil,
	"POST /m/{token}/book":                           nil,
	"POST /m/{token}/book/{id}/cancel":               nil,
	"POST /m/{token}/agenda/{id}/cancel":             nil,
	"GET /m/{token}/{rest...}":                       nil,
	"GET /static/":                                   nil,

	"GET /m":                     nil,
	"POST /m":                    nil,
	"GET /login/reset":           nil,
	"POST /login/reset":          nil,
	"GET /login/reset/{token}":   nil,
	"POST /login/reset/{token}":  nil,
	"GET /u/{token}":             nil,
	"POST /u/{token}":            nil,
	"GET /join":                  nil,
	"POST /join":                 nil,
	"GET /join/confirm/{token}":  nil,
	"POST /join/confirm/{token}": nil,
	"POST /m/{token}/claim":      nil,
	"GET /claim/{token}":         nil,
	"GET /link/{token}":          nil,
	"POST /link/{token}":         nil,
	"POST /claim/{token}":        nil,
	"GET /e/cancel/{token}":      nil,
	"POST /e/cancel/{token}":     nil,
	"GET /e/cancelled":           nil,
	"GET /e/confirm/{token}":     nil,
	"POST /e/confirm/{token}":    nil,
	"GET /e/{id}":                nil,
	"POST /e/{id}":               nil,
	"GET /e/calendar.ics":        nil,
	"GET /c/{token}/agenda.ics":  nil,
	"GET /c/{token}/resources/{id}/availability.ics": nil,
	"POST /m/{token}/calendar":                       nil,
	"POST /m/{token}/calendar/revoke":                nil,

	"POST /logout":           {A, T, D, R},
	"GET /account":           {A, T, D, R},
	"POST /account/password": {A, T, D, R},
	"GET /today":             {A, T, D, R},

	"GET /members":                                   {A, T, D, R},
	"GET /members/new":                               {A, D},
	"POST /members":                                  {A, D},
	"GET /members/import":                            {A, D},
	"POST /members/import":                           {A, D},
	"GET /members/{id}":                              {A, T, D, R},
	"GET /members/{id}/edit":                         {A, D},
	"POST /members/{id}":                             {A, D},
	"POST /members/{id}/status":                      {A, D},
	"POST /members/{id}/erase":                       {A},
	"POST /members/{id}/sales":                       {A, T},
	"GET /members/{id}/sales/confirm":                {A, T},
	"GET /shown/{id}":                                {A, D},
	"POST /members/{id}/badges":                      {A, D},
	"POST /members/{id}/badges/{badge}/revoke":       {A, D},
	"POST /members/{id}/link":                        {A, D},
	"POST /members/{id}/link/revoke":                 {A, D},
	"POST /badges/sheet":                             {A, D},
	"GET /directory":                                 {A, T, D, R},
	"POST /directory/{id}/hidden":                    {A, D},
	"GET /resources":                                 {A, T, D, R},
	"POST /resources":                                {A, D},
	"GET /resources/{id}/edit":                       {A, D},
	"POST /resources/{id}/edit":                      {A, D},
	"POST /resources/{id}/withdraw":                  {A, D},
	"POST /resources/{id}/restore":                   {A, D},
	"POST /resources/{id}/blocks":                    {A, D},
	"POST /resources/book":                           {A, D},
	"POST /resources/{id}/blocks/{block}/cancel":     {A, D},
	"POST /resources/{id}/bookings/{booking}/cancel": {A, D},
	"GET /events":                                    {A, T, D, R},
	"POST /events":                                   {A, D},
	"GET /events/{id}":                               {A, T, D, R},
	"GET /events/{id}/edit":                          {A, D},
	"POST /events/{id}/edit":                         {A, D},
	"GET /events/{id}/registrations.csv":             {A, T, D, R},
	"POST /events/{id}/registrations/{reg}/attended": {A, D},
	"POST /events/{id}/registrations/{reg}/cancel":   {A, D},
	"POST /events/{id}/registrations":                {A, D},
	"POST /events/{id}/payment":                      {A, T},
	"POST /members/{id}/link/email":                  {A, D},
	"POST /members/{id}/badges/{badge}/email":        {A, D},
	"POST /members/{id}/guests":                      {A, D},
	"GET /members/{id}/guests/{pass}":                {A, D},
	"POST /members/{id}/guests/{pass}/mail":          {A, D},
	"GET /joins":                                     {A, D},
	"POST /joins/{id}/accept":                        {A, D},
	"POST /joins/{id}/refuse":                        {A, D},

	"GET /products":              {A, T, R},
	"POST /products":             {A, T},
	"POST /products/{id}/active": {A, T},

	"GET /sales":                               {A, T, R},
	"GET /sales.csv":                           {A, T, R},
	"POST /sales/{id}/refund":                  {A, T},
	"GET /sales/unpaid":                        {A, T, R},
	"POST /sales/{id}/paid":                    {A, T},
	"POST /sales/{id}/cheque":                  {A, T},
	"GET /sales/deposit":                       {A, T, R},
	"GET /register":                            {A, T, R},
	"GET /register.csv":                        {A, T, R},
	"GET /donations":                           {A, T, R},
	"GET /settlement":                          {A, T},
	"GET /settlement.csv":                      {A, T},
	"GET /settlement.pdf":                      {A, T},
	"POST /settlement/conventions":             {A, T},
	"POST /settlement/invoice":                 {A, T},
	"GET /spaces":                              {A},
	"POST /spaces/{id}/messaging":              {A},
	"POST /spaces/{id}/name":                   {A},
	"POST /spaces/{id}/address":                {A},
	"GET /spaces/{id}/books":                   {A},
	"POST /spaces/{id}/books":                  {A},
	"POST /spaces/{id}/books/check/{provider}": {A},
	"GET /donations.csv":                       {A, T, R},
	"POST /donations/receipts":                 {A, T},

	"GET /sales/{id}/receipt.pdf":        {A, T, R},
	"POST /sales/{id}/invoice":           {A, T},
	"GET /payments":                      {A, T, R},
	"POST /payments/{id}/assign":         {A, T},
	"POST /payments/{id}/register":       {A, T},
	"POST /payments/{id}/ignore":         {A, T},
	"GET /billing":                       {A, T},
	"POST /billing/check/{provider}":     {A, T},
	"POST /billing/settings":             {A},
	"POST /billing/mappings":             {A, T},
	"POST /billing/mappings/{id}/delete": {A, T},

	"GET /entries":     {A, D, R},
	"GET /entries.csv": {A, D, R},

	"GET /kiosks":                {A, R},
	"POST /kiosks":               {A},
	"POST /kiosks/{id}":          {A},
	"POST /kiosks/{id}/disabled": {A},

	"GET /settings":             {A},
	"POST /settings":            {A},
	"POST /settings/users":      {A},
	"POST /settings/email/test": {A},
	"POST /settings/users/{id}": {A},

	"GET /settings/slack":                    {A},
	"POST /settings/slack":                   {A},
	"POST /settings/slack/test":              {A},
	"POST /settings/slack/outbox/{id}/retry": {A},

	"GET /audit": {A, R},

	"GET /stats":                  {A, T, D, R},
	"GET /stats/visits-days.csv":  {A, T, D, R},
	"GET /stats/visits-weeks.csv": {A, T, D, R},
	"GET /stats/members.csv":      {A, T, D, R},
	"GET /stats/guests.csv":       {A, T, D, R},
	"GET /stats/hours.csv":        {A, T, D, R},
	"GET /stats/sales.csv":        {A, T, R},

	"GET /export":              {A, T, D, R},
	"GET /export/members.csv":  {A, T, D, R},
	"GET /export/products.csv": {A, T, R},
	"GET /export/audit.csv":    {A, R},
}

func TestRoutesTable(t *testing.T) {
	e := newEnv(t)
	seen := map[string]bool{}
	for _, rt := range e.srv.Routes() {
		seen[rt.Pattern] = true
		want, ok := routeRoles[rt.Pattern]
		if !ok {
			t.Errorf("route %s is not in the route × role table of this test", rt.Pattern)
			continue
		}
		if got := rt.Roles(); !slices.Equal(got, want) {
			t.Errorf("%s: roles %v, want %v", rt.Pattern, got, want)
		}
		if rt.Public != (want == nil) {
			t.Errorf("%s: public %v", rt.Pattern, rt.Public)
		}
	}
	for p := range routeRoles {
		if !seen[p] {
			t.Errorf("route %s of the table is not served", p)
		}
	}
}

// TestRouteRoles sends every route as every role (and as nobody) and
// checks that the role check lets through exactly the roles of the table.
func TestRouteRoles(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	users := map[central.Role]*central.AdminUser{}
	for _, role := range central.Roles {
		users[role] = e.addUser(string(role)+"@example.org", role, "correct horse battery")
	}
	n := 0
	for pattern, allowed := range routeRoles {
		if allowed == nil {
			continue
		}
		method, path, _ := strings.Cut(pattern, " ")
		path = strings.NewReplacer("{id}", "1", "{badge}", "1").Replace(path)
		for _, role := range central.Roles {
			t.Run(fmt.Sprintf("%s/%s", pattern, role), func(t *testing.T) {
				c := e.sessionFor(users[role])
				var resp *http.Response
				var body string
				if method == "GET" {
					resp, body = c.get(path)
				} else {
					resp, body = c.post(path, url.Values{})
				}
				denied := resp.StatusCode == http.StatusForbidden
				if want := !slices.Contains(allowed, role); denied != want {
					t.Errorf("%s as %s: status %d, denied %v, want denied %v\n%s", pattern, role, resp.StatusCode, denied, want, body)
				}
				if resp.StatusCode >= 500 {
					t.Errorf("%s as %s: status %d", pattern, role, resp.StatusCode)
				}
				if denied && !strings.Contains(body, "<h1>Accès refusé</h1>") || denied && !strings.Contains(body, `<a class="button" href="/today">`) {
					t.Errorf("%s as %s: the 403 is no refusal page with a way back to /today\n%s", pattern, role, body)
				}
			})
			n++
		}
		t.Run(pattern+"/anonymous", func(t *testing.T) {
			c := e.client()
			if method == "GET" {
				resp, _ := c.get(path)
				if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
					t.Errorf("GET %s without a session: %d to %q, want 303 to /login", path, resp.StatusCode, resp.Header.Get("Location"))
				}
			} else if resp, _ := c.post(path, url.Values{"csrf": {"x"}}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s without a session: %d, want 403", path, resp.StatusCode)
			}
		})
	}
	if n < 150 {
		t.Errorf("only %d route × role cases", n)
	}
}

// sessionFor returns a client with a fresh session of u, made through
// the store (no password hashing: hundreds of cases stay fast).
func (e *env) sessionFor(u *central.AdminUser) *client {
	e.t.Helper()
	id := fmt.Sprintf("test-session-%d-%d", u.ID, e.clock.Now().UnixNano())
	e.clock.Add(1)
	if err := e.store.CreateSession(e.ctx(), &adminstore.Session{Hash: central.HashToken(id), User: u.ID,
		CSRF: "csrf-" + id, Created: e.clock.Now(), Seen: e.clock.Now()}); err != nil {
		e.t.Fatal(err)
	}
	c := e.client()
	base, _ := url.Parse(e.ts.URL)
	c.Jar.SetCookies(base, []*http.Cookie{{Name: "badgeuse_session", Value: id, Path: "/"}})
	c.csrf = "csrf-" + id
	return c
}

func TestUnknownPaths(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, p := range []string{"/", "/nope", "/members/1/nope", "/apix"} {
		resp, _ := c.get(p)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
			t.Errorf("GET %s without a session: %d to %q, want 303 to /login", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	admin := e.as(A)
	resp, _ := admin.get("/")
	if resp.Header.Get("Location") != "/today" {
		t.Errorf("GET / logged in: to %q, want /today", resp.Header.Get("Location"))
	}
	resp, _ = admin.get("/nope")
	mustStatus(t, resp, http.StatusNotFound)
}

// TestOtherHandlersSpace: /api/ and /hooks/ belong to the sync API and
// billing; a path there that they do not serve is a plain 404, never the
// admin's login page.
func TestOtherHandlersSpace(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"/api/v1/nope", "/hooks/nope"} {
		resp, _ := e.client().get(p)
		mustStatus(t, resp, http.StatusNotFound)
	}
}

// TestRouteRolesForbiddenPage: a route refused to the user's role or to
// her space's account is a page (403), in French and in English once
// switched: a title saying access was refused, what happened (her role
// and a page or an action; the network's page), and a way back to her
// role's home, never a bare text nor a "go back and correct". A POST
// without a session says the session expired and leads to the login.
func TestRouteRolesForbiddenPage(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	door := e.sessionFor(e.addUser("door@example.org", D, "correct horse battery"))
	treasurer := e.sessionFor(e.addUser("treasurer@example.org", T, "correct horse battery"))
	_, spaceAdmin := e.spaceUser(A, w.cantine.ID)
	type refusal struct {
		name   string
		c      *client
		method string
		path   string
		fr, en []string
	}
	cases := []refusal{
		{"door opens the settings", door, "GET", "/settings",
			[]string{"Votre rôle «\u00a0Accueil (membres et badges)\u00a0» ne donne pas accès à cette page", "demandez-le à un administrateur"},
			[]string{"Your role “Door (members and badges)” does not give access to this page", "ask one of the association's administrators"}},
		{"treasurer adds a member", treasurer, "POST", "/members",
			[]string{"Votre rôle «\u00a0Trésorerie\u00a0» ne permet pas cette action\u00a0: rien n’a été changé"},
			[]string{"Your role “Treasurer” does not allow this action: nothing was changed"}},
		{"a space's admin opens a network page", spaceAdmin, "GET", "/settings",
			[]string{"Cette page est celle du réseau\u00a0: votre compte ne voit que votre espace"},
			[]string{"This page is the network's: your account sees your space only"}},
	}
	check := func(t *testing.T, resp *http.Response, body, lang string, wants []string) {
		t.Helper()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d, want 403\n%s", resp.StatusCode, body)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("Content-Type %q, want a page", ct)
		}
		mustContain(t, body, "<!doctype html>", `<html lang="`+lang+`">`, `<nav id="menu"`, `role="alert"`)
		mustContain(t, html.UnescapeString(body), wants...)
		for _, bad := range []string{"Revenir corriger", "Go back and correct", "Oups", "Oops"} {
			if strings.Contains(body, bad) {
				t.Errorf("the refusal page says %q", bad)
			}
		}
	}
	for _, lang := range []string{"fr", "en"} {
		for _, rc := range cases {
			t.Run(lang+"/"+rc.name, func(t *testing.T) {
				if resp, _ := rc.c.get("/lang/" + lang + "?next=/today"); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("/lang/%s: %d", lang, resp.StatusCode)
				}
				var resp *http.Response
				var body string
				if rc.method == "GET" {
					resp, body = rc.c.get(rc.path)
				} else {
					resp, body = rc.c.post(rc.path, url.Values{"name": {"Zoé"}})
				}
				if lang == "fr" {
					check(t, resp, body, lang, append(rc.fr, "<h1>Accès refusé</h1>", `<a class="button" href="/today">Retour à l’accueil</a>`))
				} else {
					check(t, resp, body, lang, append(rc.en, "<h1>Not allowed</h1>", `<a class="button" href="/today">Back to the start</a>`))
				}
			})
		}
	}
	// No member was added by the refused POST.
	if ms, _, err := e.members.FindMembers(e.ctx(), central.MemberFilter{Query: "Zoé"}); err != nil || len(ms) != 0 {
		t.Errorf("the refused POST added %d members (%v)", len(ms), err)
	}
	// An expired session: a page that says so and leads to the login.
	anon := e.client()
	resp, body := anon.post("/members", url.Values{"csrf": {"x"}, "name": {"Zoé"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("POST without a session: %d", resp.StatusCode)
	}
	mustContain(t, body, `<html lang="fr">`, "<h1>Session expirée</h1>", "reconnectez-vous", `href="/login">Se reconnecter</a>`)
}
