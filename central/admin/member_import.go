package admin

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/spreadsheet"
	"github.com/badgeuse/badgeuse/shared/access"
)

// importLine is one line of the preview: a member to add, or why not.
type importLine struct {
	Line  int
	Name  string
	Email string
	Error string // translated; "" when the line will be imported
}

type importData struct {
	CSV   string // the file, sent again with "apply"
	Lines []importLine
	OK    int
	Bad   int
}

// importPage shows the import form (GET /members/import).
func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "member_import", s.newPage(r, "import.title", importData{}))
}

// importMembers reads a members CSV with the same reader as the command
// line (central/spreadsheet) and either previews it line by line
// (action=preview, the file uploaded) or adds the good lines in one
// transaction (action=apply, the file sent back by the preview).
func (s *Server) importMembers(w http.ResponseWriter, r *http.Request) {
	lang := requestLang(r)
	var data []byte
	if r.PostFormValue("action") == "apply" {
		data = []byte(r.PostFormValue("csv"))
	} else if f, _, err := r.FormFile("file"); err == nil {
		data, err = io.ReadAll(io.LimitReader(f, maxFormBytes))
		f.Close()
		if err != nil {
			s.failErr(w, r, err)
			return
		}
	} else {
		data = []byte(r.PostFormValue("text"))
	}
	d := importData{CSV: string(data)}
	showErr := func(text string) {
		p := s.newPage(r, "import.title", d)
		p.Error = text
		s.renderStatus(w, r, http.StatusBadRequest, "member_import", p)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		showErr(translate(lang, "import.error.empty"))
		return
	}
	rows, lineErrs, err := spreadsheet.ReadMembers(bytes.NewReader(data))
	if err != nil {
		showErr(importFileError(lang, err))
		return
	}
	ctx := r.Context()
	var members []*central.Member
	plan, err := spreadsheet.Plan(ctx, s.cfg.Members, rows)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, row := range plan {
		l := importLine{Line: row.Line, Name: row.Name, Email: row.Email}
		switch {
		case row.Known != 0 && row.Email != "":
			l.Error = translate(lang, "import.error.exists")
		case row.Known != 0:
			l.Error = translate(lang, "import.error.exists_name")
		}
		if l.Error == "" {
			members = append(members, &central.Member{Name: row.Name, Email: row.Email, Status: access.MemberActive})
			d.OK++
		} else {
			d.Bad++
		}
		d.Lines = append(d.Lines, l)
	}
	for _, le := range lineErrs {
		reason := le.Reason
		if le.Err != nil {
			reason = domainMessage(lang, le.Err)
		}
		d.Lines = append(d.Lines, importLine{Line: le.Line, Name: le.Name, Email: le.Email, Error: reason})
		d.Bad++
	}
	sortLines(d.Lines)
	if r.PostFormValue("action") != "apply" {
		s.render(w, r, "member_import", s.newPage(r, "import.preview", d))
		return
	}
	if len(members) == 0 {
		showErr(translate(lang, "import.error.none"))
		return
	}
	if err := s.cfg.Members.CreateMembers(ctx, members); err != nil {
		if code := central.ErrorCode(err); code == central.EINVALID || code == central.ECONFLICT {
			showErr(errorText(lang, err))
			return
		}
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/members", "imported")
}

// importFileError explains why a file cannot be read at all.
func importFileError(lang string, err error) string {
	var he *spreadsheet.HeaderError
	switch {
	case errors.Is(err, spreadsheet.ErrNotUTF8):
		return translate(lang, "import.error.utf8")
	case errors.As(err, &he):
		return translate(lang, "import.error.header", strings.Join(he.Header, ", "))
	}
	return translate(lang, "import.error.file", err.Error())
}

func sortLines(ls []importLine) {
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && ls[j].Line < ls[j-1].Line; j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}
