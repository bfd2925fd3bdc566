package central

import (
	"context"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/badgeuse/badgeuse/shared/access"
)

// Member is a person who may come in. Her id is printed in decimal by the
// command line and travels to kiosks; it is never reused, even after she is
// erased.
type Member struct {
	ID     int64
	Name   string
	Email  string // may be empty; unique (case-insensitive) when set
	Status access.MemberStatus
	// SlackOptOut asks not to announce her arrivals in Slack.
	SlackOptOut bool
	Created     time.Time
	Updated     time.Time
	// Version is the sync counter value of the last change a kiosk needs
	// to know about (status, badges, entitlements, balance, last visit).
	Version int64

	// Balance is her balance on the day the member was read, from the
	// cached derivation (filled by FindMemberByID and FindMembers; its
	// Entitlements are left empty in lists).
	Balance Balance
	// LastVisit is her last visit day at any space.
	LastVisit access.Day
	// Space is the space whose bureau registered her (issue 14), given
	// when she is created: 0 there is the main space. It makes her that
	// space's until she buys something (MemberFilter.Space). Lists do
	// not read it back (the members export reads it with her purchases:
	// MemberSpaces).
	Space int64
}

// Validate checks the fields a person types, and normalizes them.
// It returns EINVALID.
func (m *Member) Validate() error {
	m.Name = strings.Join(strings.Fields(m.Name), " ")
	m.Email = strings.TrimSpace(m.Email)
	if m.Name == "" {
		return Errorf(EINVALID, "Member name required.")
	}
	if len(m.Name) > 200 {
		return Errorf(EINVALID, "Member name too long (200 characters at most).")
	}
	if m.Email != "" {
		if err := ValidateEmail(m.Email); err != nil {
			return err
		}
	}
	if m.Status == "" {
		m.Status = access.MemberActive
	}
	if !m.Status.Valid() {
		return Errorf(EINVALID, "Unknown member status %q (active, suspended or archived).", m.Status)
	}
	return nil
}

// MaxEmailLength bounds an e-mail address in bytes (RFC 5321's path limit
// less its angle brackets).
const MaxEmailLength = 254

// ValidateEmail checks that s is a plain e-mail address ("alice@example.org",
// no display name) of at most MaxEmailLength bytes. It returns EINVALID.
func ValidateEmail(s string) error {
	if len(s) > MaxEmailLength {
		return Errorf(EINVALID, "E-mail address longer than %d bytes.", MaxEmailLength)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return Errorf(EINVALID, "Invalid e-mail address %q.", s)
	}
	return nil
}

// MaxDoorName bounds the first name a door screen greets a member by, in
// characters: kiosks hold nothing longer.
const MaxDoorName = 40

// DoorName is the name a kiosk's door screen greets a member by ("Bonjour
// Alice !"): the first word of her name, cut to MaxDoorName characters,
// without control or invisible characters. It is all of her name a kiosk
// of a space she may enter receives (door.show_names), and nothing of it
// reaches the kiosks of other spaces.
func DoorName(name string) string {
	first, _, _ := strings.Cut(strings.Join(strings.Fields(name), " "), " ")
	var b strings.Builder
	n := 0
	for _, r := range first {
		if n == MaxDoorName {
			break
		}
		if unicode.IsGraphic(r) && r != unicode.ReplacementChar {
			b.WriteRune(r)
			n++
		}
	}
	return b.String()
}

// MemberFilter selects members. Zero fields select everything.
type MemberFilter struct {
	ID     *int64
	Email  *string // exact, case-insensitive
	Name   *string // exact, case-insensitive (ASCII)
	Status *access.MemberStatus
	// Query searches names and e-mails (case-insensitive substring).
	Query string
	// DuesPaid selects the members whose dues (adhésion) cover today
	// (true) or not (false).
	DuesPaid *bool
	// Space selects the members a bureau user of that space may see (0:
	// every member): those holding a sale of a product it sells or that
	// is valid there (refunded or not, expired or not: her history with
	// the space stays its books), and those who bought nothing yet and
	// were registered by it (Member.Space). A member who bought only
	// another space's products is that space's, wherever she was
	// registered: the bureau of the main space (where the command line,
	// imports and online joins register members) does not see the other
	// spaces' members. MemberSpaces is the rule for one member.
	Space int64

	Offset int
	Limit  int // 0: no limit
}

