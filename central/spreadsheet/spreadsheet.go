// Package spreadsheet reads members from an association's spreadsheet,
// exported as CSV: a header row naming the columns, then one member per
// row. It accepts what volunteers' tools produce: comma or semicolon (or
// tab) separators, UTF-8 with or without a byte order mark, English or
// French headers ("name", "nom", "prénom", "e-mail", "courriel"...), and
// reports problems line by line instead of stopping at the first.
//
// Plan then decides which rows are members already known: the one plan of
// both imports, `centrald member import` and the admin's.
package spreadsheet

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/central"
)

// MaxSize is the largest file read (a few thousand members take well under
// a megabyte).
const MaxSize = 16 << 20

// Row is one member read from the file.
type Row struct {
	Line  int // line number in the file, from 1 (the header)
	Name  string
	Email string
}

// LineError is a problem with one line; the other lines are still read.
type LineError struct {
	Line   int
	Reason string
	// Err is the *central.Error behind Reason, when there is one (for a
	// translation of the reason); nil for a CSV syntax error.
	Err error
	// Name and Email are what the line says, as typed (empty for a CSV
	// syntax error): the admin's preview shows them, so that the volunteer
	// knows which line to correct.
	Name, Email string
}

// ErrNotUTF8 is the error of a file that is not UTF-8 text.
var ErrNotUTF8 = errors.New("the file is not UTF-8 text: in the spreadsheet, save as \"CSV UTF-8\"")

// HeaderError is the error of a header without a name column.
type HeaderError struct{ Header []string }

func (e *HeaderError) Error() string {
	return fmt.Sprintf("no name column in the header %q: want name (or nom, or prénom and nom) and email (or e-mail, courriel)", strings.Join(e.Header, ","))
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// Column names, normalized (lower case, no accents, letters and digits
// only).
var (
	nameHeaders  = []string{"name", "nom", "nomcomplet", "fullname", "nometprenom", "prenometnom", "prenomnom", "nomprenom", "membre", "adherent", "adherente"}
	firstHeaders = []string{"prenom", "firstname", "givenname"}
	lastHeaders  = []string{"nom", "nomdefamille", "lastname", "surname", "familyname"}
	emailHeaders = []string{"email", "mail", "courriel", "mel", "adressemail", "adresseemail", "adressecourriel", "adresseelectronique", "emailaddress"}
)

// ReadMembers reads a CSV file with a header row. It returns the rows that
// are fine, and a LineError for each line that is not (no name, invalid
// e-mail, an e-mail already on an earlier line). The error is for a file
// that cannot be read at all: not UTF-8, no header, no name column.
func ReadMembers(r io.Reader) ([]Row, []LineError, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read: %w", err)
	}
	if len(data) > MaxSize {
		return nil, nil, fmt.Errorf("file larger than %d MiB", MaxSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, nil, ErrNotUTF8
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = separator(data)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, errors.New("the file is empty")
	} else if err != nil {
		return nil, nil, fmt.Errorf("header: %w", err)
	}
	cols, err := columns(header)
	if err != nil {
		return nil, nil, err
	}
	var rows []Row
	var errs []LineError
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				errs = append(errs, LineError{Line: perr.StartLine, Reason: perr.Err.Error()})
				continue
			}
			return nil, nil, fmt.Errorf("line %d: %w", line, err)
		}
		if blank(rec) {
			continue
		}
		row := Row{Line: line, Name: cols.fullName(rec), Email: strings.TrimSpace(field(rec, cols.email))}
		m := central.Member{Name: row.Name, Email: row.Email}
		if err := m.Validate(); err != nil {
			errs = append(errs, LineError{Line: line, Reason: central.ErrorMessage(err), Err: err, Name: row.Name, Email: row.Email})
			continue
		}
		row.Name, row.Email = m.Name, m.Email
		if row.Email != "" {
			key := strings.ToLower(row.Email)
			if first, dup := seen[key]; dup {
				dup := central.Errorf(central.EINVALID, "e-mail %s already on line %d", row.Email, first)
				errs = append(errs, LineError{Line: line, Reason: dup.Message, Err: dup, Name: row.Name, Email: row.Email})
				continue
			}
			seen[key] = line
		}
		rows = append(rows, row)
	}
	return rows, errs, nil
}

// separator guesses the separator from the header line: the most frequent
// of semicolon, comma and tab outside quotes (French spreadsheets use
// semicolons, since the comma is their decimal mark).
func separator(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(data) {
		if c == '"' {
			quoted = !quoted
		} else if !quoted && (c == '\n' || c == '\r') {
			break
		} else if !quoted {
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

type cols struct{ name, first, last, email int }

func columns(header []string) (cols, error) {
	c := cols{-1, -1, -1, -1}
	find := func(names []string, skip ...int) int {
		for i, h := range header {
			if contains(skip, i) {
				continue
			}
			if contains(names, normalize(h)) {
				return i
			}
		}
		return -1
	}
	c.email = find(emailHeaders)
	c.first = find(firstHeaders)
	if c.first >= 0 {
		c.last = find(lastHeaders, c.first)
	}
	if c.first < 0 || c.last < 0 {
		c.name = find(nameHeaders, c.first)
	}
	if c.name < 0 && c.first < 0 && c.last < 0 {
		return c, &HeaderError{Header: header}
	}
	return c, nil
}

// fullName returns the member's name: "first last" when the file splits them.
func (c cols) fullName(rec []string) string {
	if c.first >= 0 {
		parts := []string{field(rec, c.first), field(rec, c.last)}
		if c.last < 0 {
			parts[1] = field(rec, c.name)
		}
		return strings.TrimSpace(strings.Join(parts, " "))
	}
	return field(rec, c.name)
}

func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

var accents = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "ä", "a",
	"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c", "É", "e", "È", "e")

// normalize lowers a header, drops accents and keeps letters and digits:
// "E-mail" and "Adresse e-mail" become "email" and "adresseemail".
func normalize(h string) string {
	h = accents.Replace(strings.ToLower(strings.TrimSpace(h)))
	var b strings.Builder
	for _, c := range h {
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// MemberFinder finds members: central.MemberService's FindMembers.
type MemberFinder interface {
	FindMembers(ctx context.Context, filter central.MemberFilter) ([]*central.Member, int, error)
}

// Planned is a row of the file and what an import does with it.
type Planned struct {
	Row
	// Known is the member the row already is, skipped by an import (so an
	// import can be run again); 0 for a member to add.
	Known int64
}

// Plan decides, for each row, whether it adds a member or is one already
// known: by e-mail; or, for a row without an e-mail, by the same name and
// no e-mail either. It is the one plan of both imports (`centrald member
// import` and the admin's), so that they skip the same rows.
func Plan(ctx context.Context, members MemberFinder, rows []Row) ([]Planned, error) {
	plan := make([]Planned, 0, len(rows))
	for _, row := range rows {
		email, name := row.Email, row.Name
		f := central.MemberFilter{Email: &email, Limit: 1}
		if email == "" {
			f = central.MemberFilter{Name: &name, Email: &email, Limit: 1}
		}
		found, _, err := members.FindMembers(ctx, f)
		if err != nil {
			return nil, err
		}
		p := Planned{Row: row}
		if len(found) > 0 {
			p.Known = found[0].ID
		}
		plan = append(plan, p)
	}
	return plan, nil
}
