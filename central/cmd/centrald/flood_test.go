package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/bintest"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// TestAnonymousFlood runs the attack of issue 10, item 1 against the real
// centrald: waves of 200 parallel anonymous requests (4 KiB gzip bombs and
// 8 MiB bodies on POST /api/v1/enroll, 8 MiB forms and wrong passwords on
// POST /login) for a few seconds, while a kiosk pushes and pulls. Before
// the fix centrald grew to 3.5 GiB; now its peak resident memory (VmHWM)
// stays under 200 MiB and the kiosk's syncs keep succeeding.
func TestAnonymousFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	bin := bintest.Build(t, ".")
	data := t.TempDir()
	run := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append(args, "--data", data)...)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("centrald %s: %v: %s", strings.Join(args, " "), err, errOut.String())
		}
		return strings.TrimSpace(out.String())
	}
	run("correct horse battery\n", "admin", "add", "--email", "a@example.org")
	enrollToken := run("", "kiosk", "add", "--name", "Porte")

	serve := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	stderr, err := serve.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		serve.Process.Kill()
		serve.Wait()
	}()
	lines := bufio.NewScanner(stderr)
	base := ""
	for base == "" && lines.Scan() {
		if m := regexp.MustCompile(`url=(http://\S+)`).FindStringSubmatch(lines.Text()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatal("serve did not say where it listens")
	}
	go func() {
		for lines.Scan() { // drain
		}
	}()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 300},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// The kiosk enrolls, then syncs through the attack.
	post := func(path, token string, v any, out any) (int, error) {
		body, _ := json.Marshal(v)
		req, _ := http.NewRequest("POST", base+path, bytes.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		if resp.StatusCode == 200 && out != nil {
			return 200, json.NewDecoder(resp.Body).Decode(out)
		}
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	var enrolled wire.EnrollResponse
	if status, err := post(wire.PathEnroll, "", wire.EnrollRequest{Protocol: wire.Version, Token: enrollToken, Software: "test"}, &enrolled); status != 200 {
		t.Fatalf("enroll: %d %v", status, err)
	}

	// The attack's bodies, shared by every request.
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zw.Write([]byte(`{"protocol":1,"token":"`))
	zw.Write(bytes.Repeat([]byte("a"), 4<<20))
	zw.Write([]byte(`"}`))
	zw.Close()
	big := bytes.Repeat([]byte("a"), 8<<20)
	bigForm := []byte("csrf=" + strings.Repeat("t", 43) + "&email=a%40example.org&password=" + string(big))
	loginCookie := strings.Repeat("t", 43) // the login's double-submit token: any value the attacker chooses

	attack := func(i int) (int, error) {
		var req *http.Request
		switch i % 4 {
		case 0: // a gzip bomb
			req, _ = http.NewRequest("POST", base+wire.PathEnroll, bytes.NewReader(bomb.Bytes()))
			req.Header.Set("Content-Encoding", "gzip")
		case 1: // a large body
			req, _ = http.NewRequest("POST", base+wire.PathEnroll, bytes.NewReader(big))
		case 2: // a large login form
			req, _ = http.NewRequest("POST", base+"/login", bytes.NewReader(bigForm))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Cookie", "badgeuse_login="+loginCookie)
		case 3: // a wrong password
			form := url.Values{"csrf": {loginCookie}, "email": {"a@example.org"}, "password": {"guess " + strconv.Itoa(i)}}
			req, _ = http.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Cookie", "badgeuse_login="+loginCookie)
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, err // the server stops reading a large body and closes: expected
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}

	var mu sync.Mutex
	statuses := map[int]int{}
	var attackers sync.WaitGroup
	deadline := time.Now().Add(4 * time.Second)
	for w := 0; w < 200; w++ {
		attackers.Go(func() {
			for i := w; time.Now().Before(deadline); i += 200 {
				status, _ := attack(i)
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}
		})
	}

	// The kiosk pushes one entry and pulls, again and again.
	syncs, failures := 0, 0
	var seq int64
	var slowest time.Duration
	for time.Now().Before(deadline) {
		began := time.Now()
		seq++
		e := wire.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: seq, Time: time.Now().UTC(),
			Badge: strings.Repeat("ab", 32), Decision: wire.DecisionRefuse, Reason: string(access.UnknownBadge)}
		var pr wire.PushResponse
		status, err := post(wire.PathPush, enrolled.KioskToken, wire.PushRequest{Protocol: wire.Version, SentAt: time.Now().UTC(),
			Software: "test", Entries: []wire.Entry{e}}, &pr)
		if status != 200 || pr.Ack != seq {
			t.Logf("push %d: status %d, ack %d, %v", seq, status, pr.Ack, err)
			failures++
			seq--
		}
		var pull wire.PullResponse
		if status, err := post(wire.PathPull, enrolled.KioskToken, wire.PullRequest{Protocol: wire.Version}, &pull); status != 200 {
			t.Logf("pull: status %d, %v", status, err)
			failures++
		} else {
			syncs++
		}
		slowest = max(slowest, time.Since(began))
		time.Sleep(100 * time.Millisecond)
	}
	attackers.Wait()
	hwm := peakRSS(t, serve.Process.Pid)
	t.Logf("attack answers %v; kiosk: %d syncs, %d failures, slowest %s; centrald peak RSS %d MiB",
		statuses, syncs, failures, slowest.Round(time.Millisecond), hwm>>20)
	if hwm > 200<<20 {
		t.Errorf("centrald's peak resident memory %d MiB, want under 200 MiB", hwm>>20)
	}
	// The machine running the tests may be busy: the number of syncs and
	// their time are logged, not asserted; that each one succeeds is.
	if syncs == 0 || failures > 0 {
		t.Errorf("kiosk during the attack: %d syncs, %d failures; want every sync to succeed", syncs, failures)
	}
	// 400: a large body that is not JSON is refused at its first bytes.
	if statuses[0]+statuses[http.StatusBadRequest]+statuses[http.StatusRequestEntityTooLarge]+statuses[http.StatusTooManyRequests]+
		statuses[http.StatusUnauthorized]+statuses[http.StatusServiceUnavailable] != sumValues(statuses) {
		t.Errorf("unexpected answers to the attack: %v", statuses)
	}
	if res, err := client.Get(base + "/healthz"); err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz after the attack: %v %v", res, err)
	}
}

// peakRSS reads a process's peak resident set size (VmHWM) in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^VmHWM:\s+(\d+) kB`).FindSubmatch(status)
	if m == nil {
		t.Fatalf("no VmHWM in /proc/%d/status", pid)
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb << 10
}

func sumValues(m map[int]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
