//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/bintest"
)

// terminal is centrald admin add run on a pseudo-terminal as a person
// runs it: stdin and stderr are the terminal (its controlling terminal,
// so that Ctrl-C interrupts it), stdout a buffer (the id).
type terminal struct {
	t      *testing.T
	master *os.File
	tty    *os.File
	cmd    *exec.Cmd
	stdout bytes.Buffer
	mu     sync.Mutex
	screen bytes.Buffer // everything the terminal showed
	read   chan struct{}
	exited chan error
	// echoAfter: whether the terminal showed what is typed once
	// centrald exited.
	echoAfter bool
}

func startOnTerminal(t *testing.T, bin, data string, args ...string) *terminal {
	t.Helper()
	master, tty := bintest.OpenPTY(t)
	c := &terminal{t: t, master: master, tty: tty, read: make(chan struct{}), exited: make(chan error, 1)}
	c.cmd = exec.Command(bin, args...)
	c.cmd.Env = []string{"CENTRALD_DATA=" + data}
	c.cmd.Stdin, c.cmd.Stdout, c.cmd.Stderr = tty, &c.stdout, tty
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(c.read)
		buf := make([]byte, 1024)
		for {
			n, err := master.Read(buf) // an error once the terminal is closed
			c.mu.Lock()
			c.screen.Write(buf[:n])
			c.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { c.exited <- c.cmd.Wait() }()
	t.Cleanup(func() { c.cmd.Process.Kill() })
	return c
}

// shown returns what the terminal showed so far.
func (c *terminal) shown() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.screen.String()
}

// waitFor waits up to 10 s for the terminal to show text (the n-th time).
func (c *terminal) waitFor(text string, n int) {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(c.shown(), text) < n {
		if time.Now().After(deadline) {
			c.t.Fatalf("the terminal never showed %q (%d times); it showed:\n%s", text, n, c.shown())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// echoes reports whether the terminal shows what is typed now.
func (c *terminal) echoes() bool {
	c.t.Helper()
	tio, err := unix.IoctlGetTermios(int(c.tty.Fd()), unix.TCGETS)
	if err != nil {
		c.t.Fatal(err)
	}
	return tio.Lflag&unix.ECHO != 0
}

// waitNoEcho waits up to 10 s for centrald to turn the terminal's echo
// off (typing before would show what is typed, whatever centrald does).
func (c *terminal) waitNoEcho() {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for c.echoes() {
		if time.Now().After(deadline) {
			c.t.Fatalf("the terminal still shows what is typed; it showed:\n%s", c.shown())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// typ types text on the keyboard.
func (c *terminal) typ(text string) {
	c.t.Helper()
	if _, err := c.master.Write([]byte(text)); err != nil {
		c.t.Fatal(err)
	}
}

// wait waits up to 10 s for centrald to exit and returns its exit code
// and all the terminal showed.
func (c *terminal) wait() (int, string) {
	c.t.Helper()
	var err error
	select {
	case err = <-c.exited:
	case <-time.After(10 * time.Second):
		c.t.Fatalf("centrald did not exit; the terminal showed:\n%s", c.shown())
	}
	c.echoAfter = c.echoes()
	c.tty.Close()
	select {
	case <-c.read:
	case <-time.After(5 * time.Second):
		c.master.Close()
		<-c.read
	}
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		c.t.Fatal(err)
	}
	return code, c.shown()
}

// TestAdminAddTerminal: on a terminal, centrald admin add asks for the
// password without showing it (the terminal's echo off while it is typed,
// the password nowhere on the screen), then asks for it again; the same
// twice makes the user, two different ones make none and say so; a
// password too short is refused before the second question; Ctrl-C at the
// question stops it and gives the terminal its echo back. (The password
// piped on stdin, read without a question: TestAdminAdd.)
func TestAdminAddTerminal(t *testing.T) {
	bin := bintest.Build(t, ".")
	data := t.TempDir()
	const password = "correct horse battery"

	t.Run("Same", func(t *testing.T) {
		c := startOnTerminal(t, bin, data, "admin", "add", "--email", "ana@example.org")
		c.waitFor("Password", 1)
		c.waitNoEcho()
		c.typ(password + "\r")
		c.waitFor("confirm", 1)
		c.waitNoEcho()
		c.typ(password + "\r")
		code, screen := c.wait()
		if code != 0 || strings.TrimSpace(c.stdout.String()) != "1" {
			t.Fatalf("exit %d, stdout %q, want 0 and the id 1; the terminal showed:\n%s", code, c.stdout.String(), screen)
		}
		if strings.Contains(screen, "correct") || strings.Contains(screen, "horse") {
			t.Errorf("the password is on the screen:\n%s", screen)
		}
		if strings.Contains(screen, "shown") {
			t.Errorf("the question still says the input is shown:\n%s", screen)
		}
		if !c.echoAfter {
			t.Errorf("the terminal's echo is still off after centrald")
		}
	})

	t.Run("Different", func(t *testing.T) {
		c := startOnTerminal(t, bin, data, "admin", "add", "--email", "bob@example.org")
		c.waitFor("Password", 1)
		c.waitNoEcho()
		c.typ(password + "\r")
		c.waitFor("confirm", 1)
		c.waitNoEcho()
		c.typ("correct horse batterie\r")
		code, screen := c.wait()
		if code != 1 || c.stdout.Len() != 0 {
			t.Errorf("exit %d, stdout %q, want 1 and nothing", code, c.stdout.String())
		}
		for _, want := range []string{"Les deux mots de passe sont différents", "The two passwords differ", "nothing was added"} {
			if !strings.Contains(screen, want) {
				t.Errorf("the terminal lacks %q:\n%s", want, screen)
			}
		}
		if strings.Contains(screen, "batter") {
			t.Errorf("a password is on the screen:\n%s", screen)
		}
	})

	t.Run("TooShort", func(t *testing.T) {
		c := startOnTerminal(t, bin, data, "admin", "add", "--email", "chloe@example.org")
		c.waitFor("Password", 1)
		c.waitNoEcho()
		c.typ("short\r")
		code, screen := c.wait()
		if code != 1 || !strings.Contains(screen, "A password needs 8 to") || strings.Contains(screen, "confirm") {
			t.Errorf("exit %d, want 1 and the length refused without a second question; the terminal showed:\n%s", code, screen)
		}
	})

	t.Run("CtrlC", func(t *testing.T) {
		c := startOnTerminal(t, bin, data, "admin", "add", "--email", "dan@example.org")
		c.waitFor("Password", 1)
		c.waitNoEcho()
		c.typ("corr\x03") // Ctrl-C in the middle
		code, screen := c.wait()
		if code == 0 {
			t.Errorf("exit 0 after Ctrl-C; the terminal showed:\n%s", screen)
		}
		if !c.echoAfter {
			t.Errorf("the terminal's echo is still off after Ctrl-C: what she types next is hidden")
		}
	})

	// Only Ana was added, with the password typed.
	db := newCLIAt(t, data).db()
	store := sqlstore.NewAdminService(db.DB)
	u, err := store.FindAdminUserByEmail(context.Background(), "ana@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := admin.VerifyPassword(u.PasswordHash, password); !ok {
		t.Errorf("ana: password not stored as typed")
	}
	for _, email := range []string{"bob@example.org", "chloe@example.org", "dan@example.org"} {
		if _, err := store.FindAdminUserByEmail(context.Background(), email); err == nil {
			t.Errorf("%s was added", email)
		}
	}
}

func newCLIAt(t *testing.T, dir string) *cli { return &cli{t: t, dir: dir} }
