package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestCSVMonthsStayText: the statistics' and the settlement's month cells
// were "2026-11", which French Excel turns into a date (shown
// "nov-26"); now they read "novembre 2026" ("November 2026" in English),
// the month and the year joined by a no-break space, as French
// typography joins them: no date Excel knows has one, so the cell stays
// the text it says. Free text a spreadsheet would turn into a number or a
// date (a reference with leading zeros, "12/26") is written ="…", which
// it shows as is. ?format=raw keeps "2026-11".
func TestCSVMonthsStayText(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	e.seedNetwork()
	ctx := e.ctx()
	for _, ref := range []string{"0042", "12/26"} {
		if _, err := e.ledger.CreateSale(ctx, central.NewSale{Member: 1, Product: 1, Source: central.SourceAdmin, ExternalRef: ref}); err != nil {
			t.Fatal(err)
		}
	}
	c := e.as(A)
	for _, tc := range []struct {
		url        string
		want, nots []string
	}{
		{"/stats/members.csv", []string{"\ufeffMois;Membres\r\n", "\r\nnovembre\u00a02026;2\r\n", "\r\noctobre\u00a02026;0\r\n"}, []string{"2026-11"}},
		{"/stats/sales.csv", []string{"\r\nnovembre\u00a02026;"}, []string{"2026-11"}},
		{"/stats/guests.csv", []string{"\r\nnovembre\u00a02026;0\r\n"}, []string{"2026-11"}},
		{"/settlement.csv?month=2026-11", []string{"\r\nnovembre\u00a02026;"}, []string{"2026-11;"}},
		{"/sales.csv", []string{`;"=""0042""";`, `;"=""12/26""";`}, []string{";0042;", ";12/26;"}},
		{"/stats/members.csv?format=raw", []string{"\n2026-11,2\n"}, []string{"novembre"}},
		{"/sales.csv?format=raw", []string{",0042,", ",12/26,"}, []string{`=`}},
	} {
		resp, body := c.get(tc.url)
		mustStatus(t, resp, http.StatusOK)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q:\n%q", tc.url, w, body)
			}
		}
		for _, n := range tc.nots {
			if strings.Contains(body, n) {
				t.Errorf("%s has %q:\n%q", tc.url, n, body)
			}
		}
	}
	c.get("/lang/en")
	if _, body := c.get("/stats/members.csv"); !strings.Contains(body, "\r\nNovember\u00a02026;2\r\n") {
		t.Errorf("English months:\n%q", body)
	}
}
