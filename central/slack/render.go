package slack

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// prepared is a message ready to post, or the reason not to post it.
type prepared struct {
	to   target
	text string
	skip string
}

func skip(why string) (prepared, error) { return prepared{skip: why}, nil }

// Reasons for not posting (kept on the message, shown in the admin).
const (
	skipNotConfigured = "Slack is not configured (slack.token or slack.webhook_url)"
	skipNoChannel     = "slack.channel is not set"
	skipNoBureau      = "bureau alerts need slack.token and slack.bureau_channel"
	skipNoToken       = "direct messages need a bot token (slack.token)"
	skipErased        = "the member was erased"
	skipOptOut        = "the member opted out of Slack"
	skipNoEmail       = "the member has no e-mail address"
	skipNoUser        = "no Slack user has the member's e-mail address"
	skipNobody        = "nobody to list"
	skipNothingToday  = "no event nor booking that day"
	skipNoAgenda      = "the worker reads no events and bookings"
)

// prepare renders a message for the settings of the moment and finds where
// it goes. Errors are the store's, or an *Error of Slack when finding a
// member's direct message channel failed.
func (w *Worker) prepare(ctx context.Context, topic string, post Post, set central.Settings) (prepared, error) {
	ss := ConfigFrom(set)
	space, channel, loc := post.Space, "", set.Location()
	if w.Spaces != nil && (topic == TopicArrival || topic == TopicDigest || topic == TopicBalance) {
		// The space entered, or whose day it is (issue 14): its name as
		// it is now (central.PlaceName: a renamed space's new one, though
		// its visits carry its first), its own channel if it has one (the
		// morning digest's: morningTarget).
		spaces, err := w.Spaces.FindSpaces(ctx)
		if err != nil {
			return prepared{}, err
		}
		if sp := central.SpaceByKey(spaces, post.Space); sp != nil {
			channel, loc = sp.SlackChannel, sp.Location(set) // its clock: a space overseas
		}
		if post.Space != "" {
			space = central.PlaceName(spaces, post.Space)
		}
	}
	if space == "" {
		space = set.SpaceName()
	}
	switch topic {
	case TopicArrival:
		t, why := w.publicTarget(ss, channel)
		if why != "" {
			return skip(why)
		}
		esc := escaper(t)
		var name, first string
		if post.Guest != "" {
			host, err := w.Members.FindMemberByID(ctx, post.Member)
			switch {
			case central.ErrorCode(err) == central.ENOTFOUND:
				return skip(skipErased) // her passes went with her
			case err != nil:
				return prepared{}, err
			}
			name, first = GuestName(esc(post.Guest), host, esc, ss.Language), esc(FirstName(post.Guest))
		} else {
			m, why, err := w.member(ctx, post.Member)
			if err != nil || why != "" {
				return prepared{skip: why}, err
			}
			name, first = esc(m.Name), esc(FirstName(m.Name))
		}
		text := RenderTemplate(ss.ArrivalTemplate, map[string]string{
			"name": name, "first_name": first,
			"time": ClockTime(post.Time.In(loc)), "space": esc(space)})
		return prepared{to: t, text: text}, nil

	case TopicDigest:
		t, why := w.publicTarget(ss, channel)
		if why != "" {
			return skip(why)
		}
		text, why, err := w.digest(ctx, post, ss, space, escaper(t))
		return prepared{to: t, text: text, skip: why}, err

	case TopicMorning:
		t, why, err := w.morningTarget(ctx, ss, post.Space)
		if err != nil || why != "" {
			return prepared{skip: why}, err
		}
		text, why, err := w.morning(ctx, post, set, ss, escaper(t))
		return prepared{to: t, text: text, skip: why}, err

	case TopicBalance:
		if ss.Token == "" {
			return skip(skipNoToken)
		}
		m, why, err := w.member(ctx, post.Member)
		if err != nil || why != "" {
			return prepared{skip: why}, err
		}
		if m.Email == "" {
			return skip(skipNoEmail)
		}
		t := target{client: w.client(ss)}
		if t.channel, err = w.dmChannel(ctx, t.client, ss.Token, m.Email); err != nil {
			return prepared{}, err
		} else if t.channel == "" {
			return skip(skipNoUser)
		}
		esc := escaper(t)
		vars := map[string]string{"name": esc(m.Name), "first_name": esc(FirstName(m.Name)),
			"left": strconv.Itoa(post.Left), "space": esc(space), "url": ss.BuyURL}
		text := RenderTemplate(ss.BalanceTemplate, vars)
		if ss.BuyURL != "" && !strings.Contains(ss.BalanceTemplate, "{url}") {
			text += " Pour en racheter : " + ss.BuyURL
		}
		return prepared{to: t, text: text}, nil

	case TopicAlert:
		if ss.Token == "" || ss.BureauChannel == "" {
			return skip(skipNoBureau)
		}
		t := target{client: w.client(ss), channel: ss.BureauChannel}
		return prepared{to: t, text: escaper(t)(post.Text)}, nil
	}
	return skip("unknown topic " + topic)
}

// GuestName names a guest in an arrival post with her host, in the posts'
// language (slack.language): "Léa (invitée de Marc)", "Léa (guest of
// Marc)"; a host who opted out of Slack is not named: "Léa (invitée)".
// guest is escaped already; esc escapes the host's name.
func GuestName(guest string, host *central.Member, esc func(string) string, lang string) string {
	named := host != nil && !host.SlackOptOut
	switch {
	case lang == "en" && named:
		return guest + " (guest of " + esc(host.Name) + ")"
	case lang == "en":
		return guest + " (guest)"
	case named:
		return guest + " (invitée de " + esc(host.Name) + ")"
	}
	return guest + " (invitée)"
}

