package central

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/shared/access"
)

// Space is a coworking space served by this central (issue 14). One
// central may serve a network of spaces: each has its kiosks, its time zone
// and hours, and sells products valid at a chosen set of spaces (a card of
// one space, a network pass).
//
// A database made before spaces holds one space, the main one (ID 1),
// named after the setting space.name when it was migrated; its kiosks and
// visits keep the space "" they had. One central with one space behaves as
// before: everything sold is valid there.
//
// Key is what the kiosks of the space and their visits carry as their
// space (Kiosk.Space, Visit.Space): "" for the main space, the name given
// when the space was added for the others. It never changes, so that a
// space renamed keeps its visits and its "already in today".
type Space struct {
	ID       int64
	Key      string
	Name     string
	Timezone string // IANA name; "" is the setting space.timezone
	Address  string
	// Hours are the door's opening hours at this space, in the syntax of
	// the setting space.hours ("mon-fri 08:00-20:00; sat 09:00-13:00");
	// "" is that setting's. Its kiosks refuse outside them (closed).
	Hours string
	// Policies are the space's own door policies: values of the settings
	// SpacePolicyKeys its kiosks use instead of the network's (Apply).
	Policies map[string]string
	// SlackChannel is the channel ID (C...) of the space's arrival posts
	// and digest, with the bot token; "" is the setting slack.channel's.
	SlackChannel string
	// MailName is the name shown beside the sender address (smtp.from) of
	// the mails a visit at the space causes (a member's low balance); ""
	// is the association's name.
	MailName string
	// Books are the space's own books settings (a space that is a
	// separate association, with its own HelloAsso organisation and
	// Pennylane company): values of settings whose Setting.Books names a
	// group, over the network's (Apply). Secrets among them (tokens) are
	// kept as the network's are, and shown masked (Setting.Mask); kiosks
	// never receive them (PullPage.Settings names what they get).
	Books   map[string]string
	Created time.Time
}

// MaxSpaceAddress bounds a space's postal address, in characters.
const MaxSpaceAddress = 500

// ValidateAddress normalizes a space's postal address to one line (an
// address pasted on several lines, or with runs of spaces, reads "12 rue
// des Lilas 75011 Paris") and checks its length. "" is none. It returns
// EINVALID.
func ValidateAddress(a string) (string, error) {
	a = strings.Join(strings.Fields(a), " ")
	if utf8.RuneCountInString(a) > MaxSpaceAddress {
		return "", Errorf(EINVALID, "Address too long (%d characters at most).", MaxSpaceAddress)
	}
	return a, nil
}

