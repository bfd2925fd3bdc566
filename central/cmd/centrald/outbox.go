package main

import (
	"context"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/outbox"
	"github.com/badgeuse/badgeuse/central/slack"
)

// The outbox: serve runs one loop (central/outbox) for every consumer of
// side effects, each plugging in the handlers of its topics: Slack's posts
// (slack.go), billing's orders and invoices (billing.go) and the e-mails
// (email.go). The loop purges finished messages of every topic after
// entries.retention_days.

// reactions are the adapters' reactions to the domain's events (arrivals,
// sales, unmatched payments...): the store calls them in the transaction of
// each change and queues what they return. Every database centrald opens
// has them, so that a sale made by a command queues its invoice as one
// made in the admin does.
func reactions() []central.Reaction { return []central.Reaction{slack.React, billing.React} }

// openOutbox makes the one outbox loop, once Slack and billing are made.
// Open calls it.
func (s *server) openOutbox() {
	w := s.billingWorker()
	topics := append(s.Slack.Topics(), w.Topics()...)
	topics = append(topics, newEmailWorker(s.DB, s.Logger.With("component", "email"), func() *admin.Server { return s.admin }).Topics()...) // email.go
	settings := s.DB.Settings
	s.outbox = &outbox.Worker{
		Outbox: w.Outbox,
		Topics: topics,
		Logger: s.Logger.With("component", "outbox"),
		Retention: func(ctx context.Context) (time.Duration, error) {
			set, err := settings.Settings(ctx)
			return time.Duration(set.RetentionDays()) * 24 * time.Hour, err
		},
	}
	w.Wake = func() { s.outbox.Kick("") }
}

// runOutbox runs the loop until ctx ends.
func (s *server) runOutbox(ctx context.Context) {
	if s.outbox != nil {
		s.outbox.Serve(ctx)
	}
}
