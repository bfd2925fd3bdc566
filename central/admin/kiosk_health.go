package admin

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// The kiosks page says each kiosk's health (central.AssessKiosk) in words
// and colour: a tag for its level (green, orange, red, grey), a sentence
// per problem, and what it last reported, in the space's time zone.

var _ = addMessages(map[string][2]string{
	"health.ok":      {"En service", "Working"},
	"health.warning": {"À surveiller", "Needs a look"},
	"health.down":    {"En panne", "Out of order"},
	"health.unknown": {"État inconnu", "State unknown"},

	"health.all_well":     {"Tout fonctionne : la caméra voit, le disque a de la place, l’horloge est à l’heure.", "All is well: the camera sees, the disk has room, the clock is right."},
	"health.disabled":     {"Désactivée par le bureau : ses synchronisations sont refusées.", "Disabled by the bureau: its syncs are refused."},
	"health.not_enrolled": {"Pas encore branchée : collez sur la borne la commande donnée à son ajout.", "Waiting for enrollment: paste on the kiosk the command given when it was added."},
	"health.no_report":    {"Elle n’envoie pas son état (version ancienne) : mettez kioskd à jour.", "It does not report its state (older version): update kioskd."},
	"health.silent":       {"Pas de nouvelles depuis %s : réseau ou courant coupé ? Ce qui suit date de sa dernière synchro.", "No news since %s: network or power down? What follows dates from its last sync."},
	"health.camera":       {"Caméra en panne depuis %s : la porte ne lit plus les badges. Vérifiez le câble de la caméra, puis « sudo kioskd doctor ».", "Camera down since %s: the door no longer reads badges. Check the camera’s cable, then run “sudo kioskd doctor”."},
	"health.camera_never": {"Caméra en panne : aucune image depuis le démarrage. Vérifiez le câble de la caméra, puis « sudo kioskd doctor ».", "Camera down: no frame since it started. Check the camera’s cable, then run “sudo kioskd doctor”."},
	"health.camera_error": {"Erreur de la caméra : %s", "Camera error: %s"},
	"health.disk_low":     {"Disque presque plein : %s libres. Libérez de la place (sudo apt clean) avant qu’elle ne refuse tout le monde.", "Disk nearly full: %s free. Make room (sudo apt clean) before it refuses everyone."},
	"health.clock":        {"Horloge décalée de %s : vérifiez que la borne a accès à Internet (heure NTP).", "Clock off by %s: check that the kiosk reaches the Internet (NTP time)."},

	"kiosk.health":        {"État", "State"},
	"kiosk.camera":        {"Caméra", "Camera"},
	"kiosk.camera_fps":    {"%s images par seconde, dernière image %s", "%s frames per second, last frame %s"},
	"kiosk.last_decision": {"Dernier passage", "Last scan"},
	"kiosk.disk":          {"Disque", "Disk"},
	"kiosk.disk_free":     {"%s libres sur %s", "%s free of %s"},
	"kiosk.database":      {"Base de données", "Database"},
	"kiosk.running_since": {"Démarrée", "Started"},
	"kiosk.clock":         {"Horloge", "Clock"},
	"kiosk.clock_ok":      {"à l’heure", "on time"},
	"kiosk.clock_ahead":   {"en avance de %s", "%s ahead"},
	"kiosk.clock_behind":  {"en retard de %s", "%s behind"},
	"kiosk.reported":      {"État envoyé", "State sent"},
	"kiosk.none_yet":      {"aucun", "none"},
	"kiosk.edit":          {"Renommer ou changer d’espace", "Rename or change its space"},
})

// kioskView is a kiosk on the kiosks page, with its health said in words.
type kioskView struct {
	*central.Kiosk
	// SpaceID and SpaceName are the space it guards (central.SpaceOfKey
	// of its Space), for the kiosks page; set by loadKiosks.
	SpaceID   int64
	SpaceName string
	Level     central.HealthLevel
	Words     []string
	Facts     []fact
}

// fact is a line of a kiosk's card: a label and its value, in words.
type fact struct{ Label, Value string }

func newKioskView(lang string, loc *time.Location, k *central.Kiosk, h *central.KioskHealth, now time.Time, silentAfter time.Duration) kioskView {
	a := central.AssessKiosk(k, h, now, silentAfter)
	return kioskView{Kiosk: k, Level: a.Level, Words: healthWords(lang, loc, a), Facts: healthFacts(lang, loc, h)}
}

