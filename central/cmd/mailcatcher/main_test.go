package main

import (
	"bytes"
	"io"
	"net"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gosmtp "github.com/emersion/go-smtp"
)

// TestCatch: a mail sent to the catcher lands in its folder as a .eml
// file, and its line names the recipient and the subject; beyond max the
// oldest are deleted.
func TestCatch(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	c := &catcher{dir: dir, max: 2, out: &out}
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(*gosmtp.Conn) (gosmtp.Session, error) { return &session{c: c}, nil }))
	srv.Domain = "mailcatcher.local"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	for _, subject := range []string{"Bienvenue à La Ruche", "Reçu", "Votre lien"} {
		msg := "From: bureau@example.org\r\nTo: alice@example.org\r\nSubject: " + subject + "\r\n\r\nBonjour\r\n"
		if err := smtp.SendMail(ln.Addr().String(), nil, "bureau@example.org", []string{"alice@example.org"}, []byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 2 {
		t.Fatalf("%d files, want the 2 newest", len(files))
	}
	b, _ := os.ReadFile(files[1])
	if !strings.Contains(string(b), "Subject: Votre lien") {
		t.Errorf("newest file:\n%s", b)
	}
	if !strings.Contains(out.String(), `to alice@example.org  "Bienvenue à La Ruche"`) {
		t.Errorf("output %q", out.String())
	}
}

// TestNoHalfMail: a .eml file is whole from the moment it can be listed.
// The end-to-end mail tests list the folder while centrald sends; they
// once read a welcome mail the catcher was still writing (empty: "EOF").
func TestNoHalfMail(t *testing.T) {
	dir := t.TempDir()
	c := &catcher{dir: dir, max: 1000, out: io.Discard}
	body := "Subject: gros\r\n\r\n" + strings.Repeat("0123456789abcdef", 1<<16) // 1 MiB
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 30; i++ {
			if err := c.store("bureau@example.org", []string{"alice@example.org"}, []byte(body)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for seen := false; !seen; {
		select {
		case <-done:
			seen = true
		default:
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		for _, f := range files {
			if b, err := os.ReadFile(f); err != nil || len(b) != len(body) {
				t.Fatalf("%s read with %d of %d bytes (%v)", filepath.Base(f), len(b), len(body), err)
			}
		}
	}
	if parts, _ := filepath.Glob(filepath.Join(dir, ".*")); len(parts) != 0 {
		t.Errorf("left behind: %v", parts)
	}
}
