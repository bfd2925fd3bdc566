package central_test

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

func TestPlanPayment(t *testing.T) {
	const (
		none      = central.PaymentStatus("")
		waiting   = central.PaymentWaiting
		unmatched = central.PaymentUnmatched
		credited  = central.PaymentCredited
		refunded  = central.PaymentReversed
		ignored   = central.PaymentIgnored
	)
	for _, tc := range []struct {
		status central.PaymentStatus
		state  central.PaymentState
		want   central.PaymentStep
	}{
		{none, central.PaymentPending, central.StepWait},
		{none, central.PaymentPaid, central.StepCredit},
		{none, central.PaymentRefunded, central.StepDrop},
		{waiting, central.PaymentPending, central.StepKeep},
		{waiting, central.PaymentPaid, central.StepCredit},
		{waiting, central.PaymentRefunded, central.StepDrop},
		{unmatched, central.PaymentPaid, central.StepCredit}, // a mapping may have been added since
		{unmatched, central.PaymentRefunded, central.StepDrop},
		{credited, central.PaymentPaid, central.StepKeep}, // the duplicate notification
		{credited, central.PaymentPending, central.StepKeep},
		{credited, central.PaymentRefunded, central.StepRefund},
		{refunded, central.PaymentPaid, central.StepKeep}, // never credited again
		{refunded, central.PaymentRefunded, central.StepKeep},
		{ignored, central.PaymentPaid, central.StepKeep},
		{ignored, central.PaymentRefunded, central.StepDrop},
		{none, "weird", central.StepWait},
	} {
		if got := central.PlanPayment(tc.status, tc.state); got != tc.want {
			t.Errorf("PlanPayment(%q, %q) = %d, want %d", tc.status, tc.state, got, tc.want)
		}
	}
}

func TestMatchProduct(t *testing.T) {
	maps := []*central.PaymentMapping{
		{Source: "helloasso", Form: "adhesion-2026", Item: "Carte 10 entrées", Product: 1},
		{Source: "helloasso", Form: "adhesion-2026", Item: "Abonnement mensuel", Product: 2},
		{Source: "helloasso", Form: "boutique", Item: "", Product: 3},
		{Source: "other", Form: "adhesion-2026", Item: "Carte 10 entrées", Product: 4},
	}
	for _, tc := range []struct {
		form, item string
		want       int64
	}{
		{"adhesion-2026", "Carte 10 entrées", 1},
		{"ADHESION-2026", "  carte  10 ENTREES ", 1},
		{"adhesion-2026", "Abonnement mensuel", 2},
		{"adhesion-2026", "Don", 0},
		{"boutique", "anything", 3},
		{"other-form", "Carte 10 entrées", 0},
	} {
		got, ok := central.MatchProduct(maps, "helloasso", tc.form, tc.item)
		if got != tc.want || ok != (tc.want != 0) {
			t.Errorf("MatchProduct(%q, %q) = %d, %v; want %d", tc.form, tc.item, got, ok, tc.want)
		}
	}
}

func TestMemberEmail(t *testing.T) {
	payer := central.Payer{Email: "alice@example.org", FirstName: "Alice", LastName: "Martin"}
	for _, tc := range []struct {
		name      string
		item      central.PaymentItem
		payer     central.Payer
		want, why string
	}{
		{"NoBeneficiary", central.PaymentItem{}, payer, "alice@example.org", ""},
		{"PayerIsBeneficiary", central.PaymentItem{FirstName: "ALICE", LastName: "Martin"}, payer, "alice@example.org", ""},
		{"Accents", central.PaymentItem{FirstName: "Éloïse", LastName: "Dupré"},
			central.Payer{Email: "e@example.org", FirstName: "Eloise", LastName: "dupre"}, "e@example.org", ""},
		{"OtherBeneficiary", central.PaymentItem{FirstName: "Bob", LastName: "Martin"}, payer, "", central.ReasonBeneficiary},
		{"BeneficiaryEmail", central.PaymentItem{FirstName: "Bob", LastName: "Martin", Email: "bob@example.org"}, payer, "bob@example.org", ""},
		{"NoEmail", central.PaymentItem{}, central.Payer{FirstName: "Alice"}, "", central.ReasonNoEmail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, why := tc.item.MemberEmail(tc.payer)
			if got != tc.want || why != tc.why {
				t.Fatalf("MemberEmail = %q, %q; want %q, %q", got, why, tc.want, tc.why)
			}
		})
	}
}
