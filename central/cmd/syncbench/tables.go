package main

import (
	"fmt"
	"strings"
	"time"
)

// printTables prints the results as markdown tables: a column per engine
// for each figure, then PostgreSQL/SQLite (above 1: PostgreSQL takes
// longer, or does more per second, as the column says).
func printTables(c config, rs []*result) {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.engine
	}
	ratio := func(get func(*result) float64) string {
		if len(rs) < 2 || get(rs[0]) == 0 {
			return ""
		}
		return fmt.Sprintf(" %.2f |", get(rs[1])/get(rs[0]))
	}
	head := func(first string, cols ...string) {
		line, sep := "| "+first+" |", "|---|"
		for _, col := range cols {
			for _, n := range names {
				line += " " + n + " " + col + " |"
				sep += "---|"
			}
			if len(rs) > 1 {
				line += " PG/SQLite " + col + " |"
				sep += "---|"
			}
		}
		fmt.Println(line)
		fmt.Println(sep)
	}
	each := func(f func(*result) string) string {
		var b strings.Builder
		for _, r := range rs {
			b.WriteString(" " + f(r) + " |")
		}
		return b.String()
	}

	fmt.Println("## Sync: pull (a kiosk's first full sync, then after 10 changes)")
	fmt.Println()
	head("members", "full ms", "incremental ms (median of 21)")
	for i, row := range rs[0].pulls {
		full := func(r *result) float64 { return ms(r.pulls[i].full.took) }
		inc := func(r *result) float64 { return ms(r.pulls[i].inc.took) }
		fmt.Printf("| %d |%s%s%s%s\n", row.members,
			each(func(r *result) string { return fmt.Sprintf("%.1f", full(r)) }), ratio(full),
			each(func(r *result) string { return fmt.Sprintf("%.2f", inc(r)) }), ratio(inc))
	}
	fmt.Println()
	fmt.Println("| members | full sync KiB (gzip) | pages | incremental KiB | members sent |")
	fmt.Println("|---|---|---|---|---|")
	for _, row := range rs[0].pulls {
		fmt.Printf("| %d | %.1f | %d | %.2f | %d |\n", row.members, kib(row.full.bytes), row.full.pages, kib(row.inc.bytes), row.inc.members)
	}
	fmt.Println()

	fmt.Printf("## Sync: ingest (entries pushed by a kiosk, %d per request; SQLite WAL + synchronous=FULL, PostgreSQL synchronous commits)\n\n", 500)
	head("what (entries)", "entries/s", "ratio to raw")
	rows := []struct {
		what string
		get  func(*result) float64
	}{
		{fmt.Sprintf("raw inserts into the same entries table: schema, indexes, durability, batches; no HTTP, JSON, visits (%d)", rs[0].rawN), func(r *result) float64 { return r.raw }},
		{fmt.Sprintf("sync API, refused entries: HTTP, gzip, JSON, validation, dedupe, ack; no ledger (%d)", rs[0].rawN), func(r *result) float64 { return r.refused }},
		{fmt.Sprintf("sync API, 90%% accepted: each entry also a visit and a balance re-derived (%d)", c.ingest), func(r *result) float64 { return r.mixed }},
	}
	for _, row := range rows {
		toRaw := func(r *result) float64 { return row.get(r) / r.raw }
		fmt.Printf("| %s |%s%s%s%s\n", row.what,
			each(func(r *result) string { return fmt.Sprintf("%.0f", row.get(r)) }), ratio(row.get),
			each(func(r *result) string { return fmt.Sprintf("%.2f", toRaw(r)) }), ratio(toRaw))
	}
	fmt.Println()
	if c.centrald == "" {
		return
	}

	fmt.Printf("## Admin pages (real centrald, %d members, %d entries; %d requests each after one)\n\n", c.members, c.entries, c.pageRequests)
	head("page", "p50 ms", "p95 ms")
	for i, p := range rs[0].pages {
		p50 := func(r *result) float64 { return ms(r.pages[i].p50) }
		p95 := func(r *result) float64 { return ms(r.pages[i].p95) }
		fmt.Printf("| %s |%s%s%s%s\n", p.path,
			each(func(r *result) string { return fmt.Sprintf("%.1f", p50(r)) }), ratio(p50),
			each(func(r *result) string { return fmt.Sprintf("%.1f", p95(r)) }), ratio(p95))
	}
	fmt.Println()

	fmt.Printf("## Kiosks: %d simulated kiosks, each pushing 1-3 entries then pulling every %v for %v (ms)\n\n", c.kiosks, c.kioskEvery, c.kioskRun)
	fmt.Println("| engine | centrald | syncs | errors | entries | push p50 | push p99 | pull p50 | pull p99 | sync p50 | sync p99 | sync max |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rs {
		k := r.kiosks
		fmt.Printf("| %s | %d | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |\n", r.engine, r.servers, k.syncs, k.errors, k.entries,
			ms(k.push[0]), ms(k.push[1]), ms(k.pull[0]), ms(k.pull[1]), ms(k.sync[0]), ms(k.sync[1]), ms(k.sync[2]))
	}
	if len(rs) > 1 {
		a, b := rs[0].kiosks, rs[1].kiosks
		q := func(x, y time.Duration) float64 { return ms(y) / ms(x) }
		fmt.Printf("| PG/SQLite | | | | | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n",
			q(a.push[0], b.push[0]), q(a.push[1], b.push[1]), q(a.pull[0], b.pull[0]), q(a.pull[1], b.pull[1]),
			q(a.sync[0], b.sync[0]), q(a.sync[1], b.sync[1]), q(a.sync[2], b.sync[2]))
	}
	fmt.Println()

	fmt.Println("## centrald memory (the first process; PostgreSQL's own memory is not counted)")
	fmt.Println()
	fmt.Println("| engine | RSS after start MiB | RSS after the pages and kiosks MiB | peak MiB | entries inserted with SQL, s |")
	fmt.Println("|---|---|---|---|---|")
	for _, r := range rs {
		fmt.Printf("| %s | %.1f | %.1f | %.1f | %.1f |\n", r.engine, r.memory[0]/1024, r.memory[1]/1024, r.memory[2]/1024, r.seeded.Seconds())
	}
	fmt.Println()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func kib(n int) float64          { return float64(n) / 1024 }
