package admin

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// domainFormats finds, in the Go sources of central's packages (not
// centrald's commands, whose messages go to a terminal, nor tests), every
// call Errorf(EINVALID|ECONFLICT|ENOTFOUND, "format", ...): the messages
// the admin may show. It returns the formats and where each is.
func domainFormats(t *testing.T) map[string]string {
	t.Helper()
	root := filepath.Join("..") // central/
	found := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "cmd" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 2 || !isErrorf(call.Fun, f.Name.Name) {
				return true
			}
			switch code := lastName(call.Args[0]); code {
			case "EINVALID", "ECONFLICT", "ENOTFOUND":
			default:
				return true
			}
			pos := fset.Position(call.Pos()).String()
			lit, ok := call.Args[1].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: the message of Errorf is not a constant string: the admin cannot translate it", pos)
				return true
			}
			format, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Errorf("%s: %v", pos, err)
				return true
			}
			if _, dup := found[format]; !dup {
				found[format] = pos
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// isErrorf: Errorf inside package central, central.Errorf elsewhere.
func isErrorf(fun ast.Expr, pkg string) bool {
	switch f := fun.(type) {
	case *ast.Ident:
		return pkg == "central" && f.Name == "Errorf"
	case *ast.SelectorExpr:
		x, ok := f.X.(*ast.Ident)
		return ok && x.Name == "central" && f.Sel.Name == "Errorf"
	}
	return false
}

func lastName(e ast.Expr) string {
	switch v := e.(type) {
	case *ast.Ident:
		return v.Name
	case *ast.SelectorExpr:
		return v.Sel.Name
	}
	return ""
}

// verbs returns a format's verbs by argument index ("%[2]s" counts), so
// that a translation may reorder its arguments but not change them.
func verbs(format string) map[int]string {
	out := map[int]string{}
	arg := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i < len(format) && format[i] == '[' {
			end := strings.IndexByte(format[i:], ']')
			n, _ := strconv.Atoi(format[i+1 : i+end])
			arg = n - 1
			i += end + 1
		}
		if i < len(format) {
			out[arg] = out[arg] + string(format[i])
			arg++
		}
	}
	return out
}

