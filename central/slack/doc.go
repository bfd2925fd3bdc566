// Package slack posts Badgeuse's messages to Slack, or to Mattermost
// through an incoming webhook: arrivals ("☕ Alice est arrivée (9:12)"),
// the daily digest of who came, direct messages to members whose cards run
// low, and alerts to the bureau's channel. It wraps
// github.com/slack-go/slack (whose types never leave this package) and
// implements central.Notifier.
//
// # Delivery
//
// Every post is an outbox message. React turns the domain's events
// (central.Event) into posts; registered in the store by centrald, it
// writes an arrival's post in the very transaction of the entry, and an
// unmatched payment's alert in the payment's; the Worker's monitor
// enqueues the digest and its alerts through React too.
// The Worker's handlers (Worker.Topics) plug into the one outbox loop
// (central/outbox), which serves each Slack topic as a queue, in order: it
// claims the head (central.Outbox.ClaimOutboxNext, which notes durably
// that a send begins), and the handler renders it with the settings of the moment, waits for the
// channel's slot (slack.min_interval, about one post a second per channel,
// and any Retry-After Slack sent), posts, and records the outcome:
//
//   - sent: finished;
//   - HTTP 429: retried after Retry-After, the channel paused meanwhile;
//   - HTTP 5xx, timeouts, network errors, rate_limited, fatal_error:
//     retried with exponential backoff (2 s doubling to 5 min, ±20 %,
//     shared/backoff), the rest of the queue waiting behind it so that order
//     holds; an arrival or a digest is given up after 50 attempts (about
//     4 hours: later, it would only confuse), direct messages and alerts
//     are retried until they pass;
//   - any other Slack error (invalid_auth, token_revoked, channel_not_found,
//     not_in_channel, is_archived, missing_scope, webhook 4xx...):
//     permanent, given up at once with the error kept for the admin, which
//     can send it again once the settings are fixed.
//
// # Idempotency
//
// Each post carries its outbox key in Slack's message metadata
// (event_type badgeuse_post, hidden from people). If a send began and its
// outcome was not recorded (centrald killed between the request and the
// commit, a timeout, a 5xx), the message keeps its send_started mark, and
// the next attempt first reads the channel's history since that mark
// (conversations.history with include_all_metadata) and records the post as
// sent if it finds the key, instead of posting again (a restarted centrald
// takes such messages back at once rather than after their lease:
// central.Outbox.ReleaseOutbox, one worker per database). With a bot token
// a post therefore appears exactly once, provided the token can read the
// channel's history (scopes channels:history, groups:history for a private
// channel, im:history for direct messages). Without that scope the worker
// logs it and posts again: at least once.
//
// An incoming webhook cannot read anything back, so no check is possible:
// webhook posts are delivered at least once. A post can be doubled only if
// centrald dies, or the connection breaks, after the webhook received the
// request and before centrald recorded the answer: a window of one round
// trip and one commit, per crash or timeout. Dropping the post instead would
// lose arrivals on every such crash, which we judged worse than a rare
// double "Alice est arrivée".
//
// # Settings
//
// The package declares the slack.* settings (Settings, settings.go: keys,
// defaults, validators, ConfigFrom), which centrald adds to the domain's
// table. Settings are read from the store for each post, so a running centrald
// follows changes made with "centrald settings set" or the admin at once.
// slack.token (bot token, with scopes chat:write, channels:history,
// groups:history, im:history, im:write, users:read, users:read.email) serves
// everything; without it slack.webhook_url serves arrivals and the digest
// only (a webhook posts to one channel and cannot find users). Channels are
// given by ID (C0123456789), since history is read by ID. Nothing is logged
// of tokens, webhook URLs, names or e-mail addresses.
package slack
