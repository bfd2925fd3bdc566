package admin_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
)

// TestBrowserPhoneResourceEdit: on a 390 × 844 phone, a network admin
// opens a room's « Modifier » from Salles et matériel, moves it to Le
// Hangar while a block is to come: the refusal is under the space, on
// the screen as the page opens, what she typed kept; she keeps its space,
// renames it and closes it at midnight: back on the list with « Ressource
// enregistrée. ». Then she withdraws it: « Retirer » on its form opens a
// box saying what happens, its button withdraws it, back on the list with
// « Ressource retirée … » and the room under « Retirées », from where
// « Remettre en service » puts it back. No sideways scroll, 44 px tap
// targets.
func TestBrowserPhoneResourceEdit(t *testing.T) {
	ctx := browserFor(t, 2*time.Minute)
	e := newEnv(t)
	w := seedSpaces(t, e)
	seedSpaceEvents(t, e, w)
	setSession(t, ctx, e, e.as(central.RoleAdmin))
	dir := os.Getenv("BADGEUSE_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	// shot saves the screen as it is (the whole page when full).
	shot := func(name string, full bool) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if full {
			png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, "resource-edit-"+name+".png"), png, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	mustDo(t, ctx, "phone", chromedp.EmulateViewport(390, 844))
	mustDo(t, ctx, "rooms", chromedp.Navigate(e.ts.URL+"/resources"), chromedp.WaitVisible(css(`a[href="/resources/1/edit"]`)))
	checkPhonePage(t, ctx, "rooms")
	mustDo(t, ctx, "Modifier", chromedp.Click(css(`a[href="/resources/1/edit"]`)), chromedp.WaitVisible(css("#rname")))
	checkPhonePage(t, ctx, "room form")
	shot("form", true)

	mustDo(t, ctx, "another space",
		chromedp.SetValue(css("#rspace"), w.hangar.Key),
		chromedp.SetValue(css("#rname"), "Salle du port"),
		chromedp.Click(css(`form[action="/resources/1/edit#refused"] button[type=submit]`)),
		chromedp.WaitVisible(css("#rspace-error")))
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const f = document.querySelector('#rspace'), er = document.getElementById('rspace-error');
		const vw = document.documentElement.clientWidth, vh = window.innerHeight;
		const inside = (r) => r.top >= 0 && r.bottom <= vh && r.left >= 0 && r.right <= vw;
		return [er.previousElementSibling === f, f.getAttribute('aria-invalid'), inside(f.getBoundingClientRect()),
			inside(er.getBoundingClientRect()), document.querySelector('#rname').value, f.value].join(' | ');
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "true | true | true | true | Salle du port | " + w.hangar.Key; got != want {
		t.Errorf("refused: next to the space, marked, both on screen, typed kept:\n got %q\nwant %q", got, want)
	}
	if text := bodyText(t, ctx); !strings.Contains(text, "Réservations à venir (1)\u00a0: la ressource ne peut pas changer d’espace") {
		t.Errorf("refused, the page says:\n%s", text)
	}
	checkPhonePage(t, ctx, "room form refused")
	shot("refused", false)

	// Hours the block tomorrow 10:00-11:00 would fall out of: the reason
	// is under the slot, at the bottom of the form, brought on screen.
	mustDo(t, ctx, "hours",
		chromedp.SetValue(css("#rspace"), ""),
		chromedp.SetValue(css("#rcloses"), "10:00"),
		chromedp.Click(css(`form[action="/resources/1/edit#refused"] button[type=submit]`)),
		chromedp.WaitVisible(css("#rslot-error")))
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const vh = window.innerHeight, inside = (el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= vh; };
		return [inside(document.querySelector('#rslot')), inside(document.getElementById('rslot-error')), document.querySelector('#rcloses').value,
			document.getElementById('rslot-error').innerText].join(' | ');
	})()`)); err != nil || got != "true | true | 10:00 | Une réservation à venir (27/11/2026 10:00) ne tiendrait pas dans les nouvelles heures réservables ou les nouveaux créneaux\u00a0: gardez-les jusqu’à ce qu’elle soit passée ou annulée." {
		t.Errorf("hours refused: slot and reason on screen, typed kept, reason: %q (%v)", got, err)
	}
	shot("hours", false)

	mustDo(t, ctx, "saved",
		chromedp.SetValue(css("#rspace"), ""),
		chromedp.SetValue(css("#rname"), "Salle Rhône"),
		chromedp.SetValue(css("#rcloses"), "00:00"),
		chromedp.Click(css(`form[action="/resources/1/edit#refused"] button[type=submit]`)),
		chromedp.WaitVisible(css(".flash")))
	if text := bodyText(t, ctx); !strings.Contains(text, "Ressource enregistrée.") || !strings.Contains(text, "Salle Rhône") ||
		!strings.Contains(text, "réservable de 08:00 à 24:00") {
		t.Errorf("saved, the list says:\n%s", text)
	}
	shot("saved", false)
	if got := resourceNow(t, e, 1); got.Name != "Salle Rhône" || got.Space != "" || got.Closes != 24*60 {
		t.Errorf("stored: %+v", got)
	}

	// Withdrawn (its block to come does not keep it), then put back.
	mustDo(t, ctx, "Retirer",
		chromedp.Click(css(`a[href="/resources/1/edit"]`)), chromedp.WaitVisible(css("#withdraw summary")),
		chromedp.ScrollIntoView(css("#withdraw summary")), chromedp.Click(css("#withdraw summary")),
		chromedp.WaitVisible(css(`form[action="/resources/1/withdraw"] button`)))
	if text := bodyText(t, ctx); !strings.Contains(text, "Retirer «\u00a0Salle Rhône\u00a0»\u00a0? Les membres ne la verront plus dans «\u00a0Réserver\u00a0»") {
		t.Errorf("the box says:\n%s", text)
	}
	checkPhonePage(t, ctx, "withdraw box")
	shot("withdraw", false)
	mustDo(t, ctx, "withdrawn", chromedp.Click(css(`form[action="/resources/1/withdraw"] button`)), chromedp.WaitVisible(css(".flash")),
		chromedp.WaitVisible(css("#withdrawn")))
	if text := bodyText(t, ctx); !strings.Contains(text, "Ressource retirée\u00a0: les membres ne la voient plus dans «\u00a0Réserver\u00a0».") ||
		!strings.Contains(text, "Retirées") {
		t.Errorf("withdrawn, the list says:\n%s", text)
	}
	checkPhonePage(t, ctx, "rooms with one withdrawn")
	shot("withdrawn", true)
	if resourceNow(t, e, 1).Active {
		t.Error("still bookable")
	}
	mustDo(t, ctx, "Remettre en service", chromedp.ScrollIntoView(css(`form[action="/resources/1/restore"] button`)),
		chromedp.Click(css(`form[action="/resources/1/restore"] button`)), chromedp.WaitNotPresent(css("#withdrawn")))
	if text := bodyText(t, ctx); !strings.Contains(text, "Ressource remise en service") {
		t.Errorf("put back, the list says:\n%s", text)
	}
	if !resourceNow(t, e, 1).Active {
		t.Error("not put back")
	}
}
