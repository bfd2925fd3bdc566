package admin

import (
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

type kioskListData struct {
	Kiosks []kioskView
	Name   string
	// Space is the space the new kiosk's form picks (its id); Spaces are
	// those the user may pick: every space of the network, or hers.
	Space  int64
	Spaces []*central.Space
	// ErrField ("name" or "space") and ErrText: why the new kiosk's form
	// was refused, said next to that field (the form is at the foot of
	// the list: an error above the list went unseen on a phone).
	ErrField, ErrText string
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
	if v, ok := s.resultView(r, "enrolled", "kiosk_enrolled"); ok { // kioskCreate's command
		s.renderKioskPage(w, r, v.(kioskListData))
		return
	}
	s.renderKiosks(w, r, http.StatusOK, kioskListData{})
}

// renderKiosks draws the kiosks' page; a refused new kiosk's reason is in
// d (ErrField, ErrText), next to its field.
func (s *Server) renderKiosks(w http.ResponseWriter, r *http.Request, status int, d kioskListData) {
	p := s.newPage(r, "kiosks.title", nil)
	if err := s.loadKiosks(r, p, &d); err != nil {
		s.failErr(w, r, err)
		return
	}
	p.D = d
	s.renderStatus(w, r, status, "kiosk_list", p)
}

// loadKiosks fills d with the kiosks and their health, said in p's
// language and the space's zone: for a user of a space, her space's.
func (s *Server) loadKiosks(r *http.Request, p *page, d *kioskListData) error {
	all, _, err := s.cfg.Kiosks.FindKiosks(r.Context(), central.KioskFilter{})
	if err != nil {
		return err
	}
	sc := requestScope(r)
	var ks []*central.Kiosk
	for _, k := range all {
		if sc.HasKiosk(k.ID) {
			ks = append(ks, k)
		}
	}
	spaces, err := s.kioskSpaces(r)
	if err != nil {
		return err
	}
	d.Spaces = spaces
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
		if sp := central.SpaceByID(spaces, central.SpaceOfKey(spaces, k.Space)); sp != nil {
			d.Kiosks[i].SpaceID, d.Kiosks[i].SpaceName = sp.ID, sp.Name
		}
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

// mailURL is the address of the links mailed on a request anyone may
// send (the lost link, a password reset, joining, a claim): the
// configured Config.PublicURL. Without it, publicURL would take the
// request's Host header, which the sender chooses: posting a victim's
// address with "Host: evil.example" would mail her a link to evil.example
// carrying her token (a password reset: the bureau account). The Host is
// then taken only when it names this machine (a demo or a test on
// localhost), where such a link leaks nothing; otherwise the mail is not
// sent (EINTERNAL, logged: centrald doctor says to set the address).
func (s *Server) mailURL(r *http.Request) (string, error) {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/"), nil
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if ip := net.ParseIP(host); strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback()) {
		return s.publicURL(r), nil
	}
	return "", central.Errorf(central.EINTERNAL, "No link mailed: CENTRALD_PUBLIC_URL is not set, and the request's Host %q is not trusted.", r.Host)
}

// kioskSpaces returns the spaces the user may give a kiosk: the
// network's, or hers alone. Without Config.Spaces: the main space.
func (s *Server) kioskSpaces(r *http.Request) ([]*central.Space, error) {
	if sc := requestScope(r); !sc.Network() {
		return []*central.Space{sc.Space}, nil
	}
	if s.cfg.Spaces == nil {
		return []*central.Space{{ID: central.MainSpace}}, nil
	}
	return s.cfg.Spaces.FindSpaces(r.Context())
}

// pickedSpace returns the space of the form's space field (a space id
// among those the user may pick); with one to pick, that one. ok is
// false for any other value.
func (s *Server) pickedSpace(r *http.Request) (sp *central.Space, ok bool, err error) {
	spaces, err := s.kioskSpaces(r)
	if err != nil {
		return nil, false, err
	}
	v := strings.TrimSpace(r.PostFormValue("space"))
	if v == "" && len(spaces) == 1 {
		return spaces[0], true, nil
	}
	id, perr := strconv.ParseInt(v, 10, 64)
	if perr != nil {
		return nil, false, nil
	}
	sp = central.SpaceByID(spaces, id)
	return sp, sp != nil, nil
}

// kioskCreate enrolls a kiosk (POST /kiosks, name and space: the id of
// one of the network's spaces, a select): shows its one-time token and
// the exact command to paste on the Pi. A user of a space enrolls kiosks
// of her space only.
func (s *Server) kioskCreate(w http.ResponseWriter, r *http.Request) {
	d := kioskListData{Name: strings.TrimSpace(r.PostFormValue("name"))}
	sp, ok, err := s.pickedSpace(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if !ok {
		d.ErrField, d.ErrText = "space", translate(requestLang(r), "kiosk.error.space")
		s.renderKiosks(w, r, http.StatusBadRequest, d)
		return
	}
	d.Space = sp.ID
	if d.Name == "" {
		d.ErrField, d.ErrText = "name", translate(requestLang(r), "kiosk.error.name")
		s.renderKiosks(w, r, http.StatusBadRequest, d)
		return
	}
	// The form sent twice (a double tap) adds one kiosk, and shows its
	// command again.
	s.actOnce(w, r, "/kiosks", "kiosk_once", func() string {
		k := &central.Kiosk{Name: d.Name, Space: sp.Key}
		token, err := s.cfg.Kiosks.CreateKiosk(r.Context(), k)
		if err != nil {
			if central.ErrorCode(err) == central.EINVALID {
				// The kiosk's only free field is its name.
				d.ErrField, d.ErrText = "name", errorText(requestLang(r), err)
				s.renderKiosks(w, r, http.StatusBadRequest, d)
				return ""
			}
			s.failErr(w, r, err)
			return ""
		}
		// The line works as is on a Pi installed from the badgeuse-kiosk
		// package: run as root, kioskd enroll writes the data folder as
		// its owner, the service user kioskd (see kiosk/cmd/kioskd).
		// The command is shown on the page the POST answers 303 to, to
		// the session that made the kiosk only (a one-time view:
		// secret_view.go), so that reloading it makes no other kiosk.
		d = kioskListData{Enrolled: k, Token: token,
			Command: "sudo kioskd enroll --data /var/lib/kioskd --central " + s.publicURL(r) + " --token " + token}
		return s.redirectToResult(w, r, "kiosk_enrolled", d, "/kiosks?enrolled=", "#enrolled")
	})
}

func (s *Server) renderKioskPage(w http.ResponseWriter, r *http.Request, d kioskListData) {
	p := s.newPage(r, "kiosks.title", nil)
	if err := s.loadKiosks(r, p, &d); err != nil {
		s.failErr(w, r, err)
		return
	}
	p.D = d
	if p.Flash == "" { // a form sent twice says so (actOnce)
		p.Flash = "done.kiosk_created"
	}
	s.render(w, r, "kiosk_list", p)
}

// kioskUpdate renames a kiosk or changes its space (POST /kiosks/{id},
// name and space: a space id, as kioskCreate). A kiosk whose free-text
// space of before spaces is the main space's keeps it while it stays at
// the main space (its visits carry it: "already in today").
func (s *Server) kioskUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	sp, ok, err := s.pickedSpace(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if !ok {
		s.fail(w, r, http.StatusBadRequest, "kiosk.error.space")
		return
	}
	space := sp.Key
	ks, _, err := s.cfg.Kiosks.FindKiosks(r.Context(), central.KioskFilter{})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, k := range ks {
		if k.ID == id && s.cfg.Spaces != nil {
			spaces, err := s.cfg.Spaces.FindSpaces(r.Context())
			if err != nil {
				s.failErr(w, r, err)
				return
			}
			if central.SpaceOfKey(spaces, k.Space) == sp.ID {
				space = k.Space
			}
		}
	}
	name := r.PostFormValue("name")
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
