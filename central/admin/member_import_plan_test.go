package admin_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestImportSkipsWhatTheCLISkips: the admin's import follows the one plan
// of `centrald member import` (spreadsheet.Plan, TestMemberImport in
// cmd/centrald runs the same file): a row is skipped when its e-mail is
// known, or, without an e-mail, when a member without an e-mail has its
// name; so importing a file twice adds nothing the second time.
func TestImportSkipsWhatTheCLISkips(t *testing.T) {
	e := newEnv(t)
	c := e.as(A)
	c.post("/members", url.Values{"name": {"Alice"}, "email": {"alice@example.org"}})
	file := "\ufeffPrénom;Nom;Courriel\nBob;Durand;bob@example.org\nAlice;Martin;ALICE@example.org\nÉlodie;Petit;\n"
	resp, body := c.post("/members/import", url.Values{"action": {"preview"}, "text": {file}})
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Membres à ajouter\u00a0: 2. Lignes ignorées\u00a0: 1.", "Un membre a déjà cet e-mail")
	resp, _ = c.post("/members/import", url.Values{"action": {"apply"}, "csv": {file}})
	mustStatus(t, resp, http.StatusSeeOther)
	resp, body = c.post("/members/import", url.Values{"action": {"preview"}, "text": {file}})
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Membres à ajouter\u00a0: 0. Lignes ignorées\u00a0: 3.", "Un membre sans e-mail porte déjà ce nom")
}
