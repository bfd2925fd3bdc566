package admin_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
)

func TestSelfService(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	door := e.as(D)
	resp, body := door.post("/members/1/link", nil)
	mustStatus(t, resp, http.StatusSeeOther) // to its one-time view
	resp, body = door.follow(resp, body)
	mustStatus(t, resp, http.StatusOK)
	link := regexp.MustCompile(`value="(http://[^"]+/m/(bgm1_[A-Za-z0-9_-]+))"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatalf("no link shown:\n%s", body)
	}
	if len(link[2]) < len("bgm1_")+22 {
		t.Errorf("token %q carries fewer than 128 bits", link[2])
	}
	if l, _ := e.store.ActiveMemberLink(e.ctx(), 1); l == nil || l.Hash != central.HashToken(link[2]) {
		t.Error("link not stored as the hash of its token")
	}
	m := e.client()
	resp, body = m.get("/m/" + link[2])
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Bonjour Alice Martin", `id="entries-left">9<`, "26/11/2026")
	if strings.Contains(body, `href="/members"`) || strings.Contains(body, "Se déconnecter") {
		t.Error("the member's page shows the admin's navigation")
	}
	// Reissue: a new QR shown once, the old badge revoked.
	before, _, _ := e.badges.FindBadges(e.ctx(), central.BadgeFilter{Member: ptr(int64(1))})
	resp, body = m.post("/m/"+link[2]+"/badge", nil)
	mustStatus(t, resp, http.StatusSeeOther) // to her page with the one-time view
	resp, body = m.follow(resp, body)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, `class="qr"`, `download="badge.png"`, "data:image/png;base64,")
	after, _, _ := e.badges.FindBadges(e.ctx(), central.BadgeFilter{Member: ptr(int64(1))})
	if len(after) != len(before)+1 || !after[0].IsRevoked() || after[len(after)-1].IsRevoked() {
		t.Errorf("badges after reissue: %+v", after)
	}
	// Revoked by the bureau: the link no longer works.
	resp, _ = door.post("/members/1/link/revoke", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	resp, body = m.get("/m/" + link[2])
	mustStatus(t, resp, http.StatusNotFound)
	mustContain(t, body, "n’est plus valable")
	if resp, _ := m.get("/m/bgm1_guessed"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("guessed link: %d", resp.StatusCode)
	}
}

func ptr[T any](v T) *T { return &v }

// TestNoPersonalDataInLogs runs a busy session and checks the logs for
// e-mails, names, passwords, tokens and badge texts.
func TestNoPersonalDataInLogs(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	c := e.as(A)
	e.client().tryLogin("admin@example.org", "wrong password 1")
	e.client().tryLogin("nobody@example.org", "wrong password 2")
	_, body := c.follow(c.post("/members/1/badges", nil))
	_, linkPage := c.follow(c.post("/members/1/link", nil))
	c.post("/members", url.Values{"name": {"Zoé Secret"}, "email": {"zoe.secret@example.org"}})
	c.post("/members", url.Values{"_nocsrf": {"1"}, "name": {"Mallory"}})
	c.get("/members/999")
	logs := e.logs.String()
	for _, s := range []string{"admin@example.org", "nobody@example.org", "alice@example.org", "Alice", "Zoé", "zoe.secret",
		"wrong password", "correct horse", "BG1:", "bgm1_", "bge1_", "csrf-", c.csrf} {
		if strings.Contains(logs, s) {
			t.Errorf("logs contain %q:\n%s", s, logs)
		}
	}
	if !strings.Contains(logs, "login failed") {
		t.Error("failed logins are not logged at all")
	}
	_ = body
	_ = linkPage
}

func TestImport(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	c := e.as(D)
	file := "nom;prénom;courriel\nDupont;Jean;jean@example.org\n;;\nMartin;Alice;alice@example.org\nDurand;Zoé;pas-un-email\nLeroy;Inès;\n"
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	mw.WriteField("action", "preview")
	fw, _ := mw.CreateFormFile("file", "membres.csv")
	fw.Write([]byte(file))
	mw.Close()
	req, _ := http.NewRequest("POST", e.ts.URL+"/members/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, body := c.do(req)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Jean Dupont", "Inès Leroy", "Un membre a déjà cet e-mail", "Membres à ajouter\u00a0: 2")
	if n, _, _ := e.members.FindMembers(e.ctx(), central.MemberFilter{}); len(n) != 1 {
		t.Fatalf("the preview added members: %d", len(n))
	}
	csvField := regexp.MustCompile(`name="csv" value="([^"]*)"`).FindStringSubmatch(body)
	if csvField == nil {
		t.Fatal("no apply form")
	}
	resp, _ = c.post("/members/import", url.Values{"action": {"apply"}, "csv": {file}})
	mustStatus(t, resp, http.StatusSeeOther)
	ms, _, _ := e.members.FindMembers(e.ctx(), central.MemberFilter{})
	if len(ms) != 3 {
		t.Errorf("%d members after import, want 3 (Alice, Jean, Inès)", len(ms))
	}
}

