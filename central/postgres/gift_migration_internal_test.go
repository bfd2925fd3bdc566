package postgres

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestGiftMigrationFlagsStoredDonations: 0240 flags the payments of a
// database of 0230 from the HelloAsso types they kept, as on SQLite
// (central/sqlite's test of the same name): a donation refunded before
// the upgrade is still one, a gift set aside by hand before donations
// were recorded apart is still not.
func TestGiftMigrationFlagsStoredDonations(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	upTo := fstest.MapFS{}
	all, err := sqlstore.Migrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range all {
		if m.Version > 230 {
			continue
		}
		b, err := migrationFS.ReadFile(m.Path)
		if err != nil {
			t.Fatal(err)
		}
		upTo[m.Path] = &fstest.MapFile{Data: b}
	}
	migrations = upTo
	defer func() { migrations = migrationFS }()
	db := NewDB(url)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO payments (id, source, external_ref, order_ref, form_type, item_type, amount, state, status, reason, created, updated) VALUES
		(1, 'helloasso', '11', '1', 'Donation', 'Payment', 2000, 'paid', 'ignored', 'donation', '', ''),
		(2, 'helloasso', '21', '2', 'Membership', 'Donation', 1500, 'refunded', 'refunded', 'refund', '', ''),
		(3, 'helloasso', '31', '3', 'Shop', 'MonthlyDonation', 1000, 'paid', 'ignored', 'no_product', '', ''),
		(4, 'helloasso', '41', '4', 'Event', 'OfflineDonation', 500, 'refunded', 'refunded', 'refund', '', ''),
		(5, 'helloasso', '51', '5', 'Shop', 'Product', 12000, 'refunded', 'refunded', 'refund', '', ''),
		(6, 'helloasso', '61', '6', 'Membership', 'Membership', 3000, 'paid', 'unmatched', 'no_member', '', '')`); err != nil {
		db.Close()
		t.Fatal(err)
	}
	db.Close()
	migrations = migrationFS

	db = NewDB(url)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	payments := sqlstore.NewPaymentService(db.DB)
	for _, want := range []struct {
		id             int64
		gift, donation bool
	}{{1, true, true}, {2, true, true}, {3, true, false}, {4, true, true}, {5, false, false}, {6, false, false}} {
		p, err := payments.FindPaymentByID(ctx, want.id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Gift != want.gift || p.IsDonation() != want.donation {
			t.Errorf("payment %d (%s/%s, %s %s): gift %v donation %v, want %v %v", p.ID, p.FormType, p.ItemType,
				p.Status, p.Reason, p.Gift, p.IsDonation(), want.gift, want.donation)
		}
	}
	if _, err := db.SQL().ExecContext(ctx, `UPDATE payments SET gift = 2 WHERE id = 1`); err == nil {
		t.Errorf("gift 2 accepted: want 0 or 1")
	}
}
