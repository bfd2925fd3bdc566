package badgeclip

import (
	"testing"

	"github.com/skip2/go-qrcode"

	"github.com/badgeuse/badgeuse/shared/badge"
)

// TestBadgeIsVersion2 checks that a badge text fits a version 2 code at
// level Q, which only the alphanumeric mode allows (byte mode needs
// version 3): 25 modules and the 4-module quiet zone on each side.
func TestBadgeIsVersion2(t *testing.T) {
	s, err := badge.New()
	if err != nil {
		t.Fatal(err)
	}
	q, err := qrcode.New(s.Text(), qrcode.High)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(q.Bitmap()), 25+2*4; got != want {
		t.Errorf("%q: QR code %d modules wide with its quiet zone, want %d (version 2)", s.Text(), got, want)
	}
	card, err := newCard(s.Text())
	if err != nil {
		t.Fatal(err)
	}
	defer card.Close()
	if card.Cols() < 33*8 || card.Rows() <= card.Cols() {
		t.Errorf("card %dx%d: want a portrait card holding 33 modules of 8 px", card.Cols(), card.Rows())
	}
}
