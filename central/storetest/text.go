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

// testKioskTextsWithoutControls: the texts a kiosk sends that central
// keeps (its software's version, its camera's error) lose their control
// characters, line breaks and tabs aside. A NUL, which JSON carries ("\u0000"), made PostgreSQL refuse
// the enrollment, every push of the kiosk (answered 500, sent again
// forever) and its health reports; a terminal's escape codes would reach
// the admin and the bureau's mails.
func testKioskTextsWithoutControls(t *testing.T) {
	f := newFixture(t)
	k := &central.Kiosk{Name: "Porte"}
	token, err := f.kiosks.CreateKiosk(f.ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if k, _, err = f.kiosks.Enroll(f.ctx, token, "kioskd\x00 1.5"); err != nil {
		t.Fatalf("enroll with a NUL in the software: %v", err)
	} else if k.Software != "kioskd 1.5" {
		t.Errorf("enrolled with software %q, want %q", k.Software, "kioskd 1.5")
	}
	if err := f.kiosks.KioskSeen(f.ctx, k.ID, central.KioskSeen{At: f.clock.Now(), Software: "1.6\x00\x1b[31m", Pending: -1}); err != nil {
		t.Fatal(err)
	}
	if got, err := f.kiosks.FindKioskByID(f.ctx, k.ID); err != nil || got.Software != "1.6[31m" {
		t.Errorf("software %q (%v), want %q", got.Software, err, "1.6[31m")
	}
	h := &central.KioskHealth{Kiosk: k.ID, Received: f.clock.Now(), CameraError: "cannot open\x00 /dev/video0\r\n\tretrying",
		DiskFree: -1, DiskTotal: -1, DatabaseBytes: -1, Software: "1.6\x00"}
	if err := f.store.Health.ReportKioskHealth(f.ctx, h); err != nil {
		t.Fatal(err)
	}
	hs, err := f.store.Health.KioskHealths(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := hs[k.ID]; got == nil || got.CameraError != "cannot open /dev/video0\r\n\tretrying" || got.Software != "1.6" {
		t.Errorf("stored health %+v", got)
	}
}
