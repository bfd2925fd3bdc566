package admin

import (
	"net/http"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

type memberListData struct {
	Query   string
	Status  string
	Dues    string // "paid", "unpaid" or ""
	Members []*central.Member
	Pager   pager
}

// memberList lists and searches members (GET /members?q=&status=&dues=paid|unpaid&page=).
func (s *Server) memberList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, offset := pageOf(q)
	d := memberListData{Query: q.Get("q"), Status: q.Get("status"), Dues: q.Get("dues")}
	f := central.MemberFilter{Query: d.Query, Space: requestScope(r).MemberSpace(), Offset: offset, Limit: perPage}
	if st := access.MemberStatus(d.Status); st.Valid() {
		f.Status = &st
	} else {
		d.Status = ""
	}
	switch d.Dues {
	case "paid", "unpaid":
		paid := d.Dues == "paid"
		f.DuesPaid = &paid
	default:
		d.Dues = ""
	}
	ms, n, err := s.cfg.Members.FindMembers(r.Context(), f)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Members, d.Pager = ms, newPager("/members", q, page, n)
	s.render(w, r, "member_list", s.newPage(r, "members.title", d))
}
