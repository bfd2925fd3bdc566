package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// onceOfForm returns the one-time token of the page's first form that
// posts to action.
func onceOfForm(t *testing.T, c *client, page, action string) string {
	t.Helper()
	_, body := c.get(page)
	form := regexp.MustCompile(`(?s)<form method="post" action="` + regexp.QuoteMeta(action) + `[#"].*?</form>`).FindString(body)
	m := regexp.MustCompile(`name="once" value="([^"]+)"`).FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("%s: the form to %s has no one-time token:\n%s", page, action, form)
	}
	return m[1]
}

// TestBureauFormsOnce: a double tap (or back and send again) on the forms
// that make a badge, a sheet of badges, a guest pass for a member, a
// product, a resource or a kiosk made two of them; now the second post
// makes nothing and goes where the first went, saying so.
func TestBureauFormsOnce(t *testing.T) {
	e := newEnv(t)
	a := e.as(A)
	ctx := e.ctx()
	alice := &central.Member{Name: "Alice Martin"}
	if err := e.members.CreateMember(ctx, alice); err != nil {
		t.Fatal(err)
	}
	badges := func() int {
		bs, _, _ := e.badges.FindBadges(ctx, central.BadgeFilter{})
		return len(bs)
	}
	for _, c := range []struct {
		name, page, action string
		form               url.Values
		// first is where the first post goes (a prefix: it may end in an
		// id); again is the flash of the second post, which goes there too.
		first, again string
		count        func() int
		other        url.Values // what makes the next form another thing
	}{
		{"badge", "/members/1", "/members/1/badges", url.Values{}, "/shown/", "badge_once", badges, nil},
		{"sheet", "/members", "/badges/sheet", url.Values{"member": {"1"}}, "/shown/", "badge_once", badges, nil},
		{"guest", "/members/1", "/members/1/guests", url.Values{"guest_name": {"Léa Martin"}, "guest_day": {"2026-11-27"}},
			"/members/1/guests/", "guest_once", func() int {
				ps, _, _ := e.cfg.Guests.FindGuestPasses(ctx, central.GuestFilter{})
				return len(ps)
			}, url.Values{"guest_name": {"Paul Durand"}}},
		{"product", "/products", "/products", url.Values{"name": {"Carnet 10"}, "kind": {"pack"}, "entries": {"10"}, "price": {"80"}},
			"/products?done=product_created#main", "product_once", func() int {
				ps, _, _ := e.products.FindProducts(ctx, central.ProductFilter{})
				return len(ps)
			}, url.Values{"name": {"Carnet 20"}}},
		{"resource", "/resources", "/resources", url.Values{"name": {"Salle de réunion"}, "opens": {"08:00"}, "closes": {"20:00"},
			"slot": {"30"}, "max_hours": {"0"}}, "/resources?done=resource_created", "resource_once", func() int {
			rs, _ := e.cfg.Bookings.FindResources(ctx)
			return len(rs)
		}, url.Values{"name": {"Vidéoprojecteur"}}},
		{"kiosk", "/kiosks", "/kiosks", url.Values{"name": {"Porte d’entrée"}, "space": {"1"}}, "/kiosks?enrolled=", "kiosk_once",
			func() int {
				ks, _, _ := e.kiosks.FindKiosks(ctx, central.KioskFilter{})
				return len(ks)
			}, url.Values{"name": {"Porte du jardin"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := c.count()
			c.form.Set("once", onceOfForm(t, a, c.page, c.action))
			resp, _ := a.post(c.action, c.form)
			mustStatus(t, resp, http.StatusSeeOther)
			first := resp.Header.Get("Location")
			if !strings.HasPrefix(first, c.first) {
				t.Fatalf("first post went to %q, want %q", first, c.first)
			}
			resp, _ = a.post(c.action, c.form)
			mustStatus(t, resp, http.StatusSeeOther)
			// Where the first went, with the double's word for the first's.
			page, frag, _ := strings.Cut(regexp.MustCompile(`[?&]done=[a-z_]+`).ReplaceAllString(first, ""), "#")
			sep := "?"
			if strings.Contains(page, "?") {
				sep = "&"
			}
			want := page + sep + "done=" + c.again
			if frag != "" {
				want += "#" + frag
			}
			if loc := resp.Header.Get("Location"); loc != want {
				t.Errorf("second post went to %q, want %q", loc, want)
			}
			if n := c.count(); n != before+1 {
				t.Errorf("%d made by two posts of one form, want 1", n-before)
			}
			_, body := a.get(want)
			mustContain(t, body, "le formulaire a été envoyé deux fois")
			// The page's next form is another: it makes another.
			c.form.Set("once", onceOfForm(t, a, c.page, c.action))
			for k, v := range c.other {
				c.form[k] = v
			}
			resp, _ = a.post(c.action, c.form)
			mustStatus(t, resp, http.StatusSeeOther)
			if n := c.count(); n != before+2 {
				t.Errorf("%d made by two forms, want 2", n-before)
			}
		})
	}
}
