package admin_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestClaimPayment: Alice paid her card on HelloAsso with another
// address; she enters it on her page, confirms it from the mail sent
// there, and the payment is credited to her; the next payment with it is
// hers at once. Her page then offers to buy more when her card is low.
func TestClaimPayment(t *testing.T) {
	b, m := newClaimEnv(t)
	form := "https://www.helloasso.com/associations/mon-coworking/boutiques/carte-10"
	if err := b.settings.SetSetting(b.ctx(), central.SettingJoinForms, fmtInt(b.card)+"="+form); err != nil {
		t.Fatal(err)
	}

	_, token, err := b.store.CreateMemberLink(b.ctx(), b.alice)
	if err != nil {
		t.Fatal(err)
	}
	page := "/m/" + token
	c := b.client()
	_, body := c.get(page)
	mustContain(t, body, `action="/m/`+token+`/claim"`)
	resp, _ := c.post(page+"/claim", url.Values{"email": {"a.martin@perso.example"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "done=claim_sent") {
		t.Errorf("redirect %s", loc)
	}
	cl := m.of(admin.MailClaim)
	if len(cl) != 1 || cl[0].To != "a.martin@perso.example" || cl[0].Member != b.alice {
		t.Fatalf("claim mails %+v", cl)
	}
	if b.entriesLeft(b.alice) != 0 {
		t.Fatalf("credited before the address is confirmed")
	}
	path := linkPath(t, cl[0].Link)
	c2, tok2 := publicForm(t, b.env, path)
	if b.entriesLeft(b.alice) != 0 {
		t.Fatalf("opening the link credited the payment")
	}
	resp, body = c2.follow(c2.post(path, url.Values{"csrf": {tok2}}))
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, `id="claim-done"`)
	if got := b.entriesLeft(b.alice); got != 10 {
		t.Fatalf("entries left %d after the claim, want 10", got)
	}
	p, err := b.payments.FindPaymentByID(b.ctx(), b.payment.ID)
	if err != nil || p.Status != central.PaymentCredited || p.Member != b.alice {
		t.Fatalf("payment %+v %v", p, err)
	}
	if resp, _ := b.client().get(path); resp.StatusCode != http.StatusNotFound {
		t.Errorf("claim link used twice: %d", resp.StatusCode)
	}
	// A forged token on her page's form is refused.
	resp, _ = c.post(page+"/claim", url.Values{"email": {"x@example.org"}, "csrf": {"forged"}})
	mustStatus(t, resp, http.StatusForbidden)

	// 10 entries: no buy-more link; her card low: the card's form.
	_, body = c.get(page)
	if strings.Contains(body, `id="buy-more"`) {
		t.Errorf("buy-more link with 10 entries left")
	}
	two := &central.Product{Name: "Carte 2 entrées", Kind: access.Pack, Entries: 2, Price: 2400}
	if err := b.products.CreateProduct(b.ctx(), two); err != nil {
		t.Fatal(err)
	}
	twoForm := "https://www.helloasso.com/associations/mon-coworking/boutiques/carte-2"
	if err := b.settings.SetSetting(b.ctx(), central.SettingJoinForms, fmtInt(b.card)+"="+form+" "+fmtInt(two.ID)+"="+twoForm); err != nil {
		t.Fatal(err)
	}
	bastien := int64(1)
	if _, err := b.ledger.CreateSale(b.ctx(), central.NewSale{Member: bastien, Product: two.ID, Source: "admin"}); err != nil {
		t.Fatal(err)
	}
	_, tb, err := b.store.CreateMemberLink(b.ctx(), bastien)
	if err != nil {
		t.Fatal(err)
	}
	_, body = b.client().get("/m/" + tb)
	mustContain(t, body, `id="buy-more" href="`+twoForm+`"`)
}

// newClaimEnv is a billing env whose mails are kept.
// aliceClaims has Alice claim addr on her page and returns the path of
// the link mailed to it.
func aliceClaims(t *testing.T, b *billingEnv, m *mails, addr string) string {
	t.Helper()
	_, token, err := b.store.CreateMemberLink(b.ctx(), b.alice)
	if err != nil {
		t.Fatal(err)
	}
	c := b.client()
	c.get("/m/" + token)
	resp, _ := c.post("/m/"+token+"/claim", url.Values{"email": {addr}})
	mustStatus(t, resp, http.StatusSeeOther)
	cl := m.of(admin.MailClaim)
	if len(cl) != 1 {
		t.Fatalf("claim mails %+v", cl)
	}
	return linkPath(t, cl[0].Link)
}

func newClaimEnv(t *testing.T) (*billingEnv, *mails) {
	t.Helper()
	b := newBillingEnv(t)
	m := &mails{}
	cfg := b.cfg
	cfg.Mails = m
	srv, err := admin.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b.srv, b.ts = srv, httptest.NewServer(srv)
	t.Cleanup(b.ts.Close)
	return b, m
}

// TestClaimKeepsTyped: an address the claim form refuses comes back in
// its field with the reason next to it (it came back empty, the reason
// at the top of the page, far from the form on a phone).
func TestClaimKeepsTyped(t *testing.T) {
	b := newBillingEnv(t)
	cfg := b.cfg
	cfg.Mails = &mails{}
	srv, err := admin.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b.srv, b.ts = srv, httptest.NewServer(srv)
	t.Cleanup(b.ts.Close)
	_, token, err := b.store.CreateMemberLink(b.ctx(), b.alice)
	if err != nil {
		t.Fatal(err)
	}
	page := "/m/" + token
	c := b.client()
	c.get(page)
	resp, _ := c.post(page+"/claim", url.Values{"email": {"a.martin.@perso.example"}})
	mustStatus(t, resp, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	if !strings.HasSuffix(loc, "#myclaim") {
		t.Errorf("a refused address leads to %q, not to the form", loc)
	}
	_, body := c.get(loc)
	mustContain(t, body, `value="a.martin.@perso.example" aria-invalid="true"`, "Cette adresse e-mail n’est pas valable.")
}

// TestClaimPageNamesClaimer: the claim link goes to the other address,
// maybe someone else's (her partner Bob's, who paid): the page it opens
// says who asks (the member's full name, as the space knows it) before
// its button, in French and in English, and that nothing changes
// without it; once confirmed, it says for whom the payments now count.
func TestClaimPageNamesClaimer(t *testing.T) {
	b, m := newClaimEnv(t)
	path := aliceClaims(t, b, m, "a.martin@perso.example")
	bob, tok := publicForm(t, b.env, path)
	_, body := bob.get(path)
	asks := regexp.MustCompile(`<p id="claim-asks">Alice Martin demande à rattacher à son compte de membre les paiements faits avec l’adresse a\.martin@perso\.example\.</p>\s*` +
		`<p>Si c’est bien ce que vous voulez, confirmez\. Sinon, fermez simplement cette page\x{00a0}: rien ne change\.</p>\s*` +
		`<form method="post" action="` + regexp.QuoteMeta(path) + `">`)
	if !asks.MatchString(body) {
		t.Errorf("the claim page does not say who asks before its button:\n%s", body)
	}
	if strings.Contains(body, "sont les vôtres") {
		t.Errorf("the claim page tells whoever opens it the payments are theirs:\n%s", body)
	}
	bob.get("/lang/en?next=" + path)
	_, body = bob.get(path)
	mustContain(t, body, "Alice Martin asks to attach to their member account the payments made with the address a.martin@perso.example.",
		"If that is what you want, confirm. Otherwise just close this page: nothing changes.")
	bob.get("/lang/fr?next=" + path)
	resp, body := bob.follow(bob.post(path, url.Values{"csrf": {tok}}))
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "C’est noté\u00a0: les paiements faits avec a.martin@perso.example comptent désormais pour Alice Martin. Paiements comptés maintenant\u00a0: 1.")
}