// ValidateChannelID checks a Slack channel ID (C0123456789, G... for old
// private channels), not a name: the history check that prevents double
// posts needs the ID. An empty value is none. It returns EINVALID.
func ValidateChannelID(v string) (string, error) {
	v = strings.ToUpper(strings.TrimSpace(v))
	if v == "" {
		return "", nil
	}
	ok := len(v) >= 9 && len(v) <= 20 && (v[0] == 'C' || v[0] == 'G')
	for _, c := range v {
		ok = ok && (c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
	}
	if !ok {
		return "", Errorf(EINVALID, "want a channel ID such as C0123456789 (Slack: open the channel's details; the ID is at the bottom), not its name")
	}
	return v, nil
}

// ValidateMessaging checks and normalizes a space's Slack channel and
// mail sender name. It returns EINVALID.
func (s *Space) ValidateMessaging() error {
	ch, err := ValidateChannelID(s.SlackChannel)
	if err != nil {
		return Errorf(EINVALID, "Invalid Slack channel %q (want a channel ID such as C0123456789).", s.SlackChannel)
	}
	s.SlackChannel = ch
	s.MailName = strings.Join(strings.Fields(s.MailName), " ")
	if len(s.MailName) > 100 || strings.ContainsAny(s.MailName, "<>\"@") {
		return Errorf(EINVALID, "Invalid sender name %q (100 characters at most, without < > \" @).", s.MailName)
	}
	return nil
}

// SpacePolicyKeys are the settings a space may set for its own doors.
var SpacePolicyKeys = []string{SettingRequireMembership, SettingPassback, SettingStaleAfter, SettingStalePolicy, SettingShowNames}

// ValidatePolicy checks a space's policy value for key (normalized). An
// empty value is none (the network's setting). It returns EINVALID.
func ValidatePolicy(key, value string) (string, error) {
	if !slices.Contains(SpacePolicyKeys, key) {
		return "", Errorf(EINVALID, "A space cannot set %q (only door.require_membership, door.show_names, kiosk.passback, kiosk.stale_after, kiosk.stale_policy).", key)
	}
	value = strings.TrimSpace(value)
	if value == "" {
		return "", nil
	}
	def, _ := LookupSetting(key)
	if def.Validate != nil {
		v, err := def.Validate(value)
		if err != nil {
			return "", Errorf(EINVALID, "Invalid value %q for %s.", value, key)
		}
		value = v
	}
	return value, nil
}

// Groups of books settings a space may keep of its own (Setting.Books).
const (
	BooksAssociation = "association" // association.name, .address, .siret: what receipts say
	BooksPennylane   = "pennylane"   // pennylane.*: the company its sales are invoiced in
	BooksHelloAsso   = "helloasso"   // helloasso.* (but create_members): the organisation it is paid through
)

// ValidateBooks checks a value of a space's own books settings (see
// Space.Books) and returns it normalized. An empty value is none (the
// network's, unless the space sets another key of its group). It returns
// EINVALID.
func ValidateBooks(key, value string) (string, error) {
	def, ok := LookupSetting(key)
	if !ok || def.Books == "" {
		return "", Errorf(EINVALID, "A space cannot set %q for its books (see centrald settings list: association.*, pennylane.*, helloasso.*).", key)
	}
	if strings.TrimSpace(value) == "" {
		return "", nil
	}
	return def.Check(value)
}

// IsBooksKey reports whether a space may set key for its own books.
func IsBooksKey(key string) bool {
	def, ok := LookupSetting(key)
	return ok && def.Books != ""
}

// OwnBooks reports whether the space keeps its own group of books
// settings (BooksPennylane...): it sets one of its keys.
func (s *Space) OwnBooks(group string) bool {
	if s == nil {
		return false
	}
	for k := range s.Books {
		if def, ok := LookupSetting(k); ok && def.Books == group {
			return true
		}
	}
	return false
}

// Apply returns the settings of the space: the network's, with the
// space's own door policies (what its kiosks use) and its own books (what
// its sales' invoices and receipts say, the HelloAsso organisation it is
// paid through) over them; set itself when it has neither. A group of
// books settings the space keeps (OwnBooks) is wholly its own: the
// network's values of that group are dropped, so that a key the space
// leaves unset has its default, not another association's value; its
// association's name is the space's when it sets none. Everything that
// acts for a space asks it: the kiosks' pull and push, billing with the
// space that sold a sale.
func (s *Space) Apply(set Settings) Settings {
	if s == nil || len(s.Policies) == 0 && len(s.Books) == 0 {
		return set
	}
	own := map[string]bool{}
	for _, g := range []string{BooksAssociation, BooksPennylane, BooksHelloAsso} {
		own[g] = s.OwnBooks(g)
	}
	out := make(Settings, len(set)+len(s.Policies)+len(s.Books)+1)
	for k, v := range set {
		if def, ok := LookupSetting(k); ok && own[def.Books] {
			continue // the space's own group: none of the network's
		}
		out[k] = v
	}
	for k, v := range s.Policies {
		out[k] = v
	}
	for k, v := range s.Books {
		out[k] = v
	}
	if own[BooksAssociation] && out[SettingAssociationName] == "" {
		out[SettingAssociationName] = s.Name
	}
	return out
}

// MainSpace is the ID of the space a database made before spaces holds.
const MainSpace int64 = 1

// MaxSpaces bounds the spaces of one central (the bench of issue 14
// counts 100).
const MaxSpaces = 1000

// Validate checks a space's fields. It returns EINVALID.
func (s *Space) Validate() error {
	s.Name = strings.Join(strings.Fields(s.Name), " ")
	s.Timezone = strings.TrimSpace(s.Timezone)
	address, err := ValidateAddress(s.Address)
	if err != nil {
		return err
	}
	s.Address = address
	s.Hours = strings.TrimSpace(s.Hours)
	switch {
	case s.Name == "":
		return Errorf(EINVALID, "Space name required.")
	case len(s.Name) > 100:
		return Errorf(EINVALID, "Space name too long (100 characters at most).")
	case isDigits(s.Name):
		return Errorf(EINVALID, "A space name cannot be a number (spaces are named by id or name).")
	case strings.EqualFold(s.Name, "all"):
		return Errorf(EINVALID, "A space cannot be named \"all\" (--spaces all means every space).")
	case strings.Contains(s.Name, ","):
		return Errorf(EINVALID, "A space name cannot contain a comma: the members export and --spaces list spaces separated by commas (write \"La Cantine - Lyon\").")
	case len(s.Hours) > 500:
		return Errorf(EINVALID, "Space hours too long (500 characters at most).")
	}
	h, err := validateHours(s.Hours)
	if err != nil {
		return Errorf(EINVALID, "Invalid opening hours %q (e.g. mon-fri 08:00-20:00; sat 09:00-13:00).", s.Hours)
	}
	s.Hours = h // as the setting space.hours keeps them
	if s.Timezone != "" {
		if _, err := validateTimezone(s.Timezone); err != nil {
			return Errorf(EINVALID, "Unknown time zone %q (want an IANA name such as Europe/Paris).", s.Timezone)
		}
	}
	return nil
}

// Location returns the space's time zone, or the settings' when it has
// none of its own.
func (s *Space) Location(set Settings) *time.Location {
	if s != nil && s.Timezone != "" {
		if loc, err := time.LoadLocation(s.Timezone); err == nil {
			return loc
		}
	}
	return set.Location()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// CheckSpaceName decides whether space id (0: a new one) may be named
// name among all: a name is one space's whatever its case, and it is no
// other space's Key (the space its kiosks and visits carry, which a
// renamed space keeps). It returns ECONFLICT (SpaceNamed).
func CheckSpaceName(all []*Space, id int64, name string) error {
	for _, o := range all {
		if o.ID != id && (strings.EqualFold(o.Name, name) || o.Key == name) {
			return SpaceNamed(name)
		}
	}
	return nil
}

// SpaceNamed is the error of a space name taken (CheckSpaceName); a
// store's unique index on names gives it too, when it finds the name
// taken first.
func SpaceNamed(name string) error { return Errorf(ECONFLICT, "A space is already named %q.", name) }

// SpaceTx is what adding or naming spaces reads and writes of a store,
// inside its write transaction: the names read cannot change before the
// change is committed.
type SpaceTx interface {
	// Now is the transaction's time.
	Now() time.Time
	Spaces(ctx context.Context) ([]*Space, error)
	// InsertSpace stores sp (its Key and Created given) and sets its ID.
	InsertSpace(ctx context.Context, sp *Space) error
	// RenameSpace changes a space's Name (not its Key).
	RenameSpace(ctx context.Context, id int64, name string) error
	// Places returns the events' and resources' places but the main
	// space's "" (CalendarService.Places).
	Places(ctx context.Context) ([]Placed, error)
	// SetPlace stores an event's or a resource's place.
	SetPlace(ctx context.Context, p Placed, place string) error
	// GuestPlaces returns the places the stored guest passes name, each
	// once.
	GuestPlaces(ctx context.Context) ([]string, error)
	// SetGuestPlace stores to as the place of the guest passes whose
	// place is from (as it is) and returns how many they were.
	SetGuestPlace(ctx context.Context, from, to string) (int64, error)
	// SaveSetting stores a setting's value (checked).
	SaveSetting(ctx context.Context, key, value string) error
	// Audit records a change made by ctx's actor.
	Audit(ctx context.Context, action, object string, details any) error
}

// CreateSpace decides and adds a space through tx, as
// SpaceService.CreateSpace says: a valid space, a name free
// (CheckSpaceName), MaxSpaces at most, its Key its first name.
func CreateSpace(ctx context.Context, tx SpaceTx, sp *Space) error {
	if err := sp.Validate(); err != nil {
		return err
	}
	all, err := tx.Spaces(ctx)
	if err != nil {
		return err
	}
	if err := CheckSpaceName(all, 0, sp.Name); err != nil {
		return err
	}
	if len(all) >= MaxSpaces {
		return Errorf(ECONFLICT, "Too many spaces (%d at most).", MaxSpaces)
	}
	sp.Key, sp.Created = sp.Name, tx.Now()
	if err := tx.InsertSpace(ctx, sp); err != nil {
		return err
	}
	return tx.Audit(ctx, "space.create", "space:"+strconv.FormatInt(sp.ID, 10), map[string]any{"name": sp.Name,
		"timezone": sp.Timezone})
}

// RenameSpace names space id through tx, as SpaceService.RenameSpace
// says: a valid name (Validate: no comma...), free (CheckSpaceName); its
// Key, what its kiosks and visits carry, does not change. The main space
// is named by the setting space.name (SetSetting), which stays its name.
// The name it has already (spaces around aside) changes nothing and is
// not journaled.
func RenameSpace(ctx context.Context, tx SpaceTx, id int64, name string) error {
	if id == MainSpace {
		return SetSetting(ctx, tx, SettingSpaceName, name)
	}
	sp := &Space{Name: name}
	if err := sp.Validate(); err != nil {
		return err
	}
	all, err := tx.Spaces(ctx)
	if err != nil {
		return err
	}
	old := SpaceByID(all, id)
	if old == nil {
		return Errorf(ENOTFOUND, "Space %d not found.", id)
	}
	if old.Name == sp.Name {
		return nil // its name already: nothing to rename or journal
	}
	if err := CheckSpaceName(all, id, sp.Name); err != nil {
		return err
	}
	if err := keyPlaces(ctx, tx, all, old); err != nil {
		return err
	}
	if err := renameGuestPasses(ctx, tx, old, sp.Name); err != nil {
		return err
	}
	if err := tx.RenameSpace(ctx, id, sp.Name); err != nil {
		return err
	}
	return tx.Audit(ctx, "space.rename", "space:"+strconv.FormatInt(id, 10), map[string]any{"name": sp.Name, "was": old.Name})
}

// keyPlaces stores at sp's Key the events and resources whose place
// names sp by its name (another case, spaces around: an older `centrald
// event add --space` stored what was typed), among all as they are
// before sp is renamed: EventSpace finds them by that name only, so
// renamed they would name no space (« Espace inconnu », shown to the
// whole network, no door holding them). Each move is audited as the
// bureau's would be (event.update, resource.space). A place that is the
// key already, or another space's, is left as it is. Guest passes take
// the new name instead (renameGuestPasses): their code is signed with
// their place, and doors check the space's name.
func keyPlaces(ctx context.Context, tx SpaceTx, all []*Space, sp *Space) error {
	rows, err := tx.Places(ctx)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if strings.TrimSpace(r.Place) == sp.Key || EventSpace(all, r.Place) != sp.ID {
			continue
		}
		if err := tx.SetPlace(ctx, r, sp.Key); err != nil {
			return err
		}
		action, object := "event.update", "event:"+strconv.FormatInt(r.ID, 10)
		if r.Resource {
			action, object = "resource.space", "resource:"+strconv.FormatInt(r.ID, 10)
		}
		if err := tx.Audit(ctx, action, object, map[string]any{"space": sp.Key, "was": r.Place}); err != nil {
			return err
		}
	}
	return nil
}

// renameGuestPasses stores name as the place of the guest passes whose
// place names sp by its name before the rename (any case, spaces around,
// as EventSpace finds it): a pass's code is signed with its place
// (GuestPassText) and sp's kiosks check it with sp's name
// (PullPage's Settings.Space), so a pass shown or mailed after the rename
// is signed for the name its doors check. A pass mailed before keeps the
// signature it has: a kiosk accepts it when it was signed for sp's Key
// (its first name, wire.Settings.SpaceKey), not for a later name. Each
// place rewritten is audited once (guest.space, with "was" and the
// count of passes).
func renameGuestPasses(ctx context.Context, tx SpaceTx, sp *Space, name string) error {
	places, err := tx.GuestPlaces(ctx)
	if err != nil {
		return err
	}
	for _, place := range places {
		if place == name || !strings.EqualFold(strings.TrimSpace(place), sp.Name) {
			continue
		}
		n, err := tx.SetGuestPlace(ctx, place, name)
		if err != nil {
			return err
		}
		if err := tx.Audit(ctx, "guest.space", "space:"+strconv.FormatInt(sp.ID, 10),
			map[string]any{"name": name, "was": place, "count": n}); err != nil {
			return err
		}
	}
	return nil
}

// SetSetting sets a setting of the network through tx, as
// SettingsService.SetSetting says: a known key, its value checked
// (SettingDef.Check), audited with a secret masked. The setting
// space.name names the main space too, as CheckSpaceName allows: set
// after the database was made (the demo, or a bureau naming its space in
// Réglages), the main space kept its first name ("Badgeuse") in the
// spaces' lists, the settlement and the kiosk form while the rest said
// the new one.
func SetSetting(ctx context.Context, tx SpaceTx, key, value string) error {
	def, ok := LookupSetting(key)
	if !ok {
		return Errorf(EINVALID, "Unknown setting %q (see centrald settings list).", key)
	}
	value, err := def.Check(value)
	if err != nil {
		return err
	}
	var main *Space // named by the setting
	if key == SettingSpaceName {
		main = &Space{Name: value}
		if err := main.Validate(); err != nil {
			return err
		}
		all, err := tx.Spaces(ctx)
		if err != nil {
			return err
		}
		if err := CheckSpaceName(all, MainSpace, main.Name); err != nil {
			return err
		}
		if old := SpaceByID(all, MainSpace); old != nil {
			if err := keyPlaces(ctx, tx, all, old); err != nil {
				return err
			}
			if err := renameGuestPasses(ctx, tx, old, main.Name); err != nil {
				return err
			}
		}
	}
	if err := tx.SaveSetting(ctx, key, value); err != nil {
		return err
	}
	if main != nil {
		if err := tx.RenameSpace(ctx, MainSpace, main.Name); err != nil {
			return err
		}
	}
	return tx.Audit(ctx, "setting.set", "setting:"+key, map[string]any{"value": def.Mask(value)})
}

// SpaceService manages the spaces of the network.
type SpaceService interface {
	// CreateSpace adds a space and sets s.ID and s.Key. Returns EINVALID,
	// and ECONFLICT when the name is taken.
	CreateSpace(ctx context.Context, s *Space) error

	// RenameSpace changes a space's name (RenameSpace: not its key; the
	// main space's is the setting space.name). Returns EINVALID (a comma,
	// a number...), ENOTFOUND, and ECONFLICT when the name is taken.
	RenameSpace(ctx context.Context, id int64, name string) error

	// FindSpaces returns every space, ordered by id (at least the main
	// one).
	FindSpaces(ctx context.Context) ([]*Space, error)

	// SetProductSpaces sets where a product is sold and valid (see
	// Product.Space, Product.Spaces). Returns ENOTFOUND for an unknown
	// product or space.
	SetProductSpaces(ctx context.Context, product, space int64, valid ProductSpaces) error

	// SetSpacePolicy sets (or, with an empty value, removes) one of a
	// space's own door policies (see ValidatePolicy). Returns ENOTFOUND
	// and EINVALID.
	SetSpacePolicy(ctx context.Context, space int64, key, value string) error

	// SetSpaceBooks sets (or, with an empty value, removes) one of a
	// space's own books settings (see Space.Books, ValidateBooks); the
	// audit log masks secrets. Returns ENOTFOUND and EINVALID.
	SetSpaceBooks(ctx context.Context, space int64, key, value string) error

	// ProductPlaces returns where each product is sold and valid, by
	// product id.
	ProductPlaces(ctx context.Context) (map[int64]ProductPlace, error)

	// SetSpaceMessaging sets a space's Slack channel and mail sender name
	// (see Space.ValidateMessaging; "" for the network's). Returns
	// ENOTFOUND and EINVALID.
	SetSpaceMessaging(ctx context.Context, space int64, slackChannel, mailName string) error

	// SetSpaceAddress sets a space's postal address (ValidateAddress; ""
	// for none), which guests' mails and public event pages give. Setting
	// the address it has journals nothing. Returns ENOTFOUND and EINVALID.
	SetSpaceAddress(ctx context.Context, space int64, address string) error

	// SetConvention stores the rate per visit of two spaces' convention
	// (replacing the previous one) and sets c.Updated. Returns EINVALID
	// and ENOTFOUND.
	SetConvention(ctx context.Context, c *Convention) error

	// Conventions returns every convention, by host then seller.
	Conventions(ctx context.Context) ([]*Convention, error)
}

// ProductSpaces is where a product is valid: everywhere in the network
// (All), at a list of spaces, or (neither) at its selling space only.
type ProductSpaces struct {
	All  bool
	List access.SpaceSet // when not All: "" is the selling space only
}

// String is how the store keeps it: "all", the ids ("1,3"), or "" for the
// selling space only.
func (p ProductSpaces) String() string {
	if p.All {
		return "all"
	}
	return p.List.String()
}

// ParseProductSpacesValue reads ProductSpaces.String's form.
func ParseProductSpacesValue(s string) (ProductSpaces, error) {
	if s == "all" {
		return ProductSpaces{All: true}, nil
	}
	set, err := access.ParseSpaceSet(s)
	if err != nil {
		return ProductSpaces{}, Errorf(EINVALID, "Invalid list of spaces %q.", s)
	}
	return ProductSpaces{List: set}, nil
}

// ValidAt returns the spaces a product sold at selling is valid at, as the
// access rules read them.
func (p ProductSpaces) ValidAt(selling int64) access.SpaceSet {
	switch {
	case p.All:
		return access.AllSpaces
	case p.List == "":
		return access.Spaces(max(selling, MainSpace))
	}
	return p.List
}

// FindSpace returns the space ref names among spaces: its id or its name
// (any case). An empty ref names the only space when there is one; with
// several, EINVALID asks which. ENOTFOUND when none matches.
func FindSpace(spaces []*Space, ref string) (*Space, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		if len(spaces) == 1 {
			return spaces[0], nil
		}
		return nil, Errorf(EINVALID, "There are several spaces: say which (--space ID or NAME).")
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		for _, s := range spaces {
			if s.ID == id {
				return s, nil
			}
		}
		return nil, Errorf(ENOTFOUND, "Space %d not found.", id)
	}
	for _, s := range spaces {
		if strings.EqualFold(s.Name, ref) {
			return s, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "Space %q not found.", ref)
}

// ResolvePlace returns the place an event or a resource is stored with
// (CalendarEvent.Space, Resource.Space: the key of its space, "" for the
// main one) for what a form or a command line names: "" (the main
// space), a space's key, its name (any case) or its id. A place that names
// no space of the network is refused with EINVALID listing the spaces:
// stored, it would show as a space to members ("Atelier · 1") and to every
// space, and no door would know it.
func ResolvePlace(spaces []*Space, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", nil
	}
	for _, s := range spaces {
		if s.Key == ref {
			return s.Key, nil
		}
	}
	if s, err := FindSpace(spaces, ref); err == nil { // by id or name
		return s.Key, nil
	}
	return "", Errorf(EINVALID, "No space is named %q: the spaces are %s.", ref, SpaceList(spaces))
}

