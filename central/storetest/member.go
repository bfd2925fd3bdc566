package storetest

import (
	"reflect"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

func testMembers(t *testing.T) {
	t.Run("CreateAndFind", func(t *testing.T) {
		f := newFixture(t)
		m := &central.Member{Name: "  Alice   Martin ", Email: "alice@example.org"}
		if err := f.members.CreateMember(f.ctx, m); err != nil {
			t.Fatal(err)
		}
		got, err := f.members.FindMemberByID(f.ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Alice Martin" || got.Status != access.MemberActive || got.Version == 0 || !got.Created.Equal(f.clock.Now()) {
			t.Fatalf("member %+v", got)
		}
		f.member("Bob")
		ms, n, err := f.members.FindMembers(f.ctx, central.MemberFilter{Query: "MART"})
		if err != nil || n != 1 || len(ms) != 1 || ms[0].ID != m.ID {
			t.Fatalf("search: %v %d %v", ms, n, err)
		}
		ms, n, _ = f.members.FindMembers(f.ctx, central.MemberFilter{Limit: 1, Offset: 1})
		if n != 2 || len(ms) != 1 || ms[0].Name != "Bob" {
			t.Fatalf("page 2: %d of %d", len(ms), n)
		}
		email := "ALICE@example.org"
		if ms, _, _ := f.members.FindMembers(f.ctx, central.MemberFilter{Email: &email}); len(ms) != 1 {
			t.Fatal("e-mail lookup is not case-insensitive")
		}
		// LIKE wildcards in a search are literal.
		if ms, _, _ := f.members.FindMembers(f.ctx, central.MemberFilter{Query: "%"}); len(ms) != 0 {
			t.Fatalf("%% matched %d members", len(ms))
		}
	})
	t.Run("PagesWithFilters", func(t *testing.T) {
		// Every page, filtered or not, is the slice of the whole list
		// at its offset, with each member's balance (the pages after the
		// first are chosen before their columns are read).
		f := newFixture(t)
		product := f.product(access.Pack, 3, 0)
		for i := range 7 {
			name := "Martin " + string(rune('A'+i))
			if i%2 == 1 {
				name = "Durand " + string(rune('A'+i))
			}
			m := f.member(name)
			if i%3 == 0 {
				f.sell(m, product)
			}
		}
		for _, filter := range []central.MemberFilter{{}, {Query: "martin"}} {
			all, n, err := f.members.FindMembers(f.ctx, filter)
			if err != nil || n != len(all) {
				t.Fatalf("%+v: %d of %d, %v", filter, len(all), n, err)
			}
			for offset := 0; offset <= len(all); offset++ {
				filter.Offset, filter.Limit = offset, 2
				ms, total, err := f.members.FindMembers(f.ctx, filter)
				if err != nil || total != n {
					t.Fatalf("%+v: total %d, want %d, %v", filter, total, n, err)
				}
				want := all[offset:min(offset+2, len(all))]
				if len(ms) != len(want) {
					t.Fatalf("%+v: %d members, want %d", filter, len(ms), len(want))
				}
				if offset == 0 && len(ms) > 0 && ms[0].Balance.EntriesLeft != 3 {
					t.Fatalf("%+v: the first member has %d entries left, want 3", filter, ms[0].Balance.EntriesLeft)
				}
				for i := range ms {
					if ms[i].ID != want[i].ID || !reflect.DeepEqual(ms[i].Balance, want[i].Balance) {
						t.Fatalf("%+v: member %d is %+v, want %+v", filter, i, ms[i], want[i])
					}
				}
			}
		}
	})
	t.Run("ErrDuplicateEmailAnyCase", func(t *testing.T) {
		f := newFixture(t)
		if err := f.members.CreateMember(f.ctx, &central.Member{Name: "A", Email: "a@example.org"}); err != nil {
			t.Fatal(err)
		}
		err := f.members.CreateMember(f.ctx, &central.Member{Name: "B", Email: "A@Example.org"})
		wantCode(t, err, central.ECONFLICT)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		f := newFixture(t)
		wantCode(t, f.members.CreateMember(f.ctx, &central.Member{Name: " "}), central.EINVALID)
		wantCode(t, f.members.CreateMember(f.ctx, &central.Member{Name: "A", Email: "not an email"}), central.EINVALID)
		wantCode(t, f.members.CreateMember(f.ctx, &central.Member{Name: "A", Email: "Al <a@b.org>"}), central.EINVALID)
	})
	t.Run("CreateMembersAllOrNothing", func(t *testing.T) {
		f := newFixture(t)
		ms := []*central.Member{{Name: "A", Email: "a@example.org"}, {Name: "B", Email: "b@example.org"}, {Name: "C", Email: "a@example.org"}}
		wantCode(t, f.members.CreateMembers(f.ctx, ms), central.ECONFLICT)
		if _, n, _ := f.members.FindMembers(f.ctx, central.MemberFilter{}); n != 0 {
			t.Fatalf("%d members after a failed import, want 0", n)
		}
	})
	t.Run("StatusChangeBumpsVersion", func(t *testing.T) {
		f := newFixture(t)
		m, _ := f.members.FindMemberByID(f.ctx, f.member("Alice"))
		// Kiosks hold her first name only (door screens greet her by it):
		// a new surname is nothing to them, a new first name is a change.
		name := "Alice Martin"
		renamed, err := f.members.UpdateMember(f.ctx, m.ID, central.MemberUpdate{Name: &name})
		if err != nil {
			t.Fatal(err)
		}
		if renamed.Version != m.Version || renamed.Name != "Alice Martin" {
			t.Fatalf("new surname: version %d→%d (kiosks hold no surnames)", m.Version, renamed.Version)
		}
		name = "Alicia Martin"
		if renamed, err = f.members.UpdateMember(f.ctx, m.ID, central.MemberUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		if renamed.Version <= m.Version {
			t.Fatalf("new first name: version %d→%d (door screens greet her by it)", m.Version, renamed.Version)
		}
		m = renamed
		st := access.MemberSuspended
		suspended, err := f.members.UpdateMember(f.ctx, m.ID, central.MemberUpdate{Status: &st})
		if err != nil {
			t.Fatal(err)
		}
		if suspended.Version <= m.Version || suspended.Status != st {
			t.Fatalf("suspend: version %d→%d", m.Version, suspended.Version)
		}
		bad := access.MemberStatus("gone")
		_, err = f.members.UpdateMember(f.ctx, m.ID, central.MemberUpdate{Status: &bad})
		wantCode(t, err, central.EINVALID)
		_, err = f.members.UpdateMember(f.ctx, m.ID+1, central.MemberUpdate{Status: &st})
		wantCode(t, err, central.ENOTFOUND)
	})
	t.Run("EraseKeepsSalesDetached", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		m := f.member("Alice")
		sale := f.sell(m, f.product(access.Pack, 10, 0))
		f.badges.IssueBadge(f.ctx, m, false)
		f.push(k, entry(1, m, f.clock.Now()))
		if err := f.members.EraseMember(f.ctx, m); err != nil {
			t.Fatal(err)
		}
		_, err := f.members.FindMemberByID(f.ctx, m)
		wantCode(t, err, central.ENOTFOUND)
		if n := len(f.allEntries()); n != 0 {
			t.Fatalf("%d entries left", n)
		}
		if _, n, _ := f.badges.FindBadges(f.ctx, central.BadgeFilter{Member: &m}); n != 0 {
			t.Fatalf("%d badges left", n)
		}
		got, err := f.ledger.FindSaleByID(f.ctx, sale.ID)
		if err != nil || got.Member != 0 {
			t.Fatalf("sale %+v, %v; want kept without member", got, err)
		}
		// Her id is never given again.
		if next := f.member("Bob"); next == m {
			t.Fatalf("erased id %d reused", m)
		}
		wantCode(t, f.members.EraseMember(f.ctx, m), central.ENOTFOUND)
	})
}

func testBadges(t *testing.T) {
	t.Run("ReplaceRevokesPrevious", func(t *testing.T) {
		f := newFixture(t)
		m := f.member("Alice")
		first, s1, err := f.badges.IssueBadge(f.ctx, m, false)
		if err != nil {
			t.Fatal(err)
		}
		if first.Hash != s1.Hash() || !strings.HasPrefix(s1.Text(), "BG1:") {
			t.Fatal("stored hash is not the secret's")
		}
		second, _, _ := f.badges.IssueBadge(f.ctx, m, false)
		third, _, _ := f.badges.IssueBadge(f.ctx, m, true)
		bs, _, _ := f.badges.FindBadges(f.ctx, central.BadgeFilter{Member: &m})
		if len(bs) != 3 || !bs[0].IsRevoked() || !bs[1].IsRevoked() || bs[2].IsRevoked() || bs[2].ID != third.ID || bs[1].ID != second.ID {
			t.Fatalf("badges %+v: want the first two revoked", bs)
		}
	})
	t.Run("KeepAddsABadge", func(t *testing.T) {
		f := newFixture(t)
		m := f.member("Alice")
		f.badges.IssueBadge(f.ctx, m, false)
		f.badges.IssueBadge(f.ctx, m, false)
		bs, _, _ := f.badges.FindBadges(f.ctx, central.BadgeFilter{Member: &m})
		if len(bs) != 2 || bs[0].IsRevoked() || bs[1].IsRevoked() {
			t.Fatalf("badges %+v: want two valid", bs)
		}
	})
	t.Run("RevokeTwiceChangesNothing", func(t *testing.T) {
		f := newFixture(t)
		m := f.member("Alice")
		b, s, _ := f.badges.IssueBadge(f.ctx, m, false)
		r1, err := f.badges.RevokeBadge(f.ctx, b.ID)
		if err != nil || !r1.IsRevoked() {
			t.Fatal(r1, err)
		}
		v1, _ := f.members.FindMemberByID(f.ctx, m)
		f.clock.Add(3600e9)
		r2, err := f.badges.RevokeBadge(f.ctx, b.ID)
		if err != nil || !r2.Revoked.Equal(r1.Revoked) {
			t.Fatalf("second revoke: %v %v", r2, err)
		}
		v2, _ := f.members.FindMemberByID(f.ctx, m)
		if v1.Version != v2.Version {
			t.Fatal("second revoke bumped the version")
		}
		got, err := f.badges.FindBadgeByHash(f.ctx, s.Hash())
		if err != nil || got.ID != b.ID {
			t.Fatal(got, err)
		}
		_, err = f.badges.RevokeBadge(f.ctx, 999)
		wantCode(t, err, central.ENOTFOUND)
	})
	t.Run("ErrUnknownMember", func(t *testing.T) {
		f := newFixture(t)
		_, _, err := f.badges.IssueBadge(f.ctx, 7, false)
		wantCode(t, err, central.ENOTFOUND)
	})
}

func testKiosks(t *testing.T) {
	t.Run("EnrollOnce", func(t *testing.T) {
		f := newFixture(t)
		k := &central.Kiosk{Name: "Front door"}
		token, err := f.kiosks.CreateKiosk(f.ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(token, central.EnrollTokenPrefix) || len(token) < 40 {
			t.Fatalf("enrollment token %q", token)
		}
		got, kt, err := f.kiosks.Enroll(f.ctx, token, "kioskd 1.0")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != k.ID || !strings.HasPrefix(kt, central.KioskTokenPrefix) {
			t.Fatalf("enrolled %+v with %q", got, kt)
		}
		_, _, err = f.kiosks.Enroll(f.ctx, token, "kioskd 1.0")
		wantCode(t, err, central.ECONFLICT)
		auth, err := f.kiosks.Authenticate(f.ctx, kt)
		if err != nil || auth.ID != k.ID {
			t.Fatal(auth, err)
		}
		// Only hashes are stored.
		if auth.TokenHash == kt || auth.TokenHash != central.HashToken(kt) || auth.EnrollHash == token {
			t.Fatal("tokens stored in clear")
		}
	})
	t.Run("ErrExpiredToken", func(t *testing.T) {
		f := newFixture(t)
		token, _ := f.kiosks.CreateKiosk(f.ctx, &central.Kiosk{Name: "door"})
		f.clock.Add(central.EnrollmentTTL)
		_, _, err := f.kiosks.Enroll(f.ctx, token, "")
		wantCode(t, err, central.ECONFLICT)
	})
	t.Run("ErrUnknownTokens", func(t *testing.T) {
		f := newFixture(t)
		_, _, err := f.kiosks.Enroll(f.ctx, "bge1_nope", "")
		wantCode(t, err, central.EUNAUTHORIZED)
		_, err = f.kiosks.Authenticate(f.ctx, "bgk1_nope")
		wantCode(t, err, central.EUNAUTHORIZED)
		_, err = f.kiosks.Authenticate(f.ctx, "")
		wantCode(t, err, central.EUNAUTHORIZED)
	})
	t.Run("ErrDisabled", func(t *testing.T) {
		f := newFixture(t)
		k := &central.Kiosk{Name: "door"}
		token, _ := f.kiosks.CreateKiosk(f.ctx, k)
		_, kt, _ := f.kiosks.Enroll(f.ctx, token, "")
		if err := f.kiosks.SetKioskDisabled(f.ctx, k.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err := f.kiosks.Authenticate(f.ctx, kt)
		wantCode(t, err, central.EFORBIDDEN)
		k2 := &central.Kiosk{Name: "door 2"}
		token2, _ := f.kiosks.CreateKiosk(f.ctx, k2)
		f.kiosks.SetKioskDisabled(f.ctx, k2.ID, true)
		_, _, err = f.kiosks.Enroll(f.ctx, token2, "")
		wantCode(t, err, central.EFORBIDDEN)
	})
}

func testSettings(t *testing.T) {
	f := newFixture(t)
	s, err := f.set.Settings(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Timezone() != "Europe/Paris" || s.RetentionDays() != 90 {
		t.Fatalf("defaults: %s, %d", s.Timezone(), s.RetentionDays())
	}
	if err := f.set.SetSetting(f.ctx, central.SettingHours, "mon-fri 08:00-20:00"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.set.SetSetting(f.ctx, "no.such.key", "x"), central.EINVALID)
	wantCode(t, f.set.SetSetting(f.ctx, central.SettingTimezone, "Mars/Olympus"), central.EINVALID)
	wantCode(t, f.set.SetSetting(f.ctx, central.SettingRetentionDays, "0"), central.EINVALID)
	s, _ = f.set.Settings(f.ctx)
	if got := s.Get(central.SettingHours); got != "mon 08:00-20:00; tue 08:00-20:00; wed 08:00-20:00; thu 08:00-20:00; fri 08:00-20:00" {
		t.Fatalf("hours stored as %q", got)
	}
	evs, _, _ := f.audit.FindAuditEvents(f.ctx, central.AuditFilter{Object: "setting:" + central.SettingHours})
	if len(evs) != 1 || evs[0].Actor != central.ActorCLI {
		t.Fatalf("audit %+v", evs)
	}
}

func testAudit(t *testing.T) {
	f := newFixture(t)
	m := f.member("Alice")
	p := f.product(access.Pack, 10, 0)
	s := f.sell(m, p)
	b, _, _ := f.badges.IssueBadge(f.ctx, m, false)
	f.badges.RevokeBadge(f.ctx, b.ID)
	f.ledger.RefundSale(f.ctx, s.ID)
	f.kiosk("door", "")
	evs, n, err := f.audit.FindAuditEvents(f.ctx, central.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
		if e.Actor != central.ActorCLI {
			t.Errorf("%s by %q, want cli", e.Action, e.Actor)
		}
		if strings.Contains(e.Details, "Alice") {
			t.Errorf("%s: personal data in the audit log: %s", e.Action, e.Details)
		}
	}
	want := "kiosk.enroll kiosk.create sale.refund badge.revoke badge.issue sale.create product.create member.create"
	if got := strings.Join(actions, " "); got != want || n != 8 {
		t.Fatalf("audit (newest first):\n%s\nwant\n%s", got, want)
	}
}

func testOutbox(t *testing.T) {
	f := newFixture(t)
	calls := 0
	f.store.SetReactions(func(ev central.Event, _ central.Settings) []central.OutboxMessage {
		a, ok := ev.(central.Arrival)
		if !ok {
			return nil
		}
		calls++
		if a.Member.SlackOptOut {
			return nil
		}
		return []central.OutboxMessage{{Topic: "slack.arrival", Key: "arrival:" + a.Entry.ID,
			Payload: `{"name":"` + a.Member.Name + `"}`}}
	})
	k := f.kiosk("door", "")
	m := f.member("Alice")
	f.sell(m, f.product(access.Pack, 10, 0))
	es := []*central.Entry{entry(1, m, f.clock.Now()), entry(2, m, f.clock.Now().Add(60e9))}
	f.push(k, es...)
	f.push(k, es...) // replay
	if calls != 1 {
		t.Fatalf("hook called %d times, want once (one visit)", calls)
	}
	items, err := f.outbox.ClaimOutbox(f.ctx, "slack.arrival", 10, 60e9)
	if err != nil || len(items) != 1 || items[0].Payload != `{"name":"Alice"}` {
		t.Fatalf("claimed %+v, %v", items, err)
	}
	// Claimed messages are leased: not handed out again meanwhile.
	if again, _ := f.outbox.ClaimOutbox(f.ctx, "slack.arrival", 10, 60e9); len(again) != 0 {
		t.Fatal("claimed twice")
	}
	if err := f.outbox.RetryOutbox(f.ctx, items[0].ID, "slack down", f.clock.Now(), false); err != nil {
		t.Fatal(err)
	}
	retry, _ := f.outbox.ClaimOutbox(f.ctx, "slack.arrival", 10, 60e9)
	if len(retry) != 1 || retry[0].Attempts != 1 || retry[0].Error != "slack down" {
		t.Fatalf("retry %+v", retry)
	}
	if err := f.outbox.FinishOutbox(f.ctx, retry[0].ID, central.OutcomeSent, ""); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(3600e9)
	if done, _ := f.outbox.ClaimOutbox(f.ctx, "slack.arrival", 10, 60e9); len(done) != 0 {
		t.Fatal("a sent message was claimed again")
	}
	wantCode(t, f.outbox.FinishOutbox(f.ctx, 999, central.OutcomeSent, ""), central.ENOTFOUND)
	if ok, err := f.outbox.EnqueueOutbox(f.ctx, central.OutboxMessage{Topic: "t", Key: "arrival:" + es[0].ID}); err != nil || ok {
		t.Fatalf("same key enqueued again: %v %v", ok, err)
	}
}
