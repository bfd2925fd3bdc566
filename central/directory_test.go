package central_test

import (
	"context"
	"slices"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// memDirectory is central.DirectoryReader over memory.
type memDirectory struct {
	entries []*central.DirectoryEntry
	status  map[int64]access.MemberStatus
	asked   central.DirectoryFilter
}

func (m *memDirectory) DirectoryEntries(_ context.Context, f central.DirectoryFilter) ([]*central.DirectoryEntry, error) {
	m.asked = f
	var out []*central.DirectoryEntry
	for _, e := range m.entries {
		if e.InDirectory && (f.Status == "" || m.status[e.Member] == f.Status) && (f.WithHidden || !e.Hidden) {
			c := *e
			out = append(out, &c)
		}
	}
	return out, nil
}

// TestDirectoryRules: the directory lists the active members who chose
// to be in it, the hidden ones for the bureau only, and an e-mail only
// when she chose to be reached by e-mail.
func TestDirectoryRules(t *testing.T) {
	entry := func(id int64, contact central.ContactKind, listed, hidden bool) *central.DirectoryEntry {
		return &central.DirectoryEntry{Profile: central.Profile{Member: id, InDirectory: listed, Hidden: hidden, Contact: contact},
			Name: "M", Email: "m@example.org"}
	}
	m := &memDirectory{
		entries: []*central.DirectoryEntry{entry(1, central.ContactEmail, true, false), entry(2, central.ContactSlack, true, false),
			entry(3, central.ContactEmail, true, false), entry(4, central.ContactEmail, false, false), entry(5, central.ContactEmail, true, true)},
		status: map[int64]access.MemberStatus{1: access.MemberActive, 2: access.MemberActive, 3: access.MemberSuspended,
			4: access.MemberActive, 5: access.MemberActive}}
	ctx := context.Background()
	for _, tt := range []struct {
		withHidden bool
		want       []int64
	}{{false, []int64{1, 2}}, {true, []int64{1, 2, 5}}} {
		es, err := central.Directory(ctx, m, tt.withHidden)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, e := range es {
			got = append(got, e.Member)
			if (e.Email != "") != (e.Contact == central.ContactEmail) {
				t.Errorf("member %d: e-mail %q with contact %q", e.Member, e.Email, e.Contact)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("withHidden %v: members %v, want %v", tt.withHidden, got, tt.want)
		}
		if m.asked.Status != access.MemberActive {
			t.Errorf("asked %+v", m.asked)
		}
	}
}
