package storetest

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

// testAddPayerEmail: a member claims the address her HelloAsso payment
// used; the waiting payment is credited to her, the next one with that
// address is matched at once, and another member cannot take the address.
func testAddPayerEmail(t *testing.T) {
	f := newBillingFixture(t)
	alice := f.memberWithEmail("Alice Martin", "alice.martin@example.net")
	ps := f.record(order("100", central.PaymentPaid)) // paid with alice@example.org
	if ps[0].Status != central.PaymentUnmatched || ps[0].Reason != central.ReasonNoMember {
		t.Fatalf("payment %+v, want unmatched with no member", ps[0])
	}
	credited, err := f.payments.AddPayerEmail(f.ctx, alice, "Alice@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if len(credited) != 1 || credited[0].Status != central.PaymentCredited || credited[0].Member != alice || credited[0].Sale == 0 {
		t.Fatalf("credited %+v", credited)
	}
	if got := f.balance(alice).EntriesLeft; got != 10 {
		t.Fatalf("entries left %d, want 10", got)
	}
	// The next payment with that address is hers at once.
	ps = f.record(order("200", central.PaymentPaid))
	if ps[0].Status != central.PaymentCredited || ps[0].Member != alice {
		t.Fatalf("next payment %+v, want credited to her", ps[0])
	}
	// Claiming again changes nothing; another member cannot take it.
	if again, err := f.payments.AddPayerEmail(f.ctx, alice, "alice@example.org"); err != nil || len(again) != 0 {
		t.Fatalf("again: %v %v", again, err)
	}
	bob := f.memberWithEmail("Bob Durand", "bob@example.org")
	if _, err := f.payments.AddPayerEmail(f.ctx, bob, "alice@example.org"); central.ErrorCode(err) != central.ECONFLICT {
		t.Fatalf("bob takes alice's address: %v, want conflict", err)
	}
	if _, err := f.payments.AddPayerEmail(f.ctx, bob, "alice.martin@example.net"); central.ErrorCode(err) != central.ECONFLICT {
		t.Fatalf("bob takes alice's own address: %v, want conflict", err)
	}
	if _, err := f.payments.AddPayerEmail(f.ctx, bob, "not an address"); central.ErrorCode(err) != central.EINVALID {
		t.Fatalf("not an address: %v", err)
	}
}

