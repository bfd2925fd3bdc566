package central_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

var day = access.MustDay

func TestErrors(t *testing.T) {
	err := fmt.Errorf("create: %w", central.Errorf(central.ECONFLICT, "Taken."))
	if central.ErrorCode(err) != central.ECONFLICT || central.ErrorMessage(err) != "Taken." {
		t.Fatalf("wrapped error: %s %s", central.ErrorCode(err), central.ErrorMessage(err))
	}
	other := errors.New("disk I/O error: /var/lib/centrald/central.db")
	if central.ErrorCode(other) != central.EINTERNAL || strings.Contains(central.ErrorMessage(other), "/var") {
		t.Fatal("internal details leak through ErrorMessage")
	}
	if central.ErrorCode(nil) != "" || central.HTTPStatus(central.ErrorCode(nil)) != 200 {
		t.Fatal("nil error")
	}
	for code, status := range map[string]int{central.EINVALID: 400, central.EUNAUTHORIZED: 401, central.EFORBIDDEN: 403,
		central.ENOTFOUND: 404, central.ECONFLICT: 409, central.EINTERNAL: 500, "new": 500} {
		if got := central.HTTPStatus(code); got != status {
			t.Errorf("HTTPStatus(%s) = %d, want %d", code, got, status)
		}
	}
}

// TestErrorFormat: an *Error keeps Errorf's format and arguments (for
// translation) without changing its text, and an *Error argument (a
// setting's reason) shows as its message.
func TestErrorFormat(t *testing.T) {
	e := central.Errorf(central.EINVALID, "Unknown role %q (%d roles).", "boss", 4)
	if e.Message != `Unknown role "boss" (4 roles).` || e.Error() != `central error: code=invalid message=Unknown role "boss" (4 roles).` {
		t.Fatalf("message %q, error %q", e.Message, e.Error())
	}
	if e.Format != "Unknown role %q (%d roles)." || len(e.Args) != 2 || e.Args[0] != "boss" || e.Args[1] != 4 {
		t.Fatalf("format %q, args %v", e.Format, e.Args)
	}
	def, _ := central.LookupSetting(central.SettingRetentionDays)
	_, err := def.Check("0")
	var se *central.Error
	if !errors.As(err, &se) || se.Message != "Setting entries.retention_days: want a whole number from 1 to 3650." ||
		se.Format != "Setting %s: %s." || len(se.Args) != 2 {
		t.Fatalf("setting error %#v", err)
	}
	reason, ok := se.Args[1].(*central.Error)
	if !ok || reason.Format != "want a whole number from %d to %d" || reason.Args[0] != 1 || reason.Args[1] != 3650 {
		t.Fatalf("reason %#v", se.Args[1])
	}
	def, _ = central.LookupSetting(central.SettingHours)
	if _, err := def.Check("someday 10:00-11:00"); !strings.HasPrefix(central.ErrorMessage(err), "Setting space.hours: opening hours") {
		t.Fatalf("hours error %q", central.ErrorMessage(err))
	}
}

