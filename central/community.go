package central

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/shared/access"
)

// The space's life for its members (issue 15): who is here today and a
// directory of members, both opt-in. A member chooses on her own page
// (her personal link) whether she appears in each; both are off until she
// turns them on, the choice is in the audit log, and the bureau can hide
// an abusive profile. Presence shown to members is today's only: the store
// reads the visits of the current day in the space's time zone and takes
// no day from the caller, so no member page can ask for an older one.

// ContactKind is how a member of the directory wants to be reached.
type ContactKind string

// Contact kinds. Their values are stored.
const (
	ContactNone  ContactKind = ""
	ContactEmail ContactKind = "email" // her member e-mail
	ContactSlack ContactKind = "slack" // a Slack (or Mattermost) handle
	ContactPhone ContactKind = "phone"
)

// ContactKinds lists the kinds in the order a form offers them.
var ContactKinds = []ContactKind{ContactNone, ContactEmail, ContactSlack, ContactPhone}

// Valid reports whether k is a known contact kind.
func (k ContactKind) Valid() bool {
	for _, x := range ContactKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Bounds of a profile, in characters.
const (
	MaxAboutLength   = 500
	MaxSkills        = 12
	MaxSkillLength   = 40
	MaxLinkLength    = 300
	MaxContactLength = 80
)

// Profile is what a member shows the other members. The zero Profile
// (nothing shown) is every member's until she changes it.
type Profile struct {
	Member int64
	// ShowPresence lists her in "who is here today"; InDirectory in the
	// directory. Both off by default.
	ShowPresence bool
	InDirectory  bool
	About        string   // what she does
	Skills       []string // tags, as she typed them
	Link         string   // a web page of hers (http or https)
	Contact      ContactKind
	ContactValue string // the handle or phone number (e-mail: her member e-mail)
	// Hidden is set by the bureau: the profile is left out of the
	// directory whatever she chose.
	Hidden  bool
	Updated time.Time
}

// Validate checks and normalizes what the member typed. It returns
// EINVALID.
func (p *Profile) Validate() error {
	p.About = strings.TrimSpace(p.About)
	if utf8.RuneCountInString(p.About) > MaxAboutLength {
		return Errorf(EINVALID, "Profile text too long (%d characters at most).", MaxAboutLength)
	}
	skills, err := normalizeSkills(p.Skills)
	if err != nil {
		return err
	}
	p.Skills = skills
	p.Link = strings.TrimSpace(p.Link)
	if p.Link != "" {
		u, err := url.Parse(p.Link)
		if len(p.Link) > MaxLinkLength || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			return Errorf(EINVALID, "The link must be a web address starting with https:// (%d characters at most).", MaxLinkLength)
		}
	}
	if !p.Contact.Valid() {
		return Errorf(EINVALID, "Unknown way to be reached %q (email, slack, phone or none).", p.Contact)
	}
	p.ContactValue = strings.TrimSpace(p.ContactValue)
	switch p.Contact {
	case ContactNone, ContactEmail:
		p.ContactValue = ""
	case ContactSlack:
		h := strings.TrimPrefix(p.ContactValue, "@")
		if h == "" || len(h) > MaxContactLength || strings.IndexFunc(h, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			return Errorf(EINVALID, "Slack handle required, without spaces (%d characters at most).", MaxContactLength)
		}
		p.ContactValue = "@" + h
	case ContactPhone:
		if p.ContactValue == "" {
			return Errorf(EINVALID, "Write your phone number, or choose another way to be reached.")
		}
		digits := 0
		for _, r := range p.ContactValue {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case strings.ContainsRune("+ .-()", r):
			default:
				return Errorf(EINVALID, "Phone number %q: digits, spaces and + . - ( ) only.", p.ContactValue)
			}
		}
		if digits < 6 || digits > 20 {
			return Errorf(EINVALID, "Phone number %q: digits, spaces and + . - ( ) only.", p.ContactValue)
		}
	}
	return nil
}

// ParseSkills splits what a member typed in the skills field: tags
// separated by commas or semicolons.
func ParseSkills(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' })
}

// normalizeSkills trims the tags, drops empty ones and repeats (the same
// letters whatever their case and accents), and bounds them.
func normalizeSkills(in []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.Join(strings.Fields(s), " ")
		if s == "" || seen[FoldText(s)] {
			continue
		}
		if utf8.RuneCountInString(s) > MaxSkillLength || strings.IndexFunc(s, unicode.IsControl) >= 0 {
			return nil, Errorf(EINVALID, "Skill %q too long (%d characters at most).", s, MaxSkillLength)
		}
		seen[FoldText(s)] = true
		out = append(out, s)
	}
	if len(out) > MaxSkills {
		return nil, Errorf(EINVALID, "At most %d skills.", MaxSkills)
	}
	return out, nil
}

