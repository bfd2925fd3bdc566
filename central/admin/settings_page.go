package admin

import (
	"net/http"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

// coreSettings are the settings the page shows with their own labels;
// any other key of central's table shows under "Other settings".
var coreSettings = []string{central.SettingSpaceName, central.SettingTimezone, central.SettingHours,
	central.SettingStaleAfter, central.SettingStalePolicy, central.SettingRetentionDays}

type settingField struct {
	Key    string
	Label  string // message key, "" for other settings (Doc is shown)
	Doc    string
	Value  string // "" for secrets: write-only
	Secret bool
	IsSet  bool
}

type settingsData struct {
	Core  []settingField
	Other []settingField
	Users []*central.AdminUser
	// The new user form.
	Email string
	Role  central.Role
}

func (s *Server) settingsFields(r *http.Request) ([]settingField, []settingField, error) {
	values, err := s.cfg.Settings.Settings(r.Context())
	if err != nil {
		return nil, nil, err
	}
	var core, other []settingField
	isCore := map[string]bool{}
	for _, k := range coreSettings {
		isCore[k] = true
		def, _ := central.LookupSetting(k)
		core = append(core, settingField{Key: k, Label: "setting." + k, Doc: def.Doc, Value: values.Get(k)})
	}
	for _, def := range central.SettingDefs() {
		if isCore[def.Key] {
			continue
		}
		_, set := values[def.Key]
		f := settingField{Key: def.Key, Doc: def.Doc, Secret: def.Secret, IsSet: set}
		if !def.Secret {
			f.Value = values.Get(def.Key)
		}
		other = append(other, f)
	}
	return core, other, nil
}

// settingsPage shows the settings and the admin users (GET /settings).
func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) {
	s.renderSettings(w, r, http.StatusOK, settingsData{Role: central.RoleDoor}, "")
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, d settingsData, errText string) {
	var err error
	if d.Core, d.Other, err = s.settingsFields(r); err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.Users, err = s.cfg.Store.FindAdminUsers(r.Context()); err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "settings.title", d)
	p.Error = errText
	s.renderStatus(w, r, status, "settings", p)
}

// settingsSave stores the settings of the form that changed (POST
// /settings). An empty secret field keeps the secret.
func (s *Server) settingsSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	values, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, def := range central.SettingDefs() {
		v, present := r.PostForm["s."+def.Key]
		if !present || len(v) != 1 {
			continue
		}
		val := strings.TrimSpace(v[0])
		if def.Secret && val == "" {
			continue
		}
		if val == values.Get(def.Key) {
			continue
		}
		if err := s.cfg.Settings.SetSetting(ctx, def.Key, val); err != nil {
			if central.ErrorCode(err) == central.EINVALID {
				s.renderSettings(w, r, http.StatusBadRequest, settingsData{Role: central.RoleDoor}, errorText(requestLang(r), err))
				return
			}
			s.failErr(w, r, err)
			return
		}
	}
	redirect(w, r, "/settings", "settings_saved")
}

// userCreate adds an admin user (POST /settings/users).
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	d := settingsData{Email: strings.TrimSpace(r.PostFormValue("email")), Role: central.Role(r.PostFormValue("role"))}
	lang := requestLang(r)
	pw := r.PostFormValue("password")
	if err := central.ValidateEmail(d.Email); err != nil {
		s.renderSettings(w, r, http.StatusBadRequest, d, translate(lang, "user.error.email"))
		return
	}
	if !d.Role.Valid() {
		s.renderSettings(w, r, http.StatusBadRequest, d, translate(lang, "user.error.role"))
		return
	}
	if err := CheckPassword(pw); err != nil {
		s.renderSettings(w, r, http.StatusBadRequest, d, translate(lang, "user.error.password", MinPasswordLength))
		return
	}
	hash, err := HashPassword(pw)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if err := s.cfg.Store.CreateAdminUser(r.Context(), &central.AdminUser{Email: d.Email, Role: d.Role, PasswordHash: hash}); err != nil {
		if central.ErrorCode(err) == central.ECONFLICT {
			s.renderSettings(w, r, http.StatusConflict, d, translate(lang, "user.error.taken"))
			return
		}
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/settings", "user_created")
}

// userUpdate changes an admin user's role, disables or enables her, or
// sets a new password (POST /settings/users/{id}). An admin cannot
// disable herself or drop her own admin role (the bureau would lock
// itself out).
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
	if me := requestUser(r); me.ID == id && ((upd.Disabled != nil && *upd.Disabled) || (upd.Role != nil && *upd.Role != central.RoleAdmin)) {
		s.fail(w, r, http.StatusBadRequest, "user.error.self")
		return
	}
	if _, err := s.cfg.Store.UpdateAdminUser(r.Context(), id, upd); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/settings", "user_saved")
}
