package badge_test

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/badgeuse/badgeuse/shared/badge"
)

// testKey is a fixed key pair: codes in these tests are reproducible.
var testKey = ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))

func phoneCode(id, window uint32) badge.Code {
	return badge.SignCode(testKey, badge.Code{Kind: badge.KindPhone, ID: id, Window: window}, "")
}

func TestCodeRoundTripAndVerify(t *testing.T) {
	pub := testKey.Public().(ed25519.PublicKey)
	other := ed25519.NewKeyFromSeed([]byte(strings.Repeat("x", ed25519.SeedSize))).Public().(ed25519.PublicKey)
	at := time.Date(2026, 12, 4, 10, 0, 7, 0, time.UTC)
	c := phoneCode(42, badge.WindowOf(at))
	text := c.Text()
	if !strings.HasPrefix(text, "BG2:") || len(text) != 114 {
		t.Fatalf("phone code text %q (%d characters)", text, len(text))
	}
	p, err := badge.ParseCode(text)
	if err != nil || p != c {
		t.Fatalf("ParseCode = %+v, %v; want %+v", p, err, c)
	}
	if !p.Verify(pub, "") || !p.Verify(pub, "Anywhere") {
		t.Fatal("a phone code signed by the key does not verify (a phone badge holds at every space)")
	}
	if p.Verify(other, "") || p.Verify(nil, "") {
		t.Fatal("a phone code verifies with another key")
	}
	from, until := p.Valid(time.UTC)
	if !from.Equal(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)) || until.Sub(from) != badge.CodeWindow {
		t.Fatalf("Valid = %v, %v", from, until)
	}
	// Changing any field or any bit of the signature breaks it.
	for _, mod := range []func(*badge.Code){
		func(c *badge.Code) { c.ID++ },
		func(c *badge.Code) { c.Window++ },
		func(c *badge.Code) { c.Sig[10] ^= 1 },
	} {
		m := p
		mod(&m)
		if q, err := badge.ParseCode(m.Text()); err != nil || q.Verify(pub, "") {
			t.Fatalf("a changed code %+v verifies (err %v)", m, err)
		}
	}

	g := badge.SignCode(testKey, badge.Code{Kind: badge.KindGuest, ID: 7, Window: badge.DayNumber(2026, 12, 4), Host: 3}, "Coin")
	gt := g.Text()
	if len(gt) != 120 {
		t.Fatalf("guest pass of %d characters", len(gt))
	}
	pg, err := badge.ParseCode(gt)
	if err != nil || pg != g || pg.Host != 3 {
		t.Fatalf("ParseCode(guest) = %+v, %v", pg, err)
	}
	if !pg.Verify(pub, "Coin") || pg.Verify(pub, "Autre") || pg.Verify(pub, "") {
		t.Fatal("a guest pass must verify at its space only")
	}
	from, until = pg.Valid(time.UTC)
	if !from.Equal(time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)) || !until.Equal(from.AddDate(0, 0, 1)) {
		t.Fatalf("guest Valid = %v, %v", from, until)
	}
	if pg.Hash() == badge.PhoneHash(7) || pg.Hash() != badge.GuestHash(7) {
		t.Fatal("a guest pass and a phone badge of the same id share a hash")
	}
	if c.Hash() != badge.PhoneHash(42) || badge.PhoneHash(42) == badge.PhoneHash(43) {
		t.Fatal("PhoneHash")
	}
}

func eventTicket(id uint32, start time.Time, length time.Duration, space int64) badge.Code {
	c, err := badge.EventTicket(id, start, start.Add(length), space)
	if err != nil {
		panic(err)
	}
	return badge.SignCode(testKey, c, "")
}

