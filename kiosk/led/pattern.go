package led

import (
	"cmp"
	"slices"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

// output is one of the things the indicator drives.
type output int

const (
	green output = iota
	red
	buzzer
	relay
	numOutputs
)

func (o output) String() string {
	return [...]string{"green LED", "red LED", "buzzer", "door relay"}[o]
}

// change switches one output on or off at an offset from a pattern's start.
type change struct {
	at  time.Duration
	out output
	on  bool
}

// pattern is a timed sequence of changes, sorted by offset. Every output it
// switches on is off again by its last change. With a period, it starts
// over every period (the fault flashes).
type pattern struct {
	changes []change
	period  time.Duration
}

// family groups the reasons that show the same pattern.
type family int

const (
	famAccepted family = iota
	famNotABadge
	famUnknown
	famRevoked
	famMember
	famEntitlement
	famClosed
	famStale
	famExpired
	famInside
	famDues
	famElsewhere
	numFamilies
)

// familyOf tells which pattern shows an outcome.
func familyOf(accept bool, r access.Reason) family {
	if accept {
		return famAccepted
	}
	switch r {
	case access.UnknownBadge:
		return famUnknown
	case access.RevokedBadge:
		return famRevoked
	case access.MemberIsSuspended, access.MemberIsArchived:
		return famMember
	case access.NoEntriesLeft, access.SubscriptionExpired:
		return famEntitlement
	case access.Closed:
		return famClosed
	case access.StaleState:
		return famStale
	case access.ExpiredCode:
		return famExpired
	case access.AlreadyInside:
		return famInside
	case access.MembershipExpired:
		return famDues
	case access.NotValidHere:
		return famElsewhere
	default: // access.NotABadge, access.MalformedBadge, and reasons added later
		return famNotABadge
	}
}

// Timings of the patterns (see the table in the package documentation).
const (
	acceptBeep = 100 * time.Millisecond
	refuseBeep = 500 * time.Millisecond
	faultFlash = 200 * time.Millisecond
	faultEvery = 2 * time.Second
)

// pulse is one "on" span of a blink sequence.
type pulse struct{ on, off time.Duration }

// blinks turns out on and off for each pulse, one after the other.
func blinks(out output, pulses ...pulse) []change {
	var cs []change
	var t time.Duration
	for _, p := range pulses {
		cs = append(cs, change{t, out, true}, change{t + p.on, out, false})
		t += p.on + p.off
	}
	return cs
}

// repeat returns n copies of p.
func repeat(n int, p pulse) []pulse {
	ps := make([]pulse, n)
	for i := range ps {
		ps[i] = p
	}
	return ps
}

// refusalBlinks is the red LED part of each refusal family.
var refusalBlinks = map[family][]pulse{
	famNotABadge:   {{1500 * time.Millisecond, 0}},
	famUnknown:     repeat(2, pulse{300 * time.Millisecond, 300 * time.Millisecond}),
	famRevoked:     repeat(3, pulse{120 * time.Millisecond, 120 * time.Millisecond}),
	famMember:      repeat(4, pulse{300 * time.Millisecond, 300 * time.Millisecond}),
	famEntitlement: repeat(2, pulse{800 * time.Millisecond, 400 * time.Millisecond}),
	famClosed:      repeat(3, pulse{700 * time.Millisecond, 700 * time.Millisecond}),
	famStale: {
		{900 * time.Millisecond, 300 * time.Millisecond},
		{200 * time.Millisecond, 200 * time.Millisecond},
		{200 * time.Millisecond, 0},
	},
	famExpired: {
		{200 * time.Millisecond, 200 * time.Millisecond},
		{200 * time.Millisecond, 200 * time.Millisecond},
		{900 * time.Millisecond, 0},
	},
	famInside: repeat(5, pulse{100 * time.Millisecond, 100 * time.Millisecond}),
	// Dues: 1 short, then 2 long.
	famDues: {
		{200 * time.Millisecond, 300 * time.Millisecond},
		{800 * time.Millisecond, 400 * time.Millisecond},
		{800 * time.Millisecond, 0},
	},
	// Not valid at this space: 2 long, then 1 short (the pass is good,
	// the space is not: the reverse of dues).
	famElsewhere: {
		{800 * time.Millisecond, 400 * time.Millisecond},
		{800 * time.Millisecond, 400 * time.Millisecond},
		{200 * time.Millisecond, 0},
	},
}

// patterns builds the pattern of every family, and the fault pattern.
func patterns(acceptTime, relayTime time.Duration) (table [numFamilies]pattern, fault pattern) {
	table[famAccepted] = pattern{changes: sorted(
		blinks(green, pulse{acceptTime, 0}),
		blinks(relay, pulse{relayTime, 0}),
		blinks(buzzer, pulse{acceptBeep, 0}),
	)}
	for fam, ps := range refusalBlinks {
		table[fam] = pattern{changes: sorted(blinks(red, ps...), blinks(buzzer, pulse{refuseBeep, 0}))}
	}
	fault = pattern{changes: blinks(red, pulse{faultFlash, 0}), period: faultEvery}
	return table, fault
}

// sorted merges change lists by offset; at equal offsets, offs come first so
// that an output switched off and on at the same time ends on.
func sorted(lists ...[]change) []change {
	all := slices.Concat(lists...)
	slices.SortStableFunc(all, func(a, b change) int {
		if c := cmp.Compare(a.at, b.at); c != 0 {
			return c
		}
		switch {
		case a.on == b.on:
			return 0
		case !a.on:
			return -1
		default:
			return 1
		}
	})
	return all
}

// scaled returns p with every duration multiplied by s (tests run patterns
// faster).
func (p pattern) scaled(s float64) pattern {
	if s == 1 {
		return p
	}
	q := pattern{changes: make([]change, len(p.changes)), period: time.Duration(float64(p.period) * s)}
	for i, c := range p.changes {
		c.at = time.Duration(float64(c.at) * s)
		q.changes[i] = c
	}
	return q
}
