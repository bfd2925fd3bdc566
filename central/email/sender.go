package email

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Mail is one e-mail ready to send.
type Mail struct {
	To      string // a plain address
	ToName  string // shown beside it; may be empty
	Subject string
	Text    string // the plain text part
	HTML    string // its HTML alternative; empty: text only
	// Key is the outbox key of the mail: its Message-ID is derived from
	// it, so that a mail sent again after a crash carries the same
	// Message-ID and mail programs can fold the two. Empty: a random one.
	Key         string
	Attachments []Attachment
	// Reminder marks a mail that is not transactional (low balance,
	// renewal): it gets a List-Unsubscribe header (RFC 2369) with
	// Unsubscribe, the page where the member turns reminders off, when
	// set, and a mailto: to smtp.from, which works even without a page.
	Reminder    bool
	Unsubscribe string
}

// Attachment is a file sent with a mail.
type Attachment struct {
	Name        string // "R-000042.pdf"
	ContentType string // "application/pdf", "image/png"
	Data        []byte
}

// Sender sends mails over SMTP. It opens one connection per mail: mails
// are few (receipts, reminders) and a fresh connection never finds a
// server that closed an idle one.
type Sender struct {
	Config Config
	// TLSConfig verifies the server (nil: the system's roots, for
	// Config.Host). Tests set their own roots.
	TLSConfig *tls.Config
	// Timeout bounds the connection and each exchange (default 30 s).
	Timeout time.Duration
	// Now dates the mails (nil: time.Now).
	Now func() time.Time
}

// SendError is a failed send. Permanent errors (a 5xx reply: unknown
// recipient, refused login, message rejected) are given up; the others (a
// 4xx reply, a connection that fails or times out) are worth retrying.
type SendError struct {
	Permanent bool
	Code      int // the SMTP reply code, 0 when the server did not answer
	// Text is the error as the server or the connection said it, for the
	// admin: the server's reply verbatim when it refused the connection
	// or the login ("421 4.7.0 Try again later"), else go-mail's account
	// of the command refused with the reply quoted ("sending SMTP RCPT TO
	// command: 550 \"5.1.1 No such user\", affected recipient(s): ...").
	Text string
}

func (e *SendError) Error() string { return e.Text }

// Send sends m and returns the server's answer to it ("2.0.0 Ok: queued
// as 4F2..."). Errors are *SendError.
//
// When the connection breaks after the whole message was written but
// before the server's answer arrived, SMTP cannot tell whether the mail
// was accepted: Send returns a retryable error and the mail may arrive
// twice, with the same Message-ID.
func (s *Sender) Send(ctx context.Context, m *Mail) (string, error) {
	msg, err := s.message(m)
	if err != nil {
		return "", &SendError{Permanent: true, Text: err.Error()}
	}
	c, err := s.client()
	if err != nil {
		return "", &SendError{Permanent: true, Text: err.Error()}
	}
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return "", classify(ctx, err)
	}
	// ctx ends the exchange too, not only the dial.
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	err = c.SendWithSMTPClient(conn, msg)
	delivered := msg.IsDelivered() // a failure after the server's 250 (RSET) is not one
	_ = c.CloseWithSMTPClient(conn)
	if err != nil && !delivered {
		return "", classify(ctx, err)
	}
	return msg.ServerResponse(), nil
}

func (s *Sender) client() (*mail.Client, error) {
	cfg := s.Config
	if !cfg.Enabled() {
		return nil, errors.New("e-mail is not set up (smtp.host and smtp.from)")
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	tc := s.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
	}
	opts := []mail.Option{mail.WithPort(cfg.Port), mail.WithTimeout(timeout), mail.WithTLSConfig(tc),
		mail.WithHELO(heloName(cfg.From))}
	switch cfg.TLS {
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default: // starttls: never send a password or a member's mail in clear
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if cfg.Username != "" {
		auth := mail.SMTPAuthAutoDiscover
		if cfg.TLS == TLSNone {
			// A password in clear is only for a relay on this machine.
			if !loopback(cfg.Host) {
				return nil, errors.New("smtp.username is set with smtp.tls none: the password would cross the network in clear (use starttls or tls)")
			}
			auth = mail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(cfg.Username), mail.WithPassword(cfg.Password))
	}
	return mail.NewClient(cfg.Host, opts...)
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// message builds the MIME message: text, HTML alternative, attachments,
// and the headers that make it a well-formed, threadable, unsubscribable
// mail.
func (s *Sender) message(m *Mail) (*mail.Msg, error) {
	cfg := s.Config
	msg := mail.NewMsg()
	if err := msg.FromFormat(cfg.Association, cfg.From); err != nil {
		return nil, fmt.Errorf("smtp.from: %w", err)
	}
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	msg.SetDateWithValue(now())
	msg.SetMessageIDWithValue(MessageID(m.Key, cfg.From))
	// Automatic mails: no out-of-office replies to them (RFC 3834).
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	if m.Reminder {
		msg.SetGenHeader("List-Unsubscribe", unsubscribeHeader(m.Unsubscribe, cfg.From))
	}
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), mail.WithFileContentType(mail.ContentType(a.ContentType))); err != nil {
			return nil, fmt.Errorf("attachment %s: %w", a.Name, err)
		}
	}
	return msg, nil
}

// MessageID returns the Message-ID (without its angle brackets) of the
// mail with an outbox key: a hash of the key, at the sender's domain. The
// same key always gives the same Message-ID; an empty key a random one.
func MessageID(key, from string) string {
	var left string
	if key == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		left = hex.EncodeToString(b)
	} else {
		sum := sha256.Sum256([]byte("badgeuse-mail:" + key))
		left = hex.EncodeToString(sum[:16])
	}
	return left + "@" + heloName(from)
}

// heloName is the domain of the sender's address (localhost if none).
func heloName(from string) string {
	if _, domain, ok := strings.Cut(from, "@"); ok && domain != "" {
		return domain
	}
	return "localhost"
}

// unsubscribeHeader lists the page, if any, and a mailto: to the
// association, which works even where the page cannot be reached.
func unsubscribeHeader(page, from string) string {
	mailto := "<" + (&url.URL{Scheme: "mailto", Opaque: from, RawQuery: "subject=unsubscribe"}).String() + ">"
	if page == "" {
		return mailto
	}
	return "<" + page + ">, " + mailto
}

// classify turns go-mail's error into a SendError: the reply code decides
// (5xx permanent, 4xx retried); no code means the connection failed or
// timed out, which is retried.
func classify(ctx context.Context, err error) *SendError {
	e := &SendError{Text: err.Error()}
	var tp *textproto.Error
	var se *mail.SendError
	switch {
	case errors.As(err, &tp):
		e.Code, e.Text = tp.Code, fmt.Sprintf("%03d %s", tp.Code, tp.Msg) // the server's answer, verbatim
	case errors.As(err, &se):
		e.Code = se.ErrorCode()
	}
	if ctx.Err() != nil {
		e.Code, e.Text = 0, "interrupted: "+e.Text
	}
	e.Permanent = e.Code >= 500 && e.Code < 600
	return e
}
