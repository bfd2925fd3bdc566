// Command mailcatcher is a local SMTP server for the demo (make demo) and
// for trying e-mail without an outside service: it accepts every mail on
// 127.0.0.1, never sends anything on, and writes each one to a folder as
// a .eml file (open it with a mail program, or read it with cat), with
// one line per mail on its standard output.
//
//	mailcatcher --addr 127.0.0.1:2525 --dir .demo/mail
//
// centrald then sends to it with smtp.host 127.0.0.1, smtp.port 2525 and
// smtp.tls none. It holds at most --max mails (the oldest are deleted) of
// at most 10 MiB each.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"mime"
	"net/mail"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/emersion/go-smtp"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:2525", "address to listen on (keep it local)")
	dir := flag.String("dir", "mail", "folder the mails are written to, one .eml file each")
	max := flag.Int("max", 1000, "mails kept; the oldest are deleted beyond")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		log.Fatal(err)
	}
	c := &catcher{dir: *dir, max: *max, out: os.Stdout}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{c: c}, nil }))
	srv.Addr, srv.Domain = *addr, "mailcatcher.local"
	srv.MaxMessageBytes, srv.MaxRecipients = 10<<20, 50
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		srv.Close()
	}()
	fmt.Fprintf(os.Stderr, "mailcatcher: listening on %s, mails in %s\n", *addr, *dir)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
		log.Fatal(err)
	}
}

// catcher stores the mails.
type catcher struct {
	dir string
	max int
	out io.Writer
	mu  sync.Mutex
	n   int
}

// store writes a mail to the folder and says so on out.
func (c *catcher) store(from string, to []string, data []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	name := fmt.Sprintf("%s-%04d.eml", time.Now().UTC().Format("20060102T150405"), c.n)
	// Written aside, then renamed: whoever lists the .eml files (a mail
	// program, the end-to-end tests) never reads half a mail.
	tmp := filepath.Join(c.dir, "."+name+".part")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(c.dir, name)); err != nil {
		os.Remove(tmp)
		return err
	}
	subject := ""
	if m, err := mail.ReadMessage(bytes.NewReader(data)); err == nil {
		subject, _ = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	}
	fmt.Fprintf(c.out, "%s  to %s  %q  (%s)\n", time.Now().Format("15:04:05"), strings.Join(to, ", "), subject, name)
	c.trim()
	return nil
}

// trim deletes the oldest mails beyond max.
func (c *catcher) trim() {
	files, _ := filepath.Glob(filepath.Join(c.dir, "*.eml"))
	if len(files) <= c.max {
		return
	}
	sort.Strings(files)
	for _, f := range files[:len(files)-c.max] {
		os.Remove(f)
	}
}

type session struct {
	c    *catcher
	from string
	to   []string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error   { s.to = append(s.to, to); return nil }
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return s.c.store(s.from, s.to, b)
}
func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }
