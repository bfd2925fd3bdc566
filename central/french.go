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

// FrenchA is French's "à" before the name of a place or an association,
// contracted with the article the name starts with: « au Square » for
// Le Square, « aux Halles » for Les Halles, « à La Ruche », « à
// L’Annexe », « à Badgeuse ». Not for people's names, which keep their
// article (« à Le Gall » is a surname).
func FrenchA(place string) string {
	for _, c := range []struct{ article, contracted string }{{"le ", "au "}, {"les ", "aux "}} {
		if len(place) > len(c.article) && strings.EqualFold(place[:len(c.article)], c.article) {
			return c.contracted + place[len(c.article):]
		}
	}
	return "à " + place
}
