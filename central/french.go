package central

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// FrenchDe is French's "de" before a name, elided before a vowel or an h,
// accented or not, in any case, with the typographic apostrophe of the
// admin's catalog and the mails: « invité·e d’Alice Martin », « d’Émilie »,
// « d’Hugo », « de Bob ». It returns "de " + name or "d’" + name.
func FrenchDe(name string) string {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(name))
	if strings.ContainsRune("aeiouhàâäéèêëîïôöùûüœæ", unicode.ToLower(r)) {
		return "d’" + name
	}
	return "de " + name
}
