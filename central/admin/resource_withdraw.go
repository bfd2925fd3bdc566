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

// comingBookings counts the members' bookings to come of resource res,
// which keep it from being withdrawn, however far ahead (/resources shows
// 90 days), and returns the soonest (bookingsShown at most, with how many
// more) for the edit page to cancel them there.
func (s *Server) comingBookings(r *http.Request, res *central.Resource) (n int, rows []heldBooking, more int, err error) {
	bs, err := s.cfg.Bookings.FindBookings(r.Context(), central.BookingFilter{Resource: &res.ID, Since: s.now()})
	if err != nil {
		return 0, nil, 0, err
	}
	for _, b := range bs {
		if !b.Blocked && b.Member != 0 {
			n++
		}
	}
	held := resourcesData{Booked: map[int64][]heldBooking{}, BookedMore: map[int64]int{}}
	if err := s.heldBookings(r.Context(), []*central.Resource{res}, bs, &held); err != nil {
		return 0, nil, 0, err
	}
	return n, held.Booked[res.ID], held.BookedMore[res.ID], nil
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
	"resources.withdraw_coming":      {"%d réservations de membres à venir : annulez-les d’abord, ci-dessous, puis retirez-la. Chaque membre en est prévenu·e par e-mail quand l’e-mail est configuré.", "%d bookings of members to come: first cancel them, below, then withdraw it. Each member is told by e-mail when e-mail is set up."},
	"resources.withdraw_coming.one":  {"%d réservation d’un membre à venir : annulez-la d’abord, ci-dessous, puis retirez-la. Le membre en est prévenu·e par e-mail quand l’e-mail est configuré.", "%d booking of a member to come: first cancel it, below, then withdraw it. The member is told by e-mail when e-mail is set up."},
	"resources.withdrawn":            {"Retirées", "Withdrawn"},
	"resources.withdrawn_help":       {"Plus proposées aux membres dans « Réserver ».", "No longer offered to members in “Book”."},
	"resources.withdrawn_flag":       {"Retirée : les membres ne la voient plus dans « Réserver ».", "Withdrawn: members no longer see it in “Book”."},
	"resources.restore":              {"Remettre en service", "Put back into service"},
	"done.resource_withdrawn":        {"Ressource retirée : les membres ne la voient plus dans « Réserver ».", "Resource withdrawn: members no longer see it in “Book”."},
	"done.resource_restored":         {"Ressource remise en service : les membres peuvent de nouveau la réserver.", "Resource back in service: members can book it again."},
	"audit.action.resource.withdraw": {"Ressource retirée des réservations", "Resource withdrawn from booking"},
	"audit.action.resource.restore":  {"Ressource remise en service", "Resource put back into service"},
})
