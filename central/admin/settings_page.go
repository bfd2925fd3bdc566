package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

// The settings page (GET /settings): central's settings that have no
// page of their own, in groups, each with its label and help (the
// catalog's "setting.KEY" and "setting.KEY.help"), links to the pages of
// the others (Slack, billing), and the admin users.

// settingsGroups are the groups of the page, in order. A key of central's
// settings table that is in no group and has no page of its own
// (settingsElsewhere) shows in the last group, "Avancé", under its key.
var settingsGroups = []struct {
	ID     string // also the title's message key: "settings.ID"
	Keys   []string
	Folded bool // closed until opened (details)
}{
	{"space", []string{central.SettingSpaceName, central.SettingTimezone, central.SettingHours}, false},
	{"kiosks", []string{central.SettingStaleAfter, central.SettingStalePolicy, central.SettingShowNames}, false},
	{"membership", []string{central.SettingRequireMembership, central.SettingMembershipCutoff}, false},
	{"privacy", []string{central.SettingRetentionDays}, false},
	// central/email's keys, known when centrald added them.
	{"email", []string{"smtp.host", "smtp.port", "smtp.tls", "smtp.username", "smtp.password", "smtp.from", "alerts.email"}, false},
	{"join", []string{central.SettingJoinEnabled, central.SettingJoinProducts, central.SettingJoinForms, central.SettingJoinPrivacyNotice}, false},
	{"advanced", []string{central.SettingTombstoneDays}, true},
}

// settingsElsewhere are the key prefixes with a page of their own:
// slack.* (slack_settings.go), billing's (billing_settings.go).
var settingsElsewhere = []string{"slack.", "helloasso.", "pennylane.", "billing.", "association.", "donations."}

