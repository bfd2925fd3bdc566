package storetest

import (
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// testGuestPasses: a member invites within her monthly quota (the
// bureau without one), for a day from today; the pass verifies at its
// space with central's key and names its host.
func testGuestPasses(t *testing.T) {
	f := newFixture(t)
	host := f.member("Marc")
	guests := f.store.Guests
	today := access.MustDay("2026-11-26")
	issue := func(byMember bool, day access.Day, quota int) (*central.GuestPass, error) {
		g := &central.GuestPass{Host: host, Name: " Léa ", Day: day, Space: "Coin", ByMember: byMember}
		return g, guests.IssueGuestPass(f.ctx, g, quota)
	}
	g, err := issue(true, today, 2)
	if err != nil || g.ID == 0 || g.Name != "Léa" {
		t.Fatalf("first pass: %+v %v", g, err)
	}
	if _, err := issue(true, today.AddDays(3), 2); err != nil {
		t.Fatal(err)
	}
	if _, err := issue(true, today, 2); central.ErrorCode(err) != central.ECONFLICT {
		t.Fatalf("a third pass with a quota of 2: %v", err)
	}
	if _, err := issue(false, today, 2); err != nil {
		t.Fatalf("the bureau has no quota: %v", err)
	}
	if _, err := issue(true, today, 0); central.ErrorCode(err) != central.EINVALID {
		t.Fatalf("quota 0: %v", err)
	}
	if _, err := issue(false, today.AddDays(-1), 2); central.ErrorCode(err) != central.EINVALID {
		t.Fatalf("a pass for yesterday: %v", err)
	}
	// Next month, the quota is whole again.
	f.clock.Set(f.clock.Now().Add(10 * 24 * time.Hour))
	if _, err := issue(true, access.MustDay("2026-12-06"), 2); err != nil {
		t.Fatalf("next month: %v", err)
	}
	list, n, err := guests.FindGuestPasses(f.ctx, central.GuestFilter{Host: &host})
	if err != nil || n != 4 || len(list) != 4 {
		t.Fatalf("FindGuestPasses: %d %v", n, err)
	}
	key, err := f.store.SigningKey()
	if err != nil {
		t.Fatal(err)
	}
	c, err := badge.ParseCode(central.GuestPassText(key, g))
	if err != nil || c.Kind != badge.KindGuest || int64(c.Host) != host || int64(c.ID) != g.ID {
		t.Fatalf("pass text: %+v %v", c, err)
	}
	if !c.Verify(key.Public().(ed25519.PublicKey), "Coin") || c.Verify(key.Public().(ed25519.PublicKey), "Autre") {
		t.Fatal("the pass must verify at its space only")
	}
	if from, _ := c.Valid(access.Paris); !from.Equal(today.Start(access.Paris)) {
		t.Fatalf("pass valid from %v", from)
	}
}
