package main

import (
	"context"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/sqlite"
)

// TestBookingCancelledMailWired: centrald's e-mail reaction (installEmail)
// queues the member's booking_cancelled mail in the bureau's cancel, with
// the lost-link page on CENTRALD_PUBLIC_URL; her own cancel queues none.
func TestBookingCancelledMailWired(t *testing.T) {
	t.Setenv("CENTRALD_PUBLIC_URL", "https://badges.example.org")
	sdb := sqlite.NewDB(t.TempDir())
	if err := sdb.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sdb.Close() })
	db := onSQLite(sdb)
	installEmail(db)
	ctx := central.NewContextWithActor(context.Background(), central.ActorCLI)
	for k, v := range map[string]string{email.SettingHost: "smtp.example.org", email.SettingFrom: "bureau@example.org"} {
		if err := db.Settings.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	alice := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := db.Member.CreateMember(ctx, alice); err != nil {
		t.Fatal(err)
	}
	room := &central.Resource{Name: "Salle", Opens: 0, Closes: 24 * 60, Slot: time.Hour}
	if err := db.Booking.CreateResource(ctx, room); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Truncate(time.Hour).Add(48 * time.Hour)
	var bs []*central.Booking
	for i := range 2 {
		b := &central.Booking{Resource: room.ID, Member: alice.ID, Start: at.Add(time.Duration(i) * time.Hour),
			End: at.Add(time.Duration(i+1) * time.Hour)}
		if err := db.Booking.Book(ctx, b); err != nil {
			t.Fatal(err)
		}
		bs = append(bs, b)
	}
	if err := db.Booking.CancelBooking(ctx, bs[0].ID, 0); err != nil { // the bureau
		t.Fatal(err)
	}
	if err := db.Booking.CancelBooking(ctx, bs[1].ID, alice.ID); err != nil { // hers
		t.Fatal(err)
	}
	items, _, err := db.Outbox.FindOutbox(ctx, central.OutboxFilter{TopicPrefix: email.Topic(email.KindBookingCancelled)})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("%d mails queued, want the bureau's cancel's one", len(items))
	}
	if _, p, err := email.ParsePayload(items[0].Topic, items[0].Payload); err != nil || p.Booking != bs[0].ID ||
		p.Member != alice.ID || p.Link != "https://badges.example.org/m" {
		t.Errorf("payload %+v %v", p, err)
	}
}
