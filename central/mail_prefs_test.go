package central_test

import (
	"context"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// memMailPrefs is central.MailPrefsTx over memory.
type memMailPrefs struct {
	members map[int64]bool
	lang    map[int64]string
	bumped  []int64
	audits  int
}

func (m *memMailPrefs) MemberExists(_ context.Context, id int64) (bool, error) {
	return m.members[id], nil
}
func (m *memMailPrefs) MailLang(_ context.Context, id int64) (string, error) {
	if l, ok := m.lang[id]; ok {
		return l, nil
	}
	return "fr", nil
}
func (m *memMailPrefs) SaveMailPrefs(_ context.Context, id int64, lang string, _ bool) error {
	m.lang[id] = lang
	return nil
}
func (m *memMailPrefs) BumpMember(_ context.Context, id int64) error {
	m.bumped = append(m.bumped, id)
	return nil
}
func (m *memMailPrefs) Audit(context.Context, string, string, any) error {
	m.audits++
	return nil
}

// TestSetMailPrefsRules: French or English only, of a member who exists;
// a new language sends her to the kiosks again (the door's screen speaks
// it), the same one or reminders alone do not.
func TestSetMailPrefsRules(t *testing.T) {
	m := &memMailPrefs{members: map[int64]bool{1: true, 2: true}, lang: map[int64]string{}}
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		member   int64
		lang     string
		reminder bool
		want     string
		bumps    int
	}{
		{"French, as she never chose", 1, "fr", true, "", 0},
		{"English", 1, "en", true, "", 1},
		{"English again, reminders on", 1, "en", false, "", 0},
		{"back to French", 1, "fr", false, "", 1},
		{"German", 2, "de", false, central.EINVALID, 0},
		{"nobody", 9, "en", false, central.ENOTFOUND, 0},
	} {
		n := len(m.bumped)
		err := central.SetMailPrefs(ctx, m, tt.member, tt.lang, tt.reminder)
		if central.ErrorCode(err) != tt.want || len(m.bumped)-n != tt.bumps {
			t.Errorf("%s: %v, %d bumps; want %q, %d", tt.name, err, len(m.bumped)-n, tt.want, tt.bumps)
		}
	}
	if m.audits != 4 {
		t.Errorf("%d audits", m.audits)
	}
}