// MemberSpaces returns the spaces whose bureau sees a member
// (MemberFilter.Space, which a store runs as a query), in the order of
// spaces: those that sell, or where are valid, the products she bought,
// refunded or not (bought, their places; a network pass is valid at every
// space); having bought nothing, the space that registered her
// (registered, Member.Space: 0 is the main space).
func MemberSpaces(spaces []*Space, registered int64, bought []ProductPlace) []*Space {
	in := map[int64]bool{}
	if len(bought) == 0 {
		in[max(registered, MainSpace)] = true
	}
	for _, p := range bought {
		if p.Valid.All {
			return slices.Clone(spaces)
		}
		in[p.Space] = true
		for _, id := range p.Valid.List.IDs() {
			in[id] = true
		}
	}
	var out []*Space
	for _, sp := range spaces {
		if in[sp.ID] {
			out = append(out, sp)
		}
	}
	return out
}

// MemberUpdate holds the fields to change; nil fields stay as they are.
type MemberUpdate struct {
	Name        *string
	Email       *string
	Status      *access.MemberStatus
	SlackOptOut *bool
}

// Apply sets the fields of m that u changes (then m.Validate checks them).
func (u MemberUpdate) Apply(m *Member) {
	if u.Name != nil {
		m.Name = *u.Name
	}
	if u.Email != nil {
		m.Email = *u.Email
	}
	if u.Status != nil {
		m.Status = *u.Status
	}
	if u.SlackOptOut != nil {
		m.SlackOptOut = *u.SlackOptOut
	}
}

// MemberEdit is what an update changed of a member, as a store records
// it: the audit's details (the names of the fields changed, and the new
// status and Slack choice, never her name or e-mail) and whether kiosks
// must receive her again (Resync: they decide on her status, and greet
// her by her first name, DoorName).
type MemberEdit struct {
	Fields  []string
	Details map[string]any
	Resync  bool
}

// Changed reports whether anything changed.
func (e MemberEdit) Changed() bool { return len(e.Fields) > 0 }

// MemberEditOf compares a member before (old) and after (m) an update.
func MemberEditOf(old, m *Member) MemberEdit {
	e := MemberEdit{Details: map[string]any{}}
	if m.Name != old.Name {
		e.Fields = append(e.Fields, "name")
		e.Resync = DoorName(m.Name) != DoorName(old.Name) // door screens greet her by it
	}
	if m.Email != old.Email {
		e.Fields = append(e.Fields, "email")
	}
	if m.Status != old.Status {
		e.Fields = append(e.Fields, "status")
		e.Details["status"] = m.Status
		e.Resync = true
	}
	if m.SlackOptOut != old.SlackOptOut {
		e.Fields = append(e.Fields, "slack_opt_out")
		e.Details["slack_opt_out"] = m.SlackOptOut
	}
	if e.Changed() {
		e.Details["fields"] = e.Fields
	}
	return e
}

