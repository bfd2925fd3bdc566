package admin

import (
	"net/http"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

type auditData struct {
	Actor, Action, Object string
	Events                []*central.AuditEvent
	Pager                 pager
}

// auditList shows who changed what, when (GET /audit?actor=&action=&object=).
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, offset := pageOf(q)
	d := auditData{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Object: strings.TrimSpace(q.Get("object"))}
	es, n, err := s.cfg.Audit.FindAuditEvents(r.Context(), central.AuditFilter{Actor: d.Actor, Action: d.Action,
		Object: d.Object, Offset: offset, Limit: perPage})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Events, d.Pager = es, newPager("/audit", q, page, n)
	s.render(w, r, "audit", s.newPage(r, "audit.title", d))
}
