package adminstore_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

// memAdmin is adminstore.AdminUserTx and adminstore.JoinTx over memory.
type memAdmin struct {
	now      time.Time
	users    map[int64]*central.AdminUser
	spaces   map[int64]bool
	sessions map[int64]int // by user
	joins    map[int64]*adminstore.JoinRequest
	members  []*central.Member
	langs    map[int64]string
	audits   []string
	revoked  []string // mail tokens revoked: purpose and subject
}

func (m *memAdmin) Now() time.Time { return m.now }
func (m *memAdmin) FindAdminUser(_ context.Context, id int64) (*central.AdminUser, error) {
	if u := m.users[id]; u != nil {
		c := *u
		return &c, nil
	}
	return nil, central.Errorf(central.ENOTFOUND, "Admin user not found.")
}
func (m *memAdmin) SpaceExists(_ context.Context, id int64) (bool, error) { return m.spaces[id], nil }
func (m *memAdmin) InsertAdminUser(_ context.Context, u *central.AdminUser) error {
	u.ID = int64(len(m.users) + 1)
	c := *u
	m.users[u.ID] = &c
	return nil
}
func (m *memAdmin) SaveAdminUser(_ context.Context, u *central.AdminUser) error {
	c := *u
	m.users[u.ID] = &c
	return nil
}
func (m *memAdmin) DeleteSessions(_ context.Context, user int64) error {
	m.sessions[user] = 0
	return nil
}
func (m *memAdmin) RevokeMailTokens(_ context.Context, purpose string, subject int64) error {
	m.revoked = append(m.revoked, purpose+" "+strconv.FormatInt(subject, 10))
	return nil
}
func (m *memAdmin) Audit(_ context.Context, action, object string, _ any) error {
	m.audits = append(m.audits, action+" "+object)
	return nil
}
func (m *memAdmin) FindJoinRequest(_ context.Context, id int64) (*adminstore.JoinRequest, error) {
	if j := m.joins[id]; j != nil {
		c := *j
		return &c, nil
	}
	return nil, central.Errorf(central.ENOTFOUND, "Join request %d not found.", id)
}
func (m *memAdmin) CreateMember(_ context.Context, mb *central.Member) error {
	for _, o := range m.members {
		if o.Email == mb.Email {
			return central.Errorf(central.ECONFLICT, "Another member has the e-mail %s.", mb.Email)
		}
	}
	mb.ID = int64(len(m.members) + 1)
	m.members = append(m.members, mb)
	return nil
}
func (m *memAdmin) SaveMailPrefs(_ context.Context, member int64, lang string, _ bool) error {
	m.langs[member] = lang
	return nil
}
func (m *memAdmin) SaveJoinRequest(_ context.Context, j *adminstore.JoinRequest) error {
	c := *j
	m.joins[j.ID] = &c
	return nil
}

func ptr[T any](v T) *T { return &v }

// TestAdminUserRules: a space of the network or none; whatever takes from
// her what her open pages show (her space, her account, her password)
// logs her out, a role changed alone does not, and nothing changed
// changes nothing.
func TestAdminUserRules(t *testing.T) {
	m := &memAdmin{now: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC), users: map[int64]*central.AdminUser{},
		spaces: map[int64]bool{1: true, 2: true}, sessions: map[int64]int{}}
	ctx := context.Background()
	if err := adminstore.CreateAdminUser(ctx, m, &central.AdminUser{Email: "a@example.org", PasswordHash: "h", Space: 9}); central.ErrorCode(err) != central.ENOTFOUND {
		t.Fatalf("a space that is none: %v", err)
	}
	u := &central.AdminUser{Email: " bureau@example.org ", PasswordHash: "h", Space: 2}
	if err := adminstore.CreateAdminUser(ctx, m, u); err != nil || u.ID != 1 || u.Role != central.RoleReadOnly || !u.Created.Equal(m.now) {
		t.Fatalf("create: %+v %v", u, err)
	}
	for _, tt := range []struct {
		name   string
		upd    central.AdminUserUpdate
		want   string
		logout bool
		audit  bool
	}{
		{"nothing", central.AdminUserUpdate{Role: ptr(central.RoleReadOnly)}, "", false, false},
		{"a role", central.AdminUserUpdate{Role: ptr(central.RoleTreasurer)}, "", false, true},
		{"an unknown role", central.AdminUserUpdate{Role: ptr(central.Role("boss"))}, central.EINVALID, false, false},
		{"a space that is none", central.AdminUserUpdate{Space: ptr(int64(7))}, central.ENOTFOUND, false, false},
		{"the network", central.AdminUserUpdate{Space: ptr(int64(0))}, "", true, true},
		{"enabled as she is", central.AdminUserUpdate{Disabled: ptr(false)}, "", false, false},
		{"disabled", central.AdminUserUpdate{Disabled: ptr(true)}, "", true, true},
		{"enabled again", central.AdminUserUpdate{Disabled: ptr(false)}, "", false, true},
		{"a new password", central.AdminUserUpdate{PasswordHash: ptr("h2")}, "", true, true},
		{"nobody", central.AdminUserUpdate{}, central.ENOTFOUND, false, false},
	} {
		m.sessions[1] = 2
		n := len(m.audits)
		id := int64(1)
		if tt.name == "nobody" {
			id = 5
		}
		_, err := adminstore.UpdateAdminUser(ctx, m, id, tt.upd)
		if central.ErrorCode(err) != tt.want || (m.sessions[1] == 0) != tt.logout || (len(m.audits) > n) != tt.audit {
			t.Errorf("%s: %v, sessions %d, audits %v", tt.name, err, m.sessions[1], m.audits[n:])
		}
	}
	if got := m.users[1]; got.Role != central.RoleTreasurer || got.Space != 0 || got.PasswordHash != "h2" {
		t.Errorf("stored %+v", got)
	}
	// The new password only ends her reset links.
	if want := []string{adminstore.TokenPasswordReset + " 1"}; !slices.Equal(m.revoked, want) {
		t.Errorf("mail tokens revoked %v, want %v", m.revoked, want)
	}
}

