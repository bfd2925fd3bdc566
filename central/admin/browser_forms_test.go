package admin_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
)

// TestBrowserPhoneFailedForms: a form the server refuses (400 or 409)
// comes back on a 390 × 844 phone with the reason next to the field at
// fault, in French (English once switched), on the screen as the page
// opens (no scrolling down a long page to find the form, nor sideways),
// what was typed kept: a new bureau user whose address is taken, a
// product whose price is unreadable, a member whose address is another
// member's, a kiosk named with spaces only (a HelloAsso payment's
// assignment: TestBrowserPhoneUnmatchedPayment;
// a sale's amount is a number field the browser checks first).
func TestBrowserPhoneFailedForms(t *testing.T) {
	ctx := browserFor(t, 3*time.Minute)
	e := newEnv(t)
	seedPhoneRules(t, e)
	setSession(t, ctx, e, e.as(central.RoleAdmin))
	dir := os.Getenv("BADGEUSE_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	u := e.ts.URL
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	// onScreen checks the refusal next to its field: the error right
	// after the field (or its unit), the field marked and described by
	// it, both inside the phone's screen as the page opened, what was
	// typed kept; and saves the screen.
	onScreen := func(name, field, typed, want string) {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const f = document.querySelector('`+field+`');
			if (!f) return "no field";
			const id = (f.getAttribute('aria-describedby') || '').split(' ').find(i => i.endsWith('-error'));
			const er = id && document.getElementById(id);
			if (!er) return "no error for the field";
			const near = er.previousElementSibling === f || er.previousElementSibling === f.parentElement;
			const vw = document.documentElement.clientWidth, vh = window.innerHeight;
			const inside = (r) => r.top >= 0 && r.bottom <= vh && r.left >= 0 && r.right <= vw;
			return [near, f.getAttribute('aria-invalid'), inside(f.getBoundingClientRect()), inside(er.getBoundingClientRect()),
				document.documentElement.scrollWidth <= vw, f.value === '`+typed+`', er.innerText].join(' | ');
		})()`))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if wantGot := "true | true | true | true | true | true | " + want; got != wantGot {
			t.Errorf("%s: next to the field, marked, on screen, no sideways scroll, typed kept, message:\n got %q\nwant %q", name, got, wantGot)
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, "failed-"+name+".png"), png, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	noTopAlert := func(name string) {
		t.Helper()
		if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main > p.error').length`)); n != 0 {
			t.Errorf("%s: the reason is (also) at the top of the page, far from the field", name)
		}
	}
	mustDo(t, ctx, "phone", chromedp.EmulateViewport(390, 844))

	// 1. A bureau user whose address is taken (at the bottom of the long
	// settings page).
	mustDo(t, ctx, "settings", chromedp.Navigate(u+"/settings"), chromedp.WaitVisible(css("#uemail")),
		chromedp.SendKeys(css("#uemail"), "admin@example.org"), chromedp.SendKeys(css("#upw"), "correct horse battery"),
		chromedp.Click(css(`form[action="/settings/users#add-user"] button[type=submit]`)), chromedp.WaitVisible(css("#uemail-error")))
	onScreen("user", "#uemail", "admin@example.org", "Un utilisateur a déjà cette adresse e-mail.")
	noTopAlert("user")

	// 2. A product whose price is unreadable (under the products' list).
	mustDo(t, ctx, "products", chromedp.Navigate(u+"/products"), chromedp.WaitVisible(css("#pname")),
		chromedp.SendKeys(css("#pname"), "Carnet 20 entrées"), chromedp.SetValue(css("#kind"), "pack"),
		chromedp.SetValue(css("#entries"), "20"), chromedp.SendKeys(css("#price"), "douze"),
		chromedp.Click(css(`form[action="/products#newp"] button[type=submit]`)), chromedp.WaitVisible(css("#price-error")))
	onScreen("product", "#price", "douze", "Prix illisible (exemple\u00a0: 80,00).")
	noTopAlert("product")
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#pname').value + ' ' + document.querySelector('#entries').value`)); v != "Carnet 20 entrées 20" {
		t.Errorf("the product's other fields came back as %q", v)
	}
	// Once corrected, added: the flash on screen, not the form.
	mustDo(t, ctx, "correct the price", chromedp.SetValue(css("#price"), "150,00"),
		chromedp.Click(css(`form[action="/products#newp"] button[type=submit]`)), chromedp.WaitVisible(css(".flash")))
	if top, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('.flash').getBoundingClientRect().top`)); top < 0 || top > 844 {
		t.Errorf("after adding the product, its flash is at %.0f px, off the screen", top)
	}

	// 3. A member whose address is another member's.
	mustDo(t, ctx, "new member", chromedp.Navigate(u+"/members/new"), chromedp.WaitVisible(css("#name")),
		chromedp.SendKeys(css("#name"), "Alice Bis"), chromedp.SendKeys(css("#email"), "m0@example.org"),
		chromedp.Click(css(`form[action="/members"] button[type=submit]`)), chromedp.WaitVisible(css("#email-error")))
	onScreen("member", "#email", "m0@example.org", "Un autre membre a déjà cette adresse e-mail.")

	// 4. A kiosk named with spaces only (the form under the kiosks' cards;
	// three more kiosks push it down).
	for _, name := range []string{"Porte arrière", "Salle de réunion", "Atelier"} {
		if _, err := e.kiosks.CreateKiosk(e.ctx(), &central.Kiosk{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	mustDo(t, ctx, "kiosks", chromedp.Navigate(u+"/kiosks"), chromedp.WaitVisible(css("#kname")),
		chromedp.SendKeys(css("#kname"), "   "),
		chromedp.Click(css(`form[action="/kiosks#newk"] button[type=submit]`)), chromedp.WaitVisible(css("#kname-error")))
	onScreen("kiosk", "#kname", "", "Le nom est obligatoire.")
	noTopAlert("kiosk")

	// The same refusal in English.
	mustDo(t, ctx, "English", chromedp.Navigate(u+"/lang/en?next=/products"), chromedp.WaitVisible(css("#pname")),
		chromedp.SendKeys(css("#pname"), "Card"), chromedp.SendKeys(css("#price"), "twelve"),
		chromedp.Click(css(`form[action="/products#newp"] button[type=submit]`)), chromedp.WaitVisible(css("#price-error")))
	onScreen("product-en", "#price", "twelve", "Unreadable price (for example 80.00).")
}
