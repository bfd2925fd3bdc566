package main

// End-to-end tests with the real binaries: centrald serving, kioskd
// reading rendered videos of badges, and faults (kill -9 of either, central
// down, a lossy proxy, kiosks offline). They check what the issue promises:
// every entry printed as accepted reaches central, once; balances follow the
// rules; two offline kiosks never consume twice on one day.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/shared/bintest"
)

// binaries returns the real kioskd, centrald and badgevideo, built once
// for all the end-to-end tests (shared/bintest).
func binaries(t *testing.T) (kioskd, centrald, clip string) {
	t.Helper()
	return bintest.Build(t, "."),
		bintest.Build(t, "github.com/badgeuse/badgeuse/central/cmd/centrald"),
		bintest.Build(t, "github.com/badgeuse/badgeuse/kiosk/cmd/badgevideo")
}

func TestMain(m *testing.M) { bintest.Main(m, pgtest.Stop) }

// central is a centrald data folder, and its server when started.
type central struct {
	t    *testing.T
	bin  string
	data string
	addr string
	cmd  *exec.Cmd
	log  *bytes.Buffer
	// db is the PostgreSQL database central runs on
	// (CENTRALD_DATABASE_URL; its files stay in data); "" for SQLite in
	// data.
	db string
}

// env is the environment of every centrald command and server.
func (c *central) env() []string {
	if c.db == "" {
		return nil // the test's own
	}
	return append(os.Environ(), "CENTRALD_DATABASE_URL="+c.db)
}

