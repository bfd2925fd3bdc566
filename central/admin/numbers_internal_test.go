package admin

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestCountsInMessages: a count (count) is written with the language's
// thousands separator, an int as it is (a sale's n°, a year); the
// singular of a count is chosen as an int's; central's messages of
// counts that can pass 9 999 (domainCounts) too, in French.
func TestCountsInMessages(t *testing.T) {
	for _, c := range []struct {
		lang, key string
		args      []any
		want      string
	}{
		{langFR, "pager.total", []any{count(12345)}, "12\u00a0345 résultats"},
		{langEN, "pager.total", []any{count(12345)}, "12,345 results"},
		{langFR, "pager.total", []any{count(1)}, "1 résultat"},
		{langFR, "standing.pack", []any{count(0)}, "carnet\u00a0: 0 entrée restante"},
		{langFR, "settlement.complement_confirm", []any{count(10500), "La Cantine", "3,00 €", "Le Square"},
			"Créer dans la société Pennylane de La Cantine une facture complémentaire de 3,00 € à Le Square pour 10\u00a0500 visites de plus\u00a0? Elle ne sera faite qu’une fois."},
		{langFR, "donations.receipts_send", []any{2026}, "Envoyer les reçus fiscaux 2026"},
	} {
		if got := translate(c.lang, c.key, c.args...); got != c.want {
			t.Errorf("%s %s %v: %q, want %q", c.lang, c.key, c.args, got, c.want)
		}
	}
	err := central.Errorf(central.ECONFLICT, "%d places are confirmed: the capacity cannot be lower (cancel registrations first).", 12000)
	if got, want := domainMessage(langFR, err), "12\u00a0000 places sont confirmées\u00a0: la capacité ne peut pas être plus basse (annulez d’abord des inscriptions)."; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got := domainMessage(langFR, central.Errorf(central.ENOTFOUND, "Sale %d not found.", 12000)); got != "Vente n° 12000 introuvable." {
		t.Errorf("a sale's n°: %q", got)
	}
}
