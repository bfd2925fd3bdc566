package central_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// memSpaces is central.SpaceTx over memory.
type memSpaces struct {
	now      time.Time
	spaces   []*central.Space
	settings map[string]string
	audits   []string
	places   []central.Placed // events' and resources' places
	guests   []string         // guest passes' places, by pass
}

func (m *memSpaces) Now() time.Time { return m.now }
func (m *memSpaces) Spaces(context.Context) ([]*central.Space, error) {
	out := make([]*central.Space, len(m.spaces))
	for i, sp := range m.spaces {
		c := *sp
		out[i] = &c
	}
	return out, nil
}
func (m *memSpaces) InsertSpace(_ context.Context, sp *central.Space) error {
	sp.ID = int64(len(m.spaces) + 1)
	c := *sp
	m.spaces = append(m.spaces, &c)
	return nil
}
func (m *memSpaces) RenameSpace(_ context.Context, id int64, name string) error {
	central.SpaceByID(m.spaces, id).Name = name
	return nil
}
func (m *memSpaces) Places(context.Context) ([]central.Placed, error) {
	var out []central.Placed
	for _, p := range m.places {
		if p.Place != "" {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b central.Placed) int { // as the stores: events, then resources, by id
		if a.Resource != b.Resource {
			return map[bool]int{false: -1, true: 1}[a.Resource]
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}
func (m *memSpaces) SetPlace(_ context.Context, p central.Placed, place string) error {
	for i := range m.places {
		if m.places[i].Resource == p.Resource && m.places[i].ID == p.ID {
			m.places[i].Place = place
		}
	}
	return nil
}
func (m *memSpaces) GuestPlaces(context.Context) ([]string, error) {
	out := slices.Clone(m.guests)
	slices.Sort(out)
	return slices.Compact(out), nil
}
func (m *memSpaces) SetGuestPlace(_ context.Context, from, to string) (int64, error) {
	var n int64
	for i := range m.guests {
		if m.guests[i] == from {
			m.guests[i], n = to, n+1
		}
	}
	return n, nil
}
func (m *memSpaces) SaveSetting(_ context.Context, key, value string) error {
	m.settings[key] = value
	return nil
}
func (m *memSpaces) Audit(_ context.Context, action, object string, _ any) error {
	m.audits = append(m.audits, action+" "+object)
	return nil
}

// TestSpaceNames: a space's name is one space's whatever its case, and
// no other space's key (a renamed space keeps its first name as its
// kiosks' and visits' space), whether a space is added or the main one
// named by the setting space.name; and there are MaxSpaces at most.
func TestSpaceNames(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	m := &memSpaces{now: now, settings: map[string]string{},
		spaces: []*central.Space{{ID: 1, Name: "Badgeuse"}, {ID: 2, Key: "La Cantine", Name: "Cantine du port"}}}
	ctx := context.Background()
	create := func(name string) func() error {
		return func() error { return central.CreateSpace(ctx, m, &central.Space{Name: name}) }
	}
	name := func(name string) func() error {
		return func() error { return central.SetSetting(ctx, m, central.SettingSpaceName, name) }
	}
	for _, tt := range []struct {
		name string
		do   func() error
		want string
	}{
		{"a new space", create("  La   Ruche "), ""},
		{"its name again", create("La Ruche"), central.ECONFLICT},
		{"another case", create("la ruche"), central.ECONFLICT},
		{"a renamed space's first name", create("La Cantine"), central.ECONFLICT},
		{"a renamed space's name", create("CANTINE DU PORT"), central.ECONFLICT},
		{"the main space's name", create("badgeuse"), central.ECONFLICT},
		{"a number", create("12"), central.EINVALID},
		{"the main space named", name("La Halle"), ""},
		{"the main space named as it is, another case", name("la halle"), ""},
		{"the main space named as another", name("La ruche"), central.ECONFLICT},
		{"the main space named as another's key", name("La Cantine"), central.ECONFLICT},
		{"its old name is free", create("Badgeuse"), ""},
		{"an unknown setting", func() error { return central.SetSetting(ctx, m, "space.nom", "x") }, central.EINVALID},
		{"an invalid value", name(" "), central.EINVALID},
	} {
		if got := central.ErrorCode(tt.do()); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if sp := central.SpaceByID(m.spaces, 3); sp == nil || sp.Name != "La Ruche" || sp.Key != "La Ruche" || !sp.Created.Equal(now) {
		t.Errorf("space 3 %+v", sp)
	}
	if main := central.SpaceByID(m.spaces, central.MainSpace); main.Name != "la halle" || main.Key != "" ||
		m.settings[central.SettingSpaceName] != "la halle" {
		t.Errorf("main space %+v, setting %q", main, m.settings[central.SettingSpaceName])
	}
	want := "space.create space:3 setting.set setting:space.name setting.set setting:space.name space.create space:4"
	if got := fmt.Sprint(m.audits); got != "["+want+"]" {
		t.Errorf("journal %s", got)
	}
	// MaxSpaces at most.
	for len(m.spaces) < central.MaxSpaces {
		m.spaces = append(m.spaces, &central.Space{ID: int64(len(m.spaces) + 1), Name: fmt.Sprint("Espace ", len(m.spaces)+1)})
	}
	if err := create("Un de trop")(); central.ErrorCode(err) != central.ECONFLICT {
		t.Errorf("space %d: %v", central.MaxSpaces+1, err)
	}
	m.spaces = m.spaces[:central.MaxSpaces-1]
	if err := create("Le dernier")(); err != nil {
		t.Errorf("space %d: %v", central.MaxSpaces, err)
	}
}

// TestSpaceNameComma: a space's name has no comma, whether a space is
// added, renamed (RenameSpace) or the main one named by the setting
// space.name: the members export lists a member's spaces separated by
// ", " (a contract scripts split on) and --spaces takes names separated by
// commas. A space renamed keeps its key; the main space is renamed
// through its setting.
func TestSpaceNameComma(t *testing.T) {
	m := &memSpaces{now: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC), settings: map[string]string{},
		spaces: []*central.Space{{ID: 1, Name: "Badgeuse"}, {ID: 2, Key: "La Cantine", Name: "La Cantine"}}}
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		do   func() error
		want string
	}{
		{"a new space", func() error { return central.CreateSpace(ctx, m, &central.Space{Name: "Lyon, Pentes"}) }, central.EINVALID},
		{"the main space named", func() error { return central.SetSetting(ctx, m, central.SettingSpaceName, "La Halle, Lyon") }, central.EINVALID},
		{"a space renamed", func() error { return central.RenameSpace(ctx, m, 2, "Cantine, port") }, central.EINVALID},
		{"a space renamed as another", func() error { return central.RenameSpace(ctx, m, 2, "badgeuse") }, central.ECONFLICT},
		{"a space that does not exist", func() error { return central.RenameSpace(ctx, m, 9, "Ailleurs") }, central.ENOTFOUND},
		{"a space renamed well", func() error { return central.RenameSpace(ctx, m, 2, "  Cantine   du port ") }, ""},
		{"the main space renamed", func() error { return central.RenameSpace(ctx, m, 1, "La Halle") }, ""},
	} {
		err := tt.do()
		if got := central.ErrorCode(err); got != tt.want {
			t.Errorf("%s: %q (%v), want %q", tt.name, got, err, tt.want)
		}
		if tt.want == central.EINVALID && !strings.Contains(err.Error(), "comma") {
			t.Errorf("%s: %v, want it to say why (a comma)", tt.name, err)
		}
	}
	if sp := central.SpaceByID(m.spaces, 2); sp.Name != "Cantine du port" || sp.Key != "La Cantine" {
		t.Errorf("space 2 renamed: %+v", sp)
	}
	if main := central.SpaceByID(m.spaces, 1); main.Name != "La Halle" || m.settings[central.SettingSpaceName] != "La Halle" {
		t.Errorf("main space renamed: %+v, setting %q", main, m.settings[central.SettingSpaceName])
	}
	if got, want := fmt.Sprint(m.audits), "[space.rename space:2 setting.set setting:space.name]"; got != want {
		t.Errorf("journal %s, want %s", got, want)
	}
	if len(m.spaces) != 2 {
		t.Errorf("%d spaces", len(m.spaces))
	}
}

// TestPlaceName: a place is shown by the current name of its space,
// whether stored as the space's key (its first name, kept when renamed)
// or as its name in another case or with spaces around; "" is the main
// space; a place that names no space shows as it is stored.
func TestPlaceName(t *testing.T) {
	spaces := []*central.Space{{ID: 1, Name: "Badgeuse"}, {ID: 2, Key: "La Cantine", Name: "La Cantine Croix-Rousse"},
		{ID: 3, Key: "L'Annexe", Name: "L'Annexe"}}
	for _, tt := range []struct{ place, want string }{
		{"", "Badgeuse"},
		{"La Cantine", "La Cantine Croix-Rousse"},
		{" La Cantine ", "La Cantine Croix-Rousse"},
		{"la cantine croix-rousse", "La Cantine Croix-Rousse"},
		{"l'annexe", "L'Annexe"},
		{"BADGEUSE", "Badgeuse"},
		{"la cantine", "la cantine"}, // the old name in another case: no space (RenameSpace rewrites it)
		{"1", "1"},
		{"Atlantis", "Atlantis"},
	} {
		if got := central.PlaceName(spaces, tt.place); got != tt.want {
			t.Errorf("PlaceName(%q) = %q, want %q", tt.place, got, tt.want)
		}
	}
	if got := central.PlaceName(nil, "La Cantine"); got != "La Cantine" {
		t.Errorf("without spaces: %q", got)
	}
}

// TestRenameKeepsPlaces: renaming a space stores at its key the events
// and rooms that named it by its name (another case, spaces around),
// which renamed would name no space; its key, another space's place, an
// unknown place and the main space's "" are left as they are. The main
// space, renamed through space.name, takes back to "" those named by its
// old name. Each move is audited.
func TestRenameKeepsPlaces(t *testing.T) {
	m := &memSpaces{now: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC), settings: map[string]string{},
		spaces: []*central.Space{{ID: 1, Name: "Badgeuse"}, {ID: 2, Key: "La Cantine", Name: "La Cantine"},
			{ID: 3, Key: "L'Annexe", Name: "L'Annexe"}}}
	for i, place := range []string{"", "La Cantine", "la cantine", " LA CANTINE ", " La Cantine ", "l'annexe", "1", "badgeuse"} {
		m.places = append(m.places, central.Placed{ID: int64(i + 1), Place: place},
			central.Placed{Resource: true, ID: int64(i + 1), Place: place})
	}
	ctx := context.Background()
	if err := central.RenameSpace(ctx, m, 2, "La Cantine Croix-Rousse"); err != nil {
		t.Fatal(err)
	}
	if err := central.RenameSpace(ctx, m, 1, "La Halle"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id         int64
		was, want  string
		spaceAfter int64
	}{
		{1, "", "", 1},
		{2, "La Cantine", "La Cantine", 2},
		{3, "la cantine", "La Cantine", 2},
		{4, " LA CANTINE ", "La Cantine", 2},
		{5, " La Cantine ", " La Cantine ", 2}, // its key: found as it is
		{6, "l'annexe", "l'annexe", 3},         // another space's, not renamed
		{7, "1", "1", 0},
		{8, "badgeuse", "", 1}, // the main space's old name
	} {
		for _, p := range m.places {
			if p.ID != tt.id {
				continue
			}
			if p.Place != tt.want {
				t.Errorf("place %q (resource %v) became %q, want %q", tt.was, p.Resource, p.Place, tt.want)
			}
			if got := central.EventSpace(m.spaces, p.Place); got != tt.spaceAfter {
				t.Errorf("place %q (resource %v) is at space %d after the renames, want %d", tt.was, p.Resource, got, tt.spaceAfter)
			}
		}
	}
	want := "[event.update event:3 event.update event:4 resource.space resource:3 resource.space resource:4 space.rename space:2 " +
		"event.update event:8 resource.space resource:8 setting.set setting:space.name]"
	if got := fmt.Sprint(m.audits); got != want {
		t.Errorf("journal %s, want %s", got, want)
	}
}

// TestRenameGuestPasses: renaming a space (RenameSpace, or the main
// space through space.name) stores its new name as the place of the
// guest passes that named it by its old name (any case, spaces around),
// so that a pass shown or mailed after the rename is signed for the name
// its doors check (PullPage's Settings.Space). Another space's passes, an
// unknown place's and those already at the new name stay. Each place
// rewritten is audited once.
func TestRenameGuestPasses(t *testing.T) {
	for _, tt := range []struct {
		name         string
		id           int64
		to           string
		guests, want []string
		audits       string
	}{
		{"a space", 2, "La Cantine Croix-Rousse",
			[]string{"La Cantine", "la cantine", " LA CANTINE ", "L'Annexe", "Badgeuse", "Ailleurs"},
			[]string{"La Cantine Croix-Rousse", "La Cantine Croix-Rousse", "La Cantine Croix-Rousse", "L'Annexe", "Badgeuse", "Ailleurs"},
			"[guest.space space:2 guest.space space:2 guest.space space:2 space.rename space:2]"},
		{"the main space", 1, "La Halle",
			[]string{"Badgeuse", "badgeuse", "La Cantine", "L'Annexe"},
			[]string{"La Halle", "La Halle", "La Cantine", "L'Annexe"},
			"[guest.space space:1 guest.space space:1 setting.set setting:space.name]"},
		{"its case only", 3, "L'ANNEXE",
			[]string{"L'Annexe", "l'annexe", "La Cantine"},
			[]string{"L'ANNEXE", "L'ANNEXE", "La Cantine"},
			"[guest.space space:3 guest.space space:3 space.rename space:3]"},
		{"no passes", 2, "La Cantine Croix-Rousse", nil, nil, "[space.rename space:2]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := &memSpaces{now: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC), settings: map[string]string{},
				spaces: []*central.Space{{ID: 1, Name: "Badgeuse"}, {ID: 2, Key: "La Cantine", Name: "La Cantine"},
					{ID: 3, Key: "L'Annexe", Name: "L'Annexe"}},
				guests: slices.Clone(tt.guests)}
			if err := central.RenameSpace(context.Background(), m, tt.id, tt.to); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(m.guests, tt.want) {
				t.Errorf("passes' places %q, want %q", m.guests, tt.want)
			}
			if got := fmt.Sprint(m.audits); got != tt.audits {
				t.Errorf("journal %s, want %s", got, tt.audits)
			}
		})
	}
}

// TestRenameSpaceUnchanged: the web form's « Renommer » pressed without
// a change (or with spaces around) journaled a rename from a name to
// itself; nothing is done or journaled now. Another case is a rename.
func TestRenameSpaceUnchanged(t *testing.T) {
	m := &memSpaces{now: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC), settings: map[string]string{},
		spaces: []*central.Space{{ID: 1, Name: "Badgeuse"}, {ID: 2, Key: "La Cantine", Name: "Cantine du port"}}}
	ctx := context.Background()
	for _, name := range []string{"Cantine du port", "  Cantine   du port "} {
		if err := central.RenameSpace(ctx, m, 2, name); err != nil {
			t.Fatal(err)
		}
	}
	if len(m.audits) != 0 {
		t.Fatalf("renamed to its own name: journal %q, want nothing", m.audits)
	}
	if err := central.RenameSpace(ctx, m, 2, "Cantine du Port"); err != nil {
		t.Fatal(err)
	}
	if sp := central.SpaceByID(m.spaces, 2); sp.Name != "Cantine du Port" || len(m.audits) != 1 || m.audits[0] != "space.rename space:2" {
		t.Errorf("renamed in another case: %+v, journal %q", sp, m.audits)
	}
}
