package sqlite

import (
	"context"
	"testing"

	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestGiftMigrationFlagsStoredDonations: 0240 moves "is this item a gift"
// from the domain's reading of HelloAsso's types to a stored flag; the
// payments of a database of 0230 are flagged from the types they kept,
// so a donation refunded before the upgrade is still one, and a gift set
// aside by hand before donations were recorded apart is still not.
func TestGiftMigrationFlagsStoredDonations(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	migrations = migrationsUpTo(t, 230)
	db := NewDB(dir)
	if err := db.Open(); err != nil {
		migrations = migrationFS
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO payments (id, source, external_ref, order_ref, form_type, item_type, amount, state, status, reason, created, updated) VALUES
			(1, 'helloasso', '11', '1', 'Donation', 'Payment', 2000, 'paid', 'ignored', 'donation', '', ''),
			(2, 'helloasso', '21', '2', 'Membership', 'Donation', 1500, 'refunded', 'refunded', 'refund', '', ''),
			(3, 'helloasso', '31', '3', 'Shop', 'MonthlyDonation', 1000, 'paid', 'ignored', 'no_product', '', ''),
			(4, 'helloasso', '41', '4', 'Event', 'OfflineDonation', 500, 'refunded', 'refunded', 'refund', '', ''),
			(5, 'helloasso', '51', '5', 'Shop', 'Product', 12000, 'refunded', 'refunded', 'refund', '', ''),
			(6, 'helloasso', '61', '6', 'Membership', 'Membership', 3000, 'paid', 'unmatched', 'no_member', '', '')`,
	} {
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			db.Close()
			migrations = migrationFS
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	migrations = migrationFS

	db = NewDB(dir)
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
