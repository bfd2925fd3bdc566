package main

import (
	"context"
	"time"

	"github.com/badgeuse/badgeuse/central/outbox"
	"github.com/badgeuse/badgeuse/central/sqlite"
)

// The outbox: serve runs one loop (central/outbox) for every consumer of
// side effects, each plugging in the handlers of its topics: Slack's posts
// (slack.go), billing's orders and invoices (billing.go) and the e-mails
// (email.go). The loop purges finished messages of every topic after
// entries.retention_days.

// openOutbox makes the one outbox loop, once Slack and billing are made.
// Open calls it.
func (s *server) openOutbox() {
	w := s.billingWorker()
	topics := append(s.Slack.Topics(), w.Topics()...)
	topics = append(topics, newEmailWorker(s.DB, s.Logger.With("component", "email")).Topics()...) // email.go
	settings := sqlite.NewSettingsService(s.DB)
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
