// Command syncbench measures central's side of the sync protocol over real
// HTTP and a real SQLite file, and prints markdown tables (`make bench`):
//
//   - pull: time and bytes of a kiosk's first full sync, and of an
//     incremental sync after 10 changes, at 1,000 and 10,000 members (the
//     incremental cost must not grow with the member count);
//   - ingest: entries per second pushed through the sync API in batches,
//     beside the raw SQLite insert rate of the same rows measured in the
//     same run (the ratio is the figure to watch);
//   - memory: the real centrald's resident memory serving 10,000 members
//     and the entries pushed (1,000,000 by default).
//
// Usage:
//
//	syncbench [-members 10000] [-entries 1000000] [-centrald bin/centrald]
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/syncapi"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
	"github.com/badgeuse/badgeuse/shared/wire"
)

func main() {
	members := flag.Int("members", 10000, "members of the big association")
	entries := flag.Int("entries", 1000000, "entries to push for the ingest rate and the memory test")
	centrald := flag.String("centrald", "bin/centrald", "centrald binary for the memory test (empty: skip)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "syncbench:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(*members, *entries, *centrald); err != nil {
		fmt.Fprintln(os.Stderr, "syncbench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(members, entries int, centrald string) error {
	ctx := central.NewContextWithActor(context.Background(), "bench")
	fmt.Println("## Sync: pull (kiosk's first full sync, then after 10 changes)")
	fmt.Println()
	fmt.Println("| members | full sync ms | full sync KiB (gzip) | pages | incremental ms | incremental KiB | members sent |")
	fmt.Println("|---|---|---|---|---|---|---|")
	var big *bench
	for _, n := range []int{members / 10, members} {
		b, err := newBench(ctx, n)
		if err != nil {
			return err
		}
		full, err := b.pull(ctx, 0)
		if err != nil {
			return err
		}
		if err := b.change(ctx, 10); err != nil {
			return err
		}
		inc, err := b.pull(ctx, full.cursor)
		if err != nil {
			return err
		}
		fmt.Printf("| %d | %.1f | %.1f | %d | %.2f | %.2f | %d |\n", n, ms(full.took), kib(full.bytes), full.pages,
			ms(inc.took), kib(inc.bytes), inc.members)
		if n == members {
			big = b
		} else {
			b.close()
		}
	}
	defer big.close()
	fmt.Println()

	if err := big.ingest(ctx, entries); err != nil {
		return err
	}
	if centrald != "" {
		return big.memory(centrald, entries)
	}
	return nil
}

// bench is a central database served over HTTP, with one enrolled kiosk.
type bench struct {
	dir     string
	db      *sqlite.DB
	srv     *http.Server
	url     string
	token   string
	members []int64
	product int64
	rng     *rand.Rand
	seq     int64 // the kiosk's last pushed sequence
}

func newBench(ctx context.Context, n int) (*bench, error) {
	dir, err := os.MkdirTemp("", "syncbench")
	if err != nil {
		return nil, err
	}
	b := &bench{dir: dir, db: sqlite.NewDB(dir), rng: rand.New(rand.NewPCG(uint64(n), 9))}
	if err := b.db.Open(); err != nil {
		return nil, err
	}
	if err := b.seed(ctx, n); err != nil {
		return nil, fmt.Errorf("seed %d members: %w", n, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	(&syncapi.Handler{Kiosks: sqlite.NewKioskService(b.db), Sync: sqlite.NewSyncService(b.db),
		Settings: sqlite.NewSettingsService(b.db), Logger: slog.New(slog.DiscardHandler)}).Register(mux)
	b.srv = &http.Server{Handler: mux}
	go b.srv.Serve(ln)
	b.url = "http://" + ln.Addr().String()
	enroll, err := sqlite.NewKioskService(b.db).CreateKiosk(ctx, &central.Kiosk{Name: "bench"})
	if err != nil {
		return nil, err
	}
	var resp wire.EnrollResponse
	if _, err := b.post(wire.PathEnroll, wire.EnrollRequest{Protocol: wire.Version, Token: enroll}, &resp); err != nil {
		return nil, err
	}
	b.token = resp.KioskToken
	return b, nil
}

func (b *bench) close() {
	b.srv.Close()
	b.db.Close()
	os.RemoveAll(b.dir)
}

// seed adds n members, each with a badge and a 10-entry card.
func (b *bench) seed(ctx context.Context, n int) error {
	p := &central.Product{Name: "Carte 10", Kind: access.Pack, Entries: 10, Days: 365, Price: 8000, Active: true}
	if err := sqlite.NewProductService(b.db).CreateProduct(ctx, p); err != nil {
		return err
	}
	b.product = p.ID
	ms := make([]*central.Member, n)
	for i := range ms {
		ms[i] = &central.Member{Name: fmt.Sprintf("Membre %d", i), Email: fmt.Sprintf("m%d@example.org", i)}
	}
	if err := sqlite.NewMemberService(b.db).CreateMembers(ctx, ms); err != nil {
		return err
	}
	badges, ledger := sqlite.NewBadgeService(b.db), sqlite.NewLedgerService(b.db)
	for _, m := range ms {
		b.members = append(b.members, m.ID)
		if _, _, err := badges.IssueBadge(ctx, m.ID, true); err != nil {
			return err
		}
		if _, err := ledger.CreateSale(ctx, central.NewSale{Member: m.ID, Product: p.ID, Source: central.SourceCLI}); err != nil {
			return err
		}
	}
	return nil
}

// change makes k changes a kiosk must learn: k sales.
func (b *bench) change(ctx context.Context, k int) error {
	ledger := sqlite.NewLedgerService(b.db)
	for i := range k {
		m := b.members[i*len(b.members)/k]
		if _, err := ledger.CreateSale(ctx, central.NewSale{Member: m, Product: b.product, Source: central.SourceCLI}); err != nil {
			return err
		}
	}
	return nil
}

type pullResult struct {
	took           time.Duration
	bytes, members int
	pages          int
	cursor         int64
}

// pull syncs from cursor to the end, as a kiosk does, counting the bytes on
// the wire.
func (b *bench) pull(ctx context.Context, cursor int64) (pullResult, error) {
	var r pullResult
	start := time.Now()
	page := ""
	for {
		var resp wire.PullResponse
		n, err := b.post(wire.PathPull, wire.PullRequest{Protocol: wire.Version, Cursor: cursor, Page: page}, &resp)
		if err != nil {
			return r, err
		}
		r.bytes += n
		r.pages++
		r.members += len(resp.Members)
		if !resp.More {
			r.cursor = resp.Cursor
			break
		}
		page = resp.Page
	}
	r.took = time.Since(start)
	return r, nil
}

// ingest pushes n entries in batches, then inserts the same rows into a
// plain SQLite table with the same durability settings, and compares.
func (b *bench) ingest(ctx context.Context, n int) error {
	small := min(n, 100000)
	raw, err := rawInsertRate(b.dir, small)
	if err != nil {
		return err
	}
	// Refused entries (unknown badges): the protocol's own cost, no ledger.
	refused, err := b.push(small, 0)
	if err != nil {
		return err
	}
	// 90 % accepted, members drawn at random over 90 days: almost every
	// entry opens a visit and re-derives the member's balance.
	mixed, err := b.push(n, 0.9)
	if err != nil {
		return err
	}
	fmt.Println("## Sync: ingest (entries pushed by a kiosk, 500 per request, WAL + synchronous=FULL)")
	fmt.Println()
	fmt.Println("| what | entries | entries/s | ratio to raw |")
	fmt.Println("|---|---|---|---|")
	fmt.Printf("| raw inserts into the same entries table (same schema, indexes, pragmas, batches; no HTTP, JSON, visits) | %d | %.0f | 1.00 |\n", small, raw)
	fmt.Printf("| sync API, refused entries (HTTP, gzip, JSON, validation, dedupe, ack; no ledger) | %d | %.0f | %.2f |\n", small, refused, refused/raw)
	fmt.Printf("| sync API, 90%% accepted (each entry also a visit and a balance re-derived) | %d | %.0f | %.2f |\n\n", n, mixed, mixed/raw)
	return nil
}

// push sends n entries in batches, a share of them accepted, and returns
// the rate. Sequence numbers continue from the previous push.
func (b *bench) push(n int, accepted float64) (float64, error) {
	bh := badge.Hash{}
	start0 := time.Now().Add(-90 * 24 * time.Hour)
	last := b.seq + int64(n)
	batch := make([]wire.Entry, 0, wire.MaxBatch)
	start := time.Now()
	for b.seq < last {
		batch = batch[:0]
		for len(batch) < wire.MaxBatch && b.seq < last {
			b.seq++
			id, _ := uuid.NewV7()
			e := wire.Entry{ID: id.String(), Seq: b.seq, Time: start0.Add(time.Duration(b.seq%int64(n)) * 90 * 24 * time.Hour / time.Duration(n)),
				Decision: wire.DecisionRefuse, Reason: string(access.UnknownBadge), Badge: bh.String()}
			if b.rng.Float64() < accepted {
				e.Member, e.Decision, e.Reason = b.members[b.rng.IntN(len(b.members))], wire.DecisionAccept, string(access.OKPack)
			}
			batch = append(batch, e)
		}
		var resp wire.PushResponse
		if _, err := b.post(wire.PathPush, wire.PushRequest{Protocol: wire.Version, SentAt: time.Now(), Entries: batch}, &resp); err != nil {
			return 0, err
		}
		if resp.Ack != b.seq {
			return 0, fmt.Errorf("ack %d after pushing up to %d", resp.Ack, b.seq)
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// rawInsertRate inserts n rows shaped like the pushed entries straight
// into the entries table of a fresh central database (same schema, indexes,
// foreign keys and pragmas: WAL, synchronous=FULL), in transactions of 500
// with one prepared statement: the storage floor, without HTTP, JSON,
// validation, visits or balances.
func rawInsertRate(dir string, n int) (float64, error) {
	rawDir := filepath.Join(dir, "raw")
	cdb := sqlite.NewDB(rawDir)
	if err := cdb.Open(); err != nil {
		return 0, err
	}
	ctx := context.Background()
	k := &central.Kiosk{Name: "raw"}
	if _, err := sqlite.NewKioskService(cdb).CreateKiosk(ctx, k); err != nil {
		return 0, err
	}
	m := &central.Member{Name: "Raw"}
	if err := sqlite.NewMemberService(cdb).CreateMember(ctx, m); err != nil {
		return 0, err
	}
	cdb.Close()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(rawDir, "central.db")+
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	start := time.Now()
	now := time.Now().UTC().Format(time.RFC3339Nano)
	for i := 0; i < n; {
		tx, err := db.Begin()
		if err != nil {
			return 0, err
		}
		stmt, err := tx.Prepare(`INSERT INTO entries (id, kiosk_id, seq, member_id, badge_hash, kiosk_time, time,
			accept, reason, received) VALUES (?, ?, ?, ?, '', ?, ?, 1, 'pack', ?)`)
		if err != nil {
			return 0, err
		}
		for j := 0; j < wire.MaxBatch && i < n; j++ {
			i++
			id, _ := uuid.NewV7()
			if _, err := stmt.Exec(id.String(), k.ID, i, m.ID, now, now, now); err != nil {
				return 0, err
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// memory serves the big database with the real centrald and reads its
// resident memory after a kiosk's full sync and a push.
func (b *bench) memory(centrald string, entries int) error {
	if _, err := os.Stat(centrald); err != nil {
		return fmt.Errorf("memory test needs %s (make build): %w", centrald, err)
	}
	b.srv.Close()
	if err := b.db.Close(); err != nil {
		return err
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(centrald, "serve", "--data", b.dir, "--addr", addr)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	b.url = "http://" + addr
	var err error
	for range 100 {
		if _, err = http.Get(b.url + "/healthz"); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("centrald did not start: %v\n%s", err, logs.String())
	}
	idle := rss(cmd.Process.Pid)
	for range 3 {
		if _, err := b.pull(context.Background(), 0); err != nil {
			return err
		}
	}
	fmt.Println("## centrald memory")
	fmt.Println()
	fmt.Println("| members | entries | RSS after start MiB | RSS after 3 full kiosk syncs MiB | peak MiB |")
	fmt.Println("|---|---|---|---|---|")
	cur := rss(cmd.Process.Pid)
	fmt.Printf("| %d | %d | %.1f | %.1f | %.1f |\n\n", len(b.members), entries, idle[0]/1024, cur[0]/1024, cur[1]/1024)
	return nil
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

// post sends a gzip JSON request as a kiosk does and returns the size of
// the (gzip) answer on the wire.
func (b *bench) post(path string, req, resp any) (int, error) {
	var body bytes.Buffer
	zw := gzip.NewWriter(&body)
	json.NewEncoder(zw).Encode(req)
	zw.Close()
	hreq, _ := http.NewRequest(http.MethodPost, b.url+path, &body)
	hreq.Header.Set("Content-Encoding", "gzip")
	hreq.Header.Set("Accept-Encoding", "gzip")
	if b.token != "" {
		hreq.Header.Set("Authorization", "Bearer "+b.token)
	}
	hresp, err := http.DefaultClient.Do(hreq)
	if err != nil {
		return 0, err
	}
	defer hresp.Body.Close()
	raw, err := io.ReadAll(hresp.Body)
	if err != nil {
		return 0, err
	}
	data := raw
	if hresp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return 0, err
		}
		if data, err = io.ReadAll(zr); err != nil {
			return 0, err
		}
	}
	if hresp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("%s: HTTP %d: %s", path, hresp.StatusCode, data)
	}
	return len(raw), json.Unmarshal(data, resp)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func kib(n int) float64          { return float64(n) / 1024 }