// testMailTokens: a one-time token works once, before it expires, for its
// purpose only.
func testMailTokens(t *testing.T) {
	f := newFixture(t)
	admin := f.store.Admin
	now := time.Now()
	token, hash, err := central.NewToken("bgr1_")
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.CreateMailToken(f.ctx, &adminstore.MailToken{Hash: hash, Purpose: adminstore.TokenPasswordReset,
		Subject: 3, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.UseMailToken(f.ctx, adminstore.TokenJoin, token, now); central.ErrorCode(err) != central.EUNAUTHORIZED {
		t.Fatalf("another purpose: %v", err)
	}
	if _, err := admin.UseMailToken(f.ctx, adminstore.TokenPasswordReset, token, now.Add(61*time.Minute)); central.ErrorCode(err) != central.EUNAUTHORIZED {
		t.Fatalf("expired: %v", err)
	}
	if _, err := admin.FindMailToken(f.ctx, adminstore.TokenPasswordReset, token, now); err != nil {
		t.Fatalf("find: %v", err)
	}
	tk, err := admin.UseMailToken(f.ctx, adminstore.TokenPasswordReset, token, now)
	if err != nil || tk.Subject != 3 {
		t.Fatalf("use: %+v %v", tk, err)
	}
	if _, err := admin.UseMailToken(f.ctx, adminstore.TokenPasswordReset, token, now); central.ErrorCode(err) != central.EUNAUTHORIZED {
		t.Fatalf("second use: %v", err)
	}
	if n, err := admin.PurgeMailTokens(f.ctx, now.Add(2*time.Hour)); err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	// The links of events (schema 0150): a registration's cancellation
	// and a member's calendar feed; the lost-link form's link (0270); the
	// public event form's (0280).
	for _, purpose := range []string{adminstore.TokenEventCancel, adminstore.TokenCalendar, adminstore.TokenMemberLink,
		adminstore.TokenEventRegister} {
		token, hash, err := central.NewToken("bge1_")
		if err != nil {
			t.Fatal(err)
		}
		if err := admin.CreateMailToken(f.ctx, &adminstore.MailToken{Hash: hash, Purpose: purpose, Subject: 9, Data: "4",
			Expires: now.Add(time.Hour)}); err != nil {
			t.Fatalf("%s: %v", purpose, err)
		}
		if tk, err := admin.FindMailToken(f.ctx, purpose, token, now); err != nil || tk.Subject != 9 || tk.Data != "4" {
			t.Fatalf("%s: %+v %v", purpose, tk, err)
		}
	}
	if err := admin.CreateMailToken(f.ctx, &adminstore.MailToken{Hash: "x", Purpose: "nonsense", Expires: now.Add(time.Hour)}); err == nil {
		t.Fatal("a token of no purpose was stored")
	}
	// A subject's tokens of a purpose are counted and revoked together;
	// others stay.
	if n, err := admin.CountMailTokens(f.ctx, adminstore.TokenCalendar, 9, now); err != nil || n != 1 {
		t.Fatalf("count: %d %v", n, err)
	}
	if n, err := admin.RevokeMailTokens(f.ctx, adminstore.TokenCalendar, 9, now); err != nil || n != 1 {
		t.Fatalf("revoke: %d %v", n, err)
	}
	if n, err := admin.CountMailTokens(f.ctx, adminstore.TokenCalendar, 9, now); err != nil || n != 0 {
		t.Fatalf("count after revoking: %d %v", n, err)
	}
	if n, err := admin.CountMailTokens(f.ctx, adminstore.TokenEventCancel, 9, now); err != nil || n != 1 {
		t.Fatalf("another purpose after revoking: %d %v", n, err)
	}
}

// testMailPrefsAndJoins: preferences default to French with reminders
// on; an accepted join request makes the member, in her language; a
// request is decided once; erasing the member erases her prefs and the
// links mailed to her (the lost-link form's).
func testMailPrefsAndJoins(t *testing.T) {
	f := newFixture(t)
	admin := f.store.Admin
	j := &adminstore.JoinRequest{Name: "Chloé Petit", Email: "chloe@example.org", Phone: "06 12 34 56 78", Lang: "en"}
	if err := admin.CreateJoinRequest(f.ctx, j); err != nil {
		t.Fatal(err)
	}
	pending, err := admin.FindJoinRequests(f.ctx, adminstore.JoinPending, 10)
	if err != nil || len(pending) != 1 || pending[0].Phone != "06 12 34 56 78" {
		t.Fatalf("pending %+v %v", pending, err)
	}
	got, err := admin.DecideJoinRequest(f.ctx, j.ID, true)
	if err != nil || got.State != adminstore.JoinAccepted || got.Member == 0 {
		t.Fatalf("accept: %+v %v", got, err)
	}
	m, err := f.members.FindMemberByID(f.ctx, got.Member)
	if err != nil || m.Name != "Chloé Petit" || m.Email != "chloe@example.org" {
		t.Fatalf("member %+v %v", m, err)
	}
	if lang, off, err := admin.MailPrefs(f.ctx, m.ID); err != nil || lang != "en" || off {
		t.Fatalf("prefs %s %v %v", lang, off, err)
	}
	if _, err := admin.DecideJoinRequest(f.ctx, j.ID, false); central.ErrorCode(err) != central.ECONFLICT {
		t.Fatalf("decided twice: %v", err)
	}
	if err := admin.SetMailPrefs(f.ctx, m.ID, "fr", true); err != nil {
		t.Fatal(err)
	}
	if lang, off, _ := admin.MailPrefs(f.ctx, m.ID); lang != "fr" || !off {
		t.Fatalf("prefs %s %v", lang, off)
	}
	linkToken, linkHash, err := central.NewToken("bgl1_")
	if err != nil {
		t.Fatal(err)
	}
	now := f.clock.Now()
	if err := admin.CreateMailToken(f.ctx, &adminstore.MailToken{Hash: linkHash, Purpose: adminstore.TokenMemberLink,
		Subject: m.ID, Created: now, Expires: now.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := f.members.EraseMember(f.ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.FindMailToken(f.ctx, adminstore.TokenMemberLink, linkToken, now); central.ErrorCode(err) != central.EUNAUTHORIZED {
		t.Fatalf("her lost-link link after erasure: %v, want gone", err)
	}
	if lang, off, _ := admin.MailPrefs(f.ctx, m.ID); lang != "fr" || off {
		t.Fatalf("prefs kept after erasure: %s %v", lang, off)
	}
	if all, _ := admin.FindJoinRequests(f.ctx, "", 10); len(all) != 0 {
		t.Fatalf("join request kept after erasure: %+v", all)
	}
}
