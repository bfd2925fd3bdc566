package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestDemoDues: the demo association has members with current dues
// (Alice), dues ending in 30 days (Bruno: his renewal reminder is queued
// once e-mail is set up, as make demo does) and dues that ended (Farid).
func TestDemoDues(t *testing.T) {
	c := newCLI(t)
	c.ok("demo", "--badges", filepath.Join(t.TempDir(), "badges.txt"))
	balance := func(id string) balanceJSON {
		t.Helper()
		var b balanceJSON
		if err := json.Unmarshal([]byte(c.ok("balance", "--member", id, "--json")), &b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	db := c.db()
	members := sqlstore.NewMemberService(db.DB)
	find := func(id int64) *central.Member {
		t.Helper()
		m, err := members.FindMemberByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if alice := find(1); !alice.Balance.MembershipValid || balance("1").MembershipUntil == "" {
		t.Errorf("Alice's dues are not current: %+v", alice.Balance)
	}
	bruno := find(2)
	today := bruno.Balance.Day // the store's day in the space
	if !bruno.Balance.MembershipValid || central.DaysBetween(today, bruno.Balance.MembershipUntil) != central.RenewalLead {
		t.Errorf("Bruno's dues end on %s, want in %d days from %s", bruno.Balance.MembershipUntil, central.RenewalLead, today)
	}
	if farid := find(6); farid.Balance.MembershipValid || balance("6").MembershipUntil != "" {
		t.Errorf("Farid's dues did not end: %+v", farid.Balance)
	}
	sales, _, err := sqlstore.NewLedgerService(db.DB).FindSales(context.Background(), central.SaleFilter{Member: &[]int64{6}[0]})
	if err != nil {
		t.Fatal(err)
	}
	if state, _ := central.DuesOf(sales, today); state != central.DuesExpired {
		t.Errorf("Farid's dues: %v, want expired", state)
	}
	c.ok("settings", "set", "smtp.host", "127.0.0.1")
	c.ok("settings", "set", "smtp.from", "bureau@example.org")
	job := &email.Renewals{Members: members, Ledger: sqlstore.NewLedgerService(db.DB), Products: sqlstore.NewProductService(db.DB),
		Outbox: sqlstore.NewOutboxService(db.DB), Settings: sqlstore.NewSettingsService(db.DB)}
	ctx := central.NewContextWithActor(context.Background(), central.ActorSystem)
	if n, err := job.Run(ctx); n != 1 || err != nil {
		t.Fatalf("renewal reminders queued: %d (%v), want Bruno's", n, err)
	}
	items, _, err := sqlstore.NewOutboxService(db.DB).FindOutbox(ctx, central.OutboxFilter{TopicPrefix: email.Topic(email.KindRenewal)})
	if err != nil || len(items) != 1 {
		t.Fatalf("outbox %v %v", items, err)
	}
	_, p, err := email.ParsePayload(items[0].Topic, items[0].Payload)
	if err != nil || p.Member != 2 || p.DaysLeft != central.RenewalLead ||
		p.BuyURL != "https://www.helloasso.com/associations/la-ruche-des-pentes/adhesions/adhesion-12-mois" {
		t.Errorf("Bruno's reminder %+v %v", p, err)
	}
}
