package admin_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
)

// readCSV gets a CSV export for people (";", BOM) and returns its rows.
func readCSV(t *testing.T, c *client, url string) [][]string {
	t.Helper()
	resp, body := c.get(url)
	mustStatus(t, resp, http.StatusOK)
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("%s: %d rows, %v:\n%s", url, len(rows), err, body)
	}
	return rows
}

// TestNetworkCSVSpace: in a network of two spaces, the network's sales,
// entries and products exports did not say which space sold a line, or
// whose door it was: the treasurer could not split the year's sales
// between the spaces. Now each line says its space, in a last column
// (the export of one space's association stays as it was:
// TestCSVExportsForPeople).
func TestNetworkCSVSpace(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	c := e.as(A)
	spaceOf := func(url, key string, rows [][]string) map[string]string {
		t.Helper()
		head := rows[0]
		if head[len(head)-1] != "Espace" {
			t.Fatalf("%s: header %v, want Espace last", url, head)
		}
		col := -1
		for i, h := range head {
			if h == key {
				col = i
			}
		}
		got := map[string]string{}
		for _, row := range rows[1:] {
			got[row[col]] = row[len(row)-1]
		}
		return got
	}
	for _, tc := range []struct {
		url, key string
		want     map[string]string
	}{
		{"/sales.csv", "Membre", map[string]string{w.alice.Name: w.cantine.Name, w.bob.Name: w.hangar.Name, w.chloe.Name: w.cantine.Name}},
		{"/entries.csv", "Membre", map[string]string{w.alice.Name: w.cantine.Name, w.bob.Name: w.hangar.Name, w.chloe.Name: w.cantine.Name}},
		{"/export/products.csv", "Nom", map[string]string{"Carte Cantine": w.cantine.Name, "Carte Hangar": w.hangar.Name, "Pass réseau": w.cantine.Name}},
	} {
		got := spaceOf(tc.url, tc.key, readCSV(t, c, tc.url))
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s: %s's space %q, want %q (%v)", tc.url, k, got[k], v, got)
			}
		}
	}
	// The raw format names the column for scripts.
	_, body := c.get("/sales.csv?format=raw")
	if head, _, _ := strings.Cut(body, "\n"); !strings.HasSuffix(head, ",space") {
		t.Errorf("raw header %q, want space last", head)
	}
}
