package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/slack/slacktest"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestSlackKill9 builds the real centrald, sets Slack up with "centrald
// settings set" (the scripts' contract), and kills "centrald serve" with
// SIGKILL at random moments while it posts arrivals to a fake Slack: often
// right after Slack has recorded a post and before it answers, the worst
// moment. After the restarts, every arrival is posted once, in order.
func TestSlackKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := bintest.Build(t, ".")
	data := t.TempDir()
	fake := slacktest.New()
	defer fake.Close()
	const channel = "C0000ARRIVALS"
	fake.AddChannel(channel, true)

	centrald := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("centrald %s: %v: %s", strings.Join(args, " "), err, errOut.String())
		}
		return out.String()
	}
	for _, kv := range [][2]string{
		{"slack.token", slacktest.Token},
		{"slack.webhook_url", fake.WebhookURL()},
		{"slack.channel", channel},
		{"slack.bureau_channel", "C0000BUREAU1"},
		{"slack.api_url", fake.URL}, // without the trailing slash slack-go needs
		{"slack.min_interval", "10ms"},
	} {
		centrald("settings", "set", "--data", data, kv[0], kv[1])
	}
	for key, want := range map[string]string{
		"slack.api_url": fake.URL + "/", "slack.channel": channel, "slack.token": slacktest.Token,
		"slack.webhook_url": fake.WebhookURL(), "slack.bureau_channel": "C0000BUREAU1",
	} {
		if got := strings.TrimSpace(centrald("settings", "get", "--data", data, key)); got != want {
			t.Errorf("settings get %s: %q, want %q", key, got, want)
		}
	}
	if list := centrald("settings", "list", "--data", data); strings.Contains(list, slacktest.Token) ||
		strings.Contains(list, "webhooksecret") {
		t.Errorf("settings list shows a secret:\n%s", list)
	}

	// Arrivals come in through the store, as the sync API stores them,
	// with the same hook as serve: the test pushes while centrald runs.
	db := sqlite.NewDB(data)
	db.Reactions = reactions() // as env.open
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := central.NewContextWithActor(context.Background(), central.ActorCLI)
	token, err := sqlstore.NewKioskService(db.DB).CreateKiosk(ctx, &central.Kiosk{Name: "porte"})
	if err != nil {
		t.Fatal(err)
	}
	k, _, err := sqlstore.NewKioskService(db.DB).Enroll(ctx, token, "test")
	if err != nil {
		t.Fatal(err)
	}
	const n = 45
	var members []int64
	for i := range n {
		m := &central.Member{Name: fmt.Sprintf("Membre %02d", i+1)}
		if err := sqlstore.NewMemberService(db.DB).CreateMember(ctx, m); err != nil {
			t.Fatal(err)
		}
		members = append(members, m.ID)
	}
	var seq int64
	push := func(from, to int) {
		now := time.Now()
		var es []*central.Entry
		for i := from; i < to; i++ {
			seq++
			es = append(es, &central.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: seq, Member: members[i],
				KioskTime: now.Add(time.Duration(i-n) * time.Second), Accept: true, Reason: access.OKSubscription})
		}
		if _, err := sqlstore.NewSyncService(db.DB).Push(ctx, &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: es}); err != nil {
			t.Fatal(err)
		}
	}

	// serve, killed with SIGKILL: on a timer, or from the fake when it has
	// recorded a post and not answered yet.
	var mu sync.Mutex
	var running *exec.Cmd
	kills := map[string]int{}
	kill := func(why string) {
		mu.Lock()
		defer mu.Unlock()
		if running != nil && running.Process.Signal(syscall.SIGKILL) == nil {
			kills[why]++
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var rngMu sync.Mutex
	chance := func(p float64) bool { rngMu.Lock(); defer rngMu.Unlock(); return rng.Float64() < p }
	fake.SetOnPost(func(slacktest.Message) {
		if chance(0.3) {
			kill("after post, before answer")
		}
	})
	// start runs serve; ready is closed once it says it listens (or has
	// ended), so that a process's life is counted from there and a slow
	// machine, where starting alone can take longer than a life, still
	// lets each run work.
	start := func() (cmd *exec.Cmd, ready <-chan struct{}) {
		cmd = exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
		cmd.Env = append(os.Environ(), "CENTRALD_DATA="+data)
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		up := make(chan struct{})
		go func() {
			lines := bufio.NewScanner(stderr)
			said := false
			for lines.Scan() {
				if !said && strings.Contains(lines.Text(), "centrald listening") {
					said = true
					close(up)
				}
			}
			if !said {
				close(up)
			}
		}()
		mu.Lock()
		running = cmd
		mu.Unlock()
		return cmd, up
	}
	posted := func() int { return len(fake.Messages(channel)) }
	pushed := 0
	deadline := time.Now().Add(3 * time.Minute)
	for restarts := 0; posted() < n || pushed < n; restarts++ {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d posted after %d restarts", posted(), n, restarts)
		}
		if pushed < n && restarts%3 == 0 {
			push(pushed, min(pushed+15, n))
			pushed = min(pushed+15, n)
		}
		cmd, ready := start()
		rngMu.Lock()
		life := time.Duration(50+rng.IntN(600)) * time.Millisecond
		rngMu.Unlock()
		if !chance(0.15) { // else killed while it starts, counted from its start
			<-ready
		}
		timer := time.AfterFunc(life, func() { kill("timer") })
		cmd.Wait()
		timer.Stop()
		mu.Lock()
		running = nil
		mu.Unlock()
	}
	fake.SetOnPost(nil)
	// A last, clean run: nothing more to post.
	cmd, ready := start()
	<-ready
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v", err)
	}

	msgs := fake.Messages(channel)
	seen := map[string]int{}
	for i, m := range msgs {
		seen[m.Key]++
		if want := fmt.Sprintf("☕ Membre %02d est arrivé·e (", i+1); !strings.HasPrefix(m.Text, want) {
			t.Errorf("post %d: %q, want %q...", i+1, m.Text, want)
		}
	}
	for key, c := range seen {
		if c != 1 {
			t.Errorf("%s posted %d times", key, c)
		}
	}
	if len(msgs) != n {
		t.Fatalf("%d posts, want %d", len(msgs), n)
	}
	if kills["after post, before answer"] == 0 || kills["timer"] == 0 {
		t.Fatalf("kills %v: want both kinds", kills)
	}
	t.Logf("%d arrivals posted once each, in order, across SIGKILLs %v; %d history checks", n, kills, fake.Calls("conversations.history"))
}
