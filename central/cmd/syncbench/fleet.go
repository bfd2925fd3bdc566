package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// serve closes the bench's own server and database, starts the real
// centrald on the database (two processes on PostgreSQL, one on SQLite,
// whose folder takes one), and measures the admin pages, the simulated
// kiosks and the memory.
func (b *bench) serve(ctx context.Context, c config, tokens []string, r *result) error {
	b.srv.Close()
	if err := b.s.closeServices(); err != nil {
		return err
	}
	const password = "correct horse battery staple"
	add := exec.Command(c.centrald, append([]string{"admin", "add", "--email", "bench@example.org"}, b.s.flags...)...)
	add.Stdin = strings.NewReader(password + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		return fmt.Errorf("centrald admin add: %v: %s", err, out)
	}
	r.servers = 1
	if b.s.postgres {
		r.servers = 2
	}
	var urls []string
	var pids []int
	var logs []*bytes.Buffer
	for range r.servers {
		u, pid, log, stop, err := startCentrald(c.centrald, b.s.flags)
		if err != nil {
			return err
		}
		defer stop()
		urls, pids, logs = append(urls, u), append(pids, pid), append(logs, log)
	}
	r.memory[0] = rss(pids[0])[0]
	pages, err := adminPages(urls[0], "bench@example.org", password, b.members[len(b.members)/2], c.pageRequests)
	if err != nil {
		return fmt.Errorf("%w; centrald's log:\n%s", err, logs[0].String())
	}
	r.pages = pages
	r.kiosks = b.kiosks(urls, tokens, c)
	cur := rss(pids[0])
	r.memory[1], r.memory[2] = cur[0], cur[1]
	return nil
}

// startCentrald starts `centrald serve` on the database of flags and
// waits until it answers.
func startCentrald(bin string, flags []string) (string, int, *bytes.Buffer, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", 0, nil, nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, flags...)...)
	cmd.Env = append(os.Environ(), "CENTRALD_DATA=")
	logs := &bytes.Buffer{} // read only after an error, or once stopped
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return "", 0, nil, nil, err
	}
	stop := func() { cmd.Process.Kill(); cmd.Wait() }
	onSignal(func() { cmd.Process.Kill() })
	u := "http://" + addr
	for range 200 {
		if resp, err := http.Get(u + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return u, cmd.Process.Pid, logs, stop, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return "", 0, nil, nil, fmt.Errorf("centrald did not start:\n%s", logs.String())
}

type pageRow struct {
	path     string
	n        int
	p50, p95 time.Duration
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// adminPages logs in to the admin at u and loads each heavy page n times
// (after one untimed load), returning p50 and p95.
func adminPages(u, email, password string, member int64, n int) ([]pageRow, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string, error) {
		resp, err := c.Get(u + path)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		return resp.StatusCode, body.String(), nil
	}
	_, page, err := get("/login")
	if err != nil {
		return nil, err
	}
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		return nil, fmt.Errorf("no anti-forgery token on the login page")
	}
	resp, err := c.PostForm(u+"/login", url.Values{"email": {email}, "password": {password}, "csrf": {m[1]}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("login: status %d", resp.StatusCode)
	}
	var out []pageRow
	for _, path := range []string{"/members", "/members?page=100", "/members?q=martin", "/today",
		"/members/" + strconv.FormatInt(member, 10), "/entries", "/stats"} {
		var ds []time.Duration
		for i := range n + 1 {
			t := time.Now()
			status, _, err := get(path)
			if err != nil {
				return nil, err
			}
			if status != http.StatusOK {
				return nil, fmt.Errorf("%s: status %d", path, status)
			}
			if i > 0 { // the first load warms the caches
				ds = append(ds, time.Since(t))
			}
		}
		slices.Sort(ds)
		out = append(out, pageRow{path: path, n: n, p50: ds[len(ds)/2], p95: ds[(len(ds)*95+99)/100-1]})
	}
	return out, nil
}

type kioskRow struct {
	kiosks, syncs, errors int
	entries               int
	push, pull, sync      [3]time.Duration // p50, p99, max
}

// kiosks runs the simulated kiosks for c.kioskRun: each, at its own
// offset, every c.kioskEvery pushes 1 to 3 new entries (members at
// random, accepted; with those not acknowledged yet) and pulls what
// changed since its cursor (starting from a full pull made just before:
// every kiosk is up to date when the run starts), as kioskd does. Kiosk
// i syncs through urls[i % len(urls)]. A sync that fails counts as an
// error and its entries go again with the next.
func (b *bench) kiosks(urls, tokens []string, c config) kioskRow {
	var mu sync.Mutex
	row := kioskRow{kiosks: len(tokens)}
	var push, pull, whole []time.Duration
	deadline := time.Now().Add(c.kioskRun)
	var wg sync.WaitGroup
	for i, token := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 13))
			u := urls[i%len(urls)]
			cursor, seq := b.cursor, int64(0)
			var pending []wire.Entry // pushed, not acknowledged yet: sent again, as kioskd does
			time.Sleep(time.Duration(rng.Int64N(int64(c.kioskEvery))))
			for next := time.Now(); time.Now().Before(deadline); next = next.Add(c.kioskEvery) {
				time.Sleep(time.Until(next))
				for range 1 + rng.IntN(3) {
					seq++
					id, _ := uuid.NewV7()
					pending = append(pending, wire.Entry{ID: id.String(), Seq: seq, Time: time.Now(),
						Member: b.members[rng.IntN(len(b.members))], Decision: wire.DecisionAccept, Reason: string(access.OKPack)})
				}
				t0 := time.Now()
				var resp wire.PushResponse
				_, err := post(u, token, wire.PathPush, wire.PushRequest{Protocol: wire.Version, SentAt: time.Now(), Entries: pending}, &resp)
				if err == nil && resp.Ack != seq {
					err = fmt.Errorf("ack %d after pushing up to %d", resp.Ack, seq)
				}
				t1 := time.Now()
				var r pullResult
				if err == nil {
					r, err = pullAll(u, token, cursor)
				}
				t2 := time.Now()
				mu.Lock()
				row.syncs++
				if err != nil {
					row.errors++
					if row.errors <= 3 {
						fmt.Fprintf(os.Stderr, "syncbench: kiosk %d: %v (sent again at its next sync)\n", i, err)
					}
				} else {
					cursor = r.cursor
					row.entries += len(pending)
					pending = nil
					push, pull, whole = append(push, t1.Sub(t0)), append(pull, t2.Sub(t1)), append(whole, t2.Sub(t0))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	row.push, row.pull, row.sync = quantiles(push), quantiles(pull), quantiles(whole)
	return row
}

// quantiles returns p50, p99 and the maximum of ds.
func quantiles(ds []time.Duration) [3]time.Duration {
	if len(ds) == 0 {
		return [3]time.Duration{}
	}
	slices.Sort(ds)
	return [3]time.Duration{ds[len(ds)/2], ds[(len(ds)*99+99)/100-1], ds[len(ds)-1]}
}

// rss returns VmRSS and VmHWM of a process, in KiB.
func rss(pid int) [2]float64 {
	var out [2]float64
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(status), "\n") {
		for i, key := range []string{"VmRSS:", "VmHWM:"} {
			if v, ok := strings.CutPrefix(line, key); ok {
				out[i], _ = strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			}
		}
	}
	return out
}