// TestJoinRequestRules: a request is decided once; accepted, it makes
// its member (her mails in English when she joined in English); an
// address that is a member's already cannot be accepted.
func TestJoinRequestRules(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	pending := func(id int64, email, lang string) *adminstore.JoinRequest {
		return &adminstore.JoinRequest{ID: id, Name: "N", Email: email, Lang: lang, State: adminstore.JoinPending}
	}
	m := &memAdmin{now: now, langs: map[int64]string{}, joins: map[int64]*adminstore.JoinRequest{
		1: pending(1, "ann@example.org", "en"), 2: pending(2, "bea@example.org", "fr"), 3: pending(3, "ann@example.org", "fr"),
		4: pending(4, "cat@example.org", "fr")}}
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		id     int64
		accept bool
		want   string
		state  string
		member int64
	}{
		{"accepted, in English", 1, true, "", adminstore.JoinAccepted, 1},
		{"accepted again", 1, true, central.ECONFLICT, "", 0},
		{"refused once accepted", 1, false, central.ECONFLICT, "", 0},
		{"accepted, in French", 2, true, "", adminstore.JoinAccepted, 2},
		{"a member's address", 3, true, central.ECONFLICT, "", 0},
		{"refused", 4, false, "", adminstore.JoinRefused, 0},
		{"refused twice", 4, false, central.ECONFLICT, "", 0},
		{"none", 9, true, central.ENOTFOUND, "", 0},
	} {
		j, err := adminstore.DecideJoinRequest(ctx, m, tt.id, tt.accept)
		if central.ErrorCode(err) != tt.want {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
			continue
		}
		if err == nil && (j.State != tt.state || j.Member != tt.member || !j.Decided.Equal(now) || m.joins[tt.id].State != tt.state) {
			t.Errorf("%s: %+v", tt.name, j)
		}
	}
	if m.langs[1] != "en" || len(m.langs) != 1 {
		t.Errorf("languages %v", m.langs)
	}
	if m.joins[3].State != adminstore.JoinPending {
		t.Errorf("request 3 %+v", m.joins[3])
	}
	want := []string{"join.accept join_request:1", "join.accept join_request:2", "join.refuse join_request:4"}
	if !slices.Equal(m.audits, want) {
		t.Errorf("journal %v", m.audits)
	}
}

// memLinks is adminstore.MemberLinkTx over memory.
type memLinks struct {
	now     time.Time
	members map[int64]bool
	links   []*central.MemberLink
	badges  []*central.Badge
	bumps   map[int64]int
	audits  []string
}

func (m *memLinks) MemberBadges(_ context.Context, member int64) (bs []*central.Badge, _ error) {
	for _, b := range m.badges {
		if b.Member == member {
			bs = append(bs, b)
		}
	}
	return bs, nil
}
func (m *memLinks) SetBadgeRevoked(_ context.Context, id int64, t time.Time) error {
	for _, b := range m.badges {
		if b.ID == id {
			b.Revoked = t
		}
	}
	return nil
}
func (m *memLinks) BumpMember(_ context.Context, member int64) error {
	if m.bumps == nil {
		m.bumps = map[int64]int{}
	}
	m.bumps[member]++
	return nil
}