// healthWords says a kiosk's problems, one sentence each, or that all is
// well.
func healthWords(lang string, loc *time.Location, a central.KioskAssessment) []string {
	if len(a.Problems) == 0 {
		return []string{translate(lang, "health.all_well")}
	}
	var out []string
	for _, p := range a.Problems {
		switch p.Code {
		case central.ProblemSilent:
			out = append(out, translate(lang, "health.silent", when(lang, loc, p.Since)))
		case central.ProblemCamera:
			if p.Since.IsZero() {
				out = append(out, translate(lang, "health.camera_never"))
			} else {
				out = append(out, translate(lang, "health.camera", when(lang, loc, p.Since)))
			}
			if p.Text != "" {
				out = append(out, translate(lang, "health.camera_error", p.Text))
			}
		case central.ProblemDiskLow:
			out = append(out, translate(lang, "health.disk_low", bytesIn(lang, p.Bytes)))
		case central.ProblemClock:
			out = append(out, translate(lang, "health.clock", duration(lang, p.Delay)))
		default: // disabled, not_enrolled, no_report: a sentence of their own
			out = append(out, translate(lang, "health."+p.Code))
		}
	}
	return out
}

// healthFacts lists what a kiosk last reported, in words (nil: it never
// reported).
func healthFacts(lang string, loc *time.Location, h *central.KioskHealth) []fact {
	if h == nil {
		return nil
	}
	t := func(key string, args ...any) string { return translate(lang, key, args...) }
	// The kiosk's own times, put on central's clock.
	kioskTime := func(at time.Time) string {
		if at.IsZero() {
			return t("kiosk.none_yet")
		}
		return when(lang, loc, at.Add(-h.ClockOffset))
	}
	fps := fmt.Sprintf("%.0f", h.CameraFPS)
	if h.CameraFPS > 0 && h.CameraFPS < 10 {
		fps = fmt.Sprintf("%.1f", h.CameraFPS)
	}
	if lang != "en" {
		fps = strings.ReplaceAll(fps, ".", ",")
	}
	clock := t("kiosk.clock_ok")
	switch off := h.ClockOffset.Round(time.Second); {
	case off >= 2*time.Second:
		clock = t("kiosk.clock_ahead", duration(lang, off))
	case off <= -2*time.Second:
		clock = t("kiosk.clock_behind", duration(lang, -off))
	}
	disk := t("kiosk.disk_free", bytesIn(lang, h.DiskFree), bytesIn(lang, h.DiskTotal))
	return []fact{
		{t("kiosk.camera"), t("kiosk.camera_fps", fps, kioskTime(h.LastFrame))},
		{t("kiosk.last_decision"), kioskTime(h.LastDecision)},
		{t("kiosk.disk"), disk},
		{t("kiosk.database"), bytesIn(lang, h.DatabaseBytes)},
		{t("kiosk.running_since"), kioskTime(h.Started)},
		{t("kiosk.clock"), clock},
		{t("kiosk.reported"), when(lang, loc, h.Received)},
	}
}

// when says an instant in the space's zone: "03/12/2026 14:05" or
// "2026-12-03 14:05".
func when(lang string, loc *time.Location, t time.Time) string {
	return (&page{Lang: lang, loc: loc}).DateTime(t)
}

func bytesIn(lang string, n int64) string {
	if lang == "en" {
		return central.Bytes(n).English()
	}
	return strings.ReplaceAll(central.Bytes(n).French(), " ", nbsp)
}

// duration says a delay to the second, minute or hour: "3 s", "5 min",
// "2 h 10 min".
func duration(lang string, d time.Duration) string {
	if d < 0 {
		d = -d
	}
	sp := nbsp
	if lang == "en" {
		sp = " "
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d%ss", int(math.Round(d.Seconds())), sp)
	case d < time.Hour:
		return fmt.Sprintf("%d%smin", int(d/time.Minute), sp)
	case d%time.Hour < time.Minute:
		return fmt.Sprintf("%d%sh", int(d/time.Hour), sp)
	}
	return fmt.Sprintf("%d%sh %d%smin", int(d/time.Hour), sp, int(d%time.Hour/time.Minute), sp)
}
