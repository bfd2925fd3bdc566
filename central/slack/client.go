package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"
)

// metadataType is the event_type of the message metadata carrying a post's
// idempotency key.
const metadataType = "badgeuse_post"

// Error is a failed call to Slack (or to a webhook), classified.
type Error struct {
	// Code is Slack's own answer ("channel_not_found", "invalid_auth"; for
	// webhooks the plain-text body, "no_service"), else "HTTP 503",
	// "timeout", "network".
	Code   string
	Status int // the HTTP status, 0 when there was no answer
	// RetryAfter is Slack's Retry-After (HTTP 429).
	RetryAfter time.Duration
	// Permanent says retrying will not help: the settings must change.
	Permanent bool
	// Needed is the scope Slack said is missing (missing_scope).
	Needed string
	// MaybeSent says the request may have been acted on even though it
	// failed: no answer (timeout, connection cut), or a server error.
	MaybeSent bool
	err       error
}

func (e *Error) Error() string {
	if e.Status != 0 && !strings.HasPrefix(e.Code, "HTTP ") {
		return fmt.Sprintf("slack: %s (HTTP %d)", e.Code, e.Status)
	}
	return "slack: " + e.Code
}

func (e *Error) Unwrap() error { return e.err }

// retryableCodes are Slack error codes worth trying again; any other code
// is permanent (a bad token, an unknown channel, a missing scope...).
var retryableCodes = map[string]bool{
	"rate_limited": true, "ratelimited": true, "request_timeout": true, "service_unavailable": true,
	"fatal_error": true, "internal_error": true,
}

// maybeSentCodes may come after Slack did part of the work ("It's possible
// some aspect of the operation succeeded before the error was raised").
var maybeSentCodes = map[string]bool{"fatal_error": true, "internal_error": true}

// classify turns an error of slack-go or net/http into an *Error (nil for
// nil). Network errors lose their URL: a webhook URL is a secret.
func classify(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var rl *slackapi.RateLimitedError
	var sc slackapi.StatusCodeError
	var se slackapi.SlackErrorResponse
	switch {
	case errors.As(err, &rl):
		return &Error{Code: "rate_limited", Status: http.StatusTooManyRequests, RetryAfter: rl.RetryAfter, err: err}
	case errors.As(err, &sc):
		return statusError(sc.Code, "", 0, err)
	case errors.As(err, &se):
		return &Error{Code: se.Err, Permanent: !retryableCodes[se.Err], MaybeSent: maybeSentCodes[se.Err], Needed: se.Needed, err: se}
	}
	// No answer: the request may or may not have reached Slack.
	e = &Error{Code: "network", MaybeSent: true}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its text holds the URL
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		e.Code = "canceled"
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		e.Code = "timeout"
	}
	e.err = err
	return e
}

// statusError classifies an HTTP status other than 200.
func statusError(status int, body string, retryAfter time.Duration, err error) *Error {
	e := &Error{Code: "HTTP " + strconv.Itoa(status), Status: status, err: err}
	if body != "" {
		e.Code = body
	}
	switch {
	case status == http.StatusTooManyRequests:
		e.RetryAfter = retryAfter
		if e.RetryAfter <= 0 {
			e.RetryAfter = 30 * time.Second
		}
	case status >= 500:
		e.MaybeSent = true
	default:
		e.Permanent = true
	}
	return e
}

// Client calls Slack's Web API with a bot token, through slack-go.
type Client struct {
	api *slackapi.Client
}

// NewClient returns a client of the Web API at apiURL (a trailing slash
// is added: slack-go appends the method's name to it).
func NewClient(token, apiURL string, hc *http.Client) *Client {
	if !strings.HasSuffix(apiURL, "/") {
		apiURL += "/"
	}
	return &Client{api: slackapi.New(token, slackapi.OptionAPIURL(apiURL), slackapi.OptionHTTPClient(hc))}
}

