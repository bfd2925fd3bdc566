package admin

import (
	"reflect"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestHealthWords: each health problem said in French and English, in the
// space's zone.
func TestHealthWords(t *testing.T) {
	at := time.Date(2026, 12, 3, 13, 5, 0, 0, time.UTC) // 14:05 in Paris
	for _, tc := range []struct {
		name   string
		a      central.KioskAssessment
		fr, en []string
	}{
		{"all well", central.KioskAssessment{Level: central.HealthOK},
			[]string{"Tout fonctionne\u00a0: la caméra voit, le disque a de la place, l’horloge est à l’heure."},
			[]string{"All is well: the camera sees, the disk has room, the clock is right."}},
		{"camera with error", central.KioskAssessment{Problems: []central.HealthProblem{{Code: central.ProblemCamera, Since: at, Text: "no such device"}}},
			[]string{"Caméra en panne depuis 03/12/2026 14:05\u00a0: la porte ne lit plus les badges. Vérifiez le câble de la caméra, puis «\u00a0sudo kioskd doctor\u00a0».",
				"Erreur de la caméra\u00a0: no such device"},
			[]string{"Camera down since 2026-12-03 14:05: the door no longer reads badges. Check the camera’s cable, then run “sudo kioskd doctor”.",
				"Camera error: no such device"}},
		{"camera never", central.KioskAssessment{Problems: []central.HealthProblem{{Code: central.ProblemCamera}}},
			[]string{"Caméra en panne\u00a0: aucune image depuis le démarrage. Vérifiez le câble de la caméra, puis «\u00a0sudo kioskd doctor\u00a0»."},
			[]string{"Camera down: no frame since it started. Check the camera’s cable, then run “sudo kioskd doctor”."}},
		{"disk", central.KioskAssessment{Problems: []central.HealthProblem{{Code: central.ProblemDiskLow, Bytes: 120 << 20}}},
			[]string{"Disque presque plein\u00a0: 120\u00a0Mo libres. Libérez de la place (sudo apt clean) avant qu’elle ne refuse tout le monde."},
			[]string{"Disk nearly full: 120 MB free. Make room (sudo apt clean) before it refuses everyone."}},
		{"clock", central.KioskAssessment{Problems: []central.HealthProblem{{Code: central.ProblemClock, Delay: -(2*time.Hour + 10*time.Minute)}}},
			[]string{"Horloge décalée de 2\u00a0h 10\u00a0min\u00a0: vérifiez que la borne a accès à Internet (heure NTP)."},
			[]string{"Clock off by 2 h 10 min: check that the kiosk reaches the Internet (NTP time)."}},
		{"silent", central.KioskAssessment{Problems: []central.HealthProblem{{Code: central.ProblemSilent, Since: at}}},
			[]string{"Pas de nouvelles depuis 03/12/2026 14:05\u00a0: réseau ou courant coupé\u00a0? Ce qui suit date de sa dernière synchro."},
			[]string{"No news since 2026-12-03 14:05: network or power down? What follows dates from its last sync."}},
		{"no report", central.KioskAssessment{Problems: []central.HealthProblem{{Code: central.ProblemNoReport}}},
			[]string{"Elle n’envoie pas son état (version ancienne)\u00a0: mettez kioskd à jour."},
			[]string{"It does not report its state (older version): update kioskd."}},
		{"disabled", central.KioskAssessment{Problems: []central.HealthProblem{{Code: central.ProblemDisabled}}},
			[]string{"Désactivée par le bureau\u00a0: ses synchronisations sont refusées."},
			[]string{"Disabled by the bureau: its syncs are refused."}},
		{"not enrolled", central.KioskAssessment{Problems: []central.HealthProblem{{Code: central.ProblemNotEnrolled}}},
			[]string{"Pas encore branchée\u00a0: collez sur la borne la commande donnée à son ajout."},
			[]string{"Waiting for enrollment: paste on the kiosk the command given when it was added."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := healthWords("fr", access.Paris, tc.a); !reflect.DeepEqual(got, tc.fr) {
				t.Errorf("French:\n got %q\nwant %q", got, tc.fr)
			}
			if got := healthWords("en", access.Paris, tc.a); !reflect.DeepEqual(got, tc.en) {
				t.Errorf("English:\n got %q\nwant %q", got, tc.en)
			}
		})
	}
	for _, l := range []central.HealthLevel{central.HealthOK, central.HealthWarning, central.HealthDown, central.HealthUnknown} {
		if !catalogHas("health." + string(l)) {
			t.Errorf("no words for level %s", l)
		}
	}
}
