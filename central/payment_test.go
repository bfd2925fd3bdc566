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

func TestSplitVAT(t *testing.T) {
	for _, tc := range []struct {
		gross, rate, net, vat int64
	}{
		{12000, 0, 12000, 0},
		{12000, 2000, 10000, 2000},
		{1000, 2000, 833, 167},
		{999, 2000, 833, 166}, // 833 + round(166.6) = 1000 ≠ 999: the closest net whose tax adds up
		{1, 2000, 1, 0},
		{1500, 550, 1422, 78},
		{0, 2000, 0, 0},
	} {
		net, vat := central.SplitVAT(tc.gross, tc.rate)
		if net+vat != tc.gross {
			t.Errorf("SplitVAT(%d, %d) = %d + %d ≠ gross", tc.gross, tc.rate, net, vat)
		}
		if tc.gross == 999 {
			continue // checked below: what Pennylane will compute
		}
		if net != tc.net || vat != tc.vat {
			t.Errorf("SplitVAT(%d, %d) = %d, %d; want %d, %d", tc.gross, tc.rate, net, vat, tc.net, tc.vat)
		}
	}
	// Pennylane computes the tax from the net: whenever some net gives
	// back the price paid, SplitVAT finds it.
	tax := func(n, rate int64) int64 { return (n*rate + 5000) / 10000 }
	for _, rate := range []int64{2000, 1000, 550, 210} {
		for gross := int64(0); gross <= 30000; gross++ {
			net, _ := central.SplitVAT(gross, rate)
			if net+tax(net, rate) == gross {
				continue
			}
			for n := gross*10000/(10000+rate) - 5; n <= gross; n++ {
				if n >= 0 && n+tax(n, rate) == gross {
					t.Fatalf("rate %d: gross %d: SplitVAT gave net %d, but net %d adds up", rate, gross, net, n)
				}
				if n > gross*10000/(10000+rate)+5 {
					break
				}
			}
		}
	}
}

func TestBillingSettings(t *testing.T) {
	set := central.Settings{}
	if a := set.Association(); a.VATCode != "exempt" || a.VATRate != 0 || a.Name != "Badgeuse" || a.LegalMention != central.DefaultLegalMention {
		t.Fatalf("defaults %+v", a)
	}
	if h := set.HelloAsso(); h.APIURL != "https://api.helloasso.com/v5" || h.Configured() || h.CreateMembers {
		t.Fatalf("helloasso defaults %+v", h)
	}
	if p := set.Pennylane(); p.APIURL != "https://app.pennylane.com/api/external/v2" || p.Configured() || p.Finalize {
		t.Fatalf("pennylane defaults %+v", p)
	}
	for key, cases := range map[string]map[string]string{
		central.SettingVATRate:                {"fr_200": "FR_200", "EXEMPT": "exempt", "20": "!"},
		central.SettingPennylaneFinalize:      {"oui": "true", "no": "false", "maybe": "!"},
		central.SettingHelloAssoAPIURL:        {"http://127.0.0.1:8080/v5/": "http://127.0.0.1:8080/v5", "ftp://x": "!", "https://x/v5?a=1": "!"},
		central.SettingAssociationSIRET:       {"123 456 789 00012": "12345678900012", "123": "!", "": ""},
		central.SettingHelloAssoCreateMembers: {"TRUE": "true"},
	} {
		def, ok := central.LookupSetting(key)
		if !ok {
			t.Fatalf("no setting %s", key)
		}
		for in, want := range cases {
			got, err := def.Check(in)
			if want == "!" {
				if err == nil {
					t.Errorf("%s = %q accepted as %q", key, in, got)
				}
				continue
			}
			if err != nil || got != want {
				t.Errorf("%s = %q: got %q, %v; want %q", key, in, got, err, want)
			}
		}
	}
	for _, key := range []string{central.SettingHelloAssoClientSecret, central.SettingHelloAssoSignatureKey, central.SettingPennylaneToken} {
		if def, _ := central.LookupSetting(key); !def.Secret {
			t.Errorf("%s is not secret", key)
		}
	}
}