func (m *memLinks) Now() time.Time                                         { return m.now }
func (m *memLinks) MemberExists(_ context.Context, id int64) (bool, error) { return m.members[id], nil }
func (m *memLinks) RevokeMemberLinks(_ context.Context, member int64) (int, error) {
	n := 0
	for _, l := range m.links {
		if l.Member == member && l.Revoked.IsZero() {
			l.Revoked, n = m.now, n+1
		}
	}
	return n, nil
}
func (m *memLinks) InsertMemberLink(_ context.Context, l *central.MemberLink) error {
	l.ID = int64(len(m.links) + 1)
	m.links = append(m.links, l)
	return nil
}
func (m *memLinks) Audit(_ context.Context, action, object string, _ any) error {
	m.audits = append(m.audits, action+" "+object)
	return nil
}

// TestMemberLinkRules: a member has one self-service link at a time (a
// new one revokes the previous); revoking is audited only when a link
// worked.
func TestMemberLinkRules(t *testing.T) {
	m := &memLinks{now: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC), members: map[int64]bool{1: true, 2: true}}
	ctx := context.Background()
	working := func(member int64) (ids []int64) {
		for _, l := range m.links {
			if l.Member == member && l.Revoked.IsZero() {
				ids = append(ids, l.ID)
			}
		}
		return ids
	}
	for _, member := range []int64{1, 2, 1} {
		if _, err := adminstore.CreateMemberLink(ctx, m, member, "h"); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(working(1), []int64{3}) || !slices.Equal(working(2), []int64{2}) {
		t.Errorf("links that work: %v, %v", working(1), working(2))
	}
	if _, err := adminstore.CreateMemberLink(ctx, m, 9, "h"); central.ErrorCode(err) != central.ENOTFOUND {
		t.Errorf("nobody's link: %v", err)
	}
	for range 2 {
		if err := adminstore.RevokeMemberLinks(ctx, m, 1); err != nil {
			t.Fatal(err)
		}
	}
	if len(working(1)) != 0 {
		t.Errorf("links that work: %v", working(1))
	}
	want := []string{"member.link_create member:1", "member.link_create member:2", "member.link_create member:1", "member.link_revoke member:1"}
	if !slices.Equal(m.audits, want) {
		t.Errorf("journal %v", m.audits)
	}
	if len(m.bumps) != 0 {
		t.Errorf("sync versions bumped without a phone badge: %v", m.bumps)
	}
}

// TestMemberLinkEndsPhoneBadges: a new link, or her link revoked, revokes
// her phone badges that work (the phone that saved one under the old link
// shows no code any more, and a leaked link leaves none working), bumping
// her sync version for the kiosks; her printed cards and other members'
// badges stay; a phone badge revoked already keeps its date.
func TestMemberLinkEndsPhoneBadges(t *testing.T) {
	ctx := context.Background()
	earlier := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		act    func(m *memLinks) error
		action string
	}{
		{"new link", func(m *memLinks) error { _, err := adminstore.CreateMemberLink(ctx, m, 1, "h2"); return err }, "member.link_create"},
		{"link revoked", func(m *memLinks) error { return adminstore.RevokeMemberLinks(ctx, m, 1) }, "member.link_revoke"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := &memLinks{now: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC), members: map[int64]bool{1: true, 2: true}}
			m.links = []*central.MemberLink{{ID: 1, Member: 1, Hash: "h1"}}
			m.badges = []*central.Badge{
				{ID: 1, Member: 1, Kind: central.BadgeCard},
				{ID: 2, Member: 1, Kind: central.BadgePhone},
				{ID: 3, Member: 1, Kind: central.BadgePhone, Revoked: earlier},
				{ID: 4, Member: 2, Kind: central.BadgePhone},
				{ID: 5, Member: 1, Kind: central.BadgePhone},
			}
			if err := c.act(m); err != nil {
				t.Fatal(err)
			}
			want := map[int64]time.Time{1: {}, 2: m.now, 3: earlier, 4: {}, 5: m.now}
			for _, b := range m.badges {
				if !b.Revoked.Equal(want[b.ID]) {
					t.Errorf("badge %d (%s of member %d) revoked %v, want %v", b.ID, b.Kind, b.Member, b.Revoked, want[b.ID])
				}
			}
			if m.bumps[1] != 1 || m.bumps[2] != 0 {
				t.Errorf("sync versions bumped: %v", m.bumps)
			}
			if !slices.Equal(m.audits, []string{c.action + " member:1"}) {
				t.Errorf("journal %v", m.audits)
			}
		})
	}
}
