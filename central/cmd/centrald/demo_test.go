package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestDemoMemberLink: make demo prints a member's personal page, written
// by demo --member-link: a working link of Alice's.
func TestDemoMemberLink(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "link.txt")
	c.ok("demo", "--badges", filepath.Join(t.TempDir(), "badges.txt"), "--member-link", path)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	token, ok := strings.CutPrefix(strings.TrimSpace(string(raw)), "/m/")
	if !ok || !strings.HasPrefix(token, central.MemberLinkPrefix) {
		t.Fatalf("demo --member-link wrote %q, want /m/%s…", raw, central.MemberLinkPrefix)
	}
	db := c.db()
	l, err := sqlstore.NewAdminService(db.DB).FindMemberLink(context.Background(), token)
	if err != nil {
		t.Fatalf("the demo's member link does not work: %v", err)
	}
	m, err := sqlstore.NewMemberService(db.DB).FindMemberByID(context.Background(), l.Member)
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "Alice Martin" {
		t.Errorf("the demo's member link is %s's, want Alice Martin's", m.Name)
	}
}

// TestDemoCommunity: the demo's members' side is not empty: events of the
// coming week with registrations, rooms to book with a booking, members
// in the directory.
func TestDemoCommunity(t *testing.T) {
	c := newCLI(t)
	c.ok("demo", "--badges", filepath.Join(t.TempDir(), "badges.txt"))
	db, ctx := c.db(), context.Background()
	events, err := sqlstore.NewCalendarService(db.DB).FindEvents(ctx, central.EventFilter{EndsAfter: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	registered := 0
	for _, e := range events {
		registered += e.Confirmed
		if e.Start.After(time.Now().AddDate(0, 0, 8)) {
			t.Errorf("event %q on %s: not in the coming week", e.Title, e.Start)
		}
	}
	if len(events) != 2 || registered != 4 {
		t.Errorf("%d coming events with %d registrations, want 2 with 4", len(events), registered)
	}
	bookings := sqlstore.NewBookingService(db.DB)
	resources, err := bookings.FindResources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	held, err := bookings.FindBookings(ctx, central.BookingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(resources) != 2 || len(held) != 1 {
		t.Errorf("%d resources and %d bookings, want 2 and 1", len(resources), len(held))
	}
	// The door whose history the demo pushes is enrolled, as a door that
	// synced is: the kiosks' page said "not yet enrolled" beside its last
	// sync (found using the demo).
	kiosks, _, err := sqlstore.NewKioskService(db.DB).FindKiosks(ctx, central.KioskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kiosks {
		if !k.LastSeen.IsZero() && k.Enrolled.IsZero() {
			t.Errorf("kiosk %q synced on %s but is not enrolled", k.Name, k.LastSeen)
		}
	}
	dir, err := sqlstore.NewProfileService(db.DB).Directory(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(dir) != 3 {
		t.Errorf("%d members in the directory, want 3", len(dir))
	}
}
