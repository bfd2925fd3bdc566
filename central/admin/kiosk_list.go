package admin

import (
	"net/http"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

type kioskListData struct {
	Kiosks []kioskView
	Name   string
	Space  string
	// After an enrollment: the one-time token and the line to paste on
	// the kiosk, shown once.
	Enrolled *central.Kiosk
	Token    string
	Command  string
	// MinKioskVersion is the oldest kioskd central supports: an older one
	// is marked to update.
	MinKioskVersion string
}

// kioskList lists kiosks: last sync, pending entries, software (GET /kiosks).
func (s *Server) kioskList(w http.ResponseWriter, r *http.Request) {
	s.renderKiosks(w, r, http.StatusOK, kioskListData{}, "")
}

func (s *Server) renderKiosks(w http.ResponseWriter, r *http.Request, status int, d kioskListData, errText string) {
	p := s.newPage(r, "kiosks.title", nil)
	if err := s.loadKiosks(r, p, &d); err != nil {
		s.failErr(w, r, err)
		return
	}
	p.D = d
	p.Error = errText
	s.renderStatus(w, r, status, "kiosk_list", p)
}

// loadKiosks fills d with the kiosks and their health, said in p's
// language and the space's zone.
func (s *Server) loadKiosks(r *http.Request, p *page, d *kioskListData) error {
	ks, _, err := s.cfg.Kiosks.FindKiosks(r.Context(), central.KioskFilter{})
	if err != nil {
		return err
	}
	var healths map[int64]*central.KioskHealth
	if s.cfg.KioskHealth != nil {
		if healths, err = s.cfg.KioskHealth.KioskHealths(r.Context()); err != nil {
			return err
		}
	}
	now := s.cfg.Now()
	d.Kiosks = make([]kioskView, len(ks))
	for i, k := range ks {
		d.Kiosks[i] = newKioskView(p.Lang, p.loc, k, healths[k.ID], now, s.cfg.KioskSilentAfter)
	}
	d.MinKioskVersion = central.MinKioskVersion
	return nil
}

// publicURL is the address kiosks and members reach central at.
func (s *Server) publicURL(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/")
	}
	scheme := "http"
	if s.isHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// kioskCreate enrolls a kiosk (POST /kiosks): shows its one-time token and
// the exact command to paste on the Pi.
func (s *Server) kioskCreate(w http.ResponseWriter, r *http.Request) {
	d := kioskListData{Name: strings.TrimSpace(r.PostFormValue("name")), Space: strings.TrimSpace(r.PostFormValue("space"))}
	if d.Name == "" {
		s.renderKiosks(w, r, http.StatusBadRequest, d, translate(requestLang(r), "kiosk.error.name"))
		return
	}
	k := &central.Kiosk{Name: d.Name, Space: d.Space}
	token, err := s.cfg.Kiosks.CreateKiosk(r.Context(), k)
	if err != nil {
		if central.ErrorCode(err) == central.EINVALID {
			s.renderKiosks(w, r, http.StatusBadRequest, d, errorText(requestLang(r), err))
			return
		}
		s.failErr(w, r, err)
		return
	}
	// The line works as is on a Pi installed from the badgeuse-kiosk
	// package: run as root, kioskd enroll writes the data folder as its
	// owner, the service user kioskd (see kiosk/cmd/kioskd).
	d = kioskListData{Enrolled: k, Token: token,
		Command: "sudo kioskd enroll --data /var/lib/kioskd --central " + s.publicURL(r) + " --token " + token}
	s.renderKioskPage(w, r, d)
}

func (s *Server) renderKioskPage(w http.ResponseWriter, r *http.Request, d kioskListData) {
	p := s.newPage(r, "kiosks.title", nil)
	if err := s.loadKiosks(r, p, &d); err != nil {
		s.failErr(w, r, err)
		return
	}
	p.D = d
	p.Flash = "done.kiosk_created"
	s.render(w, r, "kiosk_list", p)
}

// kioskUpdate renames a kiosk or changes its space (POST /kiosks/{id}).
func (s *Server) kioskUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	name, space := r.PostFormValue("name"), r.PostFormValue("space")
	if _, err := s.cfg.Store.UpdateKiosk(r.Context(), id, central.KioskUpdate{Name: &name, Space: &space}); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/kiosks", "kiosk_saved")
}

// kioskDisabled disables or enables a kiosk (POST /kiosks/{id}/disabled,
// disabled=0|1).
func (s *Server) kioskDisabled(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err := s.cfg.Kiosks.SetKioskDisabled(r.Context(), id, r.PostFormValue("disabled") == "1"); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/kiosks", "kiosk_saved")
}
