package admin_test

import (
	"encoding/csv"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
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

// TestNetworkCSVMemberSpaces: in a network of two spaces, the members
// export did not say whose members they were. Now each line ends with her
// spaces, those whose bureau sees her (central.MemberFilter.Space): the
// spaces of the products she bought (a network pass: every space), or,
// having bought nothing, the space that registered her. A bureau user of
// Le Hangar exports its members only, with all the spaces of each (her
// member page shows all her sales too). One space's export stays as it
// was (TestCSVExportsForPeople).
func TestNetworkCSVMemberSpaces(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	dora := &central.Member{Name: "Dora Hangar", Space: w.hangar.ID} // registered by Le Hangar, bought nothing
	if err := e.members.CreateMember(e.ctx(), dora); err != nil {
		t.Fatal(err)
	}
	both := w.cantine.Name + ", " + w.hangar.Name
	head := "N°;Nom;E-mail;Statut;Sans annonce Slack;Entrées restantes;Entrées dues;Abonnement jusqu'au;Illimité;Dernière visite;Créé le;Espaces"
	spaces := func(c *client, url, head string) map[string]string {
		t.Helper()
		rows := readCSV(t, c, url)
		if got := strings.Join(rows[0], ";"); got != head {
			t.Fatalf("%s: header\n%s\nwant\n%s", url, got, head)
		}
		got := map[string]string{}
		for _, row := range rows[1:] {
			got[row[1]] = row[len(row)-1]
		}
		return got
	}
	network := e.as(A)
	_, hangar := e.spaceUser(A, w.hangar.ID)
	for _, tc := range []struct {
		c    *client
		url  string
		want map[string]string
	}{
		{network, "/export/members.csv", map[string]string{w.alice.Name: w.cantine.Name, w.bob.Name: w.hangar.Name,
			w.chloe.Name: both, dora.Name: w.hangar.Name}},
		{network, "/export/members.csv?space=" + fmtInt(w.hangar.ID), map[string]string{w.bob.Name: w.hangar.Name,
			w.chloe.Name: both, dora.Name: w.hangar.Name}},
		{hangar, "/export/members.csv", map[string]string{w.bob.Name: w.hangar.Name, w.chloe.Name: both, dora.Name: w.hangar.Name}},
	} {
		if got := spaces(tc.c, tc.url, head); !maps.Equal(got, tc.want) {
			t.Errorf("%s: spaces %v, want %v", tc.url, got, tc.want)
		}
	}
	// English headers; the raw format names the column for scripts and
	// quotes the list.
	network.get("/lang/en")
	if got := spaces(network, "/export/members.csv", strings.Join([]string{"No.", "Name", "E-mail", "Status",
		"No Slack announcement", "Entries left", "Entries owed", "Subscription until", "Unlimited", "Last visit",
		"Created", "Spaces"}, ";")); got[w.chloe.Name] != both {
		t.Errorf("English: Chloé's spaces %q, want %q", got[w.chloe.Name], both)
	}
	_, body := network.get("/export/members.csv?format=raw")
	mustContain(t, body, "id,name,email,status,slack_opt_out,entries_left,overdraft,subscription_until,unlimited,last_visit,created,spaces\n",
		`,"`+both+`"`+"\n")
}
