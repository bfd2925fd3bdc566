package main

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestTerminalShowsPersonsLines: on a terminal, kioskd run shows the
// person's line (the console LED's, times in the space's zone as central
// set it, not the machine's) and no JSON; with --json, or when stdout is
// not a terminal, the exact JSON lines stay.
func TestTerminalShowsPersonsLines(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	c.run("settings", "set", "space.timezone", "Asia/Tokyo") // UTC+9 all year; the machine runs in UTC
	c.start()
	k := newKiosk(t, c, "Entrée")
	k.sync()
	clip := video(t, a.aliceB, a.brunoB)

	run := func(extra ...string) (terminal, stderr string) {
		t.Helper()
		master, tty := bintest.OpenPTY(t)
		cmd := k.cmd(append([]string{"run", "--data", k.data, "--camera", clip, "--exit-at-eof", "--fast", "--led", "console"}, extra...)...)
		cmd.Env = append(cmd.Env, "TZ=UTC")
		var errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = tty, &errOut
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		read := make(chan string)
		go func() {
			b, _ := io.ReadAll(master) // ends with an error once the terminal is closed
			read <- string(b)
		}()
		if err := cmd.Wait(); err != nil {
			t.Fatalf("kioskd run: %v\n%s", err, errOut.String())
		}
		tty.Close()
		select {
		case out := <-read:
			return out, errOut.String()
		case <-time.After(10 * time.Second):
			master.Close()
			return <-read, errOut.String()
		}
	}

	terminal, stderr := run()
	if strings.Contains(terminal, "{") {
		t.Errorf("JSON on a terminal:\n%s", terminal)
	}
	lines := regexp.MustCompile(`(?m)^(\d\d):(\d\d):\d\d \S+ (VERT|ROUGE) +(.*)$`).FindAllStringSubmatch(stderr, -1)
	if len(lines) != 2 || !strings.Contains(lines[0][4], "une entrée décomptée") || !strings.Contains(lines[1][4], "abonnement en cours") {
		t.Fatalf("person's lines:\n%s", stderr)
	}
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	if now := time.Now().In(tokyo); lines[0][1] != now.Format("15") && lines[0][1] != now.Add(-time.Minute).Format("15") {
		t.Errorf("line at %s:%s, want Tokyo's hour %s (the space's zone)", lines[0][1], lines[0][2], now.Format("15:04"))
	}

	terminal, _ = run("--json") // both came in today already

	if ds := parseDecisions(t, strings.ReplaceAll(terminal, "\r\n", "\n")); len(ds) != 2 || ds[0].Reason != "already_today" || ds[1].Reason != "already_today" {
		t.Fatalf("--json on a terminal printed:\n%s", terminal)
	}
}
