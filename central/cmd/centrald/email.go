package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/slack"
)

// E-mail: serve plugs the e-mail handlers (central/email) of the email.*
// topics into the one outbox loop (outbox.go); with smtp.host and
// smtp.from set, each sale enqueues its receipt's e-mail to its member
// (installEmail, in the sale's transaction, whichever command sells). The worker reads the smtp.* settings at each
// mail, so "centrald settings set" applies to a running serve at once.

func init() {
	central.AddSettings(email.Settings...)
	commands = append(commands,
		command{"email test", "--to ADDRESS [--lang fr|en]", "send a test e-mail with the smtp.* settings and print the server's answer", cmdEmailTest},
	)
}

// installEmail makes each paid sale in db enqueue its receipt's e-mail (a
// sale not paid yet, when its payment is recorded), a low
// balance its reminder, a registration for an event its confirmation or
// waitlisted notice, a promotion from the waiting list its own and a
// kiosk health incident (camera down, disk nearly full) its alert to
// alerts.email, and the bureau cancelling a member's booking her notice
// (linking CENTRALD_PUBLIC_URL's lost-link page), in the transaction of
// the change, whichever command makes it. open calls it.
func installEmail(db *database) {
	publicURL := os.Getenv("CENTRALD_PUBLIC_URL")
	db.AddReaction(func(ev central.Event, set central.Settings) []central.OutboxMessage {
		switch ev := ev.(type) {
		case central.SaleMade:
			return email.SaleHook(ev.Sale, set)
		case central.SalePaid:
			return email.SaleHook(ev.Sale, set)
		case central.LowBalance:
			sc := slack.ConfigFrom(set)
			return email.LowBalanceHook(ev, set, sc.Token != "", sc.BuyURL)
		case central.RegistrationMade, central.RegistrationPromoted:
			return email.RegistrationHook(ev, set)
		case central.EventMoved:
			return email.EventMovedHook(ev, set)
		case central.KioskCameraDown, central.KioskDiskLow:
			return email.AlertHook(ev, set)
		case central.BookingCancelled:
			return email.BookingCancelledHook(ev, set, publicURL)
		}
		return nil
	})
}

// serveAlerts mails the bureau (alerts.email) each kiosk silent for
// slack.kiosk_silent_after, as Slack's monitor posts it, once per silence,
// checking every minute until ctx ends. The camera and disk alerts are
// reactions to the kiosks' reports (installEmail).
func (s *server) serveAlerts(ctx context.Context) {
	for {
		set, err := s.DB.Settings.Settings(ctx)
		if err == nil {
			_, err = email.EnqueueSilentAlerts(ctx, s.DB.Kiosk, s.DB.Outbox, set, slack.ConfigFrom(set).KioskSilentAfter, time.Now())
		}
		if err != nil && ctx.Err() == nil {
			s.Logger.Error("email: kiosk alerts", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Minute):
		}
	}
}

// adminMails queues the web admin's mails (admin.Mails: welcome, links,
// badges, password resets, join and claim confirmations) in the outbox.
type adminMails struct{ db *database }

func (m adminMails) Enabled(ctx context.Context) bool {
	set, err := m.db.Settings.Settings(ctx)
	return err == nil && email.ConfigFrom(set).Enabled()
}

func (m adminMails) Queue(ctx context.Context, x admin.Mail) (bool, error) {
	msg, err := email.NewMessage(x.Kind, x.Key, email.Payload{Member: x.Member, Email: x.To, Name: x.Name, Lang: x.Lang,
		Link: x.Link, BadgePNG: x.BadgePNG, Host: x.Host, Space: x.Space, Day: x.Day,
		Address: x.Address, Hours: x.Hours,
		Event: x.Event, Registration: x.Registration, Again: x.Again})
	if err != nil {
		return false, err
	}
	return m.db.Outbox.EnqueueOutbox(ctx, msg)
}

// mailMember says which member an e-mail outbox message is for (the
// admin shows her mails given up on her page).
func mailMember(it *central.OutboxItem) int64 {
	_, p, err := email.ParsePayload(it.Topic, it.Payload)
	if err != nil {
		return 0
	}
	return p.Member
}

// mailPrefs gives central/email the members' mail preferences (the
// store) and their unsubscribe pages (the web admin, once mounted).
type mailPrefs struct {
	store interface {
		MailPrefs(ctx context.Context, member int64) (lang string, remindersOff bool, err error)
	}
	admin func() *admin.Server
}

