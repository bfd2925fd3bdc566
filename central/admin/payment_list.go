package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
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
	// payer's.
	Suggested int64
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
	for _, p := range ps {
		row := paymentRow{Payment: p, Suggested: p.Member}
		if row.Suggested == 0 {
			row.Suggested = suggestMember(d.Members, p.BeneficiaryName, p.PayerName)
		}
		d.Unmatched = append(d.Unmatched, row)
	}
	s.render(w, r, "payments", s.newPage(r, "payments.title", d))
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
	if !s.billingEnabled(w, r) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	member, err1 := strconv.ParseInt(r.PostFormValue("member"), 10, 64)
	product, err2 := strconv.ParseInt(r.PostFormValue("product"), 10, 64)
	if err1 != nil || err2 != nil || member <= 0 || product <= 0 {
		s.failErr(w, r, central.Errorf(central.EINVALID, "Choose a member and a product."))
		return
	}
	if _, err := s.cfg.Payments.AssignPayment(r.Context(), id, member, product); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/payments", "payment_assigned")
}

// paymentIgnore sets an unmatched payment aside (POST
// /payments/{id}/ignore).
func (s *Server) paymentIgnore(w http.ResponseWriter, r *http.Request) {
	s.billingAction(w, r, func(ctx context.Context, id int64) error {
		_, err := s.cfg.Payments.IgnorePayment(ctx, id)
		return err
	}, "/payments", "payment_ignored")
}