// FoldText returns s in lower case without accents ("Comptabilité" ->
// "comptabilite", "Œuvre" -> "oeuvre"), for searches that ignore both.
// The domain uses the standard library only: the table covers the Latin
// letters of French and its neighbours; other letters are lower-cased.
func FoldText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var foldTable = func() map[rune]string {
	m := map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss", '’': "'"}
	for base, accented := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđ", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ",
		"i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ", "l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏő",
		"r": "ŕŗř", "s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// DirectoryEntry is a profile of the directory with the member's name and,
// when she chose to be reached by e-mail, her e-mail.
type DirectoryEntry struct {
	Profile
	Name  string
	Email string // only when Contact is ContactEmail
}

// Matches reports whether every word of the query is in her name, one of
// her skills or her text, ignoring case and accents. An empty query
// matches everything.
func (e *DirectoryEntry) Matches(query string) bool {
	words := strings.Fields(FoldText(query))
	if len(words) == 0 {
		return true
	}
	hay := FoldText(e.Name + "\n" + strings.Join(e.Skills, "\n") + "\n" + e.About)
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// Presence is a member at a space today: her first arrival, and whether
// she chose to be shown.
type Presence struct {
	Member  int64
	Name    string
	Space   string
	Arrival time.Time
	Shown   bool
}

// SpacePresence is who is here at one space: the members who chose to be
// shown, by arrival, and how many others are here ("et 3 autres
// personnes").
type SpacePresence struct {
	Space  string
	Shown  []Presence
	Others int
}

// WhoIsHere groups today's presences by space for a member's page: the
// space she is at first (first), the others by name. A member who did not
// opt in is only counted, whoever looks, herself included: what her page
// shows is what the others see.
func WhoIsHere(ps []Presence, first string) []SpacePresence {
	by := map[string]*SpacePresence{}
	var spaces []string
	for _, p := range ps {
		sp := by[p.Space]
		if sp == nil {
			sp = &SpacePresence{Space: p.Space}
			by[p.Space] = sp
			spaces = append(spaces, p.Space)
		}
		if p.Shown {
			sp.Shown = append(sp.Shown, p)
		} else {
			sp.Others++
		}
	}
	sort.Slice(spaces, func(i, j int) bool {
		if (spaces[i] == first) != (spaces[j] == first) {
			return spaces[i] == first
		}
		return spaces[i] < spaces[j]
	})
	out := make([]SpacePresence, 0, len(spaces))
	for _, s := range spaces {
		sp := by[s]
		sort.SliceStable(sp.Shown, func(i, j int) bool { return sp.Shown[i].Arrival.Before(sp.Shown[j].Arrival) })
		out = append(out, *sp)
	}
	return out
}

// MaxDirectory bounds the profiles the directory reads at once: far more
// than an association's members, a bound on memory all the same.
const MaxDirectory = 5000

// DirectoryFilter selects the profiles of a directory: those whose
// member chose to be in it (Profile.InDirectory), of a member of Status,
// and, WithHidden, those the bureau hid too.
type DirectoryFilter struct {
	Status     access.MemberStatus
	WithHidden bool
}

// DirectoryReader reads the entries of a directory, with each member's
// name and e-mail, by name (MaxDirectory at most).
type DirectoryReader interface {
	DirectoryEntries(ctx context.Context, f DirectoryFilter) ([]*DirectoryEntry, error)
}

// Directory reads the directory through r, as ProfileService.Directory
// says: active members only, hidden profiles for the bureau only
// (withHidden), and a member's e-mail only when she chose to be reached
// by e-mail.
func Directory(ctx context.Context, r DirectoryReader, withHidden bool) ([]*DirectoryEntry, error) {
	es, err := r.DirectoryEntries(ctx, DirectoryFilter{Status: access.MemberActive, WithHidden: withHidden})
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		if e.Contact != ContactEmail {
			e.Email = ""
		}
	}
	return es, nil
}

// ProfileService keeps members' profiles and reads who is here. Changes
// are audited with the actor of the context ("member:12" on her page).
type ProfileService interface {
	// FindProfile returns a member's profile, the zero Profile (nothing
	// shown) if she never saved one. Returns ENOTFOUND for no member.
	FindProfile(ctx context.Context, member int64) (*Profile, error)
	// SaveProfile validates and stores what the member chose (not Hidden,
	// which only the bureau sets). Audited as profile.update with her
	// opt-in choices. Returns EINVALID or ENOTFOUND.
	SaveProfile(ctx context.Context, p *Profile) error
	// SetProfileHidden hides (or shows again) a member's profile in the
	// directory. Audited as profile.hide or profile.unhide. Returns
	// ENOTFOUND.
	SetProfileHidden(ctx context.Context, member int64, hidden bool) error
	// Directory returns the profiles of active members in the directory
	// and not hidden, by name (at most MaxDirectory); withHidden adds the
	// hidden ones (for the bureau).
	Directory(ctx context.Context, withHidden bool) ([]*DirectoryEntry, error)
	// PresentToday returns the visits of the current day in the space's
	// time zone, with each member's name and choice; never another day's.
	PresentToday(ctx context.Context) ([]Presence, error)
}
