package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
)

// The web admin: "centrald admin add" makes its first user, and serve
// mounts it at "/" (mountAdmin).

func init() {
	commands = append(commands, command{"admin add", "--email EMAIL [--role admin|treasurer|door|readonly] [--space SPACE] [--password-file FILE]",
		"add a user of the web admin (of one space with --space, id or name; default: the whole network); the password is read from stdin (or the file), never from a flag", cmdAdminAdd})
}

// cmdAdminAdd adds an admin user. The password comes from --password-file
// or stdin (first line), so that it never shows in the process list or
// the shell history.
func cmdAdminAdd(e *env, args []string) error {
	email := e.fs.String("email", "", "the user's e-mail (her login)")
	role := e.fs.String("role", string(central.RoleAdmin), "admin, treasurer, door or readonly")
	space := e.fs.String("space", "", "the one space (id or name) whose bureau she belongs to (default: the whole network)")
	pwFile := e.fs.String("password-file", "", "read the password from this file (default: stdin)")
	if err := e.flags(args, "email"); err != nil {
		return err
	}
	var r io.Reader = e.stdin
	if *pwFile != "" {
		f, err := os.Open(*pwFile)
		if err != nil {
			return fmt.Errorf("password file: %w", err)
		}
		defer f.Close()
		r = f
	} else if f, ok := e.stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprintln(e.stderr, "Password (the input is shown; end with Enter):")
		}
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if err := admin.CheckPassword(password); err != nil {
		return err
	}
	hash, err := admin.HashPassword(password)
	if err != nil {
		return err
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	u := &central.AdminUser{Email: *email, Role: central.Role(*role), PasswordHash: hash}
	if *space != "" {
		sp, err := findSpace(e, db, *space)
		if err != nil {
			return err
		}
		u.Space = sp.ID
	}
	if err := db.Admin.CreateAdminUser(e.ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d\n", u.ID)
	return nil
}

// mountAdmin mounts the web admin at "/" of serve's mux: the sync API
// (/api/v1/), /healthz and billing's webhooks (/hooks/...) have longer
// patterns, so they keep their requests. CENTRALD_PUBLIC_URL is the
// address people reach central at (for kiosk enrollment lines and members'
// links); CENTRALD_TRUST_PROXY=1 trusts X-Forwarded-Proto and
// X-Forwarded-For from a reverse proxy.
func (s *server) mountAdmin(mux *http.ServeMux) {
	db := s.DB
	h, err := admin.New(admin.Config{
		Members:       db.Member,
		Products:      db.Product,
		Ledger:        db.Ledger,
		Badges:        db.Badge,
		Kiosks:        db.Kiosk,
		Entries:       db.Entry,
		Settings:      db.Settings,
		Audit:         db.Audit,
		Store:         db.Admin,
		Profiles:      db.Profile,
		Calendar:      db.Calendar,
		Bookings:      db.Booking,
		Spaces:        db.Space, // scopes, and between spaces: settlement, conventions, Slack channels
		SettlementPDF: billing.SettlementPDFs{},
		Payments:      db.Payment, // billing.go
		Billing:       s.billingWorker(),
		TaxReceipts:   taxReceiptSender{db}, // donations.go
		Notifier:      s.Slack,              // slack.go
		Mailer:        testMailer{db},       // email.go
		Codes:         db,
		Tickets:       tickets{db},
		Guests:        db.Guest,
		Mails:         adminMails{db},
		MailMember:    mailMember,
		Outbox:        db.Outbox,
		PublicURL:     os.Getenv("CENTRALD_PUBLIC_URL"),
		TrustProxy:    os.Getenv("CENTRALD_TRUST_PROXY") == "1",
		Bodies:        s.bodies, // bodies.go
		Logger:        s.Logger,

		EventPayments: db.Calendar, // a paid event's pages send people to its HelloAsso form
		EventForm:     helloasso.ParseEventForm,
	})
	if err != nil { // embedded templates that do not parse: a build bug
		s.Logger.Error("web admin unavailable", "err", err)
		return
	}
	mux.Handle("/", h)
	s.admin = h
}

// purgeAdmin deletes the admin's expired sessions and forgotten login
// throttle counters (retention job); a failure is logged.
func (s *server) purgeAdmin(ctx context.Context) {
	if s.admin == nil {
		return
	}
	sessions, throttles, err := s.admin.Purge(ctx)
	switch {
	case ctx.Err() != nil:
	case err != nil:
		s.Logger.Error("admin purge", "err", err)
	case sessions > 0 || throttles > 0:
		s.Logger.Info("admin purge", "sessions", sessions, "login_counters", throttles)
	}
}
