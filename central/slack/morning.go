package slack

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// The morning digest (issue 15): at slack.morning_time, one post per space
// in the space's channel (its own, Space.SlackChannel, with the bot token;
// else slack.channel or the webhook) with the day's events (time, title, places left)
// and bookings (time, resource, who). It is the evening digest's
// counterpart (slack.digest_time, who came) and goes the same way: the
// monitor enqueues one outbox message per space and day, keyed
// "slack.morning:SPACE:DAY", so that it is posted once whatever the
// passes, restarts or centrald processes sharing the database (the key is
// unique in the outbox: the second enqueue stores nothing); the worker
// reads the day's events and bookings when it posts, so that a booking
// cancelled after the enqueue is not announced.
//
// Who booked is named only when she chose to be seen by the other members
// (who is here today, or the directory, not hidden by the bureau) and did
// not opt out of Slack; anyone else's booking says "réservé" ("booked"). A
// block of the bureau says "bloqué" without its reason, which is the
// bureau's.

// morningLate is how long after slack.morning_time the digest is still
// enqueued: a centrald that was down at that time posts it when it comes
// back in the morning, not in the evening, when it would only confuse.
const morningLate = 4 * time.Hour

// MorningMessage is the morning digest of a space for a day.
func MorningMessage(space string, day access.Day) central.OutboxMessage {
	return Post{Space: space, Day: day.String()}.Message(TopicMorning, TopicMorning+":"+space+":"+day.String())
}

// morningTarget is where a space's morning digest goes: the space's own
// channel (Space.SlackChannel) with the bot token, else the arrivals'
// (publicTarget).
func (w *Worker) morningTarget(ctx context.Context, ss Config, space string) (target, string, error) {
	if ss.Token != "" && w.Spaces != nil {
		spaces, err := w.Spaces.FindSpaces(ctx)
		if err != nil {
			return target{}, "", err
		}
		for _, sp := range spaces {
			if sp.Key == space && sp.SlackChannel != "" {
				return target{client: w.client(ss), channel: sp.SlackChannel}, "", nil
			}
		}
	}
	t, why := w.publicTarget(ss, "")
	return t, why, nil
}

// spaces returns the spaces the morning digest is made for: every space
// of the network, or the main one alone when the worker has no
// SpaceService.
func (w *Worker) spaces(ctx context.Context) ([]*central.Space, error) {
	if w.Spaces == nil {
		return []*central.Space{{ID: central.MainSpace}}, nil
	}
	return w.Spaces.FindSpaces(ctx)
}

// enqueueMornings enqueues each space's morning digest from at (HH:MM on
// the space's clock) to morningLate after it.
func (w *Worker) enqueueMornings(ctx context.Context, set central.Settings, at string, now time.Time) error {
	hm, err := time.Parse("15:04", at)
	if err != nil {
		return nil // validated when set
	}
	spaces, err := w.spaces(ctx)
	if err != nil {
		return err
	}
	for _, sp := range spaces {
		loc := sp.Location(set)
		today := access.DayOf(now, loc)
		start := today.Start(loc)
		due := time.Date(start.Year(), start.Month(), start.Day(), hm.Hour(), hm.Minute(), 0, 0, loc)
		if now.Before(due) || !now.Before(due.Add(morningLate)) {
			continue
		}
		if _, err := w.Outbox.EnqueueOutbox(ctx, MorningMessage(sp.Key, today)); err != nil {
			return err
		}
	}
	return nil
}

// MorningEvent and MorningBooking are the lines of a morning digest, in
// the space's time zone, with the text of people (titles, names) escaped
// for the post already.
type (
	MorningEvent struct {
		Start      time.Time
		Title      string
		PlacesLeft int
	}
	MorningBooking struct {
		Start, End time.Time
		Resource   string
		Who        string // her name; "" when not named
		Blocked    bool
	}
)

