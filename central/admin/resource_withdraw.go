package admin

import (
	"net/http"

	"github.com/badgeuse/badgeuse/central"
)

// Withdrawing a room or equipment (POST /resources/{id}/withdraw) and
// putting it back (POST /resources/{id}/restore): an association gives up
// a room, a projector breaks. Its edit page has « Retirer » in a box that
// says what happens before the button that does it (no script); members
// no longer see it on « Réserver », their portal's grid of it shows
// another, and /resources lists it apart (« Retirées ») with « Remettre
// en service ». The domain refuses while members hold bookings of it to
// come (central.WithdrawResource): the edit page says how many and leads
// to /resources, where the bureau cancels each, the member told by
// e-mail. Blocked times stay. Roles and spaces as its edit (checkScope:
// another space's answers 404).

// comingBookings counts the members' bookings of resource id to come (not
// over, not cancelled; blocks not counted).
func (s *Server) comingBookings(r *http.Request, id int64) (int, error) {
	bs, err := s.cfg.Bookings.FindBookings(r.Context(), central.BookingFilter{Resource: &id, Since: s.now()})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, b := range bs {
		if !b.Blocked && b.Member != 0 {
			n++
		}
	}
	return n, nil
}

// resourceWithdraw withdraws a resource: 303 to /resources saying
// « Ressource retirée : … », or 409 with its edit page saying why (members'
// bookings to come). Twice is no error.
func (s *Server) resourceWithdraw(w http.ResponseWriter, r *http.Request) {
	res, ok := s.resourceOf(w, r)
	if !ok {
		return
	}
	if err := s.cfg.Bookings.WithdrawResource(r.Context(), res.ID); err != nil {
		if central.ErrorCode(err) != central.ECONFLICT {
			s.failErr(w, r, err)
			return
		}
		f, ferr := resourceFormOf(s.newPage(r, "", nil), res)
		if ferr != nil {
			s.failErr(w, r, ferr)
			return
		}
		s.renderResourceEditWithdraw(w, r, res, f, http.StatusConflict, domainMessage(requestLang(r), err))
		return
	}
	redirect(w, r, "/resources", "resource_withdrawn")
}

// resourceRestore puts a withdrawn resource back into service: 303 to
// /resources. Twice is no error.
func (s *Server) resourceRestore(w http.ResponseWriter, r *http.Request) {
	res, ok := s.resourceOf(w, r)
	if !ok {
		return
	}
	if err := s.cfg.Bookings.RestoreResource(r.Context(), res.ID); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/resources", "resource_restored")
}

var _ = addMessages(map[string][2]string{
	"resources.withdraw":             {"Retirer", "Withdraw"},
	"resources.withdraw_title":       {"Retirer des réservations", "Withdraw from booking"},
	"resources.withdraw_help":        {"Une salle que l’association n’a plus, du matériel en panne : retirée, elle n’est plus proposée aux membres dans « Réserver ».", "A room the association no longer has, broken equipment: withdrawn, it is no longer offered to members in “Book”."},
	"resources.withdraw_confirm":     {"Retirer « %s » ? Les membres ne la verront plus dans « Réserver » et ne pourront plus la réserver. Les temps bloqués restent. Elle reste listée à part, sous « Retirées », d’où vous pourrez la remettre en service.", "Withdraw “%s”? Members will no longer see it in “Book” nor book it. Blocked times stay. It stays listed apart, under “Withdrawn”, where you can put it back into service."},
	"resources.withdraw_yes":         {"Oui, retirer « %s »", "Yes, withdraw “%s”"},
	"resources.withdraw_coming":      {"%d réservations de membres à venir : annulez-les d’abord sur « Salles et matériel », puis revenez la retirer. Chaque membre en est prévenu·e par e-mail quand l’e-mail est configuré.", "%d bookings of members to come: first cancel them on “Rooms and equipment”, then come back to withdraw it. Each member is told by e-mail when e-mail is set up."},
	"resources.withdraw_coming.one":  {"%d réservation d’un membre à venir : annulez-la d’abord sur « Salles et matériel », puis revenez la retirer. Le membre en est prévenu·e par e-mail quand l’e-mail est configuré.", "%d booking of a member to come: first cancel it on “Rooms and equipment”, then come back to withdraw it. The member is told by e-mail when e-mail is set up."},
	"resources.withdraw_see":         {"Voir ses réservations à venir", "See its bookings to come"},
	"resources.withdrawn":            {"Retirées", "Withdrawn"},
	"resources.withdrawn_help":       {"Plus proposées aux membres dans « Réserver ».", "No longer offered to members in “Book”."},
	"resources.withdrawn_flag":       {"Retirée : les membres ne la voient plus dans « Réserver ».", "Withdrawn: members no longer see it in “Book”."},
	"resources.restore":              {"Remettre en service", "Put back into service"},
	"done.resource_withdrawn":        {"Ressource retirée : les membres ne la voient plus dans « Réserver ».", "Resource withdrawn: members no longer see it in “Book”."},
	"done.resource_restored":         {"Ressource remise en service : les membres peuvent de nouveau la réserver.", "Resource back in service: members can book it again."},
	"audit.action.resource.withdraw": {"Ressource retirée des réservations", "Resource withdrawn from booking"},
	"audit.action.resource.restore":  {"Ressource remise en service", "Resource put back into service"},
})
