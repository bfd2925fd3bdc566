// Command syncbench measures central on both of its database engines,
// SQLite and PostgreSQL, side by side in one run, and prints markdown
// tables with the PostgreSQL/SQLite ratio of each figure (`make bench`):
//
//   - pull: time and bytes of a kiosk's first full sync, and of an
//     incremental sync after 10 changes (the median of 21 from the same
//     cursor), at 1,000 and 10,000 members (the incremental cost must not
//     grow with the member count);
//   - ingest: entries per second pushed through the sync API in batches
//     (refused entries: the protocol's cost; 90 % accepted: each also a
//     visit and a balance re-derived by the ledger), beside the raw insert
//     rate of the same rows into the same table of the same engine,
//     measured in the same run (the ratio is the figure to watch);
//   - admin pages: p50 and p95 of the web admin's heaviest pages served by
//     the real centrald at 10,000 members and 250,000 entries (the
//     entries not pushed through the API are inserted with SQL; the
//     issue's 1,000,000 with -entries 1000000, which makes `make bench`
//     5 minutes longer on 2 cores; central/admin's BenchmarkPages
//     measures SQLite at 1,000,000);
//   - kiosks: simulated kiosks (100 by default) each pushing a few entries
//     then pulling every 5 s through real centrald processes, two of them
//     on PostgreSQL's one database (kiosks spread over both), one on
//     SQLite (its folder takes one process): p50/p99 of a sync;
//   - memory: the real centrald's resident memory with that database.
//
// PostgreSQL runs on a throwaway cluster of Debian's postgresql package
// (central/postgres/pgtest) with PostgreSQL's default durability (fsync,
// synchronous commits), as SQLite runs with synchronous=FULL; or on the
// server of -postgres URL (the bench creates its databases there).
//
// Usage:
//
//	syncbench [-members 10000] [-entries 250000] [-ingest 20000]
//	          [-kiosks 100] [-kiosk-run 30s] [-centrald bin/centrald]
//	          [-postgres URL | -sqlite-only]
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// config is the bench's sizes.
type config struct {
	members      int
	entries      int // entries in the big database (pushed and inserted)
	ingest       int // entries pushed through the sync API
	kiosks       int
	kioskEvery   time.Duration
	kioskRun     time.Duration
	pageRequests int
	centrald     string
	postgresURL  string
	sqliteOnly   bool
}

func main() {
	var c config
	flag.IntVar(&c.members, "members", 10000, "members of the big association")
	flag.IntVar(&c.entries, "entries", 250000, "entries in the big database for the admin pages (the ones not pushed are inserted with SQL; the issue's 1000000 takes 5 more minutes on 2 cores)")
	flag.IntVar(&c.ingest, "ingest", 20000, "entries pushed through the sync API for the ingest rate (90% accepted)")
	flag.IntVar(&c.kiosks, "kiosks", 100, "simulated kiosks syncing through centrald")
	flag.DurationVar(&c.kioskEvery, "kiosk-every", 5*time.Second, "how often each simulated kiosk syncs")
	flag.DurationVar(&c.kioskRun, "kiosk-run", 30*time.Second, "how long the simulated kiosks run")
	flag.IntVar(&c.pageRequests, "page-requests", 30, "requests per admin page")
	flag.StringVar(&c.centrald, "centrald", "bin/centrald", "centrald binary for the admin pages, the kiosks and the memory (empty: skip them)")
	flag.StringVar(&c.postgresURL, "postgres", "", "PostgreSQL server to use (a database its user may create databases on); default: a throwaway cluster")
	flag.BoolVar(&c.sqliteOnly, "sqlite-only", false, "measure SQLite only")
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
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "syncbench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(c config) error {
	if c.centrald != "" {
		if _, err := os.Stat(c.centrald); err != nil {
			return fmt.Errorf("%s (make build; or -centrald '' to skip the admin pages, kiosks and memory): %w", c.centrald, err)
		}
	}
	ctx := central.NewContextWithActor(context.Background(), "bench")
	engines := []engine{sqliteEngine()}
	if !c.sqliteOnly {
		pg, stop, err := postgresEngine(c.postgresURL)
		if err != nil {
			return err
		}
		defer stop()
		// Interrupted, the bench still stops its cluster and centrald
		// (onSignal): neither may outlive it.
		onSignal(stop)
		engines = append(engines, pg)
	}
	var results []*result
	for _, e := range engines {
		start := time.Now()
		r, err := benchEngine(ctx, e, c)
		if err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		fmt.Fprintf(os.Stderr, "syncbench: %s measured in %v\n", e.name, time.Since(start).Round(time.Second))
		results = append(results, r)
	}
	printTables(c, results)
	return nil
}

