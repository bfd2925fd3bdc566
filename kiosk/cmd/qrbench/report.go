package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"
)

// report prints one markdown table per set, then the unions.
func report(w io.Writer, c config, results []setResult, took time.Duration) {
	fmt.Fprintf(w, "# QR decoders side by side\n\n")
	fmt.Fprintf(w, "%s/%s, %d CPUs, %s; each frame decoded %d times, fastest kept; run took %s.\n\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), c.repeat, took.Round(time.Second))
	for _, r := range results {
		decoders := r.decoders
		fmt.Fprintf(w, "## %s (%d images: %s)\n\n", r.set.name, len(r.set.items), r.set.detail)
		ref := reference(decoders)
		if r.set.empty {
			fmt.Fprintf(w, "| decoder | false reads | median ms | p95 ms | mean ms | vs zxing-cpp: median, p95, mean |\n|---|---|---|---|---|---|\n")
		} else {
			fmt.Fprintf(w, "| decoder | exact reads | wrong reads | median ms | p95 ms | mean ms | vs zxing-cpp: reads; median, p95, mean |\n|---|---|---|---|---|---|---|\n")
		}
		var rs stats
		if ref >= 0 {
			rs = summarize(r.outcomes[ref])
		}
		for i, d := range decoders {
			s := summarize(r.outcomes[i])
			vs := ""
			if ref >= 0 && i != ref {
				vs = fmt.Sprintf("%s, %s, %s", ratio(s.median, rs.median), ratio(s.p95, rs.p95), ratio(s.mean, rs.mean))
				if !r.set.empty {
					vs = fmt.Sprintf("%+d; %s", s.reads-rs.reads, vs)
				}
			}
			if r.set.empty {
				fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s |\n", d.Name(), s.wrong, ms(s.median), ms(s.p95), ms(s.mean), vs)
			} else {
				fmt.Fprintf(w, "| %s | %d/%d | %d | %s | %s | %s | %s |\n", d.Name(), s.reads, len(r.set.items), s.wrong, ms(s.median), ms(s.p95), ms(s.mean), vs)
			}
		}
		if !r.set.empty && len(decoders) > 1 {
			unions(w, decoders, r)
		}
		fmt.Fprintln(w)
		if c.misses && !r.set.empty {
			misses(w, decoders, r)
		}
	}
}

// unions prints how many images at least one decoder of a group reads.
func unions(w io.Writer, decoders []decoder, r setResult) {
	all := make([]int, len(decoders))
	others := make([]int, 0, len(decoders)-1)
	for i := range decoders {
		all[i] = i
		if i > 0 {
			others = append(others, i)
		}
	}
	fmt.Fprintf(w, "| any of the others (%s) | %d/%d | | | | | |\n", names(decoders, others), anyRead(r, others), len(r.set.items))
	fmt.Fprintf(w, "| any of all | %d/%d | | | | | |\n", anyRead(r, all), len(r.set.items))
}

func anyRead(r setResult, group []int) int {
	n := 0
	for j := range r.set.items {
		for _, i := range group {
			if r.outcomes[i][j].read {
				n++
				break
			}
		}
	}
	return n
}

func names(decoders []decoder, group []int) string {
	var s []string
	for _, i := range group {
		s = append(s, strings.Fields(decoders[i].Name())[0])
	}
	return strings.Join(s, ", ")
}

// misses lists, per decoder, the images it does not read.
func misses(w io.Writer, decoders []decoder, r setResult) {
	for i, d := range decoders {
		var m []string
		for j, it := range r.set.items {
			if !r.outcomes[i][j].read {
				m = append(m, it.name)
			}
		}
		fmt.Fprintf(w, "- %s misses %d: %s\n", d.Name(), len(m), strings.Join(m, " "))
	}
	if len(decoders) > 1 {
		m := missedOnlyByFirst(r)
		fmt.Fprintf(w, "- %s misses %d that another decoder reads: %s\n", decoders[0].Name(), len(m), strings.Join(m, " "))
	}
	fmt.Fprintln(w)
}

// missedOnlyByFirst returns the images that the first decoder (kiosk/qr)
// does not read and another one does: where to look for reads it lacks.
func missedOnlyByFirst(r setResult) []string {
	var m []string
	for j, it := range r.set.items {
		if r.outcomes[0][j].read {
			continue
		}
		for i := 1; i < len(r.outcomes); i++ {
			if r.outcomes[i][j].read {
				m = append(m, it.name)
				break
			}
		}
	}
	return m
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond))
}

// reference is the index of zxing-cpp among the decoders, -1 if absent:
// the others' figures are also given as ratios to its own.
func reference(decoders []decoder) int {
	for i, d := range decoders {
		if strings.HasPrefix(d.Name(), "zxing-cpp") {
			return i
		}
	}
	return -1
}

// ratio is a/b as "1.23x".
func ratio(a, b time.Duration) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", float64(a)/float64(b))
}
