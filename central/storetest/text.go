package storetest

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/central"
)

// testLongTextsCut: the texts central cuts to a length (an outbox
// message's error, a kiosk's software) are cut between characters, never
// inside one: the admin shows them.
func testLongTextsCut(t *testing.T) {
	f := newFixture(t)
	long := strings.Repeat("x", 999) + "é, réessayé plus tard"

	if _, err := f.outbox.EnqueueOutbox(f.ctx, central.OutboxMessage{Topic: "test", Key: "k1"}); err != nil {
		t.Fatal(err)
	}
	items, err := f.outbox.ClaimOutbox(f.ctx, "test", 1, time.Minute)
	if err != nil || len(items) != 1 {
		t.Fatal(items, err)
	}
	if err := f.outbox.RetryOutbox(f.ctx, items[0].ID, long, f.clock.Now(), false); err != nil {
		t.Fatal(err)
	}
	stored, _, err := f.outbox.FindOutbox(f.ctx, central.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got := stored[0].Error; !utf8.ValidString(got) || len(got) > 1000 || !strings.HasPrefix(long, got) {
		t.Errorf("outbox error cut to %d bytes, valid UTF-8 %v", len(got), utf8.ValidString(got))
	}

	k := f.kiosk("Porte", "")
	software := strings.Repeat("v", 99) + "é"
	if err := f.kiosks.KioskSeen(f.ctx, k.ID, central.KioskSeen{At: f.clock.Now(), Software: software, Pending: -1}); err != nil {
		t.Fatal(err)
	}
	got, err := f.kiosks.FindKioskByID(f.ctx, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.ValidString(got.Software) || got.Software != strings.Repeat("v", 99) {
		t.Errorf("software %q", got.Software)
	}
}