func TestCorrectTimes(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	past := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	const hour = time.Hour
	for _, tc := range []struct {
		name          string
		push          central.Push
		entry         central.Entry
		wantTime      time.Time
		wantUnsure    bool
		wantCorrected bool
	}{
		{"GoodClockKeepsKioskTime",
			central.Push{Received: now, SentAt: now.Add(-30 * time.Second), BootID: "b", Mono: 5 * hour},
			central.Entry{KioskTime: now.Add(-hour), BootID: "b", Mono: 4 * hour},
			now.Add(-hour), false, false},
		{"BadClockSameBootCorrected",
			central.Push{Received: now, SentAt: past, BootID: "b", Mono: 5 * hour},
			central.Entry{KioskTime: past.Add(-2 * hour), BootID: "b", Mono: 3 * hour},
			now.Add(-2 * hour), false, true},
		{"BadClockOtherBootFlagged",
			central.Push{Received: now, SentAt: past, BootID: "b", Mono: 5 * hour},
			central.Entry{KioskTime: past.Add(-2 * hour), BootID: "a", Mono: 3 * hour},
			past.Add(-2 * hour), true, false},
		{"BadClockNoMonoFlagged",
			central.Push{Received: now, SentAt: past},
			central.Entry{KioskTime: past},
			past, true, false},
		{"ClockAheadCorrected",
			central.Push{Received: now, SentAt: now.Add(24 * hour), BootID: "b", Mono: 5 * hour},
			central.Entry{KioskTime: now.Add(23 * hour), BootID: "b", Mono: 4 * hour},
			now.Add(-hour), false, true},
		{"KioskFlaggedSameBootCorrectedStaysFlagged",
			central.Push{Received: now, SentAt: now, BootID: "b", Mono: 5 * hour},
			central.Entry{KioskTime: past, ClockUnsure: true, BootID: "b", Mono: 4 * hour},
			now.Add(-hour), true, true},
		{"KioskFlaggedOtherBootStaysFlagged",
			central.Push{Received: now, SentAt: now, BootID: "b", Mono: 5 * hour},
			central.Entry{KioskTime: past, ClockUnsure: true, BootID: "a", Mono: 4 * hour},
			past, true, false},
		{"MonoAfterPushIgnored",
			central.Push{Received: now, SentAt: past, BootID: "b", Mono: 5 * hour},
			central.Entry{KioskTime: past, BootID: "b", Mono: 6 * hour},
			past, true, false},
		// Never debit in the future: an entry cannot be made after central
		// received it (issue 10, item 8).
		{"EntryInTheFutureFlaggedAndPlacedAtReceipt",
			central.Push{Received: now, SentAt: now},
			central.Entry{KioskTime: now.Add(hour)},
			now, true, false},
		{"EntryWithinSkewAheadPlacedAtReceiptUnflagged",
			central.Push{Received: now, SentAt: now},
			central.Entry{KioskTime: now.Add(time.Minute)},
			now, false, false},
		{"Year9999PlacedAtReceipt",
			central.Push{Received: now, SentAt: now},
			central.Entry{KioskTime: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)},
			now, true, false},
		{"Year2100SameBootCorrected",
			central.Push{Received: now, SentAt: now, BootID: "b", Mono: 5 * hour},
			central.Entry{KioskTime: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), BootID: "b", Mono: 4 * hour},
			now.Add(-hour), false, true},
		{"Year2100GoodPushClockFlagged",
			central.Push{Received: now, SentAt: now.Add(-time.Second), BootID: "b", Mono: 5 * hour},
			central.Entry{KioskTime: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), BootID: "a", Mono: 4 * hour},
			now, true, false},
		{"TooOldGoodPushClockFlagged",
			central.Push{Received: now, SentAt: now},
			central.Entry{KioskTime: now.Add(-central.MaxEntryAge - hour)},
			now.Add(-central.MaxEntryAge - hour), true, false},
		{"TooOldSameBootCorrected",
			central.Push{Received: now, SentAt: now, BootID: "b", Mono: 5 * hour},
			central.Entry{KioskTime: past, BootID: "b", Mono: 2 * hour},
			now.Add(-3 * hour), false, true},
		{"OldButPlausibleKept",
			central.Push{Received: now, SentAt: now},
			central.Entry{KioskTime: now.Add(-30 * 24 * hour)},
			now.Add(-30 * 24 * hour), false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.push
			e := tc.entry
			p.Entries = []*central.Entry{&e}
			central.CorrectTimes(&p)
			if !e.Time.Equal(tc.wantTime) || e.ClockUnsure != tc.wantUnsure || e.TimeCorrected != tc.wantCorrected {
				t.Fatalf("time %v unsure %v corrected %v; want %v %v %v", e.Time, e.ClockUnsure, e.TimeCorrected,
					tc.wantTime, tc.wantUnsure, tc.wantCorrected)
			}
		})
	}
}

func TestSalePeriod(t *testing.T) {
	today := day("2026-11-26")
	for _, tc := range []struct {
		name       string
		product    central.Product
		subEnd     string
		start, end string
	}{
		{"PackWithoutExpiry", central.Product{Kind: access.Pack, Entries: 10}, "", "2026-11-26", ""},
		{"PackValidForDays", central.Product{Kind: access.Pack, Entries: 10, Days: 365}, "", "2026-11-26", "2027-11-25"},
		{"SubscriptionStartsToday", central.Product{Kind: access.Subscription, Days: 30}, "", "2026-11-26", "2026-12-25"},
		{"SubscriptionAfterCurrent", central.Product{Kind: access.Subscription, Days: 30}, "2026-12-01", "2026-12-02", "2026-12-31"},
		{"SubscriptionEndingTodayContinues", central.Product{Kind: access.Subscription, Days: 1}, "2026-11-26", "2026-11-27", "2026-11-27"},
		{"SubscriptionAfterAnExpiredOne", central.Product{Kind: access.Subscription, Days: 30}, "2026-11-25", "2026-11-26", "2026-12-25"},
		{"PackIgnoresSubscription", central.Product{Kind: access.Pack, Entries: 1, Days: 1}, "2026-12-01", "2026-11-26", "2026-11-26"},
		{"UnlimitedForever", central.Product{Kind: access.Unlimited}, "", "2026-11-26", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var subEnd access.Day
			if tc.subEnd != "" {
				subEnd = day(tc.subEnd)
			}
			start, end := central.SalePeriod(&tc.product, today, subEnd)
			if start.String() != tc.start || end.String() != tc.end {
				t.Fatalf("%s..%s, want %s..%s", start, end, tc.start, tc.end)
			}
		})
	}
}

