package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// recentPayments is how many payments the list shows besides the
// unmatched ones.
const recentPayments = 50

type paymentRow struct {
	*central.Payment
	// Suggested is the member to preselect: the one Badgeuse matched by
	// e-mail, else the one whose name is the beneficiary's or the
	// payer's; Pick the product to preselect (the item's mapped one).
	// After a refused assignment, both are what the treasurer chose.
	Suggested int64
	Pick      int64
	// Event is the paid event whose form the payment paid (nil: none):
	// its payer is registered for it, not sold a product.
	Event *central.CalendarEvent
	// ErrField ("member" or "product") and ErrText: why its assignment
	// was refused, said next to that field.
	ErrField, ErrText string
	// Choices are the members its "Who paid?" list offers: every member
	// in an association of up to pickerAll; past that (Narrowed), the
	// suggested one, those whose name shares a word with the payer's or
	// the beneficiary's or whose e-mail is the payer's, and, when the
	// treasurer searched for this payment (Query), the members found
	// (Found, the only one preselected; More when there were more than
	// pickerFound).
	Choices  []*central.Member
	Narrowed bool
	Query    string
	Found    []*central.Member
	More     bool
}

// pickerAll is the number of members up to which every "Who paid?" list
// offers them all: a phone's list scrolls through a few hundred names,
// not through thousands (and each waiting payment has its own list).
const pickerAll = 300

// pickerFound bounds the members a search offers, and pickerHinted those
// the payer's name and e-mail point to.
const (
	pickerFound  = 50
	pickerHinted = 20
)

// maxPickerQuery bounds the search typed for a payment, in bytes.
const maxPickerQuery = 100

// assignFailure is a refused assignment, for the page drawn again.
type assignFailure struct {
	payment, member, product int64
	field, text              string
}

type paymentListData struct {
	Unmatched []paymentRow
	Recent    []*central.Payment
	Members   []*central.Member
	Products  []*central.Product
	// Dropped are the latest notifications whose order HelloAsso refused
	// or did not know (forged, mistyped, another organization's): nothing
	// was credited; DroppedCount counts them all (until the outbox purges
	// them).
	Dropped      []droppedOrder
	DroppedCount int

	names map[int64]string
}

// MemberName is the name of a member of the list (the recent payments'),
// "" when she is not among them.
func (d *paymentListData) MemberName(id int64) string {
	if d.names == nil {
		d.names = make(map[int64]string, len(d.Members))
		for _, m := range d.Members {
			d.names[m.ID] = m.Name
		}
	}
	return d.names[id]
}

// droppedOrder is a notification dropped because HelloAsso refused its
// order.
type droppedOrder struct {
	When   time.Time
	Order  string
	Answer string // HelloAsso's answer, as the worker noted it
}

// droppedOrdersShown is how many dropped notifications the list shows.
const droppedOrdersShown = 10

// paymentList shows the HelloAsso payments waiting for the bureau, each
// with a form to assign it in two clicks (the member, then "Assign"), and
// the latest payments (GET /payments).
func (s *Server) paymentList(w http.ResponseWriter, r *http.Request) {
	if !s.billingEnabled(w, r) {
		return
	}
	s.renderPayments(w, r, http.StatusOK, nil, "")
}

