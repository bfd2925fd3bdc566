package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// memberForm is the member form's fields.
type memberForm struct {
	ID          int64
	Name        string
	Email       string
	SlackOptOut bool
	// Once is a new member's form's one-time token (once.go).
	Once string
	// ErrField and ErrText: a mistake in one field, said next to it
	// (issue 18), with what was typed kept.
	ErrField, ErrText string
}

func readMemberForm(r *http.Request) memberForm {
	return memberForm{
		Name:        strings.TrimSpace(r.PostFormValue("name")),
		Email:       strings.TrimSpace(r.PostFormValue("email")),
		SlackOptOut: r.PostFormValue("slack_opt_out") == "1",
		Once:        formOnce(r),
	}
}

// validate checks the form and returns a message key and its field, or
// "".
func (f memberForm) validate() (key, field string) {
	switch {
	case f.Name == "":
		return "member.error.name", "name"
	case len(f.Name) > 200:
		return "member.error.name_long", "name"
	case f.Email != "" && central.ValidateEmail(f.Email) != nil:
		return "member.error.email", "email"
	}
	return "", ""
}

func (s *Server) renderMemberForm(w http.ResponseWriter, r *http.Request, status int, f memberForm, errText string) {
	title := "member.new"
	if f.ID != 0 {
		title = "member.edit"
	}
	if f.ErrField != "" {
		f.ErrText = errText
	}
	p := s.newPage(r, title, f)
	if f.ErrField == "" {
		p.Error = errText
	}
	s.renderStatus(w, r, status, "member_form", p)
}

// memberNew shows the member form (GET /members/new), empty or with the
// name and e-mail of ?name= and ?email= (a payment's payer, from the
// payments page: payments.html), to be checked before saving.
func (s *Server) memberNew(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := memberForm{Name: prefill(q.Get("name")), Email: prefill(q.Get("email"))}
	var err error
	if f.Once, err = s.newOnce(); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.renderMemberForm(w, r, http.StatusOK, f, "")
}

// prefill bounds a form's value given in a link's query.
func prefill(v string) string {
	v = strings.TrimSpace(v)
	if len(v) > 200 {
		return ""
	}
	return v
}

// memberCreate adds a member (POST /members).
func (s *Server) memberCreate(w http.ResponseWriter, r *http.Request) {
	f := readMemberForm(r)
	lang := requestLang(r)
	if key, field := f.validate(); key != "" {
		f.ErrField = field
		s.renderMemberForm(w, r, http.StatusBadRequest, f, translate(lang, key))
		return
	}
	m := &central.Member{Name: f.Name, Email: f.Email, SlackOptOut: f.SlackOptOut, Status: access.MemberActive,
		Space: requestScope(r).MemberSpace()} // a space's bureau registers her at its space
	// The form sent twice (a double tap) adds her once.
	s.actOnce(w, r, "/members", "member_once", func() string {
		if err := s.cfg.Members.CreateMember(r.Context(), m); err != nil {
			s.memberSaveFailed(w, r, f, err)
			return ""
		}
		to := "/members/" + strconv.FormatInt(m.ID, 10)
		// A member with an address is welcomed by e-mail: her link, a badge.
		if sent, err := s.sendWelcome(r.Context(), r, m, ""); err != nil {
			s.failErr(w, r, err) // she is added: the form sent again goes to her
		} else if sent {
			redirect(w, r, to, "member_welcomed")
		} else {
			redirect(w, r, to, "member_created")
		}
		return to
	})
}

func (s *Server) memberSaveFailed(w http.ResponseWriter, r *http.Request, f memberForm, err error) {
	lang := requestLang(r)
	switch central.ErrorCode(err) {
	case central.ECONFLICT:
		f.ErrField = "email"
		s.renderMemberForm(w, r, http.StatusConflict, f, translate(lang, "member.error.email_taken"))
	case central.EINVALID:
		s.renderMemberForm(w, r, http.StatusBadRequest, f, errorText(lang, err))
	default:
		s.failErr(w, r, err)
	}
}

// pathID reads a numeric path parameter.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// memberOf returns the member of the {id} path parameter, or writes 404.
func (s *Server) memberOf(w http.ResponseWriter, r *http.Request) (*central.Member, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return nil, false
	}
	m, err := s.cfg.Members.FindMemberByID(r.Context(), id)
	if err != nil {
		s.failErr(w, r, err)
		return nil, false
	}
	return m, true
}

// memberEdit shows a member's form (GET /members/{id}/edit).
func (s *Server) memberEdit(w http.ResponseWriter, r *http.Request) {
	m, ok := s.memberOf(w, r)
	if !ok {
		return
	}
	s.renderMemberForm(w, r, http.StatusOK, memberForm{ID: m.ID, Name: m.Name, Email: m.Email, SlackOptOut: m.SlackOptOut}, "")
}

// memberUpdate saves a member's form (POST /members/{id}).
func (s *Server) memberUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	f := readMemberForm(r)
	f.ID = id
	if key, field := f.validate(); key != "" {
		f.ErrField = field
		s.renderMemberForm(w, r, http.StatusBadRequest, f, translate(requestLang(r), key))
		return
	}
	if _, err := s.cfg.Members.UpdateMember(r.Context(), id, central.MemberUpdate{Name: &f.Name, Email: &f.Email,
		SlackOptOut: &f.SlackOptOut}); err != nil {
		s.memberSaveFailed(w, r, f, err)
		return
	}
	redirect(w, r, "/members/"+strconv.FormatInt(id, 10), "member_saved")
}

// memberStatus suspends, archives or reactivates a member
// (POST /members/{id}/status, status=active|suspended|archived).
func (s *Server) memberStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	st := access.MemberStatus(r.PostFormValue("status"))
	if !ok || !st.Valid() {
		s.fail(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	if _, err := s.cfg.Members.UpdateMember(r.Context(), id, central.MemberUpdate{Status: &st}); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/members/"+strconv.FormatInt(id, 10), "status_"+string(st))
}

// memberErase erases a member's personal data on request (GDPR), after a
// confirmation box typed "ERASE"/"EFFACER" (POST /members/{id}/erase).
func (s *Server) memberErase(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if r.PostFormValue("confirm") != "1" {
		s.fail(w, r, http.StatusBadRequest, "member.erase.unconfirmed")
		return
	}
	if err := s.cfg.Members.EraseMember(r.Context(), id); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/members", "member_erased")
}
