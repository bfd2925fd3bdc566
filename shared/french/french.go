// Package french holds French typography that both programs write: the
// admin and member pages, the mails and the PDFs of central, the door
// screen of the kiosk.
package french

import "strings"

// noBreak puts a no-break space (U+00A0) where French typography wants
// one, in place of the ordinary space the texts are written with.
var noBreak = strings.NewReplacer(
	" :", "\u00a0:", " ;", "\u00a0;", " ?", "\u00a0?", " !", "\u00a0!",
	"« ", "«\u00a0", " »", "\u00a0»",
)

// Spaces returns French text s with no-break spaces before « : », « ; »,
// « ? » and « ! » and inside « guillemets », so that a narrow screen (a
// phone at 390 px, the door screen) never starts a line with the sign or
// ends one with an opening quote. Only an ordinary space next to the sign
// changes: "https://", "18:00", "?space=2" and a space already no-break
// stay as they are. The texts are written with ordinary spaces, easier to
// read and to type; this is for French only (English puts no space there)
// and for what people read, not for what programs parse (CSV, command
// output, URLs).
func Spaces(s string) string {
	return noBreak.Replace(s)
}
