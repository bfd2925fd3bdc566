package admin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestSelfRenewLink: a member's page offers to renew her dues, with the
// membership product's HelloAsso form, from 30 days before they end, on
// their last day and once they have ended; not before, not once renewed,
// and not to a member who never paid dues.
func TestSelfRenewLink(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx()
	dues := &central.Product{Name: "Adhésion 2027", Kind: access.Membership, Price: 1500, Active: true}
	if err := e.products.CreateProduct(ctx, dues); err != nil {
		t.Fatal(err)
	}
	form := "https://www.helloasso.com/associations/mon-coworking/adhesions/adhesion-2027"
	if err := e.settings.SetSetting(ctx, central.SettingJoinForms, fmtInt(dues.ID)+"="+form); err != nil {
		t.Fatal(err)
	}
	alice, never := &central.Member{Name: "Alice Martin"}, &central.Member{Name: "Bob Durand"}
	for _, m := range []*central.Member{alice, never} {
		if err := e.members.CreateMember(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	// Paid on Thursday 26 November 2026, after the cut-off (1 November):
	// her dues end on 31 December 2027.
	if _, err := e.ledger.CreateSale(ctx, central.NewSale{Member: alice.ID, Product: dues.ID, Source: "admin"}); err != nil {
		t.Fatal(err)
	}
	_, token, err := e.store.CreateMemberLink(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, neverToken, err := e.store.CreateMemberLink(ctx, never.ID)
	if err != nil {
		t.Fatal(err)
	}
	link := `id="renew" href="` + form + `"`
	at := func(when string, token string, want bool) {
		t.Helper()
		tm, err := time.Parse(time.RFC3339, when)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Set(tm)
		_, body := e.client().get("/m/" + token)
		if got := strings.Contains(body, link); got != want {
			t.Errorf("at %s: renew link shown %v, want %v", when, got, want)
		}
		if want && !strings.Contains(body, "Renouveler mon adhésion") {
			t.Errorf("at %s: the link is not in French", when)
		}
	}
	at("2026-12-01T10:00:00+01:00", token, false) // 2026 is not her end: the cut-off
	at("2027-11-30T23:30:00+01:00", token, false) // 31 days left
	at("2027-11-30T23:30:00Z", token, true)       // 00:30 on 1 December in Paris: 30 days left
	at("2027-12-31T12:00:00+01:00", token, true)  // the last day
	at("2028-01-15T12:00:00+01:00", token, true)  // ended, not renewed
	at("2028-01-15T12:00:00+01:00", neverToken, false)
	// She renews: no more link.
	if _, err := e.ledger.CreateSale(ctx, central.NewSale{Member: alice.ID, Product: dues.ID, Source: "admin"}); err != nil {
		t.Fatal(err)
	}
	at("2028-01-15T12:00:00+01:00", token, false)
	// No form for the membership product: no link.
	if err := e.settings.SetSetting(ctx, central.SettingJoinForms, ""); err != nil {
		t.Fatal(err)
	}
	at("2028-12-31T12:00:00+01:00", token, false)
}
