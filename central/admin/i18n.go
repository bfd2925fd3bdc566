package admin

import (
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/french"
)

// Languages. French is the default: the bureau is French-speaking.
const (
	langFR     = "fr"
	langEN     = "en"
	langCookie = "badgeuse_lang"
)

// requestLang returns the language chosen with the link in the header
// (a cookie), French by default.
func requestLang(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && c.Value == langEN {
		return langEN
	}
	return langFR
}

// setLang stores the language chosen (GET /lang/{lang}?next=/path): a
// preference, not a change of data, so a plain link works.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if lang != langEN {
		lang = langFR
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.isHTTPS(r), SameSite: http.SameSiteLaxMode})
	next := r.URL.Query().Get("next")
	if !safeNext(next) {
		next = "/login"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// catalog maps a message key to its French and English texts, with
// fmt verbs for arguments. Pages may add theirs with addMessages.
var catalog = map[string][2]string{}

// addMessages adds messages to the catalog (from an init function of the
// page's file). A key defined twice is a bug: it panics. The French are
// written with ordinary spaces, easier to read and to type: french.Spaces
// puts the no-break ones French typography wants, before « : », « ; »,
// « ? », « ! » and inside « guillemets », so that a phone never breaks a
// line between a word and its sign.
func addMessages(m map[string][2]string) bool {
	for k, v := range m {
		if _, dup := catalog[k]; dup {
			panic("admin: message " + k + " defined twice")
		}
		v[0] = french.Spaces(v[0])
		catalog[k] = v
	}
	return true
}

func catalogHas(key string) bool { _, ok := catalog[key]; return ok }

// translate returns the message in the language, with its arguments. An
// unknown key shows as itself in brackets (tests look for them).
func translate(lang, key string, args ...any) string {
	m, ok := catalog[key]
	if !ok {
		return "[" + key + "]"
	}
	if one, ok := catalog[key+".one"]; ok && len(args) > 0 && isOne(lang, args[0]) {
		m = one
	}
	text := m[0]
	if lang == langEN {
		text = m[1]
	} else if len(args) > 0 {
		text = elideDe(text, args)
	}
	if len(args) > 0 {
		return fmt.Sprintf(text, inLang(lang, args)...)
	}
	return text
}

// elideDe writes French's elision in a message whose "de %s" (or
// "De %s", "de %[2]s") puts a name: « invité·e d’Alice Martin », « ceux
// d’Écully », and « de Bob » as written (deBefore decides). The messages
// keep "de %s": the name is known only when it is inserted.
func elideDe(format string, args []any) string {
	var elide []int // where "de " starts, before a verb whose name elides it
	arg := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		verb := i + 1
		if verb < len(format) && format[verb] == '%' {
			i = verb
			continue
		}
		if verb < len(format) && format[verb] == '[' { // %[2]s
			end := strings.IndexByte(format[verb:], ']')
			n, err := strconv.Atoi(format[verb+1 : verb+max(end, 1)])
			if end < 0 || err != nil {
				return format
			}
			arg, verb = n-1, verb+end+1
		}
		for verb < len(format) && strings.IndexByte("+-# 0123456789.", format[verb]) >= 0 {
			verb++
		}
		if verb >= len(format) {
			break
		}
		before := format[:i]
		if name, ok := argAt(args, arg); ok && (format[verb] == 's' || format[verb] == 'v') &&
			(strings.HasSuffix(before, "de ") || strings.HasSuffix(before, "De ")) && wordStart(before[:len(before)-3]) &&
			strings.HasPrefix(deBefore(name), "d’") {
			elide = append(elide, len(before)-3)
		}
		arg++
		i = verb
	}
	var b strings.Builder
	last := 0
	for _, at := range elide {
		b.WriteString(format[last:at])
		b.WriteString(format[at:at+1] + "’") // "de " → "d’", "De " → "D’"
		last = at + 3
	}
	return b.String() + format[last:]
}

// argAt is the string argument at index i, if it is one.
func argAt(args []any, i int) (string, bool) {
	if i < 0 || i >= len(args) {
		return "", false
	}
	s, ok := args[i].(string)
	return s, ok
}

// wordStart reports whether a word may start after text: its start, or a
// space, an opening quote or parenthesis.
func wordStart(text string) bool {
	r, _ := utf8.DecodeLastRuneInString(text)
	return text == "" || unicode.IsSpace(r) || r == '«' || r == '(' || r == '\u00a0'
}

// deBefore is "de" before a name in French: "d’" before a vowel or an h
// (central.FrenchDe, which the mails use too).
func deBefore(name string) string { return central.FrenchDe(name) }

// count is a number of things in a message (results, visits, entries,
// members): its %d is written with the language's thousands separator,
// « 10 000 » in French (a no-break space), "10,000" in English
// (formatCount), where an int writes 10000. Numbers that are not
// quantities (a sale's n°, a year, an hour) stay ints. In a template:
// {{.T "pager.total" (count .Total)}}.
type count int64

// toCount is the template function count.
func toCount(n any) count {
	switch v := reflect.ValueOf(n); v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return count(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return count(v.Uint())
	}
	panic(fmt.Sprintf("admin: count of a %T", n)) // a template's mistake, caught by any test of its page
}

// countIn is a count written in a language.
type countIn struct {
	lang string
	n    int64
}

func (c countIn) Format(f fmt.State, verb rune) {
	if verb == 'd' || verb == 'v' {
		_, _ = io.WriteString(f, formatCount(c.lang, c.n))
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), c.n)
}

// inLang returns args with their counts written in the language (a copy
// when there is one).
func inLang(lang string, args []any) []any {
	out := args
	for i, a := range args {
		if c, ok := a.(count); ok {
			if &out[0] == &args[0] {
				out = append([]any(nil), args...)
			}
			out[i] = countIn{lang, int64(c)}
		}
	}
	return out
}

// isOne tells whether a count takes the singular: 0 and 1 in French
// ("0 entrée restante"), 1 in English. A message whose words follow its
// count has its singular under its key + ".one", with the count as its
// first argument (%[1]d when the sentence says it later): no "entrée(s)".
func isOne(lang string, count any) bool {
	var n int64
	switch v := reflect.ValueOf(count); v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n = v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n = int64(v.Uint())
	default:
		return false
	}
	if lang == langEN {
		return n == 1
	}
	return n == 0 || n == 1
}

// T translates a message for the page's language.
func (p *page) T(key string, args ...any) string { return translate(p.Lang, key, args...) }

// Of is what comes before a name a template writes itself (in a link):
// « invité·e d’<a>Alice Martin</a> », « de <a>Bob</a> » (deBefore), "of "
// in English.
func (p *page) Of(name string) string {
	if p.Lang == langEN {
		return "of "
	}
	return strings.TrimSuffix(deBefore(name), name)
}

// OtherLang is the language the header's link switches to.
func (p *page) OtherLang() string {
	if p.Lang == langEN {
		return langFR
	}
	return langEN
}

func itoa(n int) string { return strconv.Itoa(n) }
