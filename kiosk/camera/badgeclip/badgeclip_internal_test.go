package badgeclip

import (
	"testing"

	"github.com/badgeuse/badgeuse/kiosk/qr/qrtest"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// TestBadgeIsVersion2 checks that a badge text fits a version 2 code at
// level Q, which only the alphanumeric mode allows (byte mode needs
// version 3): 25 modules, drawn with the 4-module quiet zone and a border
// on a portrait card.
func TestBadgeIsVersion2(t *testing.T) {
	s, err := badge.New()
	if err != nil {
		t.Fatal(err)
	}
	modules, err := qrtest.Code(s.Text())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(modules); got != 25 {
		t.Errorf("%q: QR code %d modules wide, want 25 (version 2)", s.Text(), got)
	}
	card, err := newCard(s.Text())
	if err != nil {
		t.Fatal(err)
	}
	defer card.Close()
	if card.Cols() < 33*qrtest.CardPx || card.Rows() <= card.Cols() {
		t.Errorf("card %dx%d: want a portrait card holding 33 modules of %d px", card.Cols(), card.Rows(), qrtest.CardPx)
	}
}
