package admin_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

// TestCSVExportsForPeople: by default the exports open as they should in
// French Excel and LibreOffice (issue 18): UTF-8 with a BOM, ";", French
// headers, local dates and times, oui/non, amounts with a decimal comma;
// English headers, yes/no and decimal points for an English admin;
// ?format=raw keeps the machine format (TestCSVExports).
func TestCSVExportsForPeople(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	c := e.as(A)
	read := func(url string) (string, [][]string) {
		t.Helper()
		resp, body := c.get(url)
		mustStatus(t, resp, http.StatusOK)
		if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", url, ct)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		r.Comma = ';'
		if strings.Contains(url, "format=raw") {
			r.Comma = ','
		}
		rows, err := r.ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s: %d rows, %v:\n%s", url, len(rows), err, body)
		}
		return body, rows
	}
	// The raw export's UTC times, read back in Paris, are the people's.
	_, raw := read("/export/members.csv?format=raw")
	created, err := time.Parse(time.RFC3339, raw[1][10])
	if err != nil {
		t.Fatalf("raw created %q: %v", raw[1][10], err)
	}
	paris := created.In(access.Paris).Format("02/01/2006 15:04:05")

	for _, tc := range []struct {
		url, header string
		row         []string // cells of the first data row, in order, "" for any
	}{
		{"/export/members.csv", "N°;Nom;E-mail;Statut;Sans annonce Slack;Entrées restantes;Entrées dues;Abonnement jusqu'au;Illimité;Dernière visite;Créé le",
			[]string{"", "Alice Martin", "alice@example.org", "Actif", "non", "9", "0", "", "non", access.DayOf(e.clock.Now(), access.Paris).Start(time.UTC).Format("02/01/2006"), paris}},
		{"/export/products.csv", "N°;Nom;Type;Entrées;Jours;Prix (€);En vente;Créé le",
			[]string{"", "Carnet 10 entrées", "Carnet d’entrées", "10", "0", "80,00", "oui", ""}},
		{"/sales.csv", "N°;Créé le;N° de membre;Membre;N° de produit;Produit;Type;Entrées;Montant (€);Origine;Référence externe;Début;Fin;Remboursée le;N° de facture;Entrées restantes;Payé par;Payé le;Banque;N° de chèque;Payeur;Annulée le",
			[]string{"", "", "", "Alice Martin", "", "Carnet 10 entrées", "Carnet d’entrées", "10", "80,00", "Admin", "", "", "", "", "", ""}},
		{"/entries.csv?decision=refused", "N°;Date et heure;N° de borne;Borne;N° d'ordre sur la borne;N° de membre;Membre;Acceptée;Motif;Heure de la borne;Horloge incertaine;Heure corrigée;Reçue le",
			[]string{"0190b2a0-0000-7000-8000-000000000002", "", "", "Porte", "2", "", "", "non", "Badge inconnu", "", "", "", ""}},
		{"/export/audit.csv", "N°;Date et heure;Auteur;Action;Objet;Détails", nil},
	} {
		body, rows := read(tc.url)
		if !strings.HasPrefix(body, "\ufeff") {
			t.Errorf("%s: no byte order mark: %q", tc.url, body[:min(len(body), 20)])
		}
		if got := strings.Join(rows[0], ";"); got != tc.header {
			t.Errorf("%s: header\n%s\nwant\n%s", tc.url, got, tc.header)
		}
		if !strings.Contains(body, "\r\n") {
			t.Errorf("%s: lines do not end in CRLF", tc.url)
		}
		for i, want := range tc.row {
			if want != "" && (i >= len(rows[1]) || rows[1][i] != want) {
				t.Errorf("%s: cell %d of %v, want %q", tc.url, i, rows[1], want)
			}
		}
	}
	// Times in the space's zone, as the pages show them.
	if _, rows := read("/sales.csv"); !strings.HasPrefix(rows[1][1], paris[:10]) {
		t.Errorf("sale time %q, want the day %s", rows[1][1], paris[:10])
	}
	if _, rows := read("/export/audit.csv"); len(rows[1][1]) != len("02/01/2006 15:04:05") || rows[1][1][2] != '/' {
		t.Errorf("audit time %q, want dd/mm/yyyy hh:mm:ss", rows[1][1])
	}

	c.get("/lang/en")
	_, rows := read("/export/products.csv")
	if got := strings.Join(rows[0], ";"); got != "No.;Name;Kind;Entries;Days;Price (€);On sale;Created" {
		t.Errorf("English header %s", got)
	}
	if rows[1][5] != "80.00" || rows[1][6] != "yes" || rows[1][2] != "Entry card" {
		t.Errorf("English row %v", rows[1])
	}
	_, rows = read("/export/members.csv")
	if want := created.In(access.Paris).Format("2006-01-02 15:04:05"); rows[1][10] != want {
		t.Errorf("English created %q, want %q", rows[1][10], want)
	}
}
