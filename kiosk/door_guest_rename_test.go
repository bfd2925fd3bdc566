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

// TestDoorGuestPassRenamedSpace: a guest pass is signed for its space's
// name; one mailed before the space was renamed carries the old name's
// signature. The kiosk accepts a pass signed for its space's name now
// (Space) or for its key, the space's first name (SpaceKey, from a
// central that sends it); one signed for another space's name, or for
// the key when central sent none (an older central, or the main space
// whose key is ""), stays unknown. What the kiosk was told survives a
// restart (the settings kept in its SQLite store).
func TestDoorGuestPassRenamedSpace(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	key := base64.StdEncoding.EncodeToString(pub)
	day := t0.In(access.Paris)
	pass := func(id uint32, space string) string {
		return badge.SignCode(priv, badge.Code{Kind: badge.KindGuest, ID: id, Host: 1,
			Window: badge.DayNumber(day.Year(), day.Month(), day.Day())}, space).Text()
	}
	for _, tt := range []struct {
		name            string
		space, spaceKey string
		signedFor       string
		want            access.Reason
	}{
		{"the current name", "La Cantine Croix-Rousse", "La Cantine", "La Cantine Croix-Rousse", access.OKGuest},
		{"the first name, before the rename", "La Cantine Croix-Rousse", "La Cantine", "La Cantine", access.OKGuest},
		{"never renamed", "La Cantine", "La Cantine", "La Cantine", access.OKGuest},
		{"another space's name", "La Cantine Croix-Rousse", "La Cantine", "L'Annexe", access.UnknownBadge},
		{"a middle name", "La Cantine Croix-Rousse", "La Cantine", "La Cantine Perrache", access.UnknownBadge},
		{"another case of the key", "La Cantine Croix-Rousse", "La Cantine", "la cantine", access.UnknownBadge},
		{"an older central: no key", "La Cantine Croix-Rousse", "", "La Cantine", access.UnknownBadge},
		{"the main space: no key", "La Halle", "", "Badgeuse", access.UnknownBadge},
		{"the main space, no key, signed for nothing", "La Halle", "", "", access.UnknownBadge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			db, err := sqlite.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			settings := kiosk.RawSettings{Space: tt.space, SpaceKey: tt.spaceKey, Timezone: "Europe/Paris", CodeKey: key}
			if err := db.ApplyPull(ctx, true, kiosk.Changes{Snapshot: true, Cursor: 1, Settings: settings, ServerTime: t0,
				Members: []kiosk.Member{{ID: 1, Status: access.MemberActive, Badges: []kiosk.Badge{{Hash: secret(1).Hash()}},
					Entitlements: []access.Entitlement{{ID: 10, Kind: access.Pack, Entries: 5}}}}}, t0); err != nil {
				t.Fatal(err)
			}
			// Closed and opened again: the door reads the settings kept.
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			if db, err = sqlite.Open(dir); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			door := &kiosk.Door{Store: db, Indicator: &indicator{}, Now: func() time.Time { return t0 }}
			d, err := door.Scan(ctx, pass(3, tt.signedFor), t0)
			if err != nil {
				t.Fatal(err)
			}
			if d.Entry.Decision.Reason != tt.want {
				t.Errorf("a pass signed for %q at %q (key %q): %s, want %s", tt.signedFor, tt.space, tt.spaceKey,
					d.Entry.Decision.Reason, tt.want)
			}
		})
	}
}
