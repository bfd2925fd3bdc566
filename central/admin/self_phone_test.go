package admin_test

import (
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// TestPhoneBadgePage: from her page a member adds a phone badge (her card
// stays valid), lands on its installable page (manifest, service worker
// under the page's path, this server's script only) and gets the codes
// of the next days, drawn: the first is the QR code of the code of now,
// as `centrald badge codes` prints it.
func TestPhoneBadgePage(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	door := e.as(D)
	resp, body := door.follow(door.post("/members/1/link", nil))
	mustStatus(t, resp, http.StatusOK)
	token := regexp.MustCompile(`/m/(bgm1_[A-Za-z0-9_-]+)`).FindStringSubmatch(body)[1]
	m := e.client()
	resp, page := m.get("/m/" + token)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, page, "Mon badge sur ce téléphone", "Carte imprimée n°", "valable")
	before, _, _ := e.badges.FindBadges(e.ctx(), central.BadgeFilter{Member: ptr(int64(1))})
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	resp, _ = m.post("/m/"+token+"/phone", url.Values{"csrf": {csrf}})
	mustStatus(t, resp, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	if !regexp.MustCompile(`^/m/` + token + `/phone/\d+/$`).MatchString(loc) {
		t.Fatalf("phone badge made, redirected to %q", loc)
	}
	after, _, _ := e.badges.FindBadges(e.ctx(), central.BadgeFilter{Member: ptr(int64(1))})
	if len(after) != len(before)+1 || after[len(after)-1].Kind != central.BadgePhone {
		t.Fatalf("badges after: %+v", after)
	}
	for i, b := range before {
		if after[i].IsRevoked() != b.IsRevoked() {
			t.Fatalf("making a phone badge changed badge %d", b.ID)
		}
	}
	phone := after[len(after)-1]
	resp, body = m.get(loc)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, `rel="manifest" href="`+loc+`manifest.webmanifest"`, `src="/static/phone.js?v=`, `data-base="`+loc+`"`)
	if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
		t.Error("the phone page refers to another site")
	}
	resp, sw := m.get(loc + "sw.js")
	mustStatus(t, resp, http.StatusOK)
	if !strings.Contains(resp.Header.Get("Content-Type"), "javascript") || !strings.Contains(sw, "caches") {
		t.Errorf("sw.js: %s", resp.Header.Get("Content-Type"))
	}
	resp, manifest := m.get(loc + "manifest.webmanifest")
	mustStatus(t, resp, http.StatusOK)
	var man map[string]any
	if err := json.Unmarshal([]byte(manifest), &man); err != nil || man["start_url"] != loc || man["display"] != "standalone" {
		t.Fatalf("manifest %s (%v)", manifest, err)
	}
	resp, raw := m.get(loc + "codes.json")
	mustStatus(t, resp, http.StatusOK)
	var codes struct {
		Badge  int64    `json:"badge"`
		Window int      `json:"window"`
		First  uint32   `json:"first"`
		Size   int      `json:"size"`
		Codes  []string `json:"codes"`
	}
	if err := json.Unmarshal([]byte(raw), &codes); err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	if codes.Badge != phone.ID || codes.Window != 30 || codes.First != badge.WindowOf(now) || codes.Size != 37 ||
		len(codes.Codes) != central.PhoneCodeDays*24*120 {
		t.Fatalf("codes.json: badge %d window %d first %d size %d, %d codes", codes.Badge, codes.Window, codes.First, codes.Size, len(codes.Codes))
	}
	key, err := e.db.SigningKey()
	if err != nil {
		t.Fatal(err)
	}
	want := central.PhoneCodes(key, phone.ID, now, 2)
	for i, text := range want {
		bits, _ := base64.StdEncoding.DecodeString(codes.Codes[i])
		if got := readModules(t, bits, codes.Size); got != text {
			t.Fatalf("code %d reads %q, want %q", i, got, text)
		}
	}
	// Her page lists the phone badge as valid, next to her card.
	_, page = m.get("/m/" + token)
	mustContain(t, page, "Téléphone n° "+strconv.FormatInt(phone.ID, 10), `href="`+loc+`"`)
	// A revoked one is gone (410: its service worker forgets its codes).
	e.badges.RevokeBadge(e.ctx(), phone.ID)
	if resp, _ := m.get(loc); resp.StatusCode != http.StatusGone {
		t.Errorf("revoked phone badge page: %d", resp.StatusCode)
	}
	if resp, _ := m.get(loc + "codes.json"); resp.StatusCode != http.StatusGone {
		t.Errorf("revoked phone badge codes: %d", resp.StatusCode)
	}
}

