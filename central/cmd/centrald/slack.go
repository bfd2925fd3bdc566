package main

import (
	"context"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/slack"
	"github.com/badgeuse/badgeuse/central/sqlite"
)

// Slack: serve installs Slack's arrival hook in the store (the post is
// written in the transaction of the entry), plugs the handlers that post
// the outbox's Slack messages (central/slack) into the one outbox loop
// (outbox.go), and runs the monitor that enqueues the digest and the
// bureau's alerts. The handlers read the slack.* settings at each post, so
// "centrald settings set" applies to a running serve at once.

// openSlack installs the arrival hook and makes the worker. Open calls it
// before the server takes requests.
func (s *server) openSlack() {
	s.DB.ArrivalHooks = append(s.DB.ArrivalHooks, central.SlackArrivalHook)
	s.Slack = &slack.Worker{
		Outbox:   sqlite.NewOutboxService(s.DB),
		Settings: sqlite.NewSettingsService(s.DB),
		Members:  sqlite.NewMemberService(s.DB),
		Entries:  sqlite.NewEntryService(s.DB),
		Kiosks:   sqlite.NewKioskService(s.DB),
		Logger:   s.Logger.With("component", "slack"),
	}
}

// serveSlack runs the monitor until ctx ends.
func (s *server) serveSlack(ctx context.Context) {
	if s.Slack != nil {
		s.Slack.ServeMonitor(ctx)
	}
}