// PlaceName names for people the place an event, a room, a visit or a
// guest pass carries (CalendarEvent.Space, Resource.Space, Visit.Space,
// GuestPass.Space): the current name of the space EventSpace finds (by
// key, then by name any case), so that a space renamed shows its new name
// on every page, mail, post and feed, though its Key, what is stored,
// stays its first name; the main space's name for "". A place that names
// no space of spaces (an older command's "1", flagged « Espace inconnu »
// on the bureau's lists) shows as it is stored.
func PlaceName(spaces []*Space, place string) string {
	if sp := SpaceByID(spaces, EventSpace(spaces, place)); sp != nil {
		return sp.Name
	}
	return place
}

// PlaceAddress is the postal address of the space a place names (as
// PlaceName finds it; the main space's for ""): "" when that space has
// none or the place names no space.
func PlaceAddress(spaces []*Space, place string) string {
	if sp := SpaceByID(spaces, EventSpace(spaces, place)); sp != nil {
		return sp.Address
	}
	return ""
}

// SpaceList names the spaces for a message: "Badgeuse (1), La Cantine (2)".
func SpaceList(spaces []*Space) string {
	var b strings.Builder
	for i, s := range spaces {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.Name + " (" + strconv.FormatInt(s.ID, 10) + ")")
	}
	return b.String()
}