func (p mailPrefs) MailPrefs(ctx context.Context, member int64) (string, bool, error) {
	return p.store.MailPrefs(ctx, member)
}

func (p mailPrefs) UnsubscribeURL(ctx context.Context, member int64) (string, error) {
	if a := p.admin(); a != nil {
		return a.UnsubscribeURL(ctx, member)
	}
	return "", nil
}

// eventLinks gives central/email the links of event mails, served by the
// web admin once mounted (none before).
type eventLinks struct{ admin func() *admin.Server }

func (l eventLinks) CancelURL(ctx context.Context, e *central.CalendarEvent, registration int64) (string, error) {
	if a := l.admin(); a != nil {
		return a.CancelURL(ctx, e, registration)
	}
	return "", nil
}

func (l eventLinks) TicketPNG(ctx context.Context, e *central.CalendarEvent, r *central.Registration) ([]byte, error) {
	if a := l.admin(); a != nil {
		return a.TicketPNG(ctx, e, r)
	}
	return nil, nil
}

func (l eventLinks) EventURL(e *central.CalendarEvent) string {
	if a := l.admin(); a != nil {
		return a.EventURL(e)
	}
	return ""
}

// newEmailHandler returns the e-mail handler on the database, with
// central/billing's receipts.
func newEmailHandler(db *database) *email.Handler {
	return &email.Handler{Members: db.Member, Spaces: db.Space, Receipts: receiptPDFs{books(db)}, TaxReceipts: taxReceiptPDFs{books(db)}}
}

// newEmailWorker returns the e-mail worker whose Topics serve's outbox
// loop runs: members' languages and reminder choices from the store,
// unsubscribe pages from the web admin (adm, nil before it is mounted),
// mails given up written to the audit log.
func newEmailWorker(db *database, logger *slog.Logger, adm func() *admin.Server) *email.Worker {
	h := newEmailHandler(db)
	h.Prefs = mailPrefs{store: db.Mail, admin: adm}
	h.Events, h.Links, h.Tickets = db.Calendar, eventLinks{adm}, eventLinks{adm}
	return &email.Worker{Outbox: db.Outbox, Settings: db.Settings,
		Handler: h, Logger: logger, Journal: db.Journal}
}

// receiptPDFs gives central/email the receipts central/billing makes.
type receiptPDFs struct{ books *billing.Books }

func (r receiptPDFs) Receipt(ctx context.Context, sale int64) (*email.Receipt, error) {
	rc, err := r.books.Receipt(ctx, sale)
	if err != nil {
		return nil, err
	}
	var pdf bytes.Buffer
	if err := rc.WritePDF(&pdf); err != nil {
		return nil, err
	}
	labels := make([]string, len(rc.Lines))
	for i, l := range rc.Lines {
		labels[i] = l.Label
	}
	return &email.Receipt{Number: rc.Number, Product: strings.Join(labels, ", "), Amount: rc.Total, PDF: pdf.Bytes()}, nil
}

// testMailer sends the admin's test e-mail with the settings as stored.
type testMailer struct{ db *database }

func (m testMailer) SendTest(ctx context.Context, to, lang string) (string, error) {
	set, err := m.db.Settings.Settings(ctx)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return newEmailHandler(m.db).SendTest(ctx, set, to, lang)
}

func cmdEmailTest(e *env, args []string) error {
	to := e.fs.String("to", "", "the address to send the test e-mail to")
	lang := e.fs.String("lang", "fr", "the mail's language: fr or en")
	db, err := e.start(args, "to")
	if err != nil {
		return err
	}
	if err := central.ValidateEmail(*to); err != nil {
		return usagef("email test: %s", central.ErrorMessage(err))
	}
	set, err := db.Settings.Settings(e.ctx)
	if err != nil {
		return err
	}
	if !email.ConfigFrom(set).Enabled() {
		return usagef("email test: set smtp.host and smtp.from first (centrald settings set --data DIR smtp.host smtp.example.org)")
	}
	ctx, cancel := context.WithTimeout(e.ctx, time.Minute)
	defer cancel()
	answer, err := newEmailHandler(db).SendTest(ctx, set, *to, *lang)
	if err != nil {
		return fmt.Errorf("email test: %w", err)
	}
	fmt.Fprintln(e.stdout, answer)
	return nil
}