// MemberService manages members. Every change is recorded in the audit log
// with the actor of the context.
type MemberService interface {
	// FindMemberByID returns a member with her balance today.
	// Returns ENOTFOUND if she does not exist (or was erased).
	FindMemberByID(ctx context.Context, id int64) (*Member, error)

	// FindMembers returns the members matching the filter, ordered by id,
	// and how many match without Offset and Limit.
	FindMembers(ctx context.Context, filter MemberFilter) ([]*Member, int, error)

	// CreateMember adds a member and sets m.ID, m.Created and m.Version.
	// Returns EINVALID if the name or e-mail is invalid and ECONFLICT if
	// another member has the e-mail.
	CreateMember(ctx context.Context, m *Member) error

	// CreateMembers adds several members all-or-nothing, in one
	// transaction (a spreadsheet import). Same codes as CreateMember.
	CreateMembers(ctx context.Context, ms []*Member) error

	// UpdateMember changes a member and returns her new state.
	// Returns ENOTFOUND, EINVALID or ECONFLICT (e-mail taken).
	UpdateMember(ctx context.Context, id int64, upd MemberUpdate) (*Member, error)

	// EraseMember deletes a member's personal data on request (GDPR): her
	// row, badges, entries and visits. Her sales stay, detached from her,
	// for the accounts. Kiosks learn of it through a tombstone. The rule,
	// whole, is central.EraseMember's (erase.go).
	// Returns ENOTFOUND.
	EraseMember(ctx context.Context, id int64) error
}

// MemberTx is what creating or changing a member needs of a store, inside
// its write transaction (see ledger.go).
type MemberTx interface {
	// FindMember returns her with her balance today; ENOTFOUND for an
	// unknown member.
	FindMember(ctx context.Context, id int64) (*Member, error)
	// EmailHolder returns the member other than except whose e-mail is
	// email (not empty), compared case folded, or 0.
	EmailHolder(ctx context.Context, email string, except int64) (int64, error)
	// InsertMember stores a new member (Space 0: the main space) at the
	// next sync version and sets her ID, Created, Updated and Version.
	InsertMember(ctx context.Context, m *Member) error
	// SaveMember writes her name, e-mail, status and Slack choice, updated
	// now.
	SaveMember(ctx context.Context, m *Member) error
	// BumpMember gives the member the next sync version.
	BumpMember(ctx context.Context, member int64) error
	// Audit records a change made by ctx's actor; details hold no secret.
	Audit(ctx context.Context, action, object string, details any) error
}

// CreateMember adds m in tx (MemberService.CreateMember): valid, with an
// e-mail no other member has. Her name and e-mail stay out of the audit
// log.
func CreateMember(ctx context.Context, tx MemberTx, m *Member) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if err := emailFree(ctx, tx, m.Email, 0); err != nil {
		return err
	}
	if err := tx.InsertMember(ctx, m); err != nil {
		return err
	}
	return tx.Audit(ctx, "member.create", memberObject(m.ID), map[string]any{"status": m.Status})
}

// UpdateMember changes a member in tx (MemberService.UpdateMember) and
// returns her new state: valid, her e-mail no other member's; a change of
// nothing writes nothing. A new status gives her the next sync version:
// kiosks decide on it. The audit names the fields changed (MemberEditOf).
func UpdateMember(ctx context.Context, tx MemberTx, id int64, upd MemberUpdate) (*Member, error) {
	m, err := tx.FindMember(ctx, id)
	if err != nil {
		return nil, err
	}
	old := *m
	upd.Apply(m)
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := emailFree(ctx, tx, m.Email, id); err != nil {
		return nil, err
	}
	edit := MemberEditOf(&old, m)
	if !edit.Changed() {
		return m, nil
	}
	if err := tx.SaveMember(ctx, m); err != nil {
		return nil, err
	}
	if edit.Resync {
		if err := tx.BumpMember(ctx, id); err != nil {
			return nil, err
		}
	}
	if err := tx.Audit(ctx, "member.update", memberObject(id), edit.Details); err != nil {
		return nil, err
	}
	return tx.FindMember(ctx, id)
}

// emailFree returns ECONFLICT if a member other than except has the
// e-mail: one member per address, whatever its case.
func emailFree(ctx context.Context, tx MemberTx, email string, except int64) error {
	if email == "" {
		return nil
	}
	id, err := tx.EmailHolder(ctx, email, except)
	if err != nil || id == 0 {
		return err
	}
	return Errorf(ECONFLICT, "Member %d already has the e-mail %s.", id, email)
}