func TestCSVExports(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	c := e.as(A)
	c.post("/members", url.Values{"name": {"=HYPERLINK(\"http://evil\")"}})
	resp, body := c.get("/export/members.csv?format=raw")
	mustStatus(t, resp, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("headers %v", resp.Header)
	}
	mustContain(t, body, "id,name,email,status", "Alice Martin,alice@example.org,active,0,9,0", `"'=HYPERLINK(""http://evil"")"`)
	_, body = c.get("/sales.csv?month=2026-11&format=raw")
	mustContain(t, body, "Carnet 10 entrées", ",80.00,admin,")
	_, body = c.get("/entries.csv?decision=refused&format=raw")
	mustContain(t, body, "unknown_badge")
	if strings.Contains(body, ",pack,") {
		t.Error("refused filter exports accepted entries")
	}
	_, body = c.get("/export/audit.csv?format=raw")
	mustContain(t, body, "member.create", "admin@example.org")
}

func TestKioskEnroll(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) { c.PublicURL = "https://badges.example.org/" })
	c := e.as(A)
	// The command is on the page the POST answers 303 to: reloading it
	// makes no other kiosk.
	resp, body := c.follow(c.post("/kiosks", url.Values{"name": {"Porte d’entrée"}}))
	mustStatus(t, resp, http.StatusOK)
	if again, _ := c.get(resp.Request.URL.RequestURI()); again.StatusCode != http.StatusOK {
		t.Errorf("reloading the new kiosk's page: %d", again.StatusCode)
	}
	if ks, _, _ := e.kiosks.FindKiosks(e.ctx(), central.KioskFilter{}); len(ks) != 1 {
		t.Errorf("%d kiosks after a reload, want 1", len(ks))
	}
	// The line that works on a Pi installed from the package (root:
	// kioskd enroll writes the data folder as the kioskd user).
	m := regexp.MustCompile(`sudo kioskd enroll --data /var/lib/kioskd --central https://badges\.example\.org --token (bge1_[A-Za-z0-9_-]+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no enrollment line:\n%s", body)
	}
	if _, tok, err := e.kiosks.Enroll(e.ctx(), m[1], "0.0.9"); err != nil || tok == "" {
		t.Errorf("the token shown does not enroll: %v", err)
	}
	// A kioskd older than central supports is marked; a current one is not.
	outdated := "à mettre à jour\u00a0: version " + central.MinKioskVersion + " au moins"
	_, body = c.get("/kiosks")
	mustContain(t, body, "0.0.9", outdated)
	if err := e.kiosks.KioskSeen(e.ctx(), 1, central.KioskSeen{At: time.Now(), Software: central.MinKioskVersion, Pending: -1}); err != nil {
		t.Fatal(err)
	}
	if _, body = c.get("/kiosks"); strings.Contains(body, outdated) {
		t.Errorf("kiosk running %s marked to update", central.MinKioskVersion)
	}
	resp, _ = c.post("/kiosks/1", url.Values{"name": {"Porte du jardin"}, "space": {""}})
	mustStatus(t, resp, http.StatusSeeOther)
	resp, _ = c.post("/kiosks/1/disabled", url.Values{"disabled": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	k, _ := e.kiosks.FindKioskByID(e.ctx(), 1)
	if k.Name != "Porte du jardin" || !k.Disabled {
		t.Errorf("kiosk %+v", k)
	}
	_, body = c.get("/today")
	mustContain(t, body, "Bornes silencieuses")
}

func TestSalesAndProducts(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	tr := e.as(T)
	resp, _ := tr.post("/products", url.Values{"name": {"Passe journée"}, "kind": {"daypass"}, "price": {"12,50"}, "days": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	ps, _, _ := e.products.FindProducts(e.ctx(), central.ProductFilter{})
	if len(ps) != 2 || ps[1].Entries != 1 || ps[1].Price != 1250 || ps[1].Days != 1 {
		t.Fatalf("day pass: %+v", ps[len(ps)-1])
	}
	resp, _ = tr.post("/products", url.Values{"name": {"X"}, "kind": {"pack"}, "entries": {"10"}, "price": {"douze"}})
	mustStatus(t, resp, http.StatusBadRequest)
	resp, _ = tr.post("/members/1/sales", url.Values{"product": {"2"}, "amount": {"1 000,00"}, "confirm": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, body := tr.get("/sales")
	mustContain(t, body, "novembre 2026", "1\u00a0080,00\u00a0€", "Passe journée")
	tr.get("/lang/en")
	_, body = tr.get("/sales")
	mustContain(t, body, "November 2026", "€1,080.00")
}
