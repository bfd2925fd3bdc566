package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// Editing a room or equipment (GET /resources/{id}/edit, POST
// /resources/{id}/edit): what its creation asks, its name, space,
// bookable hours, slot and weekly limit. What may change is the domain's
// rule (central.CheckResourceChange, in the store's transaction): not
// another space while bookings are to come, not hours a booking to come
// would fall out of. A user of a space edits her space's resources only
// (checkScope: another's answers 404) and keeps them at her space,
// whatever the form says; a network user picks the space, as she does
// for an unknown place (« Espace inconnu »).

// resourceForm is the edit form's fields, as typed.
type resourceForm struct {
	Name, Space, Opens, Closes, Slot, MaxHours string
	// ErrField ("name", "space", "opens", "closes", "slot", "max_hours")
	// and ErrText: why the form was refused, said under that field.
	ErrField, ErrText string
}

type resourceEditData struct {
	Resource *central.Resource
	Form     resourceForm
	// Spaces are what a network user picks the space from (placeChoices).
	Spaces []*central.Space
	// Unknown flags a place that names no space (UnknownPlace).
	Unknown string
	// Zone names the clock of its hours when not the network's.
	Zone string
	// Coming counts the members' bookings to come of a bookable
	// resource, which keep it from being withdrawn (resource_withdraw.go);
	// WithdrawErr is why withdrawing it was refused.
	Coming      int
	WithdrawErr string
	// ComingRows are the soonest of them, with a cancel each (ComingMore
	// not shown).
	ComingRows []heldBooking
	ComingMore int
}

// resourceFormOf returns the form of a resource: its place as its
// space's key (a place typed as the space's name, in any case, selects
// that space).
func resourceFormOf(p *page, res *central.Resource) (resourceForm, error) {
	f := resourceForm{Name: res.Name, Space: res.Space, Opens: p.Minutes(res.Opens), Closes: timeInput(p, res.Closes),
		Slot: strconv.Itoa(int(res.Slot / time.Minute)), MaxHours: strconv.Itoa(int(res.MaxPerWeek / time.Hour))}
	if err := p.readSpaces(); err != nil {
		return f, err
	}
	if sp := central.SpaceByID(p.spaces, central.EventSpace(p.spaces, res.Space)); sp != nil {
		f.Space = sp.Key
	}
	return f, nil
}

// timeInput writes a closing time for a time input, which has no 24:00:
// midnight is 00:00 (closesMinutes reads it back as 24:00).
func timeInput(p *page, m int) string {
	if m == 24*60 {
		return "00:00"
	}
	return p.Minutes(m)
}

// closesMinutes reads a closing time: 00:00 is midnight at the day's end
// (a time input cannot say 24:00), else as clockMinutes.
func closesMinutes(v string) int {
	if m := clockMinutes(v); m != 0 {
		return m
	}
	return 24 * 60
}

// resourceOf returns the resource of the {id} path parameter, or writes
// 404 (checkScope has refused another space's already).
func (s *Server) resourceOf(w http.ResponseWriter, r *http.Request) (*central.Resource, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return nil, false
	}
	res, err := s.scopedResource(r.Context(), id, requestScope(r))
	if err != nil {
		s.failErr(w, r, err)
		return nil, false
	}
	if res == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return nil, false
	}
	return res, true
}

// resourceEdit shows the form that edits a resource (GET
// /resources/{id}/edit).
func (s *Server) resourceEdit(w http.ResponseWriter, r *http.Request) {
	res, ok := s.resourceOf(w, r)
	if !ok {
		return
	}
	f, err := resourceFormOf(s.newPage(r, "", nil), res)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.renderResourceEdit(w, r, res, f, http.StatusOK)
}

func (s *Server) renderResourceEdit(w http.ResponseWriter, r *http.Request, res *central.Resource, f resourceForm, status int) {
	s.renderResourceEditWithdraw(w, r, res, f, status, "")
}

// renderResourceEditWithdraw is renderResourceEdit saying why withdrawing
// the resource was refused (withdrawErr).
func (s *Server) renderResourceEditWithdraw(w http.ResponseWriter, r *http.Request, res *central.Resource, f resourceForm, status int, withdrawErr string) {
	d := resourceEditData{Resource: res, Form: f, WithdrawErr: withdrawErr}
	var err error
	if res.Active {
		if d.Coming, d.ComingRows, d.ComingMore, err = s.comingBookings(r, res); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	if d.Spaces, err = s.placeChoices(r); err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "resources.edit", nil)
	if d.Unknown, err = p.UnknownPlace(res.Space); err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.Zone, err = p.PlaceZone(res.Space); err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.Unknown != "" && d.Spaces == nil && requestScope(r).Network() {
		// A network of one space has no select: this resource needs one.
		d.Spaces = p.spaces
	}
	p.D = d
	s.renderStatus(w, r, status, "resource_edit", p)
}

