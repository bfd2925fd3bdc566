// Package smtptest runs a real SMTP server for tests
// (github.com/emersion/go-smtp on 127.0.0.1:0) that stores what it
// receives and answers scripted errors; STARTTLS or TLS with a certificate
// made for the test, and PLAIN login, on request. Message.Parse reads a
// stored mail back: headers, text and HTML parts, attachments.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options choose how the server behaves.
type Options struct {
	// TLS is "starttls" (offered, with a test certificate), "tls" (TLS
	// from the first byte) or "" (none).
	TLS string
	// Username and Password, when set, are required (AUTH PLAIN).
	Username, Password string
}

// Reply is a scripted error answer, given once, to the first command of
// its stage: "mail" (MAIL FROM), "rcpt" (RCPT TO) or "data" (after the
// message, which is then not stored).
type Reply struct {
	Stage    string
	Code     int
	Enhanced [3]int
	Text     string
}

// Server is a running test SMTP server.
type Server struct {
	Host string // 127.0.0.1
	Port int
	// ClientTLS trusts the server's certificate (ServerName Host).
	ClientTLS *tls.Config

	mu       sync.Mutex
	received []*Message
	replies  []Reply
	attempts int
}

// Message is a mail the server accepted.
type Message struct {
	From string
	To   []string
	Data []byte // as received, CRLF line ends
	TLS  bool   // received over TLS (STARTTLS or implicit)
	User string // logged in as ("" without AUTH)
}

// Start starts a server, stopped when the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	s := &Server{Host: "127.0.0.1"}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c, opts: o}, nil
	}))
	srv.Domain = "smtptest.local"
	srv.MaxMessageBytes = 20 << 20
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.AllowInsecureAuth = o.TLS == ""
	var ln net.Listener
	var err error
	if o.TLS != "" {
		cert, pool := testCert(t, s.Host)
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		s.ClientTLS = &tls.Config{RootCAs: pool, ServerName: s.Host}
	}
	if o.TLS == "tls" {
		ln, err = tls.Listen("tcp", s.Host+":0", srv.TLSConfig)
	} else {
		ln, err = net.Listen("tcp", s.Host+":0")
	}
	if err != nil {
		t.Fatal(err)
	}
	if o.TLS == "" {
		s.ClientTLS = &tls.Config{ServerName: s.Host}
	}
	s.Port = ln.Addr().(*net.TCPAddr).Port
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// Script queues error replies, each given once.
func (s *Server) Script(r ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies = append(s.replies, r...)
}

// Messages returns the mails received so far.
func (s *Server) Messages() []*Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Message(nil), s.received...)
}

// Attempts returns how many transactions began (MAIL FROM commands).
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// WaitMessages waits until n mails arrived (or timeout) and returns them.
func (s *Server) WaitMessages(t testing.TB, n int, timeout time.Duration) []*Message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.Messages()
		if len(msgs) >= n || time.Now().After(deadline) {
			return msgs
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// scripted takes the next reply of a stage, if it is the first queued.
func (s *Server) scripted(stage string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.replies) == 0 || s.replies[0].Stage != stage {
		return nil
	}
	r := s.replies[0]
	s.replies = s.replies[1:]
	return &smtp.SMTPError{Code: r.Code, EnhancedCode: smtp.EnhancedCode(r.Enhanced), Message: r.Text}
}

type session struct {
	s    *Server
	conn *smtp.Conn
	opts Options
	user string
	msg  *Message
}

func (ss *session) AuthMechanisms() []string {
	if ss.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.opts.Username || password != ss.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		ss.user = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.opts.Username != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.s.mu.Lock()
	ss.s.attempts++
	ss.s.mu.Unlock()
	if err := ss.s.scripted("mail"); err != nil {
		return err
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.msg = &Message{From: from, TLS: isTLS, User: ss.user}
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.s.scripted("rcpt"); err != nil {
		return err
	}
	ss.msg.To = append(ss.msg.To, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := ss.s.scripted("data"); err != nil {
		return err
	}
	ss.msg.Data = b
	ss.s.mu.Lock()
	ss.s.received = append(ss.s.received, ss.msg)
	ss.s.mu.Unlock()
	ss.msg = nil
	return nil
}

func (ss *session) Reset()        { ss.msg = nil }
func (ss *session) Logout() error { return nil }

// testCert makes a self-signed certificate for host, and a pool that
// trusts it.
func testCert(t testing.TB, host string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "smtptest"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.ParseIP(host)},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// Parsed is a mail read back.
type Parsed struct {
	Header      mail.Header
	Subject     string // decoded
	Text, HTML  string
	Attachments []Attachment
}

// Attachment is an attached file.
type Attachment struct {
	Name, ContentType string
	Data              []byte
}

// Parse reads the mail's headers and its parts.
func (m *Message) Parse() (*Parsed, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return nil, err
	}
	p := &Parsed{Header: msg.Header}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return nil, err
	}
	return p, p.walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body)
}

func (p *Parsed) walk(ctype, encoding, disposition string, body io.Reader) error {
	mediatype, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mediatype, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return err
			}
			if err := p.walk(part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"),
				part.Header.Get("Content-Disposition"), part); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(encoding) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if d, dparams, err := mime.ParseMediaType(disposition); err == nil && d == "attachment" {
		p.Attachments = append(p.Attachments, Attachment{Name: dparams["filename"], ContentType: mediatype, Data: data})
		return nil
	}
	switch mediatype {
	case "text/plain":
		p.Text = string(data)
	case "text/html":
		p.HTML = string(data)
	default:
		p.Attachments = append(p.Attachments, Attachment{Name: params["name"], ContentType: mediatype, Data: data})
	}
	return nil
}