func TestSettleAndBalance(t *testing.T) {
	pack := func(id int64, entries int, start, end string) *central.Sale {
		s := &central.Sale{ID: id, Kind: access.Pack, Entries: entries, Start: day(start)}
		if end != "" {
			s.End = day(end)
		}
		return s
	}
	visit := func(d, space string) *central.Visit { return &central.Visit{Day: day(d), Space: space} }

	t.Run("OverdraftPaidByNextPack", func(t *testing.T) {
		sales := []*central.Sale{pack(1, 1, "2026-11-01", "")}
		visits := []*central.Visit{visit("2026-11-03", ""), visit("2026-11-02", "")}
		if od := central.Settle(sales, visits); od != 1 {
			t.Fatalf("overdraft %d, want 1", od)
		}
		if visits[1].Charge != central.ChargePack || visits[0].Charge != central.ChargeOverdraft {
			t.Fatalf("charges %s %s: the earlier day takes the pack", visits[0].Charge, visits[1].Charge)
		}
		b := central.NewBalance(7, sales, 1, day("2026-11-04"))
		if b.EntriesLeft != -1 || len(b.Entitlements) != 0 {
			t.Fatalf("balance %+v", b)
		}
		sales = append(sales, pack(2, 10, "2026-11-10", ""))
		if od := central.Settle(sales, visits); od != 0 || sales[1].Left != 9 || visits[0].Sale != 2 {
			t.Fatalf("after a new pack: overdraft %d, left %d, paid by %d", od, sales[1].Left, visits[0].Sale)
		}
	})
	t.Run("RefundedSaleCreditsNothing", func(t *testing.T) {
		s := pack(1, 10, "2026-11-01", "")
		s.Refunded = time.Now()
		visits := []*central.Visit{visit("2026-11-02", "")}
		if od := central.Settle([]*central.Sale{s}, visits); od != 1 || s.Left != 0 {
			t.Fatalf("overdraft %d left %d", od, s.Left)
		}
	})
	t.Run("TwoSpacesSameDayAreTwoVisits", func(t *testing.T) {
		s := pack(1, 10, "2026-11-01", "")
		if od := central.Settle([]*central.Sale{s}, []*central.Visit{visit("2026-11-02", ""), visit("2026-11-02", "annex")}); od != 0 || s.Left != 8 {
			t.Fatalf("left %d", s.Left)
		}
	})
	t.Run("BalanceSummary", func(t *testing.T) {
		sub := &central.Sale{ID: 3, Kind: access.Subscription, Start: day("2026-11-01"), End: day("2026-11-30")}
		old := &central.Sale{ID: 4, Kind: access.Subscription, Start: day("2026-10-01"), End: day("2026-10-31")}
		p := pack(5, 10, "2026-11-01", "2026-11-30")
		p.Left = 4
		staff := &central.Sale{ID: 6, Kind: access.Unlimited, Start: day("2026-11-01")}
		b := central.NewBalance(1, []*central.Sale{sub, old, p, staff}, 0, day("2026-11-30"))
		if b.SubscriptionUntil != day("2026-11-30") || b.EntriesLeft != 4 || !b.Unlimited || len(b.Entitlements) != 3 {
			t.Fatalf("balance %+v", b)
		}
		b = central.NewBalance(1, []*central.Sale{sub, old, p}, 0, day("2026-12-01"))
		if !b.SubscriptionUntil.IsZero() || b.EntriesLeft != 0 || len(b.Entitlements) != 0 {
			t.Fatalf("balance after expiry %+v", b)
		}
		// Only an ended subscription: sent, so that the door gives the reason.
		b = central.NewBalance(1, []*central.Sale{old, sub}, 0, day("2026-12-01"))
		if len(b.Entitlements) != 1 || b.Entitlements[0].ID != 3 || !b.SubscriptionUntil.IsZero() {
			t.Fatalf("balance with an ended subscription %+v", b)
		}
		d := access.Decide(access.Request{Badge: access.BadgeActive, Member: access.MemberActive,
			Entitlements: b.Entitlements, Now: day("2026-12-01").Start(access.Paris).Add(9 * time.Hour)})
		if d.Reason != access.SubscriptionExpired {
			t.Fatalf("door says %s, want subscription_expired", d.Reason)
		}
	})
}