// ParseProductSpaces reads --spaces: "all", or space ids (or names)
// separated by commas; "" is the selling space only.
func ParseProductSpaces(spaces []*Space, s string) (ProductSpaces, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return ProductSpaces{}, nil
	case strings.EqualFold(s, "all"):
		return ProductSpaces{All: true}, nil
	case len(s) > 10000:
		return ProductSpaces{}, Errorf(EINVALID, "Too many spaces listed.")
	}
	var ids []int64
	for _, ref := range strings.Split(s, ",") {
		if strings.TrimSpace(ref) == "" {
			return ProductSpaces{}, Errorf(EINVALID, "Invalid list of spaces %q.", s)
		}
		sp, err := FindSpace(spaces, ref)
		if err != nil {
			return ProductSpaces{}, err
		}
		ids = append(ids, sp.ID)
	}
	return ProductSpaces{List: access.Spaces(ids...)}, nil
}

// SpaceByID returns the space of id among spaces, nil if none.
func SpaceByID(spaces []*Space, id int64) *Space {
	for _, s := range spaces {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// SpaceByKey returns the space whose kiosks and visits carry key (see
// SpaceOfKey: the main space for "" and for a free text no space has), nil
// when spaces do not hold it.
func SpaceByKey(spaces []*Space, key string) *Space {
	return SpaceByID(spaces, SpaceOfKey(spaces, key))
}

// SpaceOfKey returns the ID of the space whose kiosks and visits carry
// key: the main space for "" and for a free text no space has (kiosks of a
// database made before spaces).
func SpaceOfKey(spaces []*Space, key string) int64 {
	for _, s := range spaces {
		if s.Key == key {
			return s.ID
		}
	}
	return MainSpace
}

// ProductPlace is where a product is sold (Space) and valid.
type ProductPlace struct {
	Space int64
	Valid ProductSpaces
}

// SpaceView is what the ledger's use cases read of the spaces, inside
// their transaction.
type SpaceView interface {
	// Spaces returns every space, by id.
	Spaces(ctx context.Context) ([]*Space, error)
	// ProductValidSpaces returns, for each product, the spaces it is valid
	// at (ProductSpaces.ValidAt of its selling space).
	ProductValidSpaces(ctx context.Context) (map[int64]access.SpaceSet, error)
	// ProductSellers returns, for each product, the space that sells it.
	ProductSellers(ctx context.Context) (map[int64]int64, error)
}