// incPulls is how many incremental pulls a pull row's figure is the
// median of.
const incPulls = 21

// result is what one engine measured.
type result struct {
	engine string
	pulls  []pullRow
	// entries per second: raw inserts, refused and mixed pushes
	raw, refused, mixed float64
	rawN                int
	seeded              time.Duration // SQL insert of the entries not pushed
	pages               []pageRow
	servers             int // centrald processes the kiosks synced through
	kiosks              kioskRow
	memory              [3]float64 // KiB: after start, after the run, peak
}

type pullRow struct {
	members   int
	full, inc pullResult
}

// benchEngine runs every measure on one engine.
func benchEngine(ctx context.Context, e engine, c config) (*result, error) {
	r := &result{engine: e.name}
	var big *bench
	for _, n := range []int{c.members / 10, c.members} {
		s, err := e.fresh()
		if err != nil {
			return nil, err
		}
		t0 := time.Now()
		b, err := newBench(ctx, s, n)
		progress(e.name, "seeded %d members in %v", n, time.Since(t0))
		if err != nil {
			s.close()
			return nil, err
		}
		full, err := b.pull(ctx, 0)
		if err != nil {
			return nil, err
		}
		if err := b.change(ctx, 10); err != nil {
			return nil, err
		}
		// The median of incPulls pulls from the same cursor: one pull is a
		// few milliseconds, and one sample on a shared machine moved the
		// PG/SQLite ratio from 1.4 to 4.1 between runs.
		var incs []pullResult
		for range incPulls {
			inc, err := b.pull(ctx, full.cursor)
			if err != nil {
				return nil, err
			}
			incs = append(incs, inc)
		}
		slices.SortFunc(incs, func(a, b pullResult) int { return cmp.Compare(a.took, b.took) })
		inc := incs[len(incs)/2]
		r.pulls = append(r.pulls, pullRow{n, full, inc})
		if n != c.members {
			b.close()
			continue
		}
		big = b
	}
	defer big.close()

	t0 := time.Now()
	if err := big.ingest(ctx, e, c.ingest, r); err != nil {
		return nil, err
	}
	progress(e.name, "ingest measured in %v", time.Since(t0))
	if c.centrald == "" {
		return r, nil
	}
	start := time.Now()
	if err := big.fill(ctx, c.entries-int(big.seq)); err != nil {
		return nil, fmt.Errorf("insert entries: %w", err)
	}
	r.seeded = time.Since(start)
	progress(e.name, "inserted %d entries with SQL in %v", c.entries-int(big.seq), r.seeded)
	tokens, err := big.enrollKiosks(ctx, c.kiosks)
	if err != nil {
		return nil, err
	}
	// The simulated kiosks start up to date: a cursor after the pushes.
	if _, err := big.pull(ctx, 0); err != nil {
		return nil, err
	}
	return r, big.serve(ctx, c, tokens, r)
}

// progress says on stderr where the bench is (the tables go to stdout).
func progress(engine, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "syncbench: %s: %s\n", engine, fmt.Sprintf(format, args...))
}

var (
	cleanupMu sync.Mutex
	cleanups  []func()
)

// onSignal registers fn to run if the bench is interrupted (SIGINT,
// SIGTERM) before it ends; the first registration starts the watch.
func onSignal(fn func()) {
	cleanupMu.Lock()
	defer cleanupMu.Unlock()
	if cleanups == nil {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		go func() {
			<-sig
			cleanupMu.Lock()
			for i := len(cleanups) - 1; i >= 0; i-- {
				cleanups[i]()
			}
			os.Exit(1)
		}()
	}
	cleanups = append(cleanups, fn)
}