// readModules reads a code of codes.json (n×n modules as bits, row by row)
// with gozxing, drawn as the page draws it: a 4-module quiet zone.
func readModules(t *testing.T, bits []byte, n int) string {
	t.Helper()
	const px = 4
	side := (n + 8) * px
	img := image.NewGray(image.Rect(0, 0, side, side))
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			mx, my := x/px-4, y/px-4
			v := uint8(255)
			if mx >= 0 && mx < n && my >= 0 && my < n {
				if k := my*n + mx; bits[k/8]&(0x80>>(k%8)) != 0 {
					v = 0
				}
			}
			img.SetGray(x, y, color.Gray{v})
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	// The image is the code alone, module-exact: read as such (gozxing's
	// pure-barcode mode). gozxing's finder-pattern search, made for
	// camera frames, misreads about 1% of such perfect codes (24 to 30 of
	// 3,000 phone codes signed with random keys, and 21 of 3,000 of the same
	// texts from gozxing's own encoder; the kiosk's decoder read every
	// one of those), which failed this test now and then ("dimension =
	// 35"); the pure-barcode mode read all 3,000.
	hints := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		t.Fatalf("a code of codes.json cannot be read: %v", err)
	}
	return res.GetText()
}

// TestTodayGuests: the bureau sees the day's guests on Today, with their
// hosts, and whether each came (her pass accepted at a door today) or not
// yet (issue 12).
func TestTodayGuests(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	c := e.as(R)
	_, body := c.get("/today")
	mustContain(t, body, "Invité·es du jour (0)", "Pas d’invité·e aujourd’hui.")
	st, _ := e.cfg.Settings.Settings(e.ctx())
	today := access.DayOf(e.clock.Now(), st.Location())
	var passes []*central.GuestPass
	for _, name := range []string{"Léa Invitée", "Paul Invité"} {
		g := &central.GuestPass{Host: 1, Name: name, Day: today, Space: st.SpaceName()}
		if err := e.cfg.Guests.IssueGuestPass(e.ctx(), g, 0); err != nil {
			t.Fatal(err)
		}
		passes = append(passes, g)
	}
	resp, body := c.get("/today")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Invité·es du jour (2)", "Léa Invitée", "invité·e d’", `href="/members/1">Alice Martin</a>`)
	if strings.Contains(body, "venu·e</span>") {
		t.Fatal("a guest is said to have come before any entry")
	}

	// Léa came: her pass accepted at the door, synced.
	k := &central.Kiosk{Name: "Porte"}
	if _, err := e.kiosks.CreateKiosk(e.ctx(), k); err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	if _, err := e.sync.Push(e.ctx(), &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: []*central.Entry{
		{ID: "0190b2a0-0000-7000-8000-000000000401", Seq: 1, Member: 1, Badge: badge.GuestHash(uint32(passes[0].ID)),
			KioskTime: now, Accept: true, Reason: access.OKGuest}}}); err != nil {
		t.Fatal(err)
	}
	_, body = c.get("/today")
	mustContain(t, body,
		`Léa Invitée — invité·e d’<a href="/members/1">Alice Martin</a> <span class="tag active">venu·e</span>`,
		`Paul Invité — invité·e d’<a href="/members/1">Alice Martin</a> <span class="muted">pas encore</span>`)
}

