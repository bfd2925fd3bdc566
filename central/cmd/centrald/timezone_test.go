package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlite"
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
	if _, err := sqlite.NewLedgerService(db).CreateSale(ctx, central.NewSale{Member: m, Product: p, Source: central.SourceCLI}); err != nil {
		t.Fatal(err)
	}
	order := &central.PaymentOrder{Source: central.SourceHelloAsso, ID: "42", Form: "dons", Date: at,
		Payer: central.Payer{Email: "bob@example.org", FirstName: "Bob", LastName: "Durand"},
		Items: []central.PaymentItem{{ID: "421", Name: "Don", Amount: 1000, State: central.PaymentPaid}}}
	if _, err := sqlite.NewPaymentService(db).RecordPaymentOrder(ctx, order); err != nil {
		t.Fatal(err)
	}
	k, _, err := sqlite.NewKioskService(db).Enroll(ctx, token, "test")
	if err != nil {
		t.Fatal(err)
	}
	e := &central.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: 1, Member: m, KioskTime: at, Accept: true, Reason: access.OKPack}
	if _, err := sqlite.NewSyncService(db).Push(ctx, &central.Push{Kiosk: k.ID, Received: at, SentAt: at,
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