func newCentral(t *testing.T) *central {
	_, bin, _ := binaries(t)
	return &central{t: t, bin: bin, data: filepath.Join(t.TempDir(), "central"), addr: freeAddr(t)}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func (c *central) URL() string { return "http://" + c.addr }

// run runs a centrald command and returns its stdout, trimmed.
func (c *central) run(args ...string) string {
	c.t.Helper()
	// --data goes right after the command's words ("member add").
	i := 0
	for i < len(args) && !strings.HasPrefix(args[i], "-") {
		i++
	}
	full := append(append(append([]string{}, args[:i]...), "--data", c.data), args[i:]...)
	cmd := exec.Command(c.bin, full...)
	cmd.Env = c.env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		c.t.Fatalf("centrald %v: %v\n%s", full, err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

func (c *central) start() {
	c.t.Helper()
	c.log = &bytes.Buffer{}
	c.cmd = exec.Command(c.bin, "serve", "--data", c.data, "--addr", c.addr)
	c.cmd.Env = c.env()
	c.cmd.Stdout, c.cmd.Stderr = c.log, c.log
	if err := c.cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(c.kill)
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(c.URL() + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("centrald did not start: %v\n%s", err, c.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill stops the server with SIGKILL (no graceful anything).
func (c *central) kill() {
	if c.cmd != nil && c.cmd.Process != nil {
		c.cmd.Process.Kill()
		c.cmd.Wait()
		c.cmd = nil
	}
}

// centralEntry is a line of `centrald entries --json`.
type centralEntry struct {
	ID       string `json:"id"`
	Kiosk    int64  `json:"kiosk"`
	Seq      int64  `json:"seq"`
	Member   int64  `json:"member"`
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
	Consumed int    `json:"consumed"`
}

func (c *central) entries() []centralEntry {
	c.t.Helper()
	var out []centralEntry
	for _, line := range strings.Split(c.run("entries", "--json"), "\n") {
		if line == "" {
			continue
		}
		var e centralEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			c.t.Fatalf("entries --json line %q: %v", line, err)
		}
		out = append(out, e)
	}
	return out
}

type balance struct {
	Member            int64  `json:"member"`
	EntriesLeft       int    `json:"entries_left"`
	SubscriptionUntil string `json:"subscription_until"`
	Overdraft         int    `json:"overdraft"`
}

func (c *central) balance(member string) balance {
	c.t.Helper()
	var b balance
	if err := json.Unmarshal([]byte(c.run("balance", "--member", member, "--json")), &b); err != nil {
		c.t.Fatal(err)
	}
	return b
}

// kioskProc is a kioskd data folder.
type kioskProc struct {
	t    *testing.T
	bin  string
	data string
}

// newKiosk enrolls a kiosk named name, made by centrald kiosk add with
// the flags more (--space, in a network of several spaces).
func newKiosk(t *testing.T, c *central, name string, more ...string) *kioskProc {
	bin, _, _ := binaries(t)
	k := &kioskProc{t: t, bin: bin, data: filepath.Join(t.TempDir(), name)}
	token := c.run(append([]string{"kiosk", "add", "--name", name}, more...)...)
	k.must("enroll", "--data", k.data, "--central", c.URL(), "--token", token)
	return k
}

func (k *kioskProc) cmd(args ...string) *exec.Cmd {
	cmd := exec.Command(k.bin, args...)
	cmd.Env = append(os.Environ(), "KIOSKD_SYNC_INTERVAL=200ms")
	return cmd
}

func (k *kioskProc) must(args ...string) string {
	k.t.Helper()
	var stderr bytes.Buffer
	cmd := k.cmd(args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		k.t.Fatalf("kioskd %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

// decision is a line printed by kioskd run.
type decision struct {
	Time      string  `json:"time"`
	Seq       int64   `json:"seq"`
	ID        string  `json:"id"`
	Decision  string  `json:"decision"`
	Reason    string  `json:"reason"`
	Member    string  `json:"member"`
	Consumed  int     `json:"consumed"`
	LatencyMS float64 `json:"latency_ms"`
}

func parseDecisions(t *testing.T, out string) []decision {
	t.Helper()
	var ds []decision
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasSuffix(line, "}") { // a line cut by kill -9 was never printed whole
			continue
		}
		var d decision
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatalf("kioskd run printed %q: %v", line, err)
		}
		ds = append(ds, d)
	}
	return ds
}

// run runs the door on a video to its end.
func (k *kioskProc) run(video string, extra ...string) []decision {
	k.t.Helper()
	args := append([]string{"run", "--data", k.data, "--camera", video, "--exit-at-eof", "--fast", "--led", "console"}, extra...)
	return parseDecisions(k.t, k.must(args...))
}

func (k *kioskProc) sync() {
	k.t.Helper()
	k.must("sync", "--data", k.data)
}

type kioskStatus struct {
	Pending int   `json:"pending"`
	LastSeq int64 `json:"last_seq"`
}

func (k *kioskProc) status() kioskStatus {
	k.t.Helper()
	var s kioskStatus
	if err := json.Unmarshal([]byte(k.must("status", "--data", k.data)), &s); err != nil {
		k.t.Fatal(err)
	}
	return s
}

// video renders a clip of badge texts, each held up then taken away.
func video(t *testing.T, texts ...string) string {
	t.Helper()
	_, _, clip := binaries(t)
	path := filepath.Join(t.TempDir(), "clip.avi")
	args := append([]string{"-o", path, "-fps", "10", "-seconds-per-badge", "0.6", "-gap", "0.4"}, texts...)
	if out, err := exec.Command(clip, args...).CombinedOutput(); err != nil {
		t.Fatalf("badgevideo: %v\n%s", err, out)
	}
	return path
}

// association sets up products and members at central: Alice with a
// 10-entry card, Bruno with a subscription, Chloé with a day pass (a pack of
// 1), Denis whose first badge is revoked, Emma suspended.
type association struct {
	alice, bruno, chloe, denis          string // member ids
	aliceB, brunoB, chloeB, denisB, old string // badge texts
	emmaB                               string
}

func setUp(c *central) association {
	var a association
	card := c.run("product", "add", "--name", "Carte 10 entrées", "--kind", "pack", "--entries", "10", "--days", "365", "--price", "80")
	month := c.run("product", "add", "--name", "Abonnement mois", "--kind", "subscription", "--days", "30", "--price", "120")
	day := c.run("product", "add", "--name", "Journée", "--kind", "pack", "--entries", "1", "--days", "30", "--price", "10")
	add := func(name, email string) string {
		return c.run("member", "add", "--name", name, "--email", email)
	}
	a.alice, a.bruno, a.chloe, a.denis = add("Alice Martin", "alice@example.org"), add("Bruno Petit", "bruno@example.org"),
		add("Chloé Durand", "chloe@example.org"), add("Denis Roux", "denis@example.org")
	emma := add("Emma Blanc", "emma@example.org")
	c.run("sell", "--member", a.alice, "--product", card)
	c.run("sell", "--member", a.bruno, "--product", month)
	c.run("sell", "--member", a.chloe, "--product", day)
	c.run("sell", "--member", a.denis, "--product", card)
	c.run("sell", "--member", emma, "--product", card)
	a.aliceB = c.run("badge", "issue", "--member", a.alice)
	a.brunoB = c.run("badge", "issue", "--member", a.bruno)
	a.chloeB = c.run("badge", "issue", "--member", a.chloe)
	a.old = c.run("badge", "issue", "--member", a.denis)
	a.denisB = c.run("badge", "issue", "--member", a.denis) // replaces (revokes) the first
	a.emmaB = c.run("badge", "issue", "--member", emma)
	c.run("member", "suspend", "--member", emma)
	return a
}

func TestEndToEnd(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	c.start()
	k := newKiosk(t, c, "Entrée")
	clip := video(t, a.aliceB, a.brunoB, a.chloeB, a.old, a.denisB, a.emmaB, "BG1:000000000000000000000000",
		"https://example.org/not-a-badge", a.aliceB, a.chloeB)
	got := k.run(clip)
	want := []struct{ decision, reason, member string }{
		{"accept", "pack", a.alice}, {"accept", "subscription", a.bruno}, {"accept", "pack", a.chloe},
		{"refuse", "revoked_badge", a.denis}, {"accept", "pack", a.denis}, {"refuse", "member_suspended", ""},
		{"refuse", "unknown_badge", ""}, {"refuse", "not_a_badge", ""},
		{"accept", "already_today", a.alice}, {"accept", "already_today", a.chloe},
	}
	if len(got) != len(want) {
		t.Fatalf("kioskd printed %d decisions, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Decision != w.decision || g.Reason != w.reason || (w.member != "" && g.Member != w.member) {
			t.Errorf("decision %d = %s %s member %q, want %s %s member %q", i, g.Decision, g.Reason, g.Member, w.decision, w.reason, w.member)
		}
		if g.Seq != int64(i+1) || g.LatencyMS <= 0 {
			t.Errorf("decision %d: seq %d latency %v", i, g.Seq, g.LatencyMS)
		}
	}
	k.sync()
	entries := c.entries()
	if len(entries) != len(want) {
		t.Fatalf("central holds %d entries, want %d", len(entries), len(want))
	}
	consumed := 0
	for _, e := range entries {
		consumed += e.Consumed
	}
	if consumed != 3 {
		t.Errorf("central counts %d consumptions, want 3 (Alice, Chloé, Denis once each)", consumed)
	}
	for _, tc := range []struct {
		member string
		left   int
	}{{a.alice, 9}, {a.chloe, 0}, {a.denis, 9}} {
		if b := c.balance(tc.member); b.EntriesLeft != tc.left || b.Overdraft != 0 {
			t.Errorf("member %s balance %+v, want %d left", tc.member, b, tc.left)
		}
	}
	if b := c.balance(a.bruno); b.SubscriptionUntil == "" {
		t.Errorf("Bruno's subscription missing: %+v", b)
	}
	// A revocation reaches the door at the next sync.
	c.run("badge", "revoke", "--badge", a.aliceB)
	k.sync()
	if got := k.run(video(t, a.aliceB)); len(got) != 1 || got[0].Reason != "revoked_badge" {
		t.Fatalf("after revocation: %+v", got)
	}
}

// checkExactlyOnce: every decision a kiosk printed is at central with the
// same decision, and central holds each (kiosk, seq) once, with no gap.
func checkExactlyOnce(t *testing.T, printed []decision, entries []centralEntry, kioskID int64, lastSeq int64) {
	t.Helper()
	bySeq := map[int64]centralEntry{}
	for _, e := range entries {
		if e.Kiosk != kioskID {
			continue
		}
		if _, dup := bySeq[e.Seq]; dup {
			t.Fatalf("central holds kiosk %d seq %d twice", kioskID, e.Seq)
		}
		bySeq[e.Seq] = e
	}
	if int64(len(bySeq)) != lastSeq {
		t.Fatalf("central holds %d entries of kiosk %d, the kiosk recorded %d", len(bySeq), kioskID, lastSeq)
	}
	for _, d := range printed {
		e, ok := bySeq[d.Seq]
		if !ok || e.Decision != d.Decision || e.Reason != d.Reason {
			t.Fatalf("printed %+v, central has %+v (found %v)", d, e, ok)
		}
	}
}

// TestKillKioskDuringScans: kioskd killed with SIGKILL at random moments
// while scanning and syncing, many times; every entry it printed is at
// central after a restart and a sync, none twice.
func TestKillKioskDuringScans(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	c.start()
	k := newKiosk(t, c, "Entrée")
	var texts []string
	for range 3 {
		texts = append(texts, a.aliceB, a.brunoB, a.chloeB, a.denisB, "BG1:000000000000000000000000")
	}
	clip := video(t, texts...)
	rnd := rand.New(rand.NewPCG(7, 11))
	var printed []decision
	for i := range 12 {
		cmd := k.cmd("run", "--data", k.data, "--camera", clip, "--fast", "--led", "console", "--debounce", "300ms")
		var errOut bytes.Buffer
		cmd.Stderr = &errOut
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill at a random moment once the door is deciding: a loaded
		// machine may take a while to start it.
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		var out strings.Builder
		var kill <-chan time.Time
		started := time.After(60 * time.Second)
	read:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break read
				}
				out.WriteString(line + "\n")
				if kill == nil {
					kill = time.After(time.Duration(rnd.IntN(600)) * time.Millisecond)
				}
			case <-kill:
				cmd.Process.Signal(syscall.SIGKILL)
				kill = nil
			case <-started:
				if kill == nil && out.Len() == 0 {
					cmd.Process.Signal(syscall.SIGKILL)
					t.Fatalf("run %d: no decision in a minute\n%s", i, errOut.String())
				}
			}
		}
		cmd.Wait()
		ds := parseDecisions(t, out.String())
		t.Logf("run %d: %d decisions before kill -9", i, len(ds))
		printed = append(printed, ds...)
	}
	if len(printed) < 12 {
		t.Fatalf("only %d decisions in 12 runs: the test did not exercise much", len(printed))
	}
	k.sync()
	st := k.status()
	if st.Pending != 0 {
		t.Fatalf("%d entries pending after sync", st.Pending)
	}
	checkExactlyOnce(t, printed, c.entries(), 1, st.LastSeq)
	// Alice came many times today: one consumption.
	if b := c.balance(a.alice); b.EntriesLeft != 9 {
		t.Fatalf("Alice: %+v, want 9 left", b)
	}
}

// TestCentralDownThenKilledMidSync: scans while central is down, then
// central killed with SIGKILL at random moments while kiosks push; after
// restarts every entry is there once.
func TestCentralDownThenKilledMidSync(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	c.start()
	k := newKiosk(t, c, "Entrée")
	c.kill()
	clip := video(t, a.aliceB, a.brunoB, a.chloeB, a.denisB)
	var printed []decision
	for range 5 { // central down: the door keeps working
		printed = append(printed, k.run(clip)...)
	}
	if st := k.status(); st.Pending != len(printed) || len(printed) != 20 {
		t.Fatalf("%d printed, %d pending; want 20 and 20", len(printed), st.Pending)
	}
	rnd := rand.New(rand.NewPCG(1, 3))
	for i := range 8 {
		c.start()
		sync := k.cmd("sync", "--data", k.data)
		sync.Start()
		time.Sleep(time.Duration(rnd.IntN(60)) * time.Millisecond)
		c.kill()
		sync.Wait()
		printed = append(printed, k.run(clip, "--sync=false")...)
		t.Logf("round %d: central killed mid-sync", i)
	}
	c.start()
	k.sync()
	st := k.status()
	checkExactlyOnce(t, printed, c.entries(), 1, st.LastSeq)
}

// lossyProxy forwards to central but drops requests, drops answers after
// central did the work, delays, and sends some requests twice.
type lossyProxy struct {
	mu      sync.Mutex
	rnd     *rand.Rand
	target  *url.URL
	dropped int
	doubled int
}

func (p *lossyProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	roll := p.rnd.IntN(10)
	delay := time.Duration(p.rnd.IntN(30)) * time.Millisecond
	p.mu.Unlock()
	time.Sleep(delay)
	body, _ := io.ReadAll(r.Body)
	forward := func() (*http.Response, error) {
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, p.target.String()+r.URL.Path, bytes.NewReader(body))
		req.Header = r.Header.Clone()
		return http.DefaultTransport.RoundTrip(req)
	}
	switch roll {
	case 0: // lost on the way
		p.count(&p.dropped)
		http.Error(w, "dropped", http.StatusBadGateway)
		return
	case 1: // done at central, answer lost
		if resp, err := forward(); err == nil {
			resp.Body.Close()
		}
		p.count(&p.dropped)
		hj, _ := w.(http.Hijacker)
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
		}
		return
	case 2: // sent twice
		if resp, err := forward(); err == nil {
			resp.Body.Close()
		}
		p.count(&p.doubled)
	}
	resp, err := forward()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

func (p *lossyProxy) count(n *int) {
	p.mu.Lock()
	*n++
	p.mu.Unlock()
}

// TestLossyNetwork: a proxy that drops, delays and duplicates requests
// between a running kiosk and central; counts still equal.
func TestLossyNetwork(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	c.start()
	target, _ := url.Parse(c.URL())
	proxy := &lossyProxy{rnd: rand.New(rand.NewPCG(5, 8)), target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: proxy}
	go srv.Serve(ln)
	defer srv.Close()

	bin, _, _ := binaries(t)
	k := &kioskProc{t: t, bin: bin, data: filepath.Join(t.TempDir(), "k")}
	var enrolled bool
	for range 20 { // enrollment through the lossy proxy may need a retry
		cmd := k.cmd("enroll", "--data", k.data, "--central", "http://"+ln.Addr().String(), "--token", c.run("kiosk", "add", "--name", "Lossy"))
		if cmd.Run() == nil {
			enrolled = true
			break
		}
	}
	if !enrolled {
		t.Fatal("could not enroll through the proxy")
	}
	clip := video(t, a.aliceB, a.brunoB, a.chloeB, a.denisB, "BG1:000000000000000000000000")
	var printed []decision
	for range 6 {
		printed = append(printed, k.run(clip)...)
	}
	var st kioskStatus
	for range 50 {
		k.cmd("sync", "--data", k.data).Run()
		if st = k.status(); st.Pending == 0 {
			break
		}
	}
	proxy.mu.Lock()
	dropped, doubled := proxy.dropped, proxy.doubled
	proxy.mu.Unlock()
	if dropped == 0 || doubled == 0 {
		t.Fatalf("proxy dropped %d and doubled %d requests: no chaos", dropped, doubled)
	}
	var kioskID int64
	for _, e := range c.entries() {
		kioskID = max(kioskID, e.Kiosk)
	}
	checkExactlyOnce(t, printed, c.entries(), kioskID, st.LastSeq)
}

// TestTwoOfflineKiosksOneConsumption: two kiosks, both offline, accept
// Alice on the same day, each using an entry of her card locally; central
// counts one visit, one entry used.
func TestTwoOfflineKiosksOneConsumption(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	c.start()
	k1, k2 := newKiosk(t, c, "Entrée"), newKiosk(t, c, "Arrière")
	c.kill()
	clip := video(t, a.aliceB)
	for _, k := range []*kioskProc{k1, k2} {
		got := k.run(clip)
		if len(got) != 1 || got[0].Reason != "pack" || got[0].Consumed != 1 {
			t.Fatalf("offline kiosk: %+v", got)
		}
	}
	c.start()
	k1.sync()
	k2.sync()
	entries := c.entries()
	consumed := 0
	for _, e := range entries {
		consumed += e.Consumed
	}
	if len(entries) != 2 || consumed != 1 {
		t.Fatalf("central: %d entries, %d consumed; want 2 and 1", len(entries), consumed)
	}
	if b := c.balance(a.alice); b.EntriesLeft != 9 {
		t.Fatalf("Alice: %+v, want 9 left", b)
	}
	// After the sync, both kiosks know she is in today.
	for _, k := range []*kioskProc{k1, k2} {
		if got := k.run(clip); len(got) != 1 || got[0].Reason != "already_today" {
			t.Fatalf("after sync: %+v", got)
		}
	}
}

// TestKioskRestoredFromBackup: the kiosk's database is restored from a
// backup, so the kiosk numbers new decisions with sequences central already
// holds. Central answers them as conflicts; the kiosk renumbers them and
// sends them again: every decision kioskd printed reaches central exactly
// once, counted by entry id (issue 10, item 7).
func TestKioskRestoredFromBackup(t *testing.T) {
	c := newCentral(t)
	a := setUp(c)
	c.start()
	k := newKiosk(t, c, "Entrée")
	var printed []decision
	printed = append(printed, k.run(video(t, a.aliceB, a.brunoB))...)
	k.sync()
	// The backup: kioskd is stopped, its database closed.
	db := filepath.Join(k.data, "kiosk.db")
	backup := map[string][]byte{}
	for _, suffix := range []string{"", "-wal"} {
		if b, err := os.ReadFile(db + suffix); err == nil {
			backup[suffix] = b
		} else if suffix == "" {
			t.Fatal(err)
		}
	}
	printed = append(printed, k.run(video(t, a.chloeB, a.denisB, "https://example.org/not-a-badge"))...)
	k.sync()
	// The SD card dies; the bureau restores the backup.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(db + suffix); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	for suffix, b := range backup {
		if err := os.WriteFile(db+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	again := k.run(video(t, a.brunoB, a.denisB, "BG1:000000000000000000000000"))
	if len(again) == 0 || again[0].Seq != 3 {
		t.Fatalf("after the restore: %+v, want decisions numbered from 3 again", again)
	}
	printed = append(printed, again...)
	k.sync()
	// A decision after the renumbering gets a sequence of its own.
	last := k.run(video(t, a.chloeB))
	printed = append(printed, last...)
	k.sync()
	if len(printed) != 9 {
		t.Fatalf("kioskd printed %d decisions, want 9: %+v", len(printed), printed)
	}
	if st := k.status(); st.Pending != 0 {
		t.Fatalf("%d entries still pending", st.Pending)
	}
	byID := map[string][]centralEntry{}
	seqs := map[int64]bool{}
	entries := c.entries()
	for _, e := range entries {
		byID[e.ID] = append(byID[e.ID], e)
		if seqs[e.Seq] {
			t.Fatalf("central holds seq %d twice", e.Seq)
		}
		seqs[e.Seq] = true
	}
	for _, d := range printed {
		got := byID[d.ID]
		if len(got) != 1 || got[0].Decision != d.Decision || got[0].Reason != d.Reason {
			t.Errorf("printed %+v, central holds %+v", d, got)
		}
	}
	if len(entries) != len(printed) {
		t.Fatalf("central holds %d entries, kioskd printed %d", len(entries), len(printed))
	}
	if last[0].Seq <= 8 {
		t.Fatalf("the decision after the renumbering has seq %d, reused", last[0].Seq)
	}
}
