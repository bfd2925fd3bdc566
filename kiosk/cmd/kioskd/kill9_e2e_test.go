package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/billing/pennylane/pennylanetest"
	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/slack/slacktest"
	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestTwoKioskdTwoCentraldKill9 (issue 13): the chaos test of
// central/cmd/centrald (TestTwoCentraldKill9OnPostgres) with two real
// kioskd instead of simulated kiosks. Two centrald serve one PostgreSQL
// database behind a small round-robin proxy; two kioskd read looping
// videos of eight members' badges at their frame rate and sync every
// 200 ms through the proxy, while "centrald sell" queues invoices. One of
// the two centrald, drawn at random, is killed with SIGKILL 20 times (on a
// timer, and sometimes right after the Slack fake recorded a post, before
// it answered) and restarted. Then, once the kiosks have pushed
// everything: every decision a kioskd printed is at central exactly once
// and central holds nothing else of it, every arrival is posted to Slack
// once, and every sale invoiced once, to the local fakes.
func TestTwoKioskdTwoCentraldKill9(t *testing.T) {
	c := newCentral(t)
	c.db = pgtest.DB(t)
	slack, pl := slacktest.New(), pennylanetest.NewServer(t)
	defer slack.Close()
	const channel = "C0000ARRIVALS"
	slack.AddChannel(channel, true)
	for k, v := range map[string]string{
		"slack.token": slacktest.Token, "slack.channel": channel, "slack.bureau_channel": "C0000BUREAU1",
		"slack.api_url": slack.URL, "slack.min_interval": "10ms",
		"pennylane.api_url": pl.APIURL(), "pennylane.token": pl.Token,
	} {
		c.run("settings", "set", k, v)
	}
	card := c.run("product", "add", "--name", "Carte 10 entrées", "--kind", "pack", "--entries", "10", "--price", "80")
	var members, badges []string
	sales := 0
	for i := 1; i <= 8; i++ {
		m := c.run("member", "add", "--name", fmt.Sprintf("Membre %02d", i), "--email", fmt.Sprintf("m%d@example.org", i))
		c.run("sell", "--member", m, "--product", card)
		sales++
		members = append(members, m)
		badges = append(badges, c.run("badge", "issue", "--member", m))
	}

	// The two centrald, each on an address of its own that a restart
	// keeps, behind the proxy.
	procs := bintest.StartProcs(t, 2, func(_ int, addr string) *exec.Cmd {
		cmd := exec.Command(c.bin, "serve", "--addr", addr)
		cmd.Env = append(c.env(), "CENTRALD_DATA=")
		return cmd
	})
	rr := &bintest.RoundRobin{Backends: procs.Addrs}
	proxy := httptest.NewServer(rr)
	defer proxy.Close()
	procs.WaitHealthy(30 * time.Second)

	// The two doors, enrolled through the proxy, each reading its own
	// order of the badges, in a loop, at the video's frame rate.
	bin, _, _ := binaries(t)
	var kiosks []*kioskProc
	var runs []*exec.Cmd
	var outs [2]bintest.Buffer
	var readers sync.WaitGroup
	for i, name := range []string{"Porte A", "Porte B"} {
		k := &kioskProc{t: t, bin: bin, data: filepath.Join(t.TempDir(), fmt.Sprint("k", i))}
		k.must("enroll", "--data", k.data, "--central", proxy.URL, "--token", c.run("kiosk", "add", "--name", name))
		order := append([]string{}, badges...)
		if i == 1 {
			for a, b := 0, len(order)-1; a < b; a, b = a+1, b-1 {
				order[a], order[b] = order[b], order[a]
			}
		}
		clip := video(t, order...)
		cmd := k.cmd("run", "--data", k.data, "--camera", clip, "--led", "console")
		cmd.Stderr = io.Discard
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Process.Kill() // on a Fatal; the end stops it gracefully first
		readers.Add(1)
		go func() {
			defer readers.Done()
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				outs[i].Write([]byte(sc.Text() + "\n"))
			}
		}()
		kiosks, runs = append(kiosks, k), append(runs, cmd)
	}

	// Sales, made by the command line while serve runs: each queues its
	// invoice.
	var stop atomic.Bool
	var seller sync.WaitGroup
	var sold atomic.Int64
	seller.Go(func() {
		for i := 0; !stop.Load(); i++ {
			cmd := exec.Command(c.bin, "sell", "--data", c.data, "--member", members[i%len(members)], "--product", card)
			cmd.Env = c.env()
			if cmd.Run() == nil {
				sold.Add(1)
			}
			time.Sleep(time.Second)
		}
	})

	// 20 kills: mostly on a timer, sometimes right after Slack recorded
	// a post and before it answered.
	killer := procs.Chaos(13, 9, 20)
	slack.SetOnPost(func(slacktest.Message) { killer.Maybe(0.3, "after a post") })
	began := time.Now()
	killer.Run(60 * time.Second)
	slack.SetOnPost(nil)
	chaos := time.Since(began)
	stop.Store(true)
	seller.Wait()
	procs.WaitRestarts()
	if t.Failed() {
		t.FailNow()
	}
	procs.WaitHealthy(30 * time.Second)
	kills, n := killer.Kills()
	if n < 20 {
		t.Errorf("%d kills in 60 s, want 20 (%v)", n, kills)
	}

	// The doors stop as systemd stops them; then they push what they
	// still hold.
	for _, cmd := range runs {
		cmd.Process.Signal(syscall.SIGTERM)
	}
	readers.Wait()
	for _, cmd := range runs {
		cmd.Wait()
	}
	var printed [2][]decision
	var lastSeq [2]int64
	for i, k := range kiosks {
		printed[i] = parseDecisions(t, outs[i].String())
		var st kioskStatus
		for range 20 {
			k.cmd("sync", "--data", k.data).Run()
			if st = k.status(); st.Pending == 0 {
				break
			}
		}
		if st.Pending != 0 {
			t.Fatalf("kiosk %d: %d entries still pending", i, st.Pending)
		}
		lastSeq[i] = st.LastSeq
	}

	// Every decision printed at central once, with nothing else of the
	// kiosk's: the (kiosk, seq) pairs without a gap up to its last.
	entries := c.entries()
	kioskOf := map[string]int64{}
	count := map[string]int{}
	came := map[int64]bool{}
	for _, e := range entries {
		kioskOf[e.ID] = e.Kiosk
		count[e.ID]++
		if e.Decision == "accept" {
			came[e.Member] = true
		}
	}
	accepted := 0
	for i := range kiosks {
		if len(printed[i]) == 0 {
			t.Fatalf("kiosk %d printed no decision in %v", i, chaos)
		}
		for _, d := range printed[i] {
			if count[d.ID] != 1 {
				t.Errorf("kiosk %d's decision %s (seq %d) at central %d times", i, d.ID, d.Seq, count[d.ID])
			}
			if d.Decision == "accept" {
				accepted++
			}
		}
		checkExactlyOnce(t, printed[i], entries, kioskOf[printed[i][0].ID], lastSeq[i])
	}
	for id, n := range count {
		if n != 1 {
			t.Errorf("entry %s at central %d times", id, n)
		}
	}
	if accepted < 20 { // about one a second at each door
		t.Fatalf("only %d accepted entries printed in %v: the run proves little", accepted, chaos)
	}

	// Every arrival posted once, every sale invoiced once, after the
	// surviving processes take back what the dead ones held.
	sales += int(sold.Load())
	deadline := time.Now().Add(60 * time.Second)
	for len(slack.Messages(channel)) < len(came) || len(pl.Invoices()) < sales {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d arrivals posted, %d of %d sales invoiced; logs:\n%.20000s", len(slack.Messages(channel)), len(came),
				len(pl.Invoices()), sales, procs.Output())
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
	if len(posts) != len(came) || len(came) != len(members) {
		t.Errorf("%d arrivals posted for %d members who came (of %d badged)", len(posts), len(came), len(members))
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
	if len(invoices) != sales {
		t.Errorf("%d invoices for %d sales", len(invoices), sales)
	}
	t.Logf("%v of chaos: %d and %d decisions printed (%d accepted), %d entries at central, %d arrivals, %d invoices; %d requests failed over; kills %v",
		chaos, len(printed[0]), len(printed[1]), accepted, len(entries), len(posts), len(invoices), rr.Failovers(), kills)
}
