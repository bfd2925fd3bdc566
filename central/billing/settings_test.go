package billing_test

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
)

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
		net, vat := billing.SplitVAT(tc.gross, tc.rate)
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
			net, _ := billing.SplitVAT(gross, rate)
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
	if a := billing.SellerFrom(set); a.VATCode != "exempt" || a.VATRate != 0 || a.Name != "Badgeuse" || a.LegalMention != billing.DefaultLegalMention {
		t.Fatalf("defaults %+v", a)
	}
	if h := billing.HelloAssoFrom(set); h.APIURL != "https://api.helloasso.com/v5" || h.Configured() || h.CreateMembers {
		t.Fatalf("helloasso defaults %+v", h)
	}
	if p := billing.PennylaneFrom(set); p.APIURL != "https://app.pennylane.com/api/external/v2" || p.Configured() || p.Finalize {
		t.Fatalf("pennylane defaults %+v", p)
	}
	for key, cases := range map[string]map[string]string{
		billing.SettingVATRate:                {"fr_200": "FR_200", "EXEMPT": "exempt", "20": "!"},
		billing.SettingPennylaneFinalize:      {"oui": "true", "no": "false", "maybe": "!"},
		billing.SettingHelloAssoAPIURL:        {"http://127.0.0.1:8080/v5/": "http://127.0.0.1:8080/v5", "ftp://x": "!", "https://x/v5?a=1": "!"},
		billing.SettingAssociationSIRET:       {"123 456 789 00012": "12345678900012", "123": "!", "": ""},
		billing.SettingHelloAssoCreateMembers: {"TRUE": "true"},
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
	for _, key := range []string{billing.SettingHelloAssoClientSecret, billing.SettingHelloAssoSignatureKey, billing.SettingPennylaneToken} {
		if def, _ := central.LookupSetting(key); !def.Secret {
			t.Errorf("%s is not secret", key)
		}
	}
}
