package french

import "testing"

// TestSpaces: a no-break space before : ; ? ! and inside guillemets, the
// ordinary space it replaces gone; nothing else changes.
func TestSpaces(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"Badge inconnu : voyez le bureau", "Badge inconnu\u00a0: voyez le bureau"},
		{"Qui a payé ?", "Qui a payé\u00a0?"},
		{"Bonjour Alice !", "Bonjour Alice\u00a0!"},
		{"lundi 08:00–20:00 ; samedi 09:00–13:00", "lundi 08:00–20:00\u00a0; samedi 09:00–13:00"},
		{"page « Bornes » de l’admin", "page «\u00a0Bornes\u00a0» de l’admin"},
		{"« Compléter » ?", "«\u00a0Compléter\u00a0»\u00a0?"},
		{"disque plein ?) : prévenez", "disque plein\u00a0?)\u00a0: prévenez"},
		{"%d visites : %s", "%d visites\u00a0: %s"},
		{" ; ", "\u00a0; "},
		{"Vraiment ?!", "Vraiment\u00a0?!"},
		{"deux espaces  : un seul change", "deux espaces \u00a0: un seul change"},
		// Not a space before the sign: as it is.
		{"https://example.org/join?space=2#a", "https://example.org/join?space=2#a"},
		{"ouvert de 18:00 à 20:30", "ouvert de 18:00 à 20:30"},
		{"Permissions : chat:write, users:read", "Permissions\u00a0: chat:write, users:read"},
		{"déjà\u00a0: rien", "déjà\u00a0: rien"},
		{"«\u00a0Hangar\u00a0»", "«\u00a0Hangar\u00a0»"},
		{"Hello!", "Hello!"},
		{"a:b;c?d!e", "a:b;c?d!e"},
		{"fin :\ndébut", "fin\u00a0:\ndébut"},
		{"ligne\n: suite", "ligne\n: suite"}, // a line break is no space to replace
	} {
		if got := Spaces(c.in); got != c.want {
			t.Errorf("Spaces(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
