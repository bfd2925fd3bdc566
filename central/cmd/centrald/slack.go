package main

import (
	"context"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/slack"
)

// Slack: the store reacts to the domain's events with Slack's messages
// (slack.React, registered with every database centrald opens: outbox.go;
// an arrival's post is written in the transaction of the entry); serve plugs the handlers that post
// the outbox's Slack messages (central/slack) into the one outbox loop
// (outbox.go), and runs the monitor that enqueues the digest and the
// bureau's alerts. The handlers read the slack.* settings at each post, so
// "centrald settings set" applies to a running serve at once. The slack.*
// settings are central/slack's own, added to the table here.

func init() { central.AddSettings(slack.Settings...) }

// openSlack makes the worker. Open calls it
// before the server takes requests.
func (s *server) openSlack() {
	s.Slack = &slack.Worker{
		Outbox:   s.DB.Outbox,
		Settings: s.DB.Settings,
		Members:  s.DB.Member,
		Entries:  s.DB.Entry,
		Kiosks:   s.DB.Kiosk,
		Calendar: s.DB.Calendar,
		Bookings: s.DB.Booking,
		Profiles: s.DB.Profile,
		Spaces:   s.DB.Space,
		Logger:   s.Logger.With("component", "slack"),
	}
}

// serveSlack runs the monitor until ctx ends.
func (s *server) serveSlack(ctx context.Context) {
	if s.Slack != nil {
		s.Slack.ServeMonitor(ctx)
	}
}