// resourceFields are the form's fields refusals are said under, by the
// format of the domain's error (central.Resource.Validate,
// central.CheckResourceChange); "form" for any other.
var resourceFields = map[string]string{
	"Resource name required.":                                                                                        "name",
	"Resource name too long (%d characters at most).":                                                                "name",
	"A slot lasts from 5 minutes to 24 hours, in whole minutes.":                                                     "slot",
	"The bookable hours must hold a whole number of slots.":                                                          "slot",
	"Bookable hours: the opening comes before the closing, within the day.":                                          "closes",
	"The weekly limit cannot be negative.":                                                                           "max_hours",
	"Bookings to come (%d): the resource cannot move to another space until they are over or cancelled.":             "space",
	"A booking to come (%s) would not fit the new bookable hours or slots: keep them until it is over or cancelled.": "slot",
}

// resourceUpdate saves a resource's form (POST /resources/{id}/edit):
// 303 to the list, or 400 (409 for a change its bookings forbid) with the
// form as typed and the reason under its field.
func (s *Server) resourceUpdate(w http.ResponseWriter, r *http.Request) {
	old, ok := s.resourceOf(w, r)
	if !ok {
		return
	}
	f := resourceForm{Name: r.PostFormValue("name"), Space: r.PostFormValue("space"), Opens: r.PostFormValue("opens"),
		Closes: r.PostFormValue("closes"), Slot: r.PostFormValue("slot"), MaxHours: r.PostFormValue("max_hours")}
	_, sent := r.PostForm["space"]
	if !sent { // a network of one space, a user of a space: no select
		f.Space = old.Space
	}
	lang := requestLang(r)
	bad := func(status int, field, text string) {
		f.ErrField, f.ErrText = field, text
		s.renderResourceEdit(w, r, old, f, status)
	}
	// A user of a space keeps her space's resources at her space.
	place := requestScope(r).Place(f.Space)
	if sent {
		var err error
		if place, err = s.formPlace(r, f.Space); central.ErrorCode(err) == central.EINVALID {
			bad(http.StatusBadRequest, "space", domainMessage(lang, err))
			return
		} else if err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	res := &central.Resource{ID: old.ID, Name: f.Name, Space: place}
	if field, key := f.read(res); field != "" {
		bad(http.StatusBadRequest, field, translate(lang, key))
		return
	}
	if err := s.cfg.Bookings.UpdateResource(r.Context(), res); err != nil {
		if code := central.ErrorCode(err); code == central.EINVALID || code == central.ECONFLICT {
			bad(central.HTTPStatus(code), resourceField(err), domainMessage(lang, err))
			return
		}
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/resources", "resource_updated") // the flash at the top says it
}

// read sets res's bookable hours, slot and weekly limit from the form as
// typed, or says which field cannot be read (and the catalog key of
// why): a time that is none, a number that is none ("abc", "1,5"). An
// empty weekly limit is none (0). What is read is the domain's to judge.
func (f resourceForm) read(res *central.Resource) (field, key string) {
	res.Opens, res.Closes = clockMinutes(f.Opens), closesMinutes(f.Closes)
	if res.Opens < 0 {
		return "opens", "resources.bad_time"
	}
	if clockMinutes(f.Closes) < 0 {
		return "closes", "resources.bad_time"
	}
	slot, err := strconv.Atoi(strings.TrimSpace(f.Slot))
	if err != nil {
		return "slot", "resources.bad_number"
	}
	week := 0
	if v := strings.TrimSpace(f.MaxHours); v != "" {
		if week, err = strconv.Atoi(v); err != nil {
			return "max_hours", "resources.bad_number"
		}
	}
	res.Slot, res.MaxPerWeek = time.Duration(slot)*time.Minute, time.Duration(week)*time.Hour
	return "", ""
}

// resourceField is the field a refusal of the domain is said under
// (resourceFields), "form" for any other.
func resourceField(err error) string {
	var ce *central.Error
	if errors.As(err, &ce) && resourceFields[ce.Format] != "" {
		return resourceFields[ce.Format]
	}
	return "form"
}

var _ = addMessages(map[string][2]string{
	"resources.edit":          {"Modifier la ressource", "Edit the resource"},
	"resources.edit_link":     {"Modifier", "Edit"},
	"resources.edit_help":     {"Les réservations faites restent : une ressource ne change pas d’espace tant qu’elle en a à venir, ni d’heures qui en laisseraient une dehors.", "Bookings made stay: a resource does not change space while it has some to come, nor to hours that would leave one out."},
	"resources.closes_help":   {"00:00 : jusqu’à minuit.", "00:00: until midnight."},
	"resources.place_unknown": {"L’espace de cette ressource, « %s », n’existe pas (une version plus ancienne l’acceptait) : choisissez ci-dessous son espace, puis enregistrez.", "This resource's space, “%s”, does not exist (an older version accepted it): pick its space below, then save."},
	"resources.bad_time":      {"Une heure attendue, comme 09:00.", "A time expected, such as 09:00."},
	"resources.bad_number":    {"Un nombre entier attendu, comme 30.", "A whole number expected, such as 30."},
	"done.resource_updated":   {"Ressource enregistrée.", "Resource saved."},
})
