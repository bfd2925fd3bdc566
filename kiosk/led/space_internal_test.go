package led

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestNotValidHereShown: a pass valid at other spaces only (not_valid_here)
// has its own red pattern, 2 long then 1 short, unlike every other
// family (TestPatternTable checks no two look alike), its own short texts
// and its own sentence on the door screen, in French and English.
func TestNotValidHereShown(t *testing.T) {
	if got := familyOf(false, access.NotValidHere); got != famElsewhere {
		t.Fatalf("familyOf(not_valid_here) = %d, want its own family %d", got, famElsewhere)
	}
	table, _ := patterns(DefaultAcceptTime, DefaultRelayTime)
	mine := pulses(table[famElsewhere], red)
	if len(mine) != 3 || mine[0] < 700*time.Millisecond || mine[1] < 700*time.Millisecond || mine[2] > 400*time.Millisecond {
		t.Errorf("red pulses %v, want 2 long then 1 short", mine)
	}
	for fam := famNotABadge; fam < numFamilies; fam++ {
		if fam != famElsewhere && fmtDurations(pulses(table[fam], red)) == fmtDurations(mine) {
			t.Errorf("family %d looks like not_valid_here", fam)
		}
	}
	fr, en := Message(access.NotValidHere)
	if fr != "carte pas valable dans cet espace" || en != "pass not valid at this space" {
		t.Errorf("Message = %q, %q", fr, en)
	}
	for r, m := range messages {
		if r != access.NotValidHere && (m[0] == fr || m[1] == en) {
			t.Errorf("%s says the same as not_valid_here", r)
		}
	}
	s := Screen(kiosk.Decided{Entry: kiosk.Entry{Decision: access.Decision{Reason: access.NotValidHere}}, Left: -1}, time.Now())
	if s.Text[0] != "Ta carte n'est pas valable dans cet espace\u00a0: voyez le bureau" || s.Text[1] != "Your pass is not valid at this space: see the bureau" {
		t.Errorf("screen %q", s.Text)
	}
}
