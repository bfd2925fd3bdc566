package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
)

// The web admin: "centrald admin add" makes its first user, and serve
// mounts it at "/" (mountAdmin).

func init() {
	commands = append(commands, command{"admin add", "--email EMAIL [--role admin|treasurer|door|readonly] [--space SPACE] [--password-file FILE]",
		"add a user of the web admin (of one space with --space, id or name; default: the whole network); on a terminal the password is asked twice and not shown as typed; otherwise it is stdin's first line (or the file's), never a flag", cmdAdminAdd})
}

// cmdAdminAdd adds an admin user. The password comes from --password-file
// or stdin (first line), so that it never shows in the process list or
// the shell history; typed on a terminal, it does not show on the screen
// either, and is asked twice (readPassword).
func cmdAdminAdd(e *env, args []string) error {
	email := e.fs.String("email", "", "the user's e-mail (her login)")
	role := e.fs.String("role", string(central.RoleAdmin), "admin, treasurer, door or readonly")
	space := e.fs.String("space", "", "the one space (id or name) whose bureau she belongs to (default: the whole network)")
	pwFile := e.fs.String("password-file", "", "read the password from this file (default: stdin)")
	if err := e.flags(args, "email"); err != nil {
		return err
	}
	password, err := readPassword(e, *pwFile)
	if err != nil {
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

// readPassword reads the password of admin add, checked (CheckPassword):
// the first line of --password-file, or of stdin when stdin is no
// terminal (a pipe, a script: read as is, no question asked). On a
// terminal it asks for it without showing what is typed, then asks for it
// again: two different ones add no one.
func readPassword(e *env, file string) (string, error) {
	var r io.Reader = e.stdin
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", fmt.Errorf("password file: %w", err)
		}
		defer f.Close()
		r = f
	} else if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return askPassword(e.ctx, int(f.Fd()), e.stderr)
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if err := admin.CheckPassword(password); err != nil {
		return "", err
	}
	return password, nil
}

// askPassword asks for a password on the terminal fd, the questions on w
// (stderr, the terminal too), in French then English as the volunteers
// read them: once, checked, then again to confirm.
func askPassword(ctx context.Context, fd int, w io.Writer) (string, error) {
	password, err := readHidden(ctx, fd, w, "Mot de passe / Password (rien ne s’affiche / nothing shows as you type): ")
	if err != nil {
		return "", err
	}
	if err := admin.CheckPassword(password); err != nil {
		return "", err
	}
	again, err := readHidden(ctx, fd, w, "Le même, pour confirmer / The same again, to confirm: ")
	if err != nil {
		return "", err
	}
	if again != password {
		return "", central.Errorf(central.EINVALID, "Les deux mots de passe sont différents : rien n’a été ajouté. / The two passwords differ: nothing was added.")
	}
	return password, nil
}

// readHidden writes prompt to w and reads a line from the terminal fd
// with its echo off (term.ReadPassword). Ctrl-C (ctx, canceled by
// SIGINT) stops it: the terminal gets its settings back, echo on.
func readHidden(ctx context.Context, fd int, w io.Writer, prompt string) (string, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	fmt.Fprint(w, prompt)
	type read struct {
		b   []byte
		err error
	}
	done := make(chan read, 1)
	go func() { // left blocked on Ctrl-C: the command ends
		b, err := term.ReadPassword(fd)
		done <- read{b, err}
	}()
	select {
	case r := <-done:
		fmt.Fprintln(w) // the Enter typed did not show
		if r.err != nil {
			return "", fmt.Errorf("read password: %w", r.err)
		}
		if len(r.b) > 4096 {
			r.b = r.b[:4096]
		}
		return strings.TrimRight(string(r.b), "\r\n"), nil
	case <-ctx.Done():
		term.Restore(fd, state)
		fmt.Fprintln(w)
		return "", errors.New("interrupted: no user was added")
	}
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
