package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central/billing/pennylane/pennylanetest"
	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/slack/slacktest"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/bintest"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// TestTwoCentraldKill9OnPostgres: two real centrald serve one PostgreSQL
// database behind a round-robin proxy; two simulated kiosks push entries
// through it with the sync API as kioskd does (a batch is sent again,
// same ids and sequence numbers, until acknowledged), while sales made
// with "centrald sell" queue their Pennylane invoices and arrivals their
// Slack posts. One of the two centrald, drawn at random, is killed with
// SIGKILL 20 times at random moments (some right after the fake Slack
// recorded a post, before it answered) and restarted. Then every entry a
// kiosk had acknowledged is at central exactly once, and every arrival is
// posted once and every sale invoiced once, to the local fakes.
func TestTwoCentraldKill9OnPostgres(t *testing.T) {
	bin := buildCentrald(t)
	url := pgtest.DB(t)
	c := &pgCLI{t: t, url: url}
	slack, pl := slacktest.New(), pennylanetest.NewServer(t)
	defer slack.Close()
	const channel = "C0000ARRIVALS"
	slack.AddChannel(channel, true)
	for k, v := range map[string]string{
		"slack.token": slacktest.Token, "slack.channel": channel, "slack.bureau_channel": "C0000BUREAU1",
		"slack.api_url": slack.URL, "slack.min_interval": "10ms",
		"pennylane.api_url": pl.APIURL(), "pennylane.token": pl.Token,
	} {
		c.ok("settings", "set", k, v)
	}
	const nMembers = 40
	for i := 1; i <= nMembers; i++ {
		c.ok("member", "add", "--name", fmt.Sprintf("Membre %02d", i), "--email", fmt.Sprintf("m%d@example.org", i))
	}
	card := c.ok("product", "add", "--name", "Carte 10 entrées", "--kind", "pack", "--entries", "10", "--price", "80")
	enroll := []string{c.ok("kiosk", "add", "--name", "Porte A"), c.ok("kiosk", "add", "--name", "Porte B")}

	// The two centrald, each on an address of its own that a restart
	// keeps, behind the proxy.
	procs := bintest.StartProcs(t, 2, func(_ int, addr string) *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--addr", addr, "--db", url)
		cmd.Env = append(os.Environ(), "CENTRALD_DATA=")
		return cmd
	})
	proxy := httptest.NewServer(&bintest.RoundRobin{Backends: procs.Addrs})
	defer proxy.Close()
	procs.WaitHealthy(20 * time.Second)

	// The kiosks: enrolled through the proxy, then pushing and pulling.
	var stop atomic.Bool
	var acked sync.Map // entry id -> true, once a kiosk holds its ack
	var kiosks sync.WaitGroup
	var pushes, retries atomic.Int64
	for k, token := range enroll {
		var er wire.EnrollResponse
		if err := kioskPost(proxy.URL, "", wire.PathEnroll, wire.EnrollRequest{Protocol: wire.Version, Token: token}, &er); err != nil {
			t.Fatalf("enroll kiosk %d: %v", k, err)
		}
		kiosks.Add(1)
		go func() {
			defer kiosks.Done()
			rng := rand.New(rand.NewPCG(uint64(k), 7))
			seq, cursor := int64(0), int64(0)
			for !stop.Load() {
				var batch []wire.Entry
				for range 1 + rng.IntN(4) {
					seq++
					batch = append(batch, wire.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: seq, Time: time.Now(),
						Member: int64(1 + rng.IntN(nMembers)), Decision: wire.DecisionAccept, Reason: string(access.OKPack)})
				}
				// Sent again, the same, until acknowledged: central dedupes.
				for {
					var resp wire.PushResponse
					err := kioskPost(proxy.URL, er.KioskToken, wire.PathPush, wire.PushRequest{Protocol: wire.Version, SentAt: time.Now(), Entries: batch}, &resp)
					pushes.Add(1)
					if err == nil && resp.Ack == seq {
						break
					}
					retries.Add(1)
					time.Sleep(50 * time.Millisecond)
				}
				for _, e := range batch {
					acked.Store(e.ID, true)
				}
				var pr wire.PullResponse
				if kioskPost(proxy.URL, er.KioskToken, wire.PathPull, wire.PullRequest{Protocol: wire.Version, Cursor: cursor}, &pr) == nil && !pr.More {
					cursor = pr.Cursor
				}
				time.Sleep(time.Duration(50+rng.IntN(100)) * time.Millisecond)
			}
		}()
	}
	// Sales, made by the command line while serve runs: each queues its
	// invoice.
	var mu sync.Mutex // the sales
	var sales []string
	var seller sync.WaitGroup
	seller.Add(1)
	go func() {
		defer seller.Done()
		for i := 0; !stop.Load(); i++ {
			out, _, err := c.run("", "sell", "--member", strconv.Itoa(1+i%nMembers), "--product", card)
			if err == nil {
				mu.Lock()
				sales = append(sales, strings.TrimSpace(out))
				mu.Unlock()
			}
			time.Sleep(400 * time.Millisecond)
		}
	}()

	// 20 kills: mostly on a timer, sometimes right after Slack recorded
	// a post and before it answered.
	killer := procs.Chaos(3, 4, 20)
	slack.SetOnPost(func(slacktest.Message) { killer.Maybe(0.15, "after a post") })
	killer.Run(60 * time.Second)
	slack.SetOnPost(nil)
	stop.Store(true)
	kiosks.Wait()
	seller.Wait()
	procs.WaitRestarts() // the last restarts
	if t.Failed() {
		t.FailNow()
	}
	procs.WaitHealthy(20 * time.Second)
	kills, n := killer.Kills()
	if n < 20 {
		t.Errorf("%d kills in 60 s, want 20 (%v)", n, kills)
	}

	// Every acknowledged entry at central once.
	var want []string
	acked.Range(func(k, _ any) bool { want = append(want, k.(string)); return true })
	got := map[string]int{}
	members := map[int64]bool{}
	for _, line := range strings.Split(c.ok("entries", "--json"), "\n") {
		var e entryJSON
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("entries --json: %q: %v", line, err)
		}
		got[e.ID]++
		members[e.Member] = true
	}
	for _, id := range want {
		if got[id] != 1 {
			t.Errorf("acknowledged entry %s at central %d times", id, got[id])
		}
	}
	for id, n := range got {
		if n != 1 {
			t.Errorf("entry %s at central %d times", id, n)
		}
	}
	if len(want) < 50 || len(sales) < 10 {
		t.Fatalf("only %d entries acknowledged and %d sales made: the run proves little", len(want), len(sales))
	}

	// Every arrival posted once, every sale invoiced once, after the
	// surviving processes take back what the dead ones held.
	deadline := time.Now().Add(90 * time.Second)
	for len(slack.Messages(channel)) < len(members) || len(pl.Invoices()) < len(sales) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d arrivals posted, %d of %d sales invoiced; logs:\n%.20000s", len(slack.Messages(channel)), len(members),
				len(pl.Invoices()), len(sales), procs.Output())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second) // nothing more should come
	posts := map[string]int{}
	for _, m := range slack.Messages(channel) {
		posts[m.Key]++
	}
	for key, n := range posts {
		if n != 1 {
			t.Errorf("arrival %s posted %d times", key, n)
		}
	}
	if len(posts) != len(members) {
		t.Errorf("%d arrivals posted for %d members who came", len(posts), len(members))
	}
	invoices := map[string]int{}
	for _, inv := range pl.Invoices() {
		invoices[fmt.Sprint(inv["external_reference"])]++
	}
	for ref, n := range invoices {
		if n != 1 {
			t.Errorf("invoice %s made %d times", ref, n)
		}
	}
	if len(invoices) != len(sales) {
		t.Errorf("%d invoices for %d sales", len(invoices), len(sales))
	}
	t.Logf("%d entries acknowledged (%d pushes, %d sent again), %d arrivals, %d invoices; kills %v", len(want), pushes.Load(),
		retries.Load(), len(posts), len(invoices), kills)
}

// kioskPost sends a sync API request as JSON, as a kiosk does.
func kioskPost(base, token, path string, req, resp any) error {
	body, _ := json.Marshal(req)
	hreq, _ := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(body))
	hreq.Header.Set("Content-Type", "application/json")
	if token != "" {
		hreq.Header.Set("Authorization", "Bearer "+token)
	}
	hresp, err := (&http.Client{Timeout: 10 * time.Second}).Do(hreq)
	if err != nil {
		return err
	}
	defer hresp.Body.Close()
	data, err := io.ReadAll(hresp.Body)
	if err != nil {
		return err
	}
	if hresp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d: %s", path, hresp.StatusCode, data)
	}
	return json.Unmarshal(data, resp)
}
