package admin

import (
	"net/http"
	"strconv"
)

type linkData struct {
	Member int64
	Name   string
	URL    string
	QR     qrImage
	MailOn bool // "send by e-mail" (mail.go)
}

// linkCreate makes a member's self-service link, revoking the previous
// one, and answers 303 to its one-time view (POST /members/{id}/link).
func (s *Server) linkCreate(w http.ResponseWriter, r *http.Request) {
	m, ok := s.memberOf(w, r)
	if !ok {
		return
	}
	_, token, err := s.cfg.Store.CreateMemberLink(r.Context(), m.ID)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d := linkData{Member: m.ID, Name: m.Name, URL: s.publicURL(r) + "/m/" + token, MailOn: m.Email != "" && s.mailsOn(r.Context())}
	if d.QR, err = newQR(d.URL, 384); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.showView(w, r, &secretView{member: m.ID, view: "member_link", title: "link.title", flash: "done.link_created", data: d})
}

// linkRevoke revokes a member's self-service link (POST /members/{id}/link/revoke).
func (s *Server) linkRevoke(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err := s.cfg.Store.RevokeMemberLinks(r.Context(), id); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/members/"+strconv.FormatInt(id, 10), "link_revoked")
}