func TestEventTicket(t *testing.T) {
	pub := testKey.Public().(ed25519.PublicKey)
	start := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	c := eventTicket(9, start, 2*time.Hour, 2)
	text := c.Text()
	if len(text) != 120 {
		t.Fatalf("event ticket of %d characters", len(text))
	}
	p, err := badge.ParseCode(text)
	if err != nil || p != c || p.Kind != badge.KindEvent || p.ID != 9 || p.Minutes != 120 || p.Space != 2 {
		t.Fatalf("ParseCode(ticket) = %+v, %v; want %+v", p, err, c)
	}
	// Signed with its space's id, not a name: it verifies at every door,
	// which then compares the space (not_valid_here elsewhere).
	if !p.Verify(pub, "") || !p.Verify(pub, "Coin") {
		t.Fatal("a ticket signed by the key does not verify")
	}
	for _, mod := range []func(*badge.Code){
		func(c *badge.Code) { c.ID++ },
		func(c *badge.Code) { c.Window-- },
		func(c *badge.Code) { c.Minutes++ },
		func(c *badge.Code) { c.Space = 1 },
		func(c *badge.Code) { c.Sig[0] ^= 1 },
	} {
		m := p
		mod(&m)
		if q, err := badge.ParseCode(m.Text()); err != nil || q.Verify(pub, "") {
			t.Fatalf("a changed ticket %+v verifies (err %v)", m, err)
		}
	}
	if p.Hash() != badge.TicketHash(9) || p.Hash() == badge.GuestHash(9) || p.Hash() == badge.PhoneHash(9) {
		t.Fatal("an event ticket shares its hash with a guest pass or a phone badge")
	}
}

// TestEventTicketValidity: the window a ticket holds is the event's
// hours, to the minute (the start rounded down, the end up), whatever the
// time zone; events that do not fit a ticket are refused.
func TestEventTicketValidity(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		name             string
		start, end       time.Time
		space            int64
		wantFrom, wantTo time.Time
		fails            bool
	}{
		{name: "Evening", start: time.Date(2026, 12, 4, 18, 0, 0, 0, paris), end: time.Date(2026, 12, 4, 21, 30, 0, 0, paris), space: 1,
			wantFrom: time.Date(2026, 12, 4, 17, 0, 0, 0, time.UTC), wantTo: time.Date(2026, 12, 4, 20, 30, 0, 0, time.UTC)},
		{name: "Seconds", start: time.Date(2026, 12, 4, 18, 0, 40, 0, time.UTC), end: time.Date(2026, 12, 4, 18, 30, 10, 0, time.UTC), space: 3,
			wantFrom: time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC), wantTo: time.Date(2026, 12, 4, 18, 31, 0, 0, time.UTC)},
		{name: "FourteenDays", start: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC), end: time.Date(2026, 12, 18, 0, 0, 0, 0, time.UTC), space: 1,
			wantFrom: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC), wantTo: time.Date(2026, 12, 18, 0, 0, 0, 0, time.UTC)},
		{name: "MaxSpace", start: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC), end: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC), space: badge.MaxTicketSpace,
			wantFrom: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC), wantTo: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)},
		{name: "TooLong", start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), end: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), space: 1, fails: true},
		{name: "EndsBeforeStart", start: time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC), end: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC), space: 1, fails: true},
		{name: "Before1970", start: time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), end: time.Date(1969, 12, 31, 1, 0, 0, 0, time.UTC), space: 1, fails: true},
		{name: "SpaceTooLarge", start: time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC), end: time.Date(2026, 1, 1, 11, 0, 0, 0, time.UTC), space: badge.MaxTicketSpace + 1, fails: true},
		{name: "NegativeSpace", start: time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC), end: time.Date(2026, 1, 1, 11, 0, 0, 0, time.UTC), space: -1, fails: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := badge.EventTicket(5, tc.start, tc.end, tc.space)
			if tc.fails {
				if err == nil {
					t.Fatalf("EventTicket = %+v, want an error", c)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p, err := badge.ParseCode(badge.SignCode(testKey, c, "").Text())
			if err != nil {
				t.Fatal(err)
			}
			from, until := p.Valid(paris)
			if !from.Equal(tc.wantFrom) || !until.Equal(tc.wantTo) || int64(p.Space) != tc.space {
				t.Fatalf("Valid = %v, %v at space %d; want %v, %v at %d", from, until, p.Space, tc.wantFrom, tc.wantTo, tc.space)
			}
		})
	}
}

