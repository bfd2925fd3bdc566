package spreadsheet_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/spreadsheet"
)

func TestReadMembers(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		rows string // "line:name:email" joined by |
		errs string // "line" joined by |
	}{
		{"EnglishComma", "name,email\nAlice Martin,alice@example.org\nBob,bob@example.org\n",
			"2:Alice Martin:alice@example.org|3:Bob:bob@example.org", ""},
		{"FrenchSemicolonBOM", "\ufeffPrénom;Nom;Courriel\nAlice;Martin;alice@example.org\nÉlodie;Durand;\n",
			"2:Alice Martin:alice@example.org|3:Élodie Durand:", ""},
		{"NomAloneIsTheFullName", "Nom;E-mail\nAlice Martin;alice@example.org\n",
			"2:Alice Martin:alice@example.org", ""},
		{"QuotedFieldsWithSeparators", "\"Nom, prénom\";email\n\"Martin, Alice\";alice@example.org\n",
			"2:Martin, Alice:alice@example.org", ""},
		{"ExtraColumnsAndCRLF", "id,Adresse e-mail,Nom complet,phone\r\n1,alice@example.org,Alice,0600\r\n",
			"2:Alice:alice@example.org", ""},
		{"LineErrors", "name,email\nAlice,alice@example.org\n,nobody@example.org\nBob,not-an-email\nAlicia,ALICE@example.org\nCarol,carol@example.org\n",
			"2:Alice:alice@example.org|6:Carol:carol@example.org", "3|4|5"},
		{"BlankLinesSkipped", "name;email\n\n;\nAlice;a@example.org\n",
			"4:Alice:a@example.org", ""},
		{"MultilineFieldKeepsLineNumbers", "name,email\n\"Alice\nMartin\",a@example.org\nBob,bad\n",
			"2:Alice Martin:a@example.org", "4"},
		{"ShortRow", "name,email\nAlice\n", "2:Alice:", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, errs, err := spreadsheet.ReadMembers(strings.NewReader(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, fmt.Sprintf("%d:%s:%s", r.Line, r.Name, r.Email))
			}
			if g := strings.Join(got, "|"); g != tc.rows {
				t.Errorf("rows %q, want %q", g, tc.rows)
			}
			var lines []string
			for _, e := range errs {
				lines = append(lines, fmt.Sprint(e.Line))
				if e.Reason == "" {
					t.Errorf("line %d: no reason", e.Line)
				}
			}
			if g := strings.Join(lines, "|"); g != tc.errs {
				t.Errorf("errors on lines %q, want %q (%v)", g, tc.errs, errs)
			}
		})
	}
}

func TestReadMembersRefusesFile(t *testing.T) {
	for name, file := range map[string]string{
		"Empty":        "",
		"NoNameColumn": "email,phone\na@example.org,06\n",
		"NotUTF8":      "nom;email\nR\xe9mi;r@example.org\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := spreadsheet.ReadMembers(strings.NewReader(file)); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

// TestReadMembersErrorKinds: a user interface can tell the refusals apart
// (to explain them in its language); the texts stay the same.
func TestReadMembersErrorKinds(t *testing.T) {
	_, _, err := spreadsheet.ReadMembers(strings.NewReader("nom;email\nR\xe9mi;r@example.org\n"))
	if !errors.Is(err, spreadsheet.ErrNotUTF8) || err.Error() != `the file is not UTF-8 text: in the spreadsheet, save as "CSV UTF-8"` {
		t.Errorf("not UTF-8: %v", err)
	}
	_, _, err = spreadsheet.ReadMembers(strings.NewReader("email,phone\na@example.org,06\n"))
	var he *spreadsheet.HeaderError
	if !errors.As(err, &he) || strings.Join(he.Header, ",") != "email,phone" ||
		err.Error() != `no name column in the header "email,phone": want name (or nom, or prénom and nom) and email (or e-mail, courriel)` {
		t.Errorf("no name column: %v", err)
	}
	_, errs, err := spreadsheet.ReadMembers(strings.NewReader("name,email\nAlice,a@example.org\n,b@example.org\nAlicia,A@example.org\n"))
	if err != nil || len(errs) != 2 {
		t.Fatalf("%v %v", errs, err)
	}
	for _, le := range errs {
		var ce *central.Error
		if !errors.As(le.Err, &ce) || ce.Message != le.Reason {
			t.Errorf("line %d: reason %q, error %v", le.Line, le.Reason, le.Err)
		}
	}
	if errs[1].Reason != "e-mail A@example.org already on line 2" {
		t.Errorf("duplicate: %q", errs[1].Reason)
	}
}