func settingElsewhere(key string) bool {
	for _, p := range settingsElsewhere {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// settingsPageKeys returns the keys of the page's groups, the last group
// taking the keys no group lists.
func settingsPageKeys() [][]string {
	groups := make([][]string, len(settingsGroups))
	listed := map[string]bool{}
	for i, g := range settingsGroups {
		for _, k := range g.Keys {
			if _, ok := central.LookupSetting(k); ok {
				groups[i] = append(groups[i], k)
			}
			listed[k] = true
		}
	}
	last := len(groups) - 1
	for _, def := range central.SettingDefs() {
		if !listed[def.Key] && !settingElsewhere(def.Key) {
			groups[last] = append(groups[last], def.Key)
		}
	}
	return groups
}

type settingsGroup struct {
	ID     string
	Fields []settingField
	Folded bool
}

type settingsData struct {
	Groups  []settingsGroup
	Billing bool // the billing page exists: link to it
	Users   []*central.AdminUser
	// Mailer: the e-mail group has a test button; EmailTo and EmailTest
	// are its form and its result.
	Mailer    bool
	EmailTo   string
	EmailTest *emailTestResult
	// The new user form, and after a refusal the field at fault
	// ("email", "role", "space" or "password") and why, said next to it.
	Email             string
	Role              central.Role
	Space             int64 // 0: the whole network
	ErrField, ErrText string
	// Spaces are the network's, for the users' space select (scope.go).
	Spaces []*central.Space
}

// SpaceName names a user's space: the network (0), or one space.
func (d settingsData) SpaceName(id int64) string {
	if sp := central.SpaceByID(d.Spaces, id); sp != nil {
		return sp.Name
	}
	return ""
}

func (s *Server) settingsGroupFields(r *http.Request, invalid, errText string) ([]settingsGroup, error) {
	values, err := s.cfg.Settings.Settings(r.Context())
	if err != nil {
		return nil, err
	}
	var groups []settingsGroup
	for i, keys := range settingsPageKeys() {
		g := settingsGroup{ID: settingsGroups[i].ID, Folded: settingsGroups[i].Folded}
		for _, k := range keys {
			g.Fields = append(g.Fields, newSettingField(values, k))
		}
		markInvalid(g.Fields, invalid)
		keepTyped(r, g.Fields, invalid, errText)
		for _, f := range g.Fields {
			g.Folded = g.Folded && !f.Invalid // a refused value shows
		}
		groups = append(groups, g)
	}
	if err := s.fillChoices(r.Context(), groups, invalid); err != nil {
		return nil, err
	}
	return groups, nil
}

// settingsPage shows the settings and the admin users (GET /settings).
func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) {
	d := settingsData{Role: central.RoleDoor}
	if v, ok := s.resultView(r, "test", "email_test"); ok { // emailTest's answer
		res := v.(emailTestResult)
		d.EmailTo, d.EmailTest = res.To, &res
	}
	s.renderSettings(w, r, http.StatusOK, d, "")
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, d settingsData, errText string) {
	s.renderSettingsInvalid(w, r, status, d, errText, "")
}

func (s *Server) renderSettingsInvalid(w http.ResponseWriter, r *http.Request, status int, d settingsData, errText, invalid string) {
	var err error
	if d.Groups, err = s.settingsGroupFields(r, invalid, errText); err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Billing = s.cfg.Payments != nil && s.cfg.Billing != nil
	d.Mailer = s.cfg.Mailer != nil
	if d.Users, err = s.cfg.Store.FindAdminUsers(r.Context()); err != nil {
		s.failErr(w, r, err)
		return
	}
	if s.cfg.Spaces != nil {
		if d.Spaces, err = s.cfg.Spaces.FindSpaces(r.Context()); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	p := s.newPage(r, "settings.title", d)
	p.Error = errText
	s.renderStatus(w, r, status, "settings", p)
}

// settingsSave stores the settings of the page that the form posted and
// that changed (POST /settings); see saveSettings.
func (s *Server) settingsSave(w http.ResponseWriter, r *http.Request) {
	var keys []string
	for _, g := range settingsPageKeys() {
		keys = append(keys, g...)
	}
	badKey, badText, err := s.saveSettings(r, keys)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if badText != "" {
		s.renderSettingsInvalid(w, r, http.StatusBadRequest, settingsData{Role: central.RoleDoor}, badText, badKey)
		return
	}
	redirect(w, r, "/settings", "settings_saved")
}

// renderUserForm draws the settings again after the new user form was
// refused: what was typed kept (the password aside), the reason next to
// the field at fault; the form's action (#add-user) brings the phone's
// screen to it.
func (s *Server) renderUserForm(w http.ResponseWriter, r *http.Request, status int, d settingsData, field, text string) {
	d.ErrField, d.ErrText = field, text
	s.renderSettingsInvalid(w, r, status, d, "", "")
}

// userCreate adds an admin user (POST /settings/users).
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	d := settingsData{Email: strings.TrimSpace(r.PostFormValue("email")), Role: central.Role(r.PostFormValue("role"))}
	lang := requestLang(r)
	pw := r.PostFormValue("password")
	space, ok := s.formSpace(r)
	if !ok {
		s.renderUserForm(w, r, http.StatusBadRequest, d, "space", translate(lang, "user.error.space"))
		return
	}
	d.Space = space
	if err := central.ValidateEmail(d.Email); err != nil {
		s.renderUserForm(w, r, http.StatusBadRequest, d, "email", translate(lang, "user.error.email"))
		return
	}
	if !d.Role.Valid() {
		s.renderUserForm(w, r, http.StatusBadRequest, d, "role", translate(lang, "user.error.role"))
		return
	}
	if err := CheckPassword(pw); err != nil {
		s.renderUserForm(w, r, http.StatusBadRequest, d, "password", translate(lang, "user.error.password", MinPasswordLength))
		return
	}
	hash, err := HashPassword(pw)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if err := s.cfg.Store.CreateAdminUser(r.Context(), &central.AdminUser{Email: d.Email, Role: d.Role, Space: d.Space, PasswordHash: hash}); err != nil {
		if central.ErrorCode(err) == central.ECONFLICT {
			s.renderUserForm(w, r, http.StatusConflict, d, "email", translate(lang, "user.error.taken"))
			return
		}
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/settings#main", "user_created") // its flash, not the form's #add-user
}

// userUpdate changes an admin user's role, disables or enables her, or
// sets a new password (POST /settings/users/{id}). An admin cannot
// disable herself or drop her own admin role (the bureau would lock
// itself out). A new password logs the user out of every browser and
// ends her pending reset links (adminstore.UpdateAdminUser); an admin who
// changed her own stays logged in where she did, in a new session.
func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	lang := requestLang(r)
	var upd central.AdminUserUpdate
	if v := r.PostFormValue("role"); v != "" {
		role := central.Role(v)
		if !role.Valid() {
			s.fail(w, r, http.StatusBadRequest, "user.error.role")
			return
		}
		upd.Role = &role
	}
	if _, posted := r.PostForm["space"]; posted {
		space, ok := s.formSpace(r)
		if !ok {
			s.fail(w, r, http.StatusBadRequest, "user.error.space")
			return
		}
		upd.Space = &space
	}
	if v := r.PostFormValue("disabled"); v != "" {
		b := v == "1"
		upd.Disabled = &b
	}
	if pw := r.PostFormValue("password"); pw != "" {
		if err := CheckPassword(pw); err != nil {
			s.renderSettings(w, r, http.StatusBadRequest, settingsData{Role: central.RoleDoor},
				translate(lang, "user.error.password", MinPasswordLength))
			return
		}
		hash, err := HashPassword(pw)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		upd.PasswordHash = &hash
	}
	if me := requestUser(r); me.ID == id && ((upd.Disabled != nil && *upd.Disabled) || (upd.Role != nil && *upd.Role != central.RoleAdmin) ||
		(upd.Space != nil && *upd.Space != 0)) {
		s.fail(w, r, http.StatusBadRequest, "user.error.self")
		return
	}
	u, err := s.cfg.Store.UpdateAdminUser(r.Context(), id, upd)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if upd.PasswordHash != nil && requestUser(r).ID == id {
		if err := s.newSession(r.Context(), w, r, u); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	redirect(w, r, "/settings", "user_saved")
}

// formSpace reads the space field of an admin user's form: 0 (or
// nothing) for the whole network, else the id of a space of the network.
func (s *Server) formSpace(r *http.Request) (int64, bool) {
	v := strings.TrimSpace(r.PostFormValue("space"))
	if v == "" || v == "0" {
		return 0, true
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 || s.cfg.Spaces == nil {
		return 0, false
	}
	spaces, err := s.cfg.Spaces.FindSpaces(r.Context())
	if err != nil || central.SpaceByID(spaces, id) == nil {
		return 0, false
	}
	return id, true
}

// emailTestResult is what the mail server answered to the test mail.
type emailTestResult struct {
	To     string
	Answer string // the server's answer, verbatim
	Failed bool
}

// emailTest sends the test e-mail and shows the server's exact answer on
// the settings page (POST /settings/email/test). Like Slack's test, it
// answers 303 to the page that shows the answer (the session's view:
// secret_view.go), so that reloading it sends no other mail.
func (s *Server) emailTest(w http.ResponseWriter, r *http.Request) {
	d := settingsData{Role: central.RoleDoor, EmailTo: strings.TrimSpace(r.PostFormValue("to"))}
	lang := requestLang(r)
	if s.cfg.Mailer == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if central.ValidateEmail(d.EmailTo) != nil {
		s.renderSettings(w, r, http.StatusBadRequest, d, translate(lang, "user.error.email"))
		return
	}
	answer, err := s.cfg.Mailer.SendTest(r.Context(), d.EmailTo, lang)
	res := emailTestResult{To: d.EmailTo, Answer: answer}
	if err != nil {
		res.Answer, res.Failed = err.Error(), true
	}
	s.redirectToResult(w, r, "email_test", res, "/settings?test=", "#email-test")
}