// renderPayments draws the payments page; after a refused assignment
// (fail), with its error next to the field of that payment's form and
// the member and product chosen kept, or errText above the list when the
// payment is no longer there to assign.
func (s *Server) renderPayments(w http.ResponseWriter, r *http.Request, status int, fail *assignFailure, errText string) {
	ctx := r.Context()
	var d paymentListData
	unmatched := central.PaymentUnmatched
	ps, _, err := s.cfg.Payments.FindPayments(ctx, central.PaymentFilter{Status: &unmatched, Limit: 200})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.Recent, _, err = s.cfg.Payments.FindPayments(ctx, central.PaymentFilter{Limit: recentPayments}); err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.Members, _, err = s.cfg.Members.FindMembers(ctx, central.MemberFilter{Limit: 5000}); err != nil {
		s.failErr(w, r, err)
		return
	}
	sort.SliceStable(d.Members, func(i, j int) bool { return foldSpaces(d.Members[i].Name) < foldSpaces(d.Members[j].Name) })
	active := true
	if d.Products, _, err = s.cfg.Products.FindProducts(ctx, central.ProductFilter{Active: &active}); err != nil {
		s.failErr(w, r, err)
		return
	}
	if s.cfg.Outbox != nil {
		items, n, err := s.cfg.Outbox.FindOutbox(ctx, central.OutboxFilter{TopicPrefix: central.TopicPaymentOrder,
			State: central.OutcomeFailed, Limit: droppedOrdersShown})
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		d.DroppedCount = n
		for _, it := range items {
			var notice central.PaymentNotice
			json.Unmarshal([]byte(it.Payload), &notice) // an unreadable one shows without its order
			d.Dropped = append(d.Dropped, droppedOrder{When: it.Done, Order: notice.Order, Answer: it.Error})
		}
	}
	events, err := s.paidEventForms(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	// A search for one payment's payer (GET /payments?for=ID&q=...).
	searchFor, _ := strconv.ParseInt(r.URL.Query().Get("for"), 10, 64)
	query := strings.TrimSpace(clipText(r.URL.Query().Get("q"), maxPickerQuery))
	for _, p := range ps {
		row := paymentRow{Payment: p, Suggested: p.Member, Pick: p.Product,
			Event: events[p.Source+" "+strings.ToLower(p.Form)]}
		if row.Suggested == 0 {
			row.Suggested = suggestMember(d.Members, p.BeneficiaryName, p.PayerName)
		}
		if fail != nil && fail.payment == p.ID {
			row.Suggested, row.Pick, row.ErrField, row.ErrText = fail.member, fail.product, fail.field, fail.text
		}
		row.Choices = d.Members
		if len(d.Members) > pickerAll {
			row.Narrowed = true
			if searchFor == p.ID && query != "" {
				row.Query = query
				if row.Found, row.More, err = s.pickerSearch(ctx, query); err != nil {
					s.failErr(w, r, err)
					return
				}
				if len(row.Found) == 1 {
					row.Suggested = row.Found[0].ID // whom she looked for
				}
			}
			row.Choices = pickerChoices(d.Members, row)
		}
		d.Unmatched = append(d.Unmatched, row)
	}
	page := s.newPage(r, "payments.title", &d)
	page.Error = errText
	s.renderStatus(w, r, status, "payments", page)
}

// paidEventForms returns the paid events by their form ("source form",
// the form lower-case, as central.EventPayment keeps it).
func (s *Server) paidEventForms(ctx context.Context) (map[string]*central.CalendarEvent, error) {
	out := map[string]*central.CalendarEvent{}
	if s.cfg.EventPayments == nil {
		return out, nil
	}
	eps, err := s.cfg.EventPayments.EventPayments(ctx)
	if err != nil {
		return nil, err
	}
	for _, ep := range eps {
		ev, err := s.cfg.Calendar.FindEvent(ctx, ep.Event)
		if central.ErrorCode(err) == central.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[ep.Source+" "+ep.Form] = ev
	}
	return out, nil
}

// pickerSearch returns the members whose name or e-mail contains query
// (at most pickerFound; more when there were others).
func (s *Server) pickerSearch(ctx context.Context, query string) (found []*central.Member, more bool, err error) {
	ms, _, err := s.cfg.Members.FindMembers(ctx, central.MemberFilter{Query: query, Limit: pickerFound + 1})
	if err != nil {
		return nil, false, err
	}
	if len(ms) > pickerFound {
		return ms[:pickerFound], true, nil
	}
	return ms, false, nil
}

// pickerChoices returns the members a payment's list offers in a large
// association, by name: the one preselected, the members found, and those
// the payment points to (a word of the payer's or the beneficiary's name
// in theirs, or the payer's e-mail), at most pickerHinted of the latter.
func pickerChoices(all []*central.Member, row paymentRow) []*central.Member {
	words := map[string]bool{}
	for _, name := range []string{row.PayerName, row.BeneficiaryName} {
		for _, w := range strings.Fields(central.FoldText(name)) {
			if len([]rune(w)) >= 2 {
				words[w] = true
			}
		}
	}
	email := strings.ToLower(strings.TrimSpace(row.PayerEmail))
	seen := map[int64]bool{}
	var out []*central.Member
	add := func(m *central.Member) {
		if !seen[m.ID] {
			seen[m.ID] = true
			out = append(out, m)
		}
	}
	hinted := 0
	for _, m := range all {
		switch {
		case m.ID == row.Suggested:
			add(m)
		case hinted < pickerHinted && (email != "" && strings.ToLower(m.Email) == email || sharesWord(m.Name, words)):
			add(m)
			hinted++
		}
	}
	for _, m := range row.Found {
		add(m)
	}
	sort.SliceStable(out, func(i, j int) bool { return foldSpaces(out[i].Name) < foldSpaces(out[j].Name) })
	return out
}

// sharesWord reports whether one of name's words (folded) is in words.
func sharesWord(name string, words map[string]bool) bool {
	for _, w := range strings.Fields(central.FoldText(name)) {
		if words[w] {
			return true
		}
	}
	return false
}

// suggestMember returns the only member named as one of names, or 0.
func suggestMember(ms []*central.Member, names ...string) int64 {
	for _, name := range names {
		if name == "" {
			continue
		}
		var found int64
		n := 0
		for _, m := range ms {
			if foldSpaces(m.Name) == foldSpaces(name) {
				found, n = m.ID, n+1
			}
		}
		if n == 1 {
			return found
		}
	}
	return 0
}

// paymentAssign credits an unmatched payment to a member (POST
// /payments/{id}/assign: member, product).
func (s *Server) paymentAssign(w http.ResponseWriter, r *http.Request) {
	fail, lang, ok := s.assignForm(w, r)
	if !ok {
		return
	}
	id, member := fail.payment, fail.member
	product, _ := strconv.ParseInt(r.PostFormValue("product"), 10, 64)
	fail.product = product
	switch {
	case member <= 0:
		fail.field, fail.text = "member", translate(lang, "payments.error.member")
	case product <= 0:
		fail.field, fail.text = "product", translate(lang, "payments.error.product")
	}
	if fail.field != "" {
		s.renderPayments(w, r, http.StatusBadRequest, fail, "")
		return
	}
	if _, err := s.cfg.Payments.AssignPayment(r.Context(), id, member, product); err != nil {
		code := central.ErrorCode(err)
		switch {
		case code == central.ECONFLICT || code == central.ENOTFOUND && !s.paymentExists(r, id):
			// Assigned or set aside meanwhile (another treasurer, the
			// member's claim): nothing left to do on it.
			s.renderPayments(w, r, central.HTTPStatus(code), nil, translate(lang, "payments.error.gone"))
		case code == central.ENOTFOUND || code == central.EINVALID:
			// The member erased, the product no longer sold: choose again.
			fail.field, fail.text = "product", domainMessage(lang, err)+" "+translate(lang, "payments.error.choose_again")
			if code == central.ENOTFOUND && !s.memberExists(r, member) {
				fail.field, fail.text = "member", translate(lang, "payments.error.member_gone")
			}
			s.renderPayments(w, r, central.HTTPStatus(code), fail, "")
		default:
			s.failErr(w, r, err)
		}
		return
	}
	redirect(w, r, "/payments", "payment_assigned")
}

// paymentRegister registers the member who paid an unmatched payment of
// a paid event's form for that event (POST /payments/{id}/register:
// member), as the payment would have had it named her.
func (s *Server) paymentRegister(w http.ResponseWriter, r *http.Request) {
	fail, lang, ok := s.assignForm(w, r)
	if !ok {
		return
	}
	id, member := fail.payment, fail.member
	if member <= 0 {
		fail.field, fail.text = "member", translate(lang, "payments.error.member")
		s.renderPayments(w, r, http.StatusBadRequest, fail, "")
		return
	}
	if _, err := s.cfg.Payments.AssignPaymentToEvent(r.Context(), id, member); err != nil {
		code := central.ErrorCode(err)
		switch {
		case code == central.ECONFLICT || code == central.ENOTFOUND && !s.paymentExists(r, id):
			s.renderPayments(w, r, central.HTTPStatus(code), nil, translate(lang, "payments.error.gone"))
		case code == central.ENOTFOUND:
			fail.field, fail.text = "member", translate(lang, "payments.error.member_gone")
			s.renderPayments(w, r, central.HTTPStatus(code), fail, "")
		case code == central.EINVALID:
			// The event was made free meanwhile: the page offers products.
			s.renderPayments(w, r, central.HTTPStatus(code), nil, errorText(lang, err))
		default:
			s.failErr(w, r, err)
		}
		return
	}
	redirect(w, r, "/payments", "payment_registered")
}

// assignForm reads what the forms that give an unmatched payment to a
// member share: the payment in the path and the member chosen (0 when
// none), kept in the failure that redraws the page. ok is false once it
// has answered (billing off, no such payment).
func (s *Server) assignForm(w http.ResponseWriter, r *http.Request) (fail *assignFailure, lang string, ok bool) {
	if !s.billingEnabled(w, r) {
		return nil, "", false
	}
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return nil, "", false
	}
	member, _ := strconv.ParseInt(r.PostFormValue("member"), 10, 64)
	return &assignFailure{payment: id, member: member}, requestLang(r), true
}

// paymentExists reports whether the payment is still unmatched.
func (s *Server) paymentExists(r *http.Request, id int64) bool {
	p, err := s.cfg.Payments.FindPaymentByID(r.Context(), id)
	return err == nil && p.Status == central.PaymentUnmatched
}

// memberExists reports whether the member is (still) there.
func (s *Server) memberExists(r *http.Request, id int64) bool {
	ms, _, err := s.cfg.Members.FindMembers(r.Context(), central.MemberFilter{ID: &id, Limit: 1})
	return err == nil && len(ms) == 1
}

// paymentIgnore sets an unmatched payment aside (POST
// /payments/{id}/ignore).
func (s *Server) paymentIgnore(w http.ResponseWriter, r *http.Request) {
	s.billingAction(w, r, func(ctx context.Context, id int64) error {
		_, err := s.cfg.Payments.IgnorePayment(ctx, id)
		return err
	}, "/payments", "payment_ignored")
}
