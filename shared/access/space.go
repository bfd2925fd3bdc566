package access

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Spaces: one central may serve several spaces (a network of coworking
// spaces). An entitlement is valid at a set of spaces (Entitlement.Spaces;
// empty means every space, which is also what central sends for what is
// valid at the kiosk's own space), and a door decides for its space (Request.Space; 0 means the door
// does not know its space, as with one space, and nothing is checked).
//
// Entitlements not valid at the door's space are set aside before the
// rules run, so that a pack valid elsewhere is never consumed here. When
// what is valid here lets her in, nothing changes; when it does not, but
// what she holds elsewhere would have, the refusal says so: NotValidHere
// ("your pass is fine, but not at this space") rather than "no entries
// left". A refusal for another reason (badge, member, hours, anti-passback)
// keeps that reason.

// SpaceSet is a set of space ids in a comparable form, so that
// Entitlement stays a comparable value: the ids ascending, without
// duplicates, comma-separated ("1,4"). The empty set means every space.
type SpaceSet string

// AllSpaces is the set of every space.
const AllSpaces SpaceSet = ""

// Spaces returns the set of ids (ids <= 0 are ignored); no id is
// AllSpaces.
func Spaces(ids ...int64) SpaceSet {
	var ok []int64
	for _, id := range ids {
		if id > 0 {
			ok = append(ok, id)
		}
	}
	slices.Sort(ok)
	ok = slices.Compact(ok)
	parts := make([]string, len(ok))
	for i, id := range ok {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return SpaceSet(strings.Join(parts, ","))
}

// ParseSpaceSet reads a set written by SpaceSet.String (any order; spaces
// around ids allowed).
func ParseSpaceSet(s string) (SpaceSet, error) {
	if strings.TrimSpace(s) == "" {
		return AllSpaces, nil
	}
	var ids []int64
	for _, f := range strings.Split(s, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil || id <= 0 {
			return "", fmt.Errorf("invalid space id %q", f)
		}
		ids = append(ids, id)
	}
	return Spaces(ids...), nil
}

// String returns the ids comma-separated ("" for every space).
func (s SpaceSet) String() string { return string(s) }

// IDs returns the ids of s, ascending; nil for every space.
func (s SpaceSet) IDs() []int64 {
	if s == AllSpaces {
		return nil
	}
	var ids []int64
	for _, f := range strings.Split(string(s), ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// Has reports whether space is in s (every space is in AllSpaces).
func (s SpaceSet) Has(space int64) bool {
	return s == AllSpaces || slices.Contains(s.IDs(), space)
}

// ValidAt reports whether e is valid at space (always true for AllSpaces
// or space 0).
func (e Entitlement) ValidAt(space int64) bool {
	return space == 0 || e.Spaces.Has(space)
}

// validAt returns the entitlements of ents valid at space, and whether
// some were set aside.
func validAt(ents []Entitlement, space int64) ([]Entitlement, bool) {
	if space == 0 {
		return ents, false
	}
	n := 0
	for _, e := range ents {
		if e.ValidAt(space) {
			n++
		}
	}
	if n == len(ents) {
		return ents, false
	}
	here := make([]Entitlement, 0, n)
	for _, e := range ents {
		if e.ValidAt(space) {
			here = append(here, e)
		}
	}
	return here, true
}

// Visit is a day a member was accepted at a space (0: the space is not
// known, as with one space), as Settle replays it.
type Visit struct {
	Day   Day
	Space int64
	// Guest says it is her guest's visit, taking one of her entries
	// (guests.consumes_host_entry): only an unlimited plan covers it.
	Guest bool
}
