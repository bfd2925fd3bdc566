package admin

import "testing"

// TestDeBefore: French's "de" before a name is "d’" before a vowel or an
// h, accented or not, in any case; "de " before anything else.
func TestDeBefore(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Alice Martin", "d’Alice Martin"},
		{"alice", "d’alice"},
		{"Émilie", "d’Émilie"},
		{"élodie", "d’élodie"},
		{"Èva", "d’Èva"},
		{"Île-de-France", "d’Île-de-France"},
		{"Ours", "d’Ours"},
		{"Ulysse", "d’Ulysse"},
		{"Œdipe", "d’Œdipe"},
		{"Hugo", "d’Hugo"},
		{"hélène", "d’hélène"},
		{"Âme", "d’Âme"},
		{"Bob", "de Bob"},
		{"Yves", "de Yves"},
		{"La Cantine", "de La Cantine"},
		{"3 amis", "de 3 amis"},
		{"« Atelier »", "de « Atelier »"},
		{"", "de "},
	} {
		if got := deBefore(tc.name); got != tc.want {
			t.Errorf("deBefore(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestElideDe: translate elides the "de" of a French message before the
// name inserted there, whatever the verb's place, and nothing else.
func TestElideDe(t *testing.T) {
	addMessages(map[string][2]string{
		"test.elide.one":   {"invité·e de %s", "guest of %s"},
		"test.elide.two":   {"a remboursé %s de %s (%s)", "refunded %s of %s (%s)"},
		"test.elide.index": {"Créer dans la société Pennylane de %[2]s une facture de %[3]s à %[4]s pour %[1]d visites\u00a0?", "%[1]d %[2]s %[3]s %[4]s"},
		"test.elide.start": {"De %s à %s", "From %s to %s"},
		"test.elide.word":  {"Monde %s, ronde %s, 100%% de %s", "%s %s %s"},
	})
	for _, tc := range []struct {
		lang, key string
		args      []any
		want      string
	}{
		{langFR, "test.elide.one", []any{"Alice Martin"}, "invité·e d’Alice Martin"},
		{langFR, "test.elide.one", []any{"Émile"}, "invité·e d’Émile"},
		{langFR, "test.elide.one", []any{"hélène"}, "invité·e d’hélène"},
		{langFR, "test.elide.one", []any{"Bob"}, "invité·e de Bob"},
		{langEN, "test.elide.one", []any{"Alice Martin"}, "guest of Alice Martin"},
		{langFR, "test.elide.two", []any{"Abonnement", "Inès", "10,00 €"}, "a remboursé Abonnement d’Inès (10,00 €)"},
		{langFR, "test.elide.two", []any{"Carte", "Bob", "10,00 €"}, "a remboursé Carte de Bob (10,00 €)"},
		{langFR, "test.elide.index", []any{2, "Atelier", "7,00 €", "La Ruche"},
			"Créer dans la société Pennylane d’Atelier une facture de 7,00 € à La Ruche pour 2 visites\u00a0?"},
		{langFR, "test.elide.start", []any{"Annecy", "Lyon"}, "D’Annecy à Lyon"},
		{langFR, "test.elide.word", []any{"Anne", "Ève", "Irène"}, "Monde Anne, ronde Ève, 100% d’Irène"},
		{langFR, "test.elide.one", []any{"7 amis"}, "invité·e de 7 amis"},
	} {
		if got := translate(tc.lang, tc.key, tc.args...); got != tc.want {
			t.Errorf("translate(%s, %s, %v) = %q, want %q", tc.lang, tc.key, tc.args, got, tc.want)
		}
	}
	for _, k := range []string{"test.elide.one", "test.elide.two", "test.elide.index", "test.elide.start", "test.elide.word"} {
		delete(catalog, k)
	}
}
