package billing

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/shared/french"
)

// A minimal PDF 1.4 writer for receipts (ISO 32000-1 is PDF 1.7, a
// superset): one A4 page of text in the standard Helvetica fonts, which
// every PDF reader has, so no font is embedded.
//
// PDF 1.4 reference: https://opensource.adobe.com/dc-acrobat-sdk-docs/pdfstandards/pdfreference1.4.pdf
// (Appendix D gives WinAnsiEncoding; section 5.5.1 the standard Type 1 fonts.)
//
// Why not a library: what a receipt draws is one page of text, which the
// standard fonts and WinAnsiEncoding (French accents, €) cover in about a
// hundred lines. The PDF library served to this project,
// github.com/go-pdf/fpdf v0.9.0, has had no release since 2023 and its
// repository is archived: a dependency that would no longer get fixes, for
// less than we need to write. Text is encoded in WinAnsiEncoding
// (Windows-1252), which covers French (é, è, à, ç, œ, «, », €...).
// Streams are not compressed: a receipt is a few kilobytes.

// PDF page size: A4 in points.
const (
	pageWidth  = 595.28
	pageHeight = 841.89
)

// Fonts of the page.
const (
	regular = "F1" // Helvetica
	bold    = "F2" // Helvetica-Bold
)

// page collects the drawing operators of the page.
type pdfPage struct {
	ops bytes.Buffer
}

// text draws s at (x, y) (points from the bottom left) in a font and size.
// The pages are in French: s gets French typography's no-break spaces
// (french.Spaces: « Date : », « payeur : », a product's « guillemets »),
// as the admin's pages and the mails have, which a reader copying the
// text keeps.
func (p *pdfPage) text(font string, size, x, y float64, s string) {
	fmt.Fprintf(&p.ops, "BT /%s %.1f Tf %.2f %.2f Td %s Tj ET\n", font, size, x, y, pdfString(french.Spaces(s)))
}

// textRight draws s so that it ends at x.
func (p *pdfPage) textRight(font string, size, x, y float64, s string) {
	p.text(font, size, x-textWidth(s, size), y, s)
}

// line draws a line from (x1, y1) to (x2, y2).
func (p *pdfPage) line(x1, y1, x2, y2, width float64) {
	fmt.Fprintf(&p.ops, "%.2f w %.2f %.2f m %.2f %.2f l S\n", width, x1, y1, x2, y2)
}

// textWidth is the width of s in points: Helvetica's widths (in 1/1000 of
// the size) for the characters of amounts and dates, which are the only
// texts aligned right; 556 (a digit) for any other.
func textWidth(s string, size float64) float64 {
	var w int
	for _, r := range s {
		switch r {
		case ' ', '\u00a0', '\u202f', ',', '.', '/', ':':
			w += 278
		case '-':
			w += 333
		case '%':
			w += 889
		default:
			w += 556 // digits and €
		}
	}
	return float64(w) * size / 1000
}

// winAnsi maps the characters of Windows-1252's 0x80–0x9F range; 0xA0–0xFF
// are Latin-1, like Unicode.
var winAnsi = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89,
	'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95,
	'–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
	'\u202f': 0xa0, // narrow no-break space (French amounts): a no-break space
}

// encodeWinAnsi converts UTF-8 text to WinAnsiEncoding; characters it
// cannot show become "?" and control characters a space.
func encodeWinAnsi(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			out = append(out, '?')
		case r < 0x20 || r == 0x7f:
			out = append(out, ' ')
		case r < 0x80 || (r >= 0xa0 && r <= 0xff):
			out = append(out, byte(r))
		default:
			if b, ok := winAnsi[r]; ok {
				out = append(out, b)
			} else {
				out = append(out, '?')
			}
		}
	}
	return out
}

// pdfString writes s as a PDF literal string: parentheses and backslashes
// escaped, bytes outside printable ASCII in octal.
func pdfString(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for _, c := range encodeWinAnsi(s) {
		switch {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c > 0x7e:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// writePDF writes a one-page document with the page's operators.
func writePDF(w io.Writer, p *pdfPage, title string, created time.Time) error {
	var buf bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	// The second line's bytes above 127 tell tools the file is binary.
	buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "+
		"/Resources << /Font << /%s 4 0 R /%s 5 0 R >> >> /Contents 6 0 R >>", pageWidth, pageHeight, regular, bold))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", p.ops.Len(), p.ops.Bytes()))
	obj(fmt.Sprintf("<< /Title %s /Producer (Badgeuse) /CreationDate (D:%s) >>",
		pdfString(title), created.UTC().Format("20060102150405Z")))
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(offsets)+1, len(offsets), xref)
	_, err := w.Write(buf.Bytes())
	return err
}
