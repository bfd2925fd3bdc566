package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// Migrations' data, for each engine's own test of its migration files
// (central/sqlite, central/postgres: their runners take a subset of the
// files), with the same rows and the same checks.

// GiftRows are payments of a database of migration 0230 (before
// payments.gift), in SQL both engines run: donations recorded, refunded,
// and set aside by hand before donations were recorded apart, and other
// items.
const GiftRows = `INSERT INTO payments (id, source, external_ref, order_ref, form_type, item_type, amount, state, status, reason, created, updated) VALUES
	(1, 'helloasso', '11', '1', 'Donation', 'Payment', 2000, 'paid', 'ignored', 'donation', '', ''),
	(2, 'helloasso', '21', '2', 'Membership', 'Donation', 1500, 'refunded', 'refunded', 'refund', '', ''),
	(3, 'helloasso', '31', '3', 'Shop', 'MonthlyDonation', 1000, 'paid', 'ignored', 'no_product', '', ''),
	(4, 'helloasso', '41', '4', 'Event', 'OfflineDonation', 500, 'refunded', 'refunded', 'refund', '', ''),
	(5, 'helloasso', '51', '5', 'Shop', 'Product', 12000, 'refunded', 'refunded', 'refund', '', ''),
	(6, 'helloasso', '61', '6', 'Membership', 'Membership', 3000, 'paid', 'unmatched', 'no_member', '', '')`

// CheckGiftRows checks GiftRows after migration 0240: each payment is
// flagged a gift from the HelloAsso types it kept, so a donation
// refunded before the upgrade is still one and a gift set aside by hand
// is still not; the flag is 0 or 1.
func CheckGiftRows(t *testing.T, payments central.PaymentService, db *sql.DB) {
	t.Helper()
	ctx := context.Background()
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
	if _, err := db.ExecContext(ctx, `UPDATE payments SET gift = 2 WHERE id = 1`); err == nil {
		t.Errorf("gift 2 accepted: want 0 or 1")
	}
}

// MigrationsUpTo returns the migration files of files (an engine's
// embedded migration/*.sql) numbered up to last: what an older centrald
// ran, for an engine's test of an upgrade.
func MigrationsUpTo(t testing.TB, files fs.FS, last int) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	all, err := sqlstore.Migrations(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range all {
		if m.Version > last {
			continue
		}
		b, err := fs.ReadFile(files, m.Path)
		if err != nil {
			t.Fatal(err)
		}
		out[m.Path] = &fstest.MapFile{Data: b}
	}
	return out
}

// Upgradable is an engine's database, as an upgrade test opens it.
type Upgradable interface {
	Open() error
	Close() error
}

