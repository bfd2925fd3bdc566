package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
)

// TestPaymentsPickerManyMembers: an association of a few members gets them
// all in the "Who paid?" list; past pickerAll (300), a payment's list
// offers the members its payer's name and e-mail point to, and a search
// for that payment adds the members found. A treasurer on a phone no
// longer scrolls through thousands of names, once per waiting payment.
func TestPaymentsPickerManyMembers(t *testing.T) {
	b := newBillingEnv(t)
	id := fmtInt(b.payment.ID)
	c := b.as(T)
	option := func(m *central.Member) string {
		return fmt.Sprintf(`<option value="%d">%s (%s)</option>`, m.ID, m.Name, m.Email)
	}

	_, body := c.get("/payments")
	mustContain(t, body, ">Bastien Roux (bastien@example.org)</option>", ">Chloé Lefèvre (")
	mustNotContain(t, body, `name="for"`)

	durand, lambert, paul := manyMembers(t, b)

	t.Run("TheMembersThePaymentPointsTo", func(t *testing.T) {
		_, body := c.get("/payments")
		mustContain(t, body,
			`<option value="`+fmtInt(b.alice)+`" selected>Alice Martin (alice@example.org)</option>`, option(paul),
			`<form method="get" action="/payments#payment-`+id+`" class="stack" role="search">`,
			`<input type="hidden" name="for" value="`+id+`">`,
			"La liste ci-dessous propose les 2 membres dont le nom ou l’e-mail ressemble à ceux du paiement.")
		mustNotContain(t, body, option(durand[0]), option(lambert[0]), "Bastien Roux")
	})
	t.Run("Search", func(t *testing.T) {
		_, body := c.get("/payments?for=" + id + "&q=" + url.QueryEscape("prénom070"))
		// The one found is chosen; the suggestion and the payer's
		// namesakes stay offered.
		mustContain(t, body, `<option value="`+fmtInt(lambert[9].ID)+`" selected>Prénom070 Lambert (p070@example.org)</option>`,
			`value="prénom070"`, "Trouvé\u00a0: Prénom070 Lambert, choisi dans la liste ci-dessous.",
			`<option value="`+fmtInt(b.alice)+`">Alice Martin (alice@example.org)</option>`, option(paul))
		mustNotContain(t, body, option(lambert[10]))
		_, body = c.get("/payments?for=" + id + "&q=" + url.QueryEscape("Prénom07"))
		mustContain(t, body, "10 membres trouvés pour «\u00a0Prénom07\u00a0»\u00a0: choisissez dans la liste ci-dessous.",
			`<option value="`+fmtInt(b.alice)+`" selected>Alice Martin`, option(lambert[9]), option(lambert[18]))
		mustNotContain(t, body, option(lambert[19]))
	})
	t.Run("TooMany", func(t *testing.T) {
		_, body := c.get("/payments?for=" + id + "&q=durand")
		mustContain(t, body, "Plus de 50 membres correspondent", option(durand[0]), option(durand[49]))
		mustNotContain(t, body, option(durand[50]))
	})
	t.Run("NoMatch", func(t *testing.T) {
		_, body := c.get("/payments?for=" + id + "&q=" + url.QueryEscape("<personne>"))
		mustContain(t, body, "Aucun membre ne correspond à «\u00a0&lt;personne&gt;\u00a0».")
	})
	t.Run("LongSearchIsCut", func(t *testing.T) {
		resp, body := c.get("/payments?for=" + id + "&q=" + strings.Repeat("é", 500))
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, `value="`+strings.Repeat("é", 50)+`"`)
		mustNotContain(t, body, strings.Repeat("é", 51))
	})
	t.Run("AssignAMemberFound", func(t *testing.T) {
		resp, _ := c.post("/payments/"+id+"/assign", url.Values{"member": {fmtInt(lambert[9].ID)}, "product": {fmtInt(b.card)}})
		mustStatus(t, resp, http.StatusSeeOther)
		if left := b.entriesLeft(lambert[9].ID); left != 10 {
			t.Fatalf("the member found has %d entries", left)
		}
	})
}

// manyMembers adds 330 members to b: 60 Durand, 269 Lambert, and Paul
// Martin, whose family name is the payer's.
func manyMembers(t *testing.T, b *billingEnv) (durand, lambert []*central.Member, paul *central.Member) {
	t.Helper()
	for i := 0; i < 330; i++ {
		m := &central.Member{Name: fmt.Sprintf("Prénom%03d Lambert", i), Email: fmt.Sprintf("p%03d@example.org", i)}
		switch {
		case i == 0:
			m.Name, m.Email = "Paul Martin", "paul.martin@example.org"
		case i <= 60:
			m.Name = fmt.Sprintf("Prénom%03d Durand", i)
		}
		if err := b.members.CreateMember(b.ctx(), m); err != nil {
			t.Fatal(err)
		}
		switch {
		case i == 0:
			paul = m
		case i <= 60:
			durand = append(durand, m)
		default:
			lambert = append(lambert, m)
		}
	}
	return durand, lambert, paul
}

// TestBrowserPhonePaymentSearch: on a 390 × 844 phone, in an association
// of 333 members, the treasurer searches who paid a waiting payment by a
// few letters, finds her in the list, and assigns it; the search form fits
// the screen with 44 px targets. Screens in $BADGEUSE_ARTIFACTS
// (payment-search-*.png).
func TestBrowserPhonePaymentSearch(t *testing.T) {
	ctx := browserFor(t, 2*time.Minute)
	b := newBillingEnv(t)
	_, lambert, _ := manyMembers(t, b)
	setSession(t, ctx, b.env, b.as(T))
	shots := newShots(t, ctx)
	pay := "#payment-" + fmtInt(b.payment.ID)
	shot := func(name string) { t.Helper(); shots.now("payment-search-" + name) }
	fits := func(what string) {
		t.Helper()
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil || wide > 390 {
			t.Errorf("%s: the page is %d px wide (%v), the phone 390", what, wide, err)
		}
		small, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('main button, main select, main input, main summary, main a.button')].filter(e => e.type !== 'hidden' && e.offsetParent !== null && (e.getBoundingClientRect().height < 43.5 || e.getBoundingClientRect().width < 43.5)).map(e => e.name || e.textContent.trim().slice(0, 30)).join(', ')`))
		if small != "" {
			t.Errorf("%s: tap targets under 44 px: %s", what, small)
		}
	}
	mustDo(t, ctx, "payments", chromedp.EmulateViewport(390, 844), chromedp.Navigate(b.ts.URL+"/payments"), chromedp.WaitVisible(chromedp.CSS(pay)))
	if text := bodyText(t, ctx); !strings.Contains(text, "Chercher le membre (nom ou e-mail)") || strings.Contains(text, "Prénom070 Lambert") {
		t.Errorf("the payment offers a search and not all 333 members:\n%s", text)
	}
	fits("payments")
	shot("1-list")
	mustDo(t, ctx, "search", chromedp.SendKeys(chromedp.CSS(pay+` input[name=q]`), "prénom070"),
		chromedp.Click(chromedp.CSS(pay+` form[role=search] button`)), waitText("Trouvé\u00a0: Prénom070 Lambert"))
	fits("found")
	shot("2-found")
	// She is chosen already: one tap assigns.
	mustDo(t, ctx, "assign", chromedp.Click(chromedp.CSS(pay+` form[action$="/assign"] button[type=submit]`)), waitText("Paiement attribué"))
	if left := b.entriesLeft(lambert[9].ID); left != 10 {
		t.Fatalf("the member found has %d entries", left)
	}
}
