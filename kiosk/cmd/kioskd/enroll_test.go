package main

import (
	"testing"

	"github.com/badgeuse/badgeuse/shared/wire"
)

// TestEnrolledSpace: kioskd enroll names the kiosk's space by its current
// name when central sends it (space_name), and by space from an older
// central, which sends none.
func TestEnrolledSpace(t *testing.T) {
	for _, tc := range []struct {
		name string
		resp wire.EnrollResponse
		want string
	}{
		{"renamed space", wire.EnrollResponse{Space: "La Cantine", SpaceName: "Cantine des Pentes"}, "Cantine des Pentes"},
		{"main space", wire.EnrollResponse{Space: "La Ruche", SpaceName: "La Ruche"}, "La Ruche"},
		{"older central", wire.EnrollResponse{Space: "La Cantine"}, "La Cantine"},
	} {
		if got := enrolledSpace(tc.resp); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