// UpgradeFrom opens a database made by the migrations of files up to
// version (use sets the engine's migrations; open makes its database),
// lets seed write what an older centrald left in it, and opens it again
// with every migration, as an upgrade does. The database is closed at the
// test's end.
func UpgradeFrom[D Upgradable](t *testing.T, open func() D, use func(fs.FS), files fs.FS, version int, seed func(D) error) D {
	t.Helper()
	use(MigrationsUpTo(t, files, version))
	db := open()
	err := db.Open()
	if err == nil {
		err = seed(db)
		db.Close()
	}
	use(files)
	if err != nil {
		t.Fatal(err)
	}
	db = open()
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// SpaceGiftRows are payments of a database of migration 0250 (before
// payments.space_id), in SQL both engines run: gifts to spaces' own
// HelloAsso organisations left waiting as space_donation, one the bureau
// set aside by hand, a space's gift refunded, the network's donation and
// a sale. Spaces 2 and 3 have their own organisation; with oneOrg, only
// space 2 has one.
func SpaceGiftRows(oneOrg bool) string {
	books3 := `{"helloasso.client_id":"c3"}`
	if oneOrg {
		books3 = `{"association.name":"Asso C"}`
	}
	return `INSERT INTO spaces (id, visit_key, name, created, books) VALUES
	(2, 'b', 'B', '', '{"helloasso.client_id":"c2","association.name":"Asso B"}'),
	(3, 'c', 'C', '', '` + books3 + `');
INSERT INTO outbox (topic, key, payload, created, next_try, done) VALUES
	('helloasso.order', 'helloasso.order:helloasso:space:3:1', '{}', '', '', 'x'),
	('helloasso.order', 'helloasso.order:helloasso:space:2:4', '{}', '', '', 'x'),
	('helloasso.order', 'helloasso.order:helloasso:5', '{}', '', '', 'x');
INSERT INTO payments (id, source, external_ref, order_ref, form_type, item_type, amount, state, status, reason, gift, created, updated) VALUES
	(1, 'helloasso', '11', '1', 'Donation', 'Donation', 2000, 'paid', 'unmatched', 'space_donation', 1, '', ''),
	(2, 'helloasso', '21', '2', 'Donation', 'Donation', 1500, 'paid', 'unmatched', 'space_donation', 1, '', ''),
	(3, 'helloasso', '31', '3', 'Donation', 'Donation', 1000, 'paid', 'ignored', 'space_donation', 1, '', ''),
	(4, 'helloasso', '41', '4', 'Donation', 'Donation', 500, 'refunded', 'refunded', 'refund', 1, '', ''),
	(5, 'helloasso', '51', '5', 'Donation', 'Donation', 700, 'paid', 'ignored', 'donation', 1, '', ''),
	(6, 'helloasso', '61', '6', 'Shop', 'Product', 3000, 'paid', 'unmatched', 'no_member', 0, '', '')`
}

// CheckSpaceGiftRows checks SpaceGiftRows after migration 0260: a gift
// waiting as space_donation is its space's donation when its order's
// notice names the space (payment 1: space 3), or when one space only has
// its own organisation (payment 2, oneOrg: space 2), else it still waits
// (payment 2, two organisations), until its order is read again from
// its space's organisation; a payment set aside by hand is untouched and
// no donation (3); a space's refunded gift is that space's, counting for
// nothing (4); the network's donation and the sale stay the network's (5,
// 6).
func CheckSpaceGiftRows(t *testing.T, payments central.PaymentService, oneOrg bool) {
	t.Helper()
	ctx := context.Background()
	type want struct {
		id       int64
		space    int64
		status   central.PaymentStatus
		reason   string
		donation bool
	}
	wants := []want{
		{1, 3, central.PaymentIgnored, central.ReasonDonation, true},
		{2, 0, central.PaymentUnmatched, central.ReasonSpaceDonation, false},
		{3, 0, central.PaymentIgnored, central.ReasonSpaceDonation, false},
		{4, 2, central.PaymentReversed, central.ReasonRefund, true},
		{5, 0, central.PaymentIgnored, central.ReasonDonation, true},
		{6, 0, central.PaymentUnmatched, central.ReasonNoMember, false},
	}
	if oneOrg {
		wants[1] = want{2, 2, central.PaymentIgnored, central.ReasonDonation, true}
	}
	for _, w := range wants {
		p, err := payments.FindPaymentByID(ctx, w.id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Space != w.space || p.Status != w.status || p.Reason != w.reason || p.IsDonation() != w.donation {
			t.Errorf("payment %d: space %d %s %s donation %v, want space %d %s %s donation %v", p.ID, p.Space, p.Status,
				p.Reason, p.IsDonation(), w.space, w.status, w.reason, w.donation)
		}
	}
	all, _, err := payments.FindPayments(ctx, central.PaymentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(central.DonationsOf(all, 0)); n != 1 {
		t.Errorf("the network has %d donations after the upgrade, want 1 (its own only)", n)
	}
	if oneOrg {
		return
	}
	// The gift still waiting becomes its space's donation when its order
	// is read again from that space's organisation.
	ctx = central.NewContextWithActor(ctx, central.ActorSystem)
	ps, err := payments.RecordPaymentOrder(ctx, &central.PaymentOrder{Source: central.SourceHelloAsso, ID: "2", FormType: "Donation", Space: 2,
		Items: []central.PaymentItem{{ID: "21", Type: "Donation", Gift: true, Amount: 1500, State: central.PaymentPaid}}})
	if err != nil {
		t.Fatal(err)
	}
	if p := ps[0]; p.ID != 2 || p.Space != 2 || !p.DonationKept() {
		t.Errorf("payment 2 read again from space 2's organisation: %+v, want space 2's donation", p)
	}
}

// mailTokenPurposes0260 are the purposes of mail_tokens before 0270.
var mailTokenPurposes0260 = []string{adminstore.TokenPasswordReset, adminstore.TokenJoin, adminstore.TokenClaim,
	adminstore.TokenUnsubscribe, adminstore.TokenEventCancel, adminstore.TokenCalendar}

// MailTokenRows are mail tokens of a database of migration 0260 (before
// the lost-link form's member_link purpose), in SQL both engines run: one
// unused token of each purpose then known (the token is bgx1_ and its
// purpose) and a used one.
func MailTokenRows() string {
	q := `INSERT INTO mail_tokens (hash, purpose, subject, data, created, expires, used) VALUES `
	for i, p := range mailTokenPurposes0260 {
		q += fmt.Sprintf("('%s', '%s', %d, 'd', '2026-01-01T00:00:00.000000Z', '2099-01-01T00:00:00.000000Z', ''), ",
			central.HashToken("bgx1_"+p), p, i+1)
	}
	return q + fmt.Sprintf("('%s', 'claim', 9, '', '2026-01-01T00:00:00.000000Z', '2099-01-01T00:00:00.000000Z', '2026-01-01T01:00:00.000000Z')",
		central.HashToken("bgx1_used"))
}

// CheckMailTokenRows checks MailTokenRows after migrations 0270 and 0280
// (which SQLite runs by copying the table): every token is kept as it
// was, the used one still used, and tokens of the lost-link form's
// purpose and of the public event form's are now stored while one of no
// purpose still is not.
func CheckMailTokenRows(t *testing.T, admin Admin) {
	t.Helper()
	ctx := central.NewContextWithActor(context.Background(), central.ActorCLI)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for i, p := range mailTokenPurposes0260 {
		tk, err := admin.FindMailToken(ctx, p, "bgx1_"+p, now)
		if err != nil || tk.Subject != int64(i+1) || tk.Data != "d" || !tk.Expires.Equal(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s token after 0270: %+v %v", p, tk, err)
		}
	}
	if _, err := admin.FindMailToken(ctx, adminstore.TokenClaim, "bgx1_used", now); central.ErrorCode(err) != central.EUNAUTHORIZED {
		t.Errorf("used token after 0270: %v, want still used", err)
	}
	if err := admin.CreateMailToken(ctx, &adminstore.MailToken{Hash: central.HashToken("bgl1_x"), Purpose: adminstore.TokenMemberLink,
		Subject: 1, Created: now, Expires: now.Add(24 * time.Hour)}); err != nil {
		t.Errorf("lost-link token after 0270: %v", err)
	}
	if err := admin.CreateMailToken(ctx, &adminstore.MailToken{Hash: central.HashToken("bgi1_x"), Purpose: adminstore.TokenEventRegister,
		Subject: 1, Data: "{}", Created: now, Expires: now.Add(24 * time.Hour)}); err != nil {
		t.Errorf("public event form's token after 0280: %v", err)
	}
	if err := admin.CreateMailToken(ctx, &adminstore.MailToken{Hash: "x", Purpose: "nonsense", Created: now,
		Expires: now.Add(time.Hour)}); err == nil {
		t.Error("a token of no purpose was stored after 0270")
	}
}