// publicTarget is where arrivals and the digests go: the space's own
// channel (spaceChannel) or else slack.channel with the bot token, else
// the webhook (which posts to its own channel, whatever the space).
func (w *Worker) publicTarget(ss Config, spaceChannel string) (target, string) {
	switch {
	case ss.Token != "" && spaceChannel != "":
		return target{client: w.client(ss), channel: spaceChannel}, ""
	case ss.Token != "" && ss.Channel != "":
		return target{client: w.client(ss), channel: ss.Channel}, ""
	case ss.WebhookURL != "":
		return target{channel: "webhook", webhook: ss.WebhookURL}, ""
	case ss.Token != "":
		return target{}, skipNoChannel
	}
	return target{}, skipNotConfigured
}

func (w *Worker) client(ss Config) *Client {
	return NewClient(ss.Token, ss.APIURL, w.HTTPClient)
}

// member reads a member, or says why there is nothing to post about her.
func (w *Worker) member(ctx context.Context, id int64) (*central.Member, string, error) {
	m, err := w.Members.FindMemberByID(ctx, id)
	switch {
	case central.ErrorCode(err) == central.ENOTFOUND:
		return nil, skipErased, nil
	case err != nil:
		return nil, "", err
	case m.SlackOptOut:
		return nil, skipOptOut, nil
	}
	return m, "", nil
}

// digest renders the list of who came on the post's day at its space, in
// order of arrival, without those who opted out.
func (w *Worker) digest(ctx context.Context, post Post, ss Config, space string,
	esc func(string) string) (string, string, error) {
	day, err := access.ParseDay(post.Day)
	if err != nil {
		return "", "bad digest day " + post.Day, nil
	}
	visits, _, err := w.Entries.FindVisits(ctx, central.VisitFilter{Space: &post.Space, Since: day, Until: day})
	if err != nil {
		return "", "", err
	}
	slices.SortStableFunc(visits, func(a, b *central.Visit) int { return a.Time.Compare(b.Time) })
	var names []string
	for _, v := range visits {
		m, why, err := w.member(ctx, v.Member)
		if err != nil {
			return "", "", err
		} else if why == "" {
			names = append(names, esc(m.Name))
		}
	}
	if len(names) == 0 {
		return "", skipNobody, nil
	}
	text := RenderTemplate(ss.DigestTemplate, map[string]string{"names": strings.Join(names, ", "),
		"count": strconv.Itoa(len(names)), "space": esc(space), "day": day.Start(time.UTC).Format("02/01")})
	return text, "", nil
}

// dmChannel returns the direct message channel with the Slack user who
// has an e-mail address ("" when there is none), cached for a day (an
// hour for "none").
func (w *Worker) dmChannel(ctx context.Context, c *Client, token, email string) (string, error) {
	key := strings.ToLower(email)
	w.mu.Lock()
	if w.usersToken != token { // another workspace, maybe
		w.users, w.usersToken = map[string]dmUser{}, token
	}
	u, ok := w.users[key]
	w.mu.Unlock()
	if ok && time.Now().Before(u.until) {
		return u.channel, nil
	}
	u = dmUser{until: time.Now().Add(noUserTTL)}
	user, err := c.LookupUser(ctx, email)
	if se := classify(err); se != nil && se.Code != "users_not_found" {
		return "", se
	} else if se == nil {
		if u.channel, err = c.OpenDM(ctx, user); err != nil {
			return "", err
		}
		u.until = time.Now().Add(userTTL)
	}
	w.mu.Lock()
	w.users[key] = u
	w.mu.Unlock()
	return u.channel, nil
}

// slackText writes text from people (names, a space's name) into a Slack
// post (mrkdwn). Slack reads <...> as links and mentions (<!channel>,
// <@U123>), so &, < and > are escaped as Slack documents
// (https://api.slack.com/reference/surfaces/formatting#escaping); and a
// zero-width joiner follows every @, so that no "@channel" or "@here" in a
// name becomes a mention where Slack links names (webhooks, link_names).
var slackText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "@", "@\u200d")

// markdownText writes text from people into a Mattermost post (Markdown,
// CommonMark): every Markdown special is escaped with a backslash (any
// ASCII punctuation may be, and renders as itself), so that "*bold*",
// "[a](http://x)" or "# title" in a name stay text; @ and ~, which
// Mattermost reads as mentions of people and channels in the text whatever
// the Markdown, are followed by a zero-width joiner that breaks the word.
var markdownText = strings.NewReplacer(
	"\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "{", "\\{", "}", "\\}", "[", "\\[", "]", "\\]",
	"(", "\\(", ")", "\\)", "#", "\\#", "+", "\\+", "-", "\\-", ".", "\\.", "!", "\\!", "|", "\\|",
	"<", "\\<", ">", "\\>", "&", "\\&", ":", "\\:", "$", "\\$", "=", "\\=",
	"@", "@\u200d", "~", "\\~\u200d")

// escaper returns how to write text from people (names) into a post for
// its target: Slack's mrkdwn, or Mattermost's Markdown for a webhook that
// is not Slack's.
func escaper(t target) func(string) string {
	if t.slackMarkup() {
		return slackText.Replace
	}
	return markdownText.Replace
}
