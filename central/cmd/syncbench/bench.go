package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/syncapi"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// bench is a central database served over HTTP by the sync API in this
// process, with one enrolled kiosk.
type bench struct {
	s       *store
	srv     *http.Server
	url     string
	token   string
	members []int64
	product int64
	rng     *rand.Rand
	seq     int64 // the kiosk's last pushed sequence
	cursor  int64 // the sync version after the last full pull
}

func newBench(ctx context.Context, s *store, n int) (*bench, error) {
	b := &bench{s: s, rng: rand.New(rand.NewPCG(uint64(n), 9))}
	if err := b.seed(ctx, n); err != nil {
		return nil, fmt.Errorf("seed %d members: %w", n, err)
	}
	if err := s.durable(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	(&syncapi.Handler{Kiosks: s.kiosks, Sync: s.sync, Spaces: s.spaces, Logger: slog.New(slog.DiscardHandler)}).Register(mux)
	b.srv = &http.Server{Handler: mux}
	go b.srv.Serve(ln)
	b.url = "http://" + ln.Addr().String()
	tokens, err := b.enrollKiosks(ctx, 1)
	if err != nil {
		return nil, err
	}
	b.token = tokens[0]
	return b, nil
}

// enrollKiosks adds n kiosks and enrolls them through the sync API,
// returning their tokens.
func (b *bench) enrollKiosks(ctx context.Context, n int) ([]string, error) {
	var tokens []string
	for i := range n {
		enroll, err := b.s.kiosks.CreateKiosk(ctx, &central.Kiosk{Name: fmt.Sprintf("Porte %d", i+1)})
		if err != nil {
			return nil, err
		}
		var resp wire.EnrollResponse
		if _, err := post(b.url, "", wire.PathEnroll, wire.EnrollRequest{Protocol: wire.Version, Token: enroll}, &resp); err != nil {
			return nil, err
		}
		tokens = append(tokens, resp.KioskToken)
	}
	return tokens, nil
}

func (b *bench) close() {
	b.srv.Close()
	b.s.close()
}

// seed adds n members (one transaction of the member service), each with
// a badge and a 10-entry card inserted with SQL as the services would
// write them: a badge and a sale per member through the services is two
// transactions each, minutes for 10,000 members, and not what is measured.
// Then the planner's statistics are refreshed.
func (b *bench) seed(ctx context.Context, n int) error {
	p := &central.Product{Name: "Carte 10", Kind: access.Pack, Entries: 10, Days: 365, Price: 8000, Active: true}
	if err := b.s.products.CreateProduct(ctx, p); err != nil {
		return err
	}
	b.product = p.ID
	ms := make([]*central.Member, n)
	first := []string{"Alice", "Bastien", "Chloé", "Dario", "Émilie", "Farid", "Gaëlle", "Hugo", "Inès", "Jules", "Karim", "Léa"}
	last := []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"}
	for i := range ms {
		ms[i] = &central.Member{Name: fmt.Sprintf("%s %s %d", first[i%len(first)], last[(i/len(first))%len(last)], i),
			Email: fmt.Sprintf("m%d@example.org", i)}
	}
	if err := b.s.members.CreateMembers(ctx, ms); err != nil {
		return err
	}
	db, err := b.s.fillDB()
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	badges := &rows{s: b.s, tx: tx, head: `INSERT INTO badges (member_id, hash, created) VALUES `, params: 3, row: "(?, ?, ?)"}
	sales := &rows{s: b.s, tx: tx, head: `INSERT INTO sales (member_id, product_id, kind, entries, amount, source, created, start_day, end_day, entries_left) VALUES `,
		params: 5, row: "(?, ?, 'pack', 10, 8000, 'cli', ?, ?, ?, 10)"}
	now := time.Now()
	today := access.DayOf(now, access.Paris)
	for _, m := range ms {
		b.members = append(b.members, m.ID)
		var h [32]byte
		for i := range 4 {
			binary.LittleEndian.PutUint64(h[8*i:], b.rng.Uint64())
		}
		if err := badges.add(ctx, m.ID, hex.EncodeToString(h[:]), ts(now)); err != nil {
			return err
		}
		if err := sales.add(ctx, m.ID, p.ID, ts(now), today.String(), today.AddDays(364).String()); err != nil {
			return err
		}
	}
	if err := badges.flush(ctx); err != nil {
		return err
	}
	if err := sales.flush(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// The planner's statistics, as fill refreshes them: a database grown
	// by its members has them (autovacuum; ImportSQLite for a copy), and
	// without them PostgreSQL planned the pull's changes by version as a
	// read of every member, or not, depending on whether autovacuum had
	// come by before the pull was measured.
	return b.s.exec(ctx, `ANALYZE`)
}

// change makes k changes a kiosk must learn: k sales.
func (b *bench) change(ctx context.Context, k int) error {
	for i := range k {
		m := b.members[i*len(b.members)/k]
		if _, err := b.s.ledger.CreateSale(ctx, central.NewSale{Member: m, Product: b.product, Source: central.SourceCLI}); err != nil {
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
	start := time.Now()
	r, err := pullAll(b.url, b.token, cursor)
	r.took = time.Since(start)
	if cursor == 0 {
		b.cursor = r.cursor
	}
	return r, err
}

// pullAll pulls from cursor until central has nothing more.
func pullAll(url, token string, cursor int64) (pullResult, error) {
	var r pullResult
	page := ""
	for {
		var resp wire.PullResponse
		n, err := post(url, token, wire.PathPull, wire.PullRequest{Protocol: wire.Version, Cursor: cursor, Page: page}, &resp)
		if err != nil {
			return r, err
		}
		r.bytes += n
		r.pages++
		r.members += len(resp.Members)
		if !resp.More {
			r.cursor = resp.Cursor
			return r, nil
		}
		page = resp.Page
	}
}

// ingest pushes entries in batches, after measuring the raw insert rate
// of the same rows into the same engine, and records the rates in r.
func (b *bench) ingest(ctx context.Context, e engine, n int, r *result) error {
	small := min(n, 100000)
	raw, err := rawInsertRate(ctx, e, small)
	if err != nil {
		return fmt.Errorf("raw inserts: %w", err)
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
	r.raw, r.rawN, r.refused, r.mixed = raw, small, refused, mixed
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
			// Spread over the 90 days (in floating point: seq × 90 days in
			// nanoseconds overflows an int64 from 1,200 entries on).
			at := start0.Add(time.Duration(float64(90*24*time.Hour) * float64(b.seq%int64(n)) / float64(n)))
			e := wire.Entry{ID: id.String(), Seq: b.seq, Time: at,
				Decision: wire.DecisionRefuse, Reason: string(access.UnknownBadge), Badge: bh.String()}
			if b.rng.Float64() < accepted {
				e.Member, e.Decision, e.Reason = b.members[b.rng.IntN(len(b.members))], wire.DecisionAccept, string(access.OKPack)
			}
			batch = append(batch, e)
		}
		var resp wire.PushResponse
		if _, err := post(b.url, b.token, wire.PathPush, wire.PushRequest{Protocol: wire.Version, SentAt: time.Now(), Entries: batch}, &resp); err != nil {
			return 0, err
		}
		if resp.Ack != b.seq {
			return 0, fmt.Errorf("ack %d after pushing up to %d", resp.Ack, b.seq)
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// rawInsertRate inserts n rows shaped like the pushed entries straight
// into the entries table of a fresh central database of the engine (same
// schema, indexes, foreign keys and durability: SQLite's WAL and
// synchronous=FULL, PostgreSQL's synchronous commits), in transactions of
// 500 with one prepared statement: the storage floor, without HTTP, JSON,
// validation, visits or balances.
func rawInsertRate(ctx context.Context, e engine, n int) (float64, error) {
	s, err := e.fresh()
	if err != nil {
		return 0, err
	}
	defer s.close()
	if err := s.durable(); err != nil {
		return 0, err
	}
	k := &central.Kiosk{Name: "raw"}
	if _, err := s.kiosks.CreateKiosk(ctx, k); err != nil {
		return 0, err
	}
	m := &central.Member{Name: "Raw"}
	if err := s.members.CreateMember(ctx, m); err != nil {
		return 0, err
	}
	start := time.Now()
	now := ts(time.Now())
	for i := 0; i < n; {
		tx, err := s.raw.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		stmt, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO entries (id, kiosk_id, seq, member_id, badge_hash, kiosk_time, time,
			accept, reason, received) VALUES (?, ?, ?, ?, '', ?, ?, 1, 'pack', ?)`))
		if err != nil {
			tx.Rollback()
			return 0, err
		}
		for j := 0; j < wire.MaxBatch && i < n; j++ {
			i++
			id, _ := uuid.NewV7()
			if _, err := stmt.ExecContext(ctx, id.String(), k.ID, i, m.ID, now, now, now); err != nil {
				tx.Rollback()
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

// fill inserts n more entries with SQL, the way the admin's page bench
// does (central/admin/bench_test.go): over the year before the pushed
// entries' 90 days, ~500 members a day, a few refusals, a visit per
// member and day from the first accepted entry; then the planner's
// statistics are refreshed.
func (b *bench) fill(ctx context.Context, n int) error {
	if n <= 0 {
		return nil
	}
	k := &central.Kiosk{Name: "Porte historique"}
	if _, err := b.s.kiosks.CreateKiosk(ctx, k); err != nil {
		return err
	}
	db, err := b.s.fillDB()
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	entries := &rows{s: b.s, tx: tx, head: `INSERT INTO entries (id, kiosk_id, seq, member_id, badge_hash, kiosk_time, time, accept, reason, received) VALUES `,
		params: 9, row: "(?, ?, ?, ?, '', ?, ?, ?, ?, ?)"}
	visits := &rows{s: b.s, tx: tx, head: `INSERT INTO visits (member_id, space, day, entry_id, first_time, charge) VALUES `,
		params: 4, row: "(?, '', ?, ?, ?, 'covered')"}
	const days = 365
	perDay := n/days + 1
	rng := rand.New(rand.NewPCG(1, 2))
	today := access.DayOf(time.Now(), access.Paris)
	type visit struct {
		id string
		t  time.Time
	}
	done := 0
	for d := 91 + days - 1; d >= 91 && done < n; d-- {
		day := today.AddDays(-d)
		open := day.Start(access.Paris).Add(8 * time.Hour)
		first := map[int64]visit{}
		for j := 0; j < perDay && done < n; j++ {
			member := b.members[(rng.IntN(500)*20+d*37)%len(b.members)]
			t := open.Add(time.Duration(rng.IntN(12*3600)) * time.Second)
			accept, reason := 1, string(access.OKPack)
			if rng.IntN(50) == 0 {
				accept, reason = 0, string(access.NoEntriesLeft)
			}
			done++
			id := fmt.Sprintf("0190b2a0-%04x-7000-8000-%012x", k.ID, done)
			if err := entries.add(ctx, id, k.ID, done, member, ts(t), ts(t), accept, reason, ts(t)); err != nil {
				return err
			}
			if v, ok := first[member]; accept == 1 && (!ok || t.Before(v.t)) {
				first[member] = visit{id, t}
			}
		}
		if err := entries.flush(ctx); err != nil {
			return err
		}
		for member, v := range first {
			if err := visits.add(ctx, member, day.String(), v.id, ts(v.t)); err != nil {
				return err
			}
		}
	}
	if err := entries.flush(ctx); err != nil {
		return err
	}
	if err := visits.flush(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return b.s.exec(ctx, `ANALYZE`)
}

// ts formats a time as both engines store it.
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// rows inserts rows with multi-row INSERT statements (a statement per row
// costs more than the row).
type rows struct {
	s      *store
	tx     *sql.Tx
	head   string
	params int
	row    string
	args   []any
}

func (r *rows) add(ctx context.Context, args ...any) error {
	r.args = append(r.args, args...)
	if len(r.args) >= 500*r.params {
		return r.flush(ctx)
	}
	return nil
}

func (r *rows) flush(ctx context.Context) error {
	n := len(r.args) / r.params
	if n == 0 {
		return nil
	}
	q := r.head + strings.Repeat(r.row+",", n-1) + r.row
	if _, err := r.tx.ExecContext(ctx, r.s.rebind(q), r.args...); err != nil {
		return err
	}
	r.args = r.args[:0]
	return nil
}

// post sends a gzip JSON request as a kiosk does (with its token, if any)
// and returns the size of the (gzip) answer on the wire.
func post(url, token, path string, req, resp any) (int, error) {
	var body bytes.Buffer
	zw := gzip.NewWriter(&body)
	json.NewEncoder(zw).Encode(req)
	zw.Close()
	hreq, _ := http.NewRequest(http.MethodPost, url+path, &body)
	hreq.Header.Set("Content-Encoding", "gzip")
	hreq.Header.Set("Accept-Encoding", "gzip")
	if token != "" {
		hreq.Header.Set("Authorization", "Bearer "+token)
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