// TestCodeFitsQRVersion5M: the bound, measured with a QR encoder
// at error correction M.
func TestCodeFitsQRVersion5M(t *testing.T) {
	for _, c := range []badge.Code{
		phoneCode(^uint32(0), ^uint32(0)),
		badge.SignCode(testKey, badge.Code{Kind: badge.KindGuest, ID: ^uint32(0), Window: ^uint32(0), Host: ^uint32(0)}, "x"),
		badge.SignCode(testKey, badge.Code{Kind: badge.KindEvent, ID: ^uint32(0), Window: ^uint32(0), Minutes: ^uint16(0), Space: ^uint16(0)}, ""),
	} {
		q, err := qrcode.New(c.Text(), qrcode.Medium)
		if err != nil {
			t.Fatal(err)
		}
		if q.VersionNumber > 5 {
			t.Fatalf("kind %d: QR version %d at level M, want <= 5", c.Kind, q.VersionNumber)
		}
		t.Logf("kind %d: %d characters, QR version %d-M", c.Kind, len(c.Text()), q.VersionNumber)
	}
}

func TestParseCodeErrors(t *testing.T) {
	good := phoneCode(1, 2).Text()
	for _, tc := range []struct {
		name, text string
		want       error
	}{
		{"Empty", "", badge.ErrNotBadge},
		{"Printed", "BG1:000000000000000000000000", badge.ErrNotBadge},
		{"PrefixOnly", "BG2:", badge.ErrMalformed},
		{"Truncated", good[:len(good)-3], badge.ErrMalformed},
		{"TooLong", good + "000", badge.ErrMalformed},
		{"Huge", "BG2:" + strings.Repeat("0", 10000), badge.ErrMalformed},
		{"UnknownKind", "BG2:" + strings.Repeat("0", 110), badge.ErrMalformed},
		{"BadCharacter", good[:20] + "#" + good[21:], badge.ErrMalformed},
		{"Lowercase", strings.ToLower(good), badge.ErrNotBadge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := badge.ParseCode(tc.text); !errors.Is(err, tc.want) {
				t.Fatalf("ParseCode = %v, want %v", err, tc.want)
			}
		})
	}
	// The printed badge's parser still says "newer format" for a code.
	if _, err := badge.Parse(good); !errors.Is(err, badge.ErrUnsupported) {
		t.Fatalf("Parse(BG2) = %v", err)
	}
}

// FuzzParseCode: any text either parses to a code whose text is the input
// (canonical, so one code has one text), or fails with a documented error.
// Never a panic; a code that parses never verifies unless signed.
func FuzzParseCode(f *testing.F) {
	f.Add(phoneCode(1, 2).Text())
	f.Add(badge.SignCode(testKey, badge.Code{Kind: badge.KindGuest, ID: 7, Window: 20000, Host: 3}, "s").Text())
	f.Add(eventTicket(9, time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC), 2*time.Hour, 2).Text())
	f.Add("BG2:")
	f.Add("BG2:" + strings.Repeat(":", 114))
	f.Fuzz(func(t *testing.T, text string) {
		c, err := badge.ParseCode(text)
		if err != nil {
			if !errors.Is(err, badge.ErrNotBadge) && !errors.Is(err, badge.ErrMalformed) {
				t.Fatalf("ParseCode(%q) = undocumented error %v", text, err)
			}
			return
		}
		if c.Text() != text {
			t.Fatalf("ParseCode(%q) accepted a non-canonical text (%q)", text, c.Text())
		}
	})
}

// BenchmarkVerifyCode is what a kiosk spends on a signed code: parse and
// verify (the bound: 0.2 ms). make bench prints it.
func BenchmarkVerifyCode(b *testing.B) {
	pub := testKey.Public().(ed25519.PublicKey)
	text := phoneCode(42, 123456).Text()
	for b.Loop() {
		c, err := badge.ParseCode(text)
		if err != nil || !c.Verify(pub, "") {
			b.Fatal("does not verify")
		}
	}
}
