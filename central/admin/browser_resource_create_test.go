package admin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
)

// TestBrowserPhoneResourceCreate: on a 390 × 844 phone, door staff add a
// room on Salles et matériel with slots of 50 minutes, which 08:00–20:00
// does not hold whole: the page comes back opened at the refusal, under
// the slot, on the screen, what she typed kept; with 30 minutes, the room
// is added (« Ressource ajoutée. »). No sideways scroll, 44 px tap
// targets.
func TestBrowserPhoneResourceCreate(t *testing.T) {
	ctx := browserFor(t, 2*time.Minute)
	e := newEnv(t)
	setSession(t, ctx, e, e.as(central.RoleDoor))
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	submit := css(`form[action="/resources#refused"] button[type=submit]`)
	mustDo(t, ctx, "phone", chromedp.EmulateViewport(390, 844))
	mustDo(t, ctx, "rooms", chromedp.Navigate(e.ts.URL+"/resources"), chromedp.WaitVisible(css("#rname")))
	checkPhonePage(t, ctx, "new room form")
	mustDo(t, ctx, "slots of 50 minutes",
		chromedp.SetValue(css("#rname"), "Salle de réunion"),
		chromedp.SetValue(css("#rslot"), "50"),
		chromedp.SetValue(css("#rmax"), "4"),
		chromedp.Click(submit),
		chromedp.WaitVisible(css("#rslot-error")))
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const f = document.querySelector('#rslot'), er = document.getElementById('rslot-error');
		const vw = document.documentElement.clientWidth, vh = window.innerHeight;
		const inside = (r) => r.top >= 0 && r.bottom <= vh && r.left >= 0 && r.right <= vw;
		return [er.previousElementSibling === f, f.getAttribute('aria-invalid'), inside(f.getBoundingClientRect()),
			inside(er.getBoundingClientRect()), document.querySelector('#rname').value, f.value, document.querySelector('#rmax').value].join(' | ');
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "true | true | true | true | Salle de réunion | 50 | 4"; got != want {
		t.Errorf("refused: under the slot, marked, both on screen, typed kept:\n got %q\nwant %q", got, want)
	}
	if text := bodyText(t, ctx); !strings.Contains(text, "nombre entier de créneaux") {
		t.Errorf("refused, the page says:\n%s", text)
	}
	checkPhonePage(t, ctx, "new room refused")
	if rs, err := e.cfg.Bookings.FindResources(e.ctx()); err != nil || len(rs) != 0 {
		t.Fatalf("a refused form added %+v %v", rs, err)
	}

	mustDo(t, ctx, "added",
		chromedp.SetValue(css("#rslot"), "30"),
		chromedp.Click(submit),
		chromedp.WaitVisible(css(".flash")))
	if text := bodyText(t, ctx); !strings.Contains(text, "Ressource ajoutée.") || !strings.Contains(text, "Salle de réunion") {
		t.Errorf("added, the list says:\n%s", text)
	}
	if rs, err := e.cfg.Bookings.FindResources(e.ctx()); err != nil || len(rs) != 1 || rs[0].Slot != 30*time.Minute ||
		rs[0].MaxPerWeek != 4*time.Hour {
		t.Errorf("stored: %+v %v", rs, err)
	}
}