// MorningText writes the morning digest of a space in the posts' language
// (slack.language: "en", else French). Times are written as ClockTime in
// their own zone.
func MorningText(lang, space string, day access.Day, events []MorningEvent, bookings []MorningBooking) string {
	en := lang == "en"
	var b strings.Builder
	date := day.Start(time.UTC).Format("02/01")
	if en {
		fmt.Fprintf(&b, "🗓️ Today at %s (%s):", space, date)
	} else {
		fmt.Fprintf(&b, "🗓️ Aujourd'hui à %s (%s) :", space, date)
	}
	if len(events) > 0 {
		b.WriteString(pick(en, "\nÉvénements :", "\nEvents:"))
		for _, e := range events {
			var left string
			switch {
			case e.PlacesLeft == 0:
				left = pick(en, "complet", "full")
			case e.PlacesLeft == 1:
				left = pick(en, "1 place restante", "1 place left")
			default:
				left = fmt.Sprintf(pick(en, "%d places restantes", "%d places left"), e.PlacesLeft)
			}
			fmt.Fprintf(&b, "\n• %s %s — %s", ClockTime(e.Start), e.Title, left)
		}
	}
	if len(bookings) > 0 {
		b.WriteString(pick(en, "\nRéservations :", "\nBookings:"))
		for _, k := range bookings {
			who := k.Who
			switch {
			case k.Blocked:
				who = pick(en, "bloqué", "blocked")
			case who == "":
				who = pick(en, "réservé", "booked")
			}
			fmt.Fprintf(&b, "\n• %s–%s %s%s %s", ClockTime(k.Start), ClockTime(k.End), k.Resource,
				pick(en, " :", ":"), who)
		}
	}
	return b.String()
}

// pick returns fr, or en when en is set.
func pick(en bool, fr, english string) string {
	if en {
		return english
	}
	return fr
}

// morning renders a space's morning digest for the post's day, or says
// why there is nothing to post (no event nor booking that day).
func (w *Worker) morning(ctx context.Context, post Post, set central.Settings, ss Config,
	esc func(string) string) (string, string, error) {
	day, err := access.ParseDay(post.Day)
	if err != nil {
		return "", "bad digest day " + post.Day, nil
	}
	if w.Calendar == nil || w.Bookings == nil {
		return "", skipNoAgenda, nil
	}
	spaces, err := w.spaces(ctx)
	if err != nil {
		return "", "", err
	}
	name, loc := set.SpaceName(), set.Location()
	for _, sp := range spaces {
		if sp.Key == post.Space {
			loc = sp.Location(set)
			if sp.Key != "" {
				name = sp.Name
			}
		}
	}
	from, to := day.Start(loc), day.AddDays(1).Start(loc)

	var events []MorningEvent
	evs, err := w.Calendar.FindEvents(ctx, central.EventFilter{EndsAfter: from})
	if err != nil {
		return "", "", err
	}
	for _, e := range evs { // by start
		if !e.Start.Before(to) {
			break
		}
		if e.Space != post.Space {
			continue
		}
		start := e.Start
		if start.Before(from) { // began on an earlier day
			start = from
		}
		events = append(events, MorningEvent{Start: start.In(loc), Title: esc(e.Title), PlacesLeft: e.PlacesLeft()})
	}

	resources, err := w.Bookings.FindResources(ctx)
	if err != nil {
		return "", "", err
	}
	here := map[int64]*central.Resource{}
	for _, r := range resources {
		if r.Space == post.Space {
			here[r.ID] = r
		}
	}
	var bookings []MorningBooking
	if len(here) > 0 {
		bs, err := w.Bookings.FindBookings(ctx, central.BookingFilter{Since: from, Until: to})
		if err != nil {
			return "", "", err
		}
		names := map[int64]string{}
		for _, b := range bs {
			r := here[b.Resource]
			if r == nil {
				continue
			}
			k := MorningBooking{Start: b.Start.In(loc), End: b.End.In(loc), Resource: esc(r.Name), Blocked: b.Blocked}
			if !b.Blocked {
				who, ok := names[b.Member]
				if !ok {
					if who, err = w.publicName(ctx, b.Member); err != nil {
						return "", "", err
					}
					who = esc(who)
					names[b.Member] = who
				}
				k.Who = who
			}
			bookings = append(bookings, k)
		}
		slices.SortStableFunc(bookings, func(a, b MorningBooking) int {
			if c := a.Start.Compare(b.Start); c != 0 {
				return c
			}
			return strings.Compare(a.Resource, b.Resource)
		})
	}
	if len(events) == 0 && len(bookings) == 0 {
		return "", skipNothingToday, nil
	}
	return MorningText(ss.Language, esc(name), day, events, bookings), "", nil
}

// publicName returns a member's name if she chose to be seen by the
// other members (who is here, or the directory and not hidden) and did
// not opt out of Slack; "" otherwise, or when she is gone.
func (w *Worker) publicName(ctx context.Context, id int64) (string, error) {
	m, why, err := w.member(ctx, id)
	if err != nil || why != "" {
		return "", err
	}
	if w.Profiles == nil {
		return "", nil
	}
	p, err := w.Profiles.FindProfile(ctx, id)
	switch {
	case central.ErrorCode(err) == central.ENOTFOUND:
		return "", nil
	case err != nil:
		return "", err
	case p.ShowPresence || (p.InDirectory && !p.Hidden):
		return m.Name, nil
	}
	return "", nil
}
