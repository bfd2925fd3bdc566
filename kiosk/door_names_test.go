package kiosk_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/sqlite"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// TestDoorNames (issue 12): an accepted member's decision carries her
// first name and language for the door screen, by her card or her phone
// badge (with what she has left); a refusal carries no name, nor does a
// guest's acceptance, although her host's is held: a guest pass names
// nobody, and speaks the host's language no more.
func TestDoorNames(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	const phone = 7
	settings := kiosk.RawSettings{Space: "La Ruche", Timezone: "Europe/Paris", ShowNames: true,
		CodeKey: base64.StdEncoding.EncodeToString(pub)}
	card := func(n byte) kiosk.Badge { return kiosk.Badge{Hash: secret(n).Hash()} }
	if err := db.ApplyPull(ctx, true, kiosk.Changes{Snapshot: true, Cursor: 1, Settings: settings, ServerTime: t0, Members: []kiosk.Member{
		{ID: 1, Name: "Alice", Lang: "en", Status: access.MemberActive, Badges: []kiosk.Badge{card(1), {Hash: badge.PhoneHash(phone)}},
			Entitlements: []access.Entitlement{{ID: 10, Kind: access.Pack, Entries: 5}}},
		{ID: 2, Name: "Bruno", Status: access.MemberSuspended, Badges: []kiosk.Badge{card(2)},
			Entitlements: []access.Entitlement{{ID: 20, Kind: access.Pack, Entries: 5}}},
	}}, t0); err != nil {
		t.Fatal(err)
	}
	clock := t0
	door := &kiosk.Door{Store: db, Indicator: &indicator{}, Now: func() time.Time { return clock }}
	scan := func(text string) kiosk.Decided {
		t.Helper()
		d, err := door.Scan(ctx, text, clock)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	phoneCode := badge.SignCode(priv, badge.Code{Kind: badge.KindPhone, ID: phone, Window: badge.WindowOf(clock)}, "").Text()
	if d := scan(phoneCode); d.Entry.Decision.Reason != access.OKPack || d.Name != "Alice" || d.Left != 4 || d.Lang != "en" {
		t.Fatalf("her phone badge: %+v, name %q, left %d, language %q; want pack, Alice, 4, en", d.Entry.Decision, d.Name, d.Left, d.Lang)
	}
	clock = clock.Add(24 * time.Hour) // another day: a new entry
	if d := scan(secret(1).Text()); d.Entry.Decision.Reason != access.OKPack || d.Name != "Alice" || d.Left != 3 {
		t.Fatalf("her card: %+v, name %q, left %d; want pack, Alice, 3", d.Entry.Decision, d.Name, d.Left)
	}
	if d := scan(secret(2).Text()); d.Entry.Decision.Accept || d.Name != "" {
		t.Fatalf("a refusal: %+v, name %q; want refused, no name", d.Entry.Decision, d.Name)
	}
	day := clock.In(access.Paris)
	pass := badge.SignCode(priv, badge.Code{Kind: badge.KindGuest, ID: 3, Host: 1,
		Window: badge.DayNumber(day.Year(), day.Month(), day.Day())}, "La Ruche").Text()
	if d := scan(pass); d.Entry.Decision.Reason != access.OKGuest || d.Entry.Member != 1 || d.Name != "" || d.Left != -1 || d.Lang != "" {
		t.Fatalf("a guest of Alice: %+v, name %q, left %d; want guest, no name, nothing left said", d.Entry.Decision, d.Name, d.Left)
	}
}