func TestSettings(t *testing.T) {
	for _, tc := range []struct {
		key, value, want string
		ok               bool
	}{
		{central.SettingTimezone, "Europe/Paris", "Europe/Paris", true},
		{central.SettingTimezone, "Nowhere/City", "", false},
		{central.SettingTimezone, "Local", "", false},
		{central.SettingRetentionDays, " 30 ", "30", true},
		{central.SettingRetentionDays, "0", "", false},
		{central.SettingRetentionDays, "many", "", false},
		{central.SettingStaleAfter, "72h", "72h0m0s", true},
		{central.SettingStaleAfter, "", "", true},
		{central.SettingStaleAfter, "-1h", "", false},
		{central.SettingStalePolicy, "REFUSE", "refuse", true},
		{central.SettingStalePolicy, "maybe", "", false},
		{central.SettingHours, "sat 09:00-13:00", "sat 09:00-13:00", true},
		{central.SettingHours, "someday", "", false},
		{central.SettingSpaceName, "  ", "", false},
		{central.SettingSpaceName, "La Ruche\nEvil", "", false},
	} {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			def, found := central.LookupSetting(tc.key)
			if !found {
				t.Fatalf("unknown key %s", tc.key)
			}
			got, err := def.Check(tc.value)
			if tc.ok && (err != nil || got != tc.want) {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
			if !tc.ok && central.ErrorCode(err) != central.EINVALID {
				t.Fatalf("accepted %q as %q", tc.value, got)
			}
		})
	}
	if _, ok := central.LookupSetting("slack.nope"); ok {
		t.Fatal("unknown key found")
	}
	s := central.Settings{}
	if s.Location().String() != "Europe/Paris" || s.RetentionDays() != 90 || s.StaleAfter() != 168*time.Hour {
		t.Fatalf("defaults: %v %d %v", s.Location(), s.RetentionDays(), s.StaleAfter())
	}
	secret := central.Setting{Key: "x.token", Secret: true}
	if got := secret.Mask("xoxb-1234567890-abcdef"); got != "****cdef" {
		t.Fatalf("mask %q", got)
	}
	if got := secret.Mask("short"); got != "****" {
		t.Fatalf("mask of a short secret %q", got)
	}
	keys := central.SettingDefs()
	for i := 1; i < len(keys); i++ {
		if keys[i-1].Key >= keys[i].Key {
			t.Fatalf("settings not sorted: %s before %s", keys[i-1].Key, keys[i].Key)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    central.Product
		ok   bool
	}{
		{"Pack", central.Product{Name: "10 entrées", Kind: access.Pack, Entries: 10, Price: 12000}, true},
		{"PackWithoutEntries", central.Product{Name: "x", Kind: access.Pack}, false},
		{"SubscriptionWithoutDays", central.Product{Name: "x", Kind: access.Subscription}, false},
		{"SubscriptionWithEntries", central.Product{Name: "x", Kind: access.Subscription, Days: 30, Entries: 3}, false},
		{"UnknownKind", central.Product{Name: "x", Kind: "gift", Entries: 1}, false},
		{"NegativePrice", central.Product{Name: "x", Kind: access.Pack, Entries: 1, Price: -1}, false},
		{"NoName", central.Product{Kind: access.Pack, Entries: 1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			if (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v", err)
			}
		})
	}
	tok, hash, err := central.NewToken(central.KioskTokenPrefix)
	if err != nil || central.HashToken(tok) != hash || len(tok) != len(central.KioskTokenPrefix)+43 {
		t.Fatalf("token %q hash %q err %v", tok, hash, err)
	}
	if tok2, _, _ := central.NewToken(central.KioskTokenPrefix); tok2 == tok {
		t.Fatal("two equal tokens")
	}
}

func TestEntryID(t *testing.T) {
	id, err := central.EntryID("0193A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B")
	if err != nil || id != "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b" {
		t.Fatalf("EntryID = %q, %v", id, err)
	}
	for _, bad := range []string{"", "x", "0193a1b2c3d47e5f8a9b0c1d2e3f4a5b0000", "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5g"} {
		if _, err := central.EntryID(bad); central.ErrorCode(err) != central.EINVALID {
			t.Errorf("EntryID(%q): %v, want EINVALID", bad, err)
		}
	}
}