// TestPhoneBadgeAfterNewLink: the phone badge saved to the home screen
// opens the page of the link it was added with. Once she has a new link
// (the lost-link form, or the bureau), that page says in words that this
// badge no longer works and how to get the new one, with the form that
// e-mails her link, and gives no code: 410, which the service worker
// takes as the order to forget the codes it keeps. Her new link leads to
// the same badge. A badge revoked (her link still valid) says so and
// leads to her page.
func TestPhoneBadgeAfterNewLink(t *testing.T) {
	e := newEnv(t)
	alice, old := aliceWithLink(t, e)
	phone, err := e.badges.IssuePhoneBadge(e.ctx(), alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	saved := "/m/" + old + "/phone/" + strconv.FormatInt(phone.ID, 10) + "/"
	m := e.client()
	resp, _ := m.get(saved)
	mustStatus(t, resp, http.StatusOK)

	_, token, err := e.store.CreateMemberLink(e.ctx(), alice.ID) // the lost-link form's, or the bureau's
	if err != nil {
		t.Fatal(err)
	}
	resp, body := m.get(saved)
	mustStatus(t, resp, http.StatusGone)
	mustContain(t, body, "Ce badge de téléphone ne marche plus", "Retirez-le de l’écran d’accueil", `action="/m"`)
	if strings.Contains(body, "phone.js") || strings.Contains(body, "data-base") || strings.Contains(body, "Ce lien n’existe pas") {
		t.Errorf("the saved badge of a replaced link:\n%s", body)
	}
	for _, f := range []string{"codes.json", "manifest.webmanifest"} {
		resp, body := m.get(saved + f)
		mustStatus(t, resp, http.StatusGone)
		if strings.Contains(body, `"codes"`) || strings.Contains(body, "start_url") {
			t.Errorf("%s of a replaced link: %s", f, body)
		}
	}
	m.get("/lang/en")
	_, body = m.get(saved)
	mustContain(t, body, "This phone badge no longer works", "Remove it from the home screen")
	m.get("/lang/fr")

	// The new link ended the badge (a leaked link leaves no codes working
	// on someone else's phone): the kiosks refuse it, and her new link's
	// page says so and leads to her page, which adds a new one. The
	// service worker forgets the codes it keeps when the page or its
	// codes answer 404 or 410.
	bs, _, err := e.badges.FindBadges(e.ctx(), central.BadgeFilter{Member: &alice.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.ID == phone.ID && !b.IsRevoked() {
			t.Errorf("the phone badge of a replaced link still works at the door")
		}
	}
	fresh := "/m/" + token + "/phone/" + strconv.FormatInt(phone.ID, 10) + "/"
	_, page := m.get("/m/" + token)
	if strings.Contains(page, `href="`+fresh+`"`) {
		t.Errorf("her new page leads to the phone badge the new link ended:\n%s", page)
	}
	resp, _ = m.get(fresh + "codes.json")
	mustStatus(t, resp, http.StatusGone)
	another, err := e.badges.IssuePhoneBadge(e.ctx(), alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	added := "/m/" + token + "/phone/" + strconv.FormatInt(another.ID, 10) + "/"
	resp, _ = m.get(added + "codes.json")
	mustStatus(t, resp, http.StatusOK)
	if _, sw := m.get(added + "sw.js"); !strings.Contains(sw, "resp.status === 410") || !strings.Contains(sw, "caches.delete(cacheName)") {
		t.Errorf("the service worker keeps the codes of a badge that no longer works:\n%s", sw)
	}
	resp, body = m.get(fresh)
	mustStatus(t, resp, http.StatusGone)
	mustContain(t, body, "Ce badge de téléphone a été désactivé", `href="/m/`+token+`"`)
}