// Post posts text to a channel (an ID) with key in the message's metadata
// (hidden from people, returned by conversations.history), and returns the
// message's timestamp. Links and mentions in text are not escaped.
func (c *Client) Post(ctx context.Context, channel, text, key string) (string, error) {
	opts := []slackapi.MsgOption{slackapi.MsgOptionText(text, false)}
	if key != "" {
		opts = append(opts, slackapi.MsgOptionMetadata(slackapi.SlackMetadata{
			EventType: metadataType, EventPayload: map[string]any{"key": key}}))
	}
	_, ts, err := c.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return "", classify(err)
	}
	return ts, nil
}

// maxHistoryPages bounds the history read for one check (200 messages a
// page): a post is looked for among the messages since its first send.
const maxHistoryPages = 10

// Posted reports whether the channel holds a message posted with key since
// the given time (conversations.history with the messages' metadata).
func (c *Client) Posted(ctx context.Context, channel, key string, since time.Time) (bool, error) {
	p := &slackapi.GetConversationHistoryParameters{ChannelID: channel, Limit: 200, IncludeAllMetadata: true,
		Oldest: fmt.Sprintf("%d.000000", since.Unix())}
	for range maxHistoryPages {
		res, err := c.api.GetConversationHistoryContext(ctx, p)
		if err != nil {
			return false, classify(err)
		}
		for _, m := range res.Messages {
			if m.Metadata.EventType == metadataType && m.Metadata.EventPayload["key"] == key {
				return true, nil
			}
		}
		if !res.HasMore || res.ResponseMetaData.NextCursor == "" {
			return false, nil
		}
		p.Cursor = res.ResponseMetaData.NextCursor
	}
	return false, &Error{Code: "history_too_long", Permanent: true}
}

// LookupUser returns the ID of the Slack user with an e-mail address
// (users.lookupByEmail; scope users:read.email). A user not found is an
// *Error with Code "users_not_found".
func (c *Client) LookupUser(ctx context.Context, email string) (string, error) {
	u, err := c.api.GetUserByEmailContext(ctx, email)
	if err != nil {
		return "", classify(err)
	}
	return u.ID, nil
}

// OpenDM returns the ID of the direct message channel with a user
// (conversations.open; scope im:write).
func (c *Client) OpenDM(ctx context.Context, user string) (string, error) {
	ch, _, _, err := c.api.OpenConversationContext(ctx, &slackapi.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return "", classify(err)
	}
	return ch.ID, nil
}

// Identity is who a token posts as.
type Identity struct {
	Team, User, TeamID, UserID, BotID string
}

// AuthTest checks the token (auth.test).
func (c *Client) AuthTest(ctx context.Context) (Identity, error) {
	r, err := c.api.AuthTestContext(ctx)
	if err != nil {
		return Identity{}, classify(err)
	}
	return Identity{Team: r.Team, User: r.User, TeamID: r.TeamID, UserID: r.UserID, BotID: r.BotID}, nil
}

// PostWebhook posts text to an incoming webhook (Slack or Mattermost:
// plain text, no Block Kit, which Mattermost does not render).
//
// It uses net/http rather than slack-go's PostWebhook, which throws the
// answer's body away: the body is the only place a webhook says what is
// wrong ("invalid_token", "channel_is_archived", "no_service"), and the
// admin shows it.
func PostWebhook(ctx context.Context, hc *http.Client, webhookURL, text string) error {
	body, err := json.Marshal(struct {
		Text string `json:"text"`
	}{text})
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, webhookURL, bytes.NewReader(body))
	if err != nil {
		return &Error{Code: "invalid webhook URL", Permanent: true} // err holds the URL
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return classify(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	text = strings.TrimSpace(string(answer))
	if resp.StatusCode >= 500 || strings.ContainsAny(text, "<\n") || len(text) > 100 {
		text = "" // an HTML error page: the status says enough
	}
	retry, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	return statusError(resp.StatusCode, text, time.Duration(retry)*time.Second, nil)
}
