package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestTextInSpaceTimezone: the days and times the text lists print are
// the space's (space.timezone), whatever the machine's zone; JSON keeps
// UTC. At 12:30 UTC it is already the next day at Kiritimati (UTC+14).
func TestTextInSpaceTimezone(t *testing.T) {
	c := newCLI(t)
	c.ok("settings", "set", "space.timezone", "Pacific/Kiritimati")
	member := c.ok("member", "add", "--name", "Alice", "--email", "alice@example.org")
	product := c.ok("product", "add", "--name", "Carte 10", "--kind", "pack", "--entries", "10", "--price", "120")
	token := c.ok("kiosk", "add", "--name", "Porte")

	at := time.Date(2026, 11, 30, 12, 30, 0, 0, time.UTC)
	const wantDay, wantTime = "2026-12-01", "2026-12-01 02:30:00"
	ctx := context.Background()
	db := c.db()
	db.Now = func() time.Time { return at }
	m, _ := strconv.ParseInt(member, 10, 64)
	p, _ := strconv.ParseInt(product, 10, 64)
	if _, err := sqlstore.NewLedgerService(db.DB).CreateSale(ctx, central.NewSale{Member: m, Product: p, Source: central.SourceCLI}); err != nil {
		t.Fatal(err)
	}
	order := &central.PaymentOrder{Source: central.SourceHelloAsso, ID: "42", Form: "dons", Date: at,
		Payer: central.Payer{Email: "bob@example.org", FirstName: "Bob", LastName: "Durand"},
		Items: []central.PaymentItem{{ID: "421", Name: "Don", Amount: 1000, State: central.PaymentPaid}}}
	if _, err := sqlstore.NewPaymentService(db.DB).RecordPaymentOrder(ctx, order); err != nil {
		t.Fatal(err)
	}
	k, _, err := sqlstore.NewKioskService(db.DB).Enroll(ctx, token, "test")
	if err != nil {
		t.Fatal(err)
	}
	e := &central.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: 1, Member: m, KioskTime: at, Accept: true, Reason: access.OKPack}
	if _, err := sqlstore.NewSyncService(db.DB).Push(ctx, &central.Push{Kiosk: k.ID, Received: at, SentAt: at,
		Entries: []*central.Entry{e}}); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sales"}, wantDay},
		{[]string{"payments", "unmatched"}, wantDay},
		{[]string{"kiosk", "list"}, wantTime},
		{[]string{"entries"}, wantTime},
		{[]string{"entries", "--json"}, `"time":"2026-11-30T12:30:00Z"`},
		{[]string{"payments", "unmatched", "--json"}, `"date":"2026-11-30T12:30:00Z"`},
	} {
		if out := c.ok(tc.args...); !strings.Contains(out, tc.want) {
			t.Errorf("centrald %s: want %s in\n%s", strings.Join(tc.args, " "), tc.want, out)
		}
	}
}

// TestDemoInSpaceTimezone: the demo's history falls on the days it says
// in the space's calendar (Alice came 19, 15, 12, 8, 5 and 1 days ago),
// whatever the space's time zone.
func TestDemoInSpaceTimezone(t *testing.T) {
	c := newCLI(t)
	c.ok("settings", "set", "space.timezone", "Pacific/Pago_Pago")
	loc, _ := time.LoadLocation("Pacific/Pago_Pago")
	today := access.DayOf(time.Now(), loc)
	c.ok("demo", "--badges", filepath.Join(t.TempDir(), "badges.txt"))
	if access.DayOf(time.Now(), loc) != today {
		t.Skip("midnight passed in the space during the demo")
	}
	alice := int64(1)
	visits, _, err := sqlstore.NewEntryService(c.db().DB).FindVisits(context.Background(), central.VisitFilter{Member: &alice})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, v := range visits {
		got = append(got, v.Day.String())
	}
	for _, ago := range []int{19, 15, 12, 8, 5, 1} {
		want = append(want, today.AddDays(-ago).String())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("Alice's visits on %v, want %v", got, want)
	}
}