// TestDomainErrorsTranslated: every message central's packages may give
// the admin has its French, with the same verbs; a new message without
// one fails here.
func TestDomainErrorsTranslated(t *testing.T) {
	found := domainFormats(t)
	if len(found) < 50 {
		t.Fatalf("found only %d messages: is the source walk broken?", len(found))
	}
	for _, must := range []string{"Member name required.", "Setting %s: %s.", "want a whole number from %d to %d", "Another member has the e-mail %s."} {
		if _, ok := found[must]; !ok {
			t.Errorf("the source walk missed %q", must)
		}
	}
	var missing []string
	for format, pos := range found {
		fr, ok := domainFrench[format]
		if !ok {
			missing = append(missing, fmt.Sprintf("%s: %q", pos, format))
			continue
		}
		if en, got := fmt.Sprint(verbs(format)), fmt.Sprint(verbs(fr)); en != got {
			t.Errorf("%s: the French of %q has the verbs %s, want %s", pos, format, got, en)
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("no French for %s: add it to domainFrench (domain_errors.go)", m)
	}
	// Translations of messages that no longer exist are dead weight.
	for format := range domainFrench {
		if _, ok := found[format]; !ok {
			t.Errorf("domainFrench translates %q, which no Errorf of central's packages gives", format)
		}
	}
}

func TestVerbs(t *testing.T) {
	for format, want := range map[string]string{
		"plain":                  "map[]",
		"100%% sure %d":          "map[0:d]",
		"%q and %5.2f and %-3d":  "map[0:q 1:f 2:d]",
		"%[2]s before %[1]d":     "map[0:d 1:s]",
		"{%s} (known: {%s})":     "map[0:s 1:s]",
		"Setting %s: %s.":        "map[0:s 1:s]",
		"Réglage « %s » : %s.":   "map[0:s 1:s]",
		"%[1]s twice %[1]s":      "map[0:ss]",
		"want %d to %d of %[1]d": "map[0:dd 1:d]",
	} {
		if got := fmt.Sprint(verbs(format)); got != want {
			t.Errorf("verbs(%q) = %s, want %s", format, got, want)
		}
	}
}

// TestDomainMessage: errors show in French, their arguments too (a
// setting's reason, its key as its label); English shows central's text.
func TestDomainMessage(t *testing.T) {
	def, _ := central.LookupSetting(central.SettingRetentionDays)
	_, err := def.Check("0")
	wrapped := fmt.Errorf("save: %w", err)
	for _, tc := range []struct {
		lang string
		err  error
		want string
	}{
		{langFR, central.Errorf(central.EINVALID, "Member name required."), "Le nom du membre est obligatoire."},
		{langEN, central.Errorf(central.EINVALID, "Member name required."), "Member name required."},
		{langFR, central.Errorf(central.ECONFLICT, "Another member has the e-mail %s.", "a@example.org"), "Un autre membre a déjà l’adresse e-mail a@example.org."},
		{langFR, wrapped, "Réglage «\u00a0Conservation des entrées (jours)\u00a0»\u00a0: indiquez un nombre entier de 1 à 3650."},
		{langEN, wrapped, "Setting entries.retention_days: want a whole number from 1 to 3650."},
		{langFR, central.Errorf(central.ECONFLICT, "Payment %d is %s: it cannot be set aside.", 7, central.PaymentCredited), "Le paiement n° 7 est «\u00a0Crédité\u00a0»\u00a0: il ne peut pas être mis de côté."},
		{langFR, central.Errorf(central.EINVALID, "A message the catalog does not know: %d.", 3), "A message the catalog does not know: 3."},
		{langFR, errors.New("disk on fire at /var/lib"), "Internal error."},
	} {
		if got := domainMessage(tc.lang, tc.err); got != tc.want {
			t.Errorf("%s %v:\n got %q\nwant %q", tc.lang, tc.err, got, tc.want)
		}
	}
	if got := errorText(langFR, wrapped); got != "Données incorrectes\u00a0: Réglage «\u00a0Conservation des entrées (jours)\u00a0»\u00a0: indiquez un nombre entier de 1 à 3650." {
		t.Errorf("errorText: %q", got)
	}
}

// TestMemberConflictText: every format memberConflicts words for members
// is one central's packages return (a format renamed there would fall
// back, silently, to the general sentence), each message is in the
// catalog with its arguments filled, and a conflict it does not know
// gets the general sentence, never the bureau's "Conflit avec des
// données existantes". A booking's refusals are her grid's
// (bookRefusals): formats central returns, none of them worded here.
func TestMemberConflictText(t *testing.T) {
	formats := domainFormats(t)
	for format, m := range memberConflicts {
		if _, ok := formats[format]; !ok {
			t.Errorf("memberConflicts words %q, which central does not return", format)
		}
		if !catalogHas(m.key) {
			t.Errorf("memberConflicts: no message %s", m.key)
		}
		var args []any
		for range strings.Count(format, "%") {
			args = append(args, "2h30m0s")
		}
		if strings.Contains(format, "%d") {
			args = []any{3}
		}
		for _, lang := range []string{langFR, langEN} {
			if text := memberConflictText(lang, central.Errorf(central.ECONFLICT, format, args...)); strings.Contains(text, "%!") ||
				strings.Contains(text, "Conflit") || strings.Contains(text, "Conflicts") {
				t.Errorf("%q in %s: %s", format, lang, text)
			}
		}
	}
	if got := memberConflictText(langFR, central.Errorf(central.ECONFLICT, "You have invited %d guests this month already, the most allowed.", 4)); !strings.Contains(got, "invité 4 personnes") {
		t.Errorf("guests of the month: %s", got)
	}
	// A booking refused is said on her grid (bookRefusals), which knows
	// central's formats: one renamed there would show an error page.
	for format := range bookRefusals {
		if _, ok := formats[format]; !ok {
			t.Errorf("bookRefusals explains %q, which central does not return", format)
		}
		if _, ok := memberConflicts[format]; ok {
			t.Errorf("memberConflicts words %q, which her grid explains (bookRefusals)", format)
		}
	}
	other := memberConflictText(langFR, central.Errorf(central.ECONFLICT, "Sale %d was refunded.", 3))
	if other != translate(langFR, "self.conflict.other") || !strings.Contains(other, "Rechargez") {
		t.Errorf("a conflict without its own words: %s", other)
	}
}