// TestDomainSettingsOnly: the domain's own settings table holds no
// adapter's key; each adapter declares its keys in its package and
// centrald adds them (central.AddSettings).
func TestDomainSettingsOnly(t *testing.T) {
	for _, def := range central.SettingDefs() {
		for _, adapter := range []string{"slack.", "helloasso.", "pennylane.", "billing.", "smtp.", "association.address", "association.siret"} {
			if strings.HasPrefix(def.Key, adapter) {
				t.Errorf("setting %s is an adapter's: declare it in its package", def.Key)
			}
		}
	}
}

// TestGetFrom: an adapter reads its keys with its own defaults.
func TestGetFrom(t *testing.T) {
	defs := []central.Setting{{Key: "x.port", Default: "587"}}
	if got := (central.Settings{}).GetFrom(defs, "x.port"); got != "587" {
		t.Fatalf("default %q", got)
	}
	if got := (central.Settings{"x.port": "25"}).GetFrom(defs, "x.port"); got != "25" {
		t.Fatalf("value set %q", got)
	}
	if got := (central.Settings{}).GetFrom(defs, "x.host"); got != "" {
		t.Fatalf("unknown key %q", got)
	}
}

// TestKioskEnrollRules: the rules of trading an enrollment token, made
// once in the domain for every store.
func TestKioskEnrollRules(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	fresh := central.Kiosk{ID: 1, EnrollExpires: now.Add(time.Hour)}
	for name, tc := range map[string]struct {
		k    central.Kiosk
		code string
	}{
		"fresh":    {fresh, ""},
		"disabled": {central.Kiosk{ID: 1, EnrollExpires: now.Add(time.Hour), Disabled: true}, central.EFORBIDDEN},
		"used":     {central.Kiosk{ID: 1, EnrollExpires: now.Add(time.Hour), Enrolled: now.Add(-time.Minute)}, central.ECONFLICT},
		"expired":  {central.Kiosk{ID: 1, EnrollExpires: now}, central.ECONFLICT},
	} {
		if got := central.ErrorCode(tc.k.CanEnroll(now)); tc.code == "" && tc.k.CanEnroll(now) != nil || tc.code != "" && got != tc.code {
			t.Errorf("%s: CanEnroll = %v, want code %q", name, tc.k.CanEnroll(now), tc.code)
		}
	}
	if err := fresh.CanSync(); err != nil {
		t.Fatal(err)
	}
	if central.ErrorCode((&central.Kiosk{Disabled: true}).CanSync()) != central.EFORBIDDEN {
		t.Fatal("a disabled kiosk syncs")
	}
}

// TestMemberEdit: what an update changed, as every store records it: the
// fields' names, her new status (kiosks receive her again) and Slack
// choice, never her name or e-mail.
func TestMemberEdit(t *testing.T) {
	old := &central.Member{ID: 1, Name: "Alice", Email: "alice@example.org", Status: access.MemberActive}
	same := *old
	central.MemberUpdate{}.Apply(&same)
	if e := central.MemberEditOf(old, &same); e.Changed() || e.Resync {
		t.Fatalf("no change: %+v", e)
	}
	name, status := "Alice Martin", access.MemberSuspended
	m := *old
	central.MemberUpdate{Name: &name}.Apply(&m)
	e := central.MemberEditOf(old, &m)
	if !e.Changed() || e.Resync || fmt.Sprint(e.Details) != "map[fields:[name]]" {
		t.Fatalf("name: %+v", e)
	}
	central.MemberUpdate{Status: &status}.Apply(&m)
	e = central.MemberEditOf(old, &m)
	if !e.Resync || fmt.Sprint(e.Details) != "map[fields:[name status] status:suspended]" {
		t.Fatalf("status: %+v", e)
	}
	// A new first name is a change for kiosks: door screens greet her by it.
	first := "Alicia Martin"
	m = *old
	central.MemberUpdate{Name: &first}.Apply(&m)
	if e := central.MemberEditOf(old, &m); !e.Resync || fmt.Sprint(e.Details) != "map[fields:[name]]" {
		t.Fatalf("first name: %+v", e)
	}
}

// TestDoorName: what a door screen greets a member by is her first name,
// bounded, with nothing invisible.
func TestDoorName(t *testing.T) {
	for name, want := range map[string]string{
		"Alice Martin":                  "Alice",
		"  Jean-Pierre   Dupont ":       "Jean-Pierre",
		"Léa":                           "Léa",
		"":                              "",
		"A\u200bli\u0007ce Martin":      "Alice",
		strings.Repeat("é", 100) + " X": strings.Repeat("é", central.MaxDoorName),
	} {
		if got := central.DoorName(name); got != want {
			t.Errorf("DoorName(%q) = %q, want %q", name, got, want)
		}
	}
}
