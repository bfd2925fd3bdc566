package main

import (
	"context"
	"time"

	"github.com/badgeuse/badgeuse/central/email"
)

// Membership renewal reminders: serve looks every hour for the members
// whose dues end in 30 days or today and queues their reminder e-mails
// (central/email Renewals; the outbox key makes each one once per member
// and period, however many centrald look, on SQLite or on one PostgreSQL
// database).

// renewalEvery is how often serve looks for reminders due. Hourly: a
// reminder is due on a day, and a centrald started late in the day still
// sends it that day.
const renewalEvery = time.Hour

// renewals queues the reminders due, now and every renewalEvery, until
// ctx ends.
func (s *server) renewals(ctx context.Context) {
	job := &email.Renewals{Members: s.DB.Member, Ledger: s.DB.Ledger, Products: s.DB.Product,
		Outbox: s.DB.Outbox, Settings: s.DB.Settings}
	t := time.NewTicker(renewalEvery)
	defer t.Stop()
	for {
		n, err := job.Run(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			s.Logger.Error("email: renewal reminders", "err", err)
		case n > 0:
			s.Logger.Info("email: renewal reminders queued", "count", n)
			if s.outbox != nil {
				s.outbox.Kick(email.Topic(email.KindRenewal))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
