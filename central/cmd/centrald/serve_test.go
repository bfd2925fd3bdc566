package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// post sends a protocol request and decodes the answer.
func post(t *testing.T, url, token string, req, resp any) int {
	t.Helper()
	data, _ := json.Marshal(req)
	r, _ := http.NewRequest("POST", url, bytes.NewReader(data))
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode == 200 && resp != nil {
		if err := json.Unmarshal(body, resp); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
	}
	return res.StatusCode
}

// TestServe runs the whole chain in-process: the CLI prepares the data,
// serve answers a kiosk's enrollment, push and pull, then stops on
// cancellation, telling systemd along the way; entries --json shows what
// the kiosk pushed.
func TestServe(t *testing.T) {
	c := newCLI(t)
	enroll := c.ok("kiosk", "add", "--name", "Porte")
	m := c.ok("member", "add", "--name", "Alice")
	c.ok("sell", "--member", m, "--product", c.ok("product", "add", "--name", "Carte", "--kind", "pack", "--entries", "10", "--price", "100"))
	text := c.ok("badge", "issue", "--member", m)

	// A fake systemd notification socket.
	sock := filepath.Join(t.TempDir(), "notify")
	ln, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	notes := make(chan string, 100)
	go func() {
		buf := make([]byte, 256)
		for {
			n, err := ln.Read(buf)
			if err != nil {
				return
			}
			notes <- string(buf[:n])
		}
	}()

	db := sqlite.NewDB(c.dir)
	db.Reactions = reactions() // as env.open
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs bytes.Buffer
	t.Setenv("NOTIFY_SOCKET", sock)
	t.Setenv("WATCHDOG_USEC", "100000") // a tick every 50 ms
	t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()))
	s := &server{DB: onSQLite(db), Addr: "127.0.0.1:0", Logger: slog.New(slog.NewTextHandler(&logs, nil)), Notify: true}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()

	var er wire.EnrollResponse
	if st := post(t, s.URL()+wire.PathEnroll, "", wire.EnrollRequest{Protocol: wire.Version, Token: enroll}, &er); st != 200 {
		t.Fatalf("enroll: %d", st)
	}
	h, _ := badge.HashText(text)
	now := time.Now()
	push := wire.PushRequest{Protocol: wire.Version, SentAt: now, Entries: []wire.Entry{
		{ID: uuid.Must(uuid.NewV7()).String(), Seq: 1, Time: now, Badge: h.String(), Member: 1, Decision: wire.DecisionAccept, Reason: string(access.OKPack), Consumed: 1},
		{ID: uuid.Must(uuid.NewV7()).String(), Seq: 2, Time: now, Decision: wire.DecisionRefuse, Reason: string(access.NotABadge)},
	}}
	var pr wire.PushResponse
	if st := post(t, s.URL()+wire.PathPush, er.KioskToken, push, &pr); st != 200 || pr.Ack != 2 {
		t.Fatalf("push: %d ack %d", st, pr.Ack)
	}
	var pl wire.PullResponse
	if st := post(t, s.URL()+wire.PathPull, er.KioskToken, wire.PullRequest{Protocol: wire.Version}, &pl); st != 200 {
		t.Fatalf("pull: %d", st)
	}
	if len(pl.Members) != 1 || pl.Members[0].Entitlements[0].Entries != 9 || pl.Acked != 2 || pl.Members[0].Badges[0].Hash != h.String() {
		t.Fatalf("pull: %+v", pl)
	}
	res, err := http.Get(s.URL() + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	time.Sleep(150 * time.Millisecond) // a watchdog tick
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	// Serve has returned, but the reader may not have read the last
	// datagram yet: wait for STOPPING (or give up after a while).
	var got []string
	for wait := time.After(5 * time.Second); len(got) == 0 || got[len(got)-1] != "STOPPING=1"; {
		select {
		case n := <-notes:
			got = append(got, n)
			continue
		case <-wait:
		}
		break
	}
	if len(got) < 3 || got[0] != "READY=1" || !slices.Contains(got, "WATCHDOG=1") || got[len(got)-1] != "STOPPING=1" {
		t.Fatalf("notifications %q", got)
	}
	if strings.Contains(logs.String(), er.KioskToken) || strings.Contains(logs.String(), h.String()) {
		t.Fatal("a token or badge hash in the logs")
	}

	// entries --json: one line per entry, exactly the contract's fields.
	out := c.ok("entries", "--json")
	lines := strings.Split(out, "\n")
	if len(lines) != 2 {
		t.Fatalf("entries:\n%s", out)
	}
	var e1 map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &e1); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range e1 {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if strings.Join(keys, ",") != "consumed,decision,id,kiosk,member,reason,seq,time" {
		t.Fatalf("fields %v", keys)
	}
	if e1["id"] != push.Entries[0].ID || e1["kiosk"] != float64(er.KioskID) || e1["seq"] != 1.0 || e1["member"] != 1.0 ||
		e1["decision"] != "accept" || e1["reason"] != "pack" || e1["consumed"] != 1.0 {
		t.Fatalf("entry %v", e1)
	}
	if tm, err := time.Parse(time.RFC3339, e1["time"].(string)); err != nil || tm.Sub(now).Abs() > time.Second {
		t.Fatalf("time %v (%v)", e1["time"], err)
	}
	var e2 struct {
		Member   int64  `json:"member"`
		Decision string `json:"decision"`
		Consumed int    `json:"consumed"`
	}
	json.Unmarshal([]byte(lines[1]), &e2)
	if e2.Member != 0 || e2.Decision != "refuse" || e2.Consumed != 0 {
		t.Fatalf("refused entry %+v", e2)
	}
	if out := c.ok("entries", "--json", "--member", "1"); strings.Count(out, "\n") != 0 || out == "" {
		t.Fatalf("--member 1:\n%s", out)
	}
}
