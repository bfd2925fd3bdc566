package central_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestCheckResourceChange: what the bureau may change of a room with
// bookings to come. Another space is refused while one is to come (but
// from a place that names no space, which `centrald room space` moves
// too); new hours, slots or a clock are refused when a booking to come
// would not be whole slots of them; the name and the weekly limit always
// change.
func TestCheckResourceChange(t *testing.T) {
	spaces := []*central.Space{
		{ID: 1, Key: "", Name: "La Cantine"},
		{ID: 2, Key: "Le Hangar", Name: "Le Hangar du port"},
		{ID: 3, Key: "Montréal", Name: "Montréal", Timezone: "America/Montreal"},
	}
	set := central.Settings{central.SettingTimezone: "Europe/Paris"}
	room := func(space string, opens, closes int, slot time.Duration) *central.Resource {
		return &central.Resource{ID: 1, Name: "Salle", Space: space, Opens: opens, Closes: closes, Slot: slot, Active: true}
	}
	at10 := []*central.Booking{{ID: 7, Resource: 1, Member: 3, Start: paris(t, "2026-12-04 10:00"), End: paris(t, "2026-12-04 11:00")}}
	block := []*central.Booking{{ID: 8, Resource: 1, Blocked: true, Start: paris(t, "2026-12-04 18:00"), End: paris(t, "2026-12-04 20:00")}}
	tests := []struct {
		name   string
		old, r *central.Resource
		coming []*central.Booking
		ok     bool
	}{
		{"renamed, a booking to come", room("", 480, 1200, time.Hour), &central.Resource{ID: 1, Name: "Salle Rhône", Opens: 480, Closes: 1200, Slot: time.Hour}, at10, true},
		{"another space, none to come", room("", 480, 1200, time.Hour), room("Le Hangar", 480, 1200, time.Hour), nil, true},
		{"another space, a booking to come", room("", 480, 1200, time.Hour), room("Le Hangar", 480, 1200, time.Hour), at10, false},
		{"another space, a block to come", room("", 480, 1200, time.Hour), room("Le Hangar", 480, 1200, time.Hour), block, false},
		{"its space by its name in other letters", room("le hangar du port", 480, 1200, time.Hour), room("Le Hangar", 480, 1200, time.Hour), at10, true},
		{"the main space by its name", room("La Cantine", 480, 1200, time.Hour), room("", 480, 1200, time.Hour), at10, true},
		{"from a place that names no space", room("1", 480, 1200, time.Hour), room("Le Hangar", 480, 1200, time.Hour), at10, true},
		{"later opening, the booking still inside", room("", 480, 1200, time.Hour), room("", 540, 1200, time.Hour), at10, true},
		{"later opening, the booking outside", room("", 480, 1200, time.Hour), room("", 660, 1200, time.Hour), at10, false},
		{"earlier closing, the block outside", room("", 480, 1200, time.Hour), room("", 480, 1140, time.Hour), block, false},
		{"longer slots, the booking not whole", room("", 480, 1200, time.Hour), room("", 480, 1200, 2*time.Hour), at10, false},
		{"longer slots, the booking whole", room("", 480, 1200, 30*time.Minute), room("", 480, 1200, time.Hour), at10, true},
		{"shorter slots", room("", 480, 1200, time.Hour), room("", 480, 1200, 30*time.Minute), at10, true},
		{"new hours, none to come", room("", 480, 1200, time.Hour), room("", 900, 960, 15*time.Minute), nil, true},
		{"a clock six hours back, from a place that names no space", room("1", 480, 1200, time.Hour), room("Montréal", 480, 1200, time.Hour), at10, false},
		{"a lower weekly limit", room("", 480, 1200, time.Hour), &central.Resource{ID: 1, Name: "Salle", Opens: 480, Closes: 1200, Slot: time.Hour, MaxPerWeek: time.Hour}, at10, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.r.Validate(); err != nil {
				t.Fatal(err)
			}
			err := central.CheckResourceChange(tt.old, tt.r, spaces, set, tt.coming)
			if tt.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tt.ok && central.ErrorCode(err) != central.ECONFLICT {
				t.Fatalf("got %v, want ECONFLICT", err)
			}
		})
	}
}
