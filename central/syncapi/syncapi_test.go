package syncapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/central/syncapi"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// server is centrald's sync API on a real database in a temporary folder.
type server struct {
	t      testing.TB
	db     *sqlite.DB
	srv    *httptest.Server
	kiosks *sqlstore.KioskService
	logs   *syncBuffer
	ctx    context.Context
}

// syncBuffer collects logs from concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newServer(t testing.TB) *server {
	t.Helper()
	db := sqlite.NewDB(t.TempDir())
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	logs := &syncBuffer{}
	h := &syncapi.Handler{Kiosks: sqlstore.NewKioskService(db.DB), Sync: sqlstore.NewSyncService(db.DB),
		Spaces: sqlstore.NewSpaceService(db.DB), Health: sqlstore.NewKioskService(db.DB), Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &server{t: t, db: db, srv: srv, kiosks: sqlstore.NewKioskService(db.DB), logs: logs, ctx: context.Background()}
}

// enroll adds a kiosk and enrolls it through the API; it returns its token.
func (s *server) enroll(name string) (wire.EnrollResponse, string) {
	s.t.Helper()
	enrollToken, err := s.kiosks.CreateKiosk(s.ctx, &central.Kiosk{Name: name})
	if err != nil {
		s.t.Fatal(err)
	}
	var resp wire.EnrollResponse
	status, _ := s.post(wire.PathEnroll, "", wire.EnrollRequest{Protocol: wire.Version, Token: enrollToken, Software: "kioskd test"}, &resp)
	if status != 200 {
		s.t.Fatalf("enroll: status %d", status)
	}
	return resp, enrollToken
}

// post sends v (JSON, or raw bytes when v is []byte) and decodes the answer
// into out; it returns the status and the wire error, if any.
func (s *server) post(path, token string, v any, out any, opts ...func(*http.Request)) (int, wire.Error) {
	s.t.Helper()
	var data []byte
	if b, ok := v.([]byte); ok {
		data = b
	} else {
		var err error
		if data, err = json.Marshal(v); err != nil {
			s.t.Fatal(err)
		}
	}
	req, _ := http.NewRequest("POST", s.srv.URL+path, bytes.NewReader(data))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, o := range opts {
		o(req)
	}
	resp, err := s.srv.Client().Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Content-Encoding") == "gzip" { // asked for by an option
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			s.t.Fatal(err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			s.t.Fatal(err)
		}
	}
	var werr wire.Error
	if resp.StatusCode != 200 {
		if err := json.Unmarshal(body, &werr); err != nil {
			s.t.Fatalf("status %d with a body that is not a wire.Error: %q", resp.StatusCode, body)
		}
		return resp.StatusCode, werr
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			s.t.Fatalf("answer %q: %v", body, err)
		}
	}
	return resp.StatusCode, werr
}

func gzipped(data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

func withGzip(r *http.Request) { r.Header.Set("Content-Encoding", "gzip") }

func wentry(seq, member int64, t time.Time) wire.Entry {
	e := wire.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: seq, Time: t, Member: member,
		Badge: strings.Repeat("ab", 32), Decision: wire.DecisionAccept, Reason: string(access.OKPack)}
	if member == 0 {
		e.Decision, e.Reason = wire.DecisionRefuse, string(access.UnknownBadge)
	}
	return e
}

func TestEnroll(t *testing.T) {
	t.Run("TokenUsedOnce", func(t *testing.T) {
		s := newServer(t)
		resp, enrollToken := s.enroll("Front door")
		if resp.KioskID == 0 || resp.KioskName != "Front door" || resp.Space != "Badgeuse" || !strings.HasPrefix(resp.KioskToken, central.KioskTokenPrefix) {
			t.Fatalf("enroll answer %+v", resp)
		}
		status, werr := s.post(wire.PathEnroll, "", wire.EnrollRequest{Protocol: wire.Version, Token: enrollToken}, nil)
		if status != 409 || werr.Code != wire.CodeTokenUsed {
			t.Fatalf("second enroll: %d %+v", status, werr)
		}
		if strings.Contains(s.logs.String(), resp.KioskToken) || strings.Contains(s.logs.String(), enrollToken) {
			t.Fatal("a token reached the logs")
		}
	})
	// A kiosk enrolled after its space was renamed was told the space's
	// first name (its key) alone, which kioskd enroll printed until its
	// first sync: the answer adds space_name, the current name; space
	// stays what it was (the key, or the main space's name).
	t.Run("RenamedSpace", func(t *testing.T) {
		s := newServer(t)
		spaces := sqlstore.NewSpaceService(s.db.DB)
		sp := &central.Space{Name: "La Cantine"}
		if err := spaces.CreateSpace(s.ctx, sp); err != nil {
			t.Fatal(err)
		}
		if err := spaces.RenameSpace(s.ctx, sp.ID, "Cantine des Pentes"); err != nil {
			t.Fatal(err)
		}
		if err := spaces.RenameSpace(s.ctx, central.MainSpace, "La Ruche"); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ space, wantSpace, wantName string }{
			{sp.Key, "La Cantine", "Cantine des Pentes"},
			{"", "La Ruche", "La Ruche"},
		} {
			token, err := s.kiosks.CreateKiosk(s.ctx, &central.Kiosk{Name: "Porte", Space: tc.space})
			if err != nil {
				t.Fatal(err)
			}
			var resp wire.EnrollResponse
			if status, werr := s.post(wire.PathEnroll, "", wire.EnrollRequest{Protocol: wire.Version, Token: token}, &resp); status != 200 {
				t.Fatalf("enroll: %d %+v", status, werr)
			}
			if resp.Space != tc.wantSpace || resp.SpaceName != tc.wantName {
				t.Errorf("a kiosk of space %q enrolled: space %q, space_name %q; want %q, %q", tc.space, resp.Space, resp.SpaceName, tc.wantSpace, tc.wantName)
			}
		}
	})
	t.Run("ErrUnknownToken", func(t *testing.T) {
		s := newServer(t)
		status, werr := s.post(wire.PathEnroll, "", wire.EnrollRequest{Protocol: wire.Version, Token: "bge1_guess"}, nil)
		if status != 401 || werr.Code != wire.CodeUnauthorized {
			t.Fatalf("%d %+v", status, werr)
		}
	})
	t.Run("ErrProtocolTooOld", func(t *testing.T) {
		s := newServer(t)
		status, werr := s.post(wire.PathEnroll, "", wire.EnrollRequest{Protocol: 0, Token: "x"}, nil)
		if status != 400 || werr.Code != wire.CodeProtocolTooOld {
			t.Fatalf("%d %+v", status, werr)
		}
	})
}

func TestAuth(t *testing.T) {
	s := newServer(t)
	resp, _ := s.enroll("door")
	pull := wire.PullRequest{Protocol: wire.Version}
	for _, tc := range []struct {
		name   string
		token  string
		header string
		status int
		code   string
	}{
		{"Missing", "", "", 401, wire.CodeUnauthorized},
		{"Wrong", "bgk1_wrong", "", 401, wire.CodeUnauthorized},
		{"NotBearer", "", "Basic " + resp.KioskToken, 401, wire.CodeUnauthorized},
		{"OK", resp.KioskToken, "", 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, werr := s.post(wire.PathPull, tc.token, pull, nil, func(r *http.Request) {
				if tc.header != "" {
					r.Header.Set("Authorization", tc.header)
				}
			})
			if status != tc.status || werr.Code != tc.code {
				t.Fatalf("%d %+v, want %d %s", status, werr, tc.status, tc.code)
			}
		})
	}
	t.Run("Disabled", func(t *testing.T) {
		if err := s.kiosks.SetKioskDisabled(s.ctx, resp.KioskID, true); err != nil {
			t.Fatal(err)
		}
		status, werr := s.post(wire.PathPush, resp.KioskToken, wire.PushRequest{Protocol: wire.Version}, nil)
		if status != 403 || werr.Code != wire.CodeKioskDisabled {
			t.Fatalf("%d %+v", status, werr)
		}
	})
	t.Run("WrongMethod", func(t *testing.T) {
		r, err := s.srv.Client().Get(s.srv.URL + wire.PathPull)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != 405 {
			t.Fatalf("GET: %d", r.StatusCode)
		}
	})
}

func TestPush(t *testing.T) {
	s := newServer(t)
	resp, _ := s.enroll("door")
	token := resp.KioskToken
	ms := sqlstore.NewMemberService(s.db.DB)
	m := &central.Member{Name: "Alice"}
	if err := ms.CreateMember(s.ctx, m); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	batch := wire.PushRequest{Protocol: wire.Version, SentAt: now, Software: "kioskd 2", Pending: 3,
		Entries: []wire.Entry{wentry(1, m.ID, now), wentry(2, 0, now)}}
	t.Run("ReplayAnswersTheSameAck", func(t *testing.T) {
		for i := range 3 {
			var pr wire.PushResponse
			status, werr := s.post(wire.PathPush, token, gzipped(mustJSON(batch)), &pr, withGzip)
			if status != 200 || pr.Ack != 2 {
				t.Fatalf("push %d: %d %+v ack %d", i, status, werr, pr.Ack)
			}
		}
		es, n, _ := sqlstore.NewEntryService(s.db.DB).FindEntries(s.ctx, central.EntryFilter{})
		if n != 2 || es[0].Member != m.ID {
			t.Fatalf("%d entries stored", n)
		}
		k, _ := s.kiosks.FindKioskByID(s.ctx, resp.KioskID)
		if k.Software != "kioskd 2" || k.Pending != 3 || k.Acked != 2 {
			t.Fatalf("kiosk %+v", k)
		}
		if strings.Contains(s.logs.String(), strings.Repeat("ab", 32)) {
			t.Fatal("a badge hash reached the logs")
		}
	})
	t.Run("GapKeepsAckBelow", func(t *testing.T) {
		var pr wire.PushResponse
		s.post(wire.PathPush, token, wire.PushRequest{Protocol: wire.Version, SentAt: now, Entries: []wire.Entry{wentry(4, 0, now)}}, &pr)
		if pr.Ack != 2 {
			t.Fatalf("ack %d after a gap, want 2", pr.Ack)
		}
	})
	for _, tc := range []struct {
		name   string
		body   []byte
		opts   []func(*http.Request)
		status int
		code   string
	}{
		{"ErrNotJSON", []byte("{"), nil, 400, wire.CodeBadRequest},
		{"ErrTrailingData", append(mustJSON(batch), []byte(" {}")...), nil, 400, wire.CodeBadRequest},
		{"ErrBadEntry", []byte(`{"protocol":1,"entries":[{"id":"x","seq":1}]}`), nil, 400, wire.CodeBadRequest},
		{"ErrTooOld", []byte(`{"protocol":0,"entries":[]}`), nil, 400, wire.CodeProtocolTooOld},
		{"ErrNotGzip", []byte(`{"protocol":1}`), []func(*http.Request){withGzip}, 400, wire.CodeBadRequest},
		{"ErrTruncatedGzip", gzipped(mustJSON(batch))[:20], []func(*http.Request){withGzip}, 400, wire.CodeBadRequest},
		{"ErrUnknownEncoding", []byte(`{"protocol":1}`), []func(*http.Request){func(r *http.Request) { r.Header.Set("Content-Encoding", "br") }}, 415, wire.CodeBadRequest},
		{"ErrTooLarge", []byte(`{"protocol":1,"software":"` + strings.Repeat("x", wire.MaxBodyBytes) + `"}`), nil, 413, wire.CodeTooLarge},
		{"ErrGzipBomb", bomb(64 << 20), []func(*http.Request){withGzip}, 413, wire.CodeTooLarge},
		{"ErrTooManyEntries", mustJSON(manyEntries(wire.MaxBatch + 1)), nil, 413, wire.CodeTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, werr := s.post(wire.PathPush, token, tc.body, nil, tc.opts...)
			if status != tc.status || werr.Code != tc.code {
				t.Fatalf("%d %+v, want %d %s", status, werr, tc.status, tc.code)
			}
		})
	}
}

// bomb is a gzip stream of n zero bytes inside a JSON string: a few
// kilobytes on the wire.
func bomb(n int) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write([]byte(`{"protocol":1,"software":"`))
	zeros := make([]byte, 1<<20)
	for i := range zeros {
		zeros[i] = 'a'
	}
	for range n >> 20 {
		zw.Write(zeros)
	}
	zw.Write([]byte(`"}`))
	zw.Close()
	return b.Bytes()
}

func manyEntries(n int) wire.PushRequest {
	r := wire.PushRequest{Protocol: wire.Version, SentAt: time.Now()}
	for i := range n {
		r.Entries = append(r.Entries, wentry(int64(i+1), 0, time.Now()))
	}
	return r
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func TestPull(t *testing.T) {
	s := newServer(t)
	resp, _ := s.enroll("door")
	ms := sqlstore.NewMemberService(s.db.DB)
	var ids []int64
	for i := range 5 {
		m := &central.Member{Name: "M" + string(rune('A'+i))}
		if err := ms.CreateMember(s.ctx, m); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	b, secret, err := sqlstore.NewBadgeService(s.db.DB).IssueBadge(s.ctx, ids[0], false)
	if err != nil {
		t.Fatal(err)
	}
	var got []wire.Member
	var cursor int64
	page := ""
	for {
		var pr wire.PullResponse
		status, werr := s.post(wire.PathPull, resp.KioskToken, wire.PullRequest{Protocol: wire.Version, Page: page, Limit: 2}, &pr,
			func(r *http.Request) { r.Header.Set("Accept-Encoding", "gzip") })
		if status != 200 {
			t.Fatalf("%d %+v", status, werr)
		}
		if !pr.Snapshot || pr.Settings.Timezone != "Europe/Paris" || pr.ServerTime.IsZero() {
			t.Fatalf("page %+v", pr)
		}
		got = append(got, pr.Members...)
		cursor = pr.Cursor
		if !pr.More {
			break
		}
		page = pr.Page
	}
	if len(got) != 5 || got[0].ID != ids[0] || len(got[0].Badges) != 1 || got[0].Badges[0].Hash != b.Hash.String() {
		t.Fatalf("members %+v", got)
	}
	if got[0].Name != "MA" || got[4].Name != "ME" {
		t.Fatalf("members' first names %q %q, want MA and ME (door.show_names is on by default)", got[0].Name, got[4].Name)
	}
	if h, _ := badge.HashText(secret.Text()); got[0].Badges[0].Hash != h.String() {
		t.Fatal("the kiosk cannot match the printed badge")
	}
	// Nothing changed: an empty incremental page.
	var pr wire.PullResponse
	s.post(wire.PathPull, resp.KioskToken, wire.PullRequest{Protocol: wire.Version, Cursor: cursor}, &pr)
	if pr.Snapshot || len(pr.Members) != 0 || pr.Cursor != cursor {
		t.Fatalf("incremental %+v", pr)
	}
	status, werr := s.post(wire.PathPull, resp.KioskToken, wire.PullRequest{Protocol: wire.Version, Page: "garbage!"}, nil)
	if status != 400 || werr.Code != wire.CodeBadRequest {
		t.Fatalf("bad page: %d %+v", status, werr)
	}
}

// TestGzipAnswer checks that answers are compressed only when asked.
func TestGzipAnswer(t *testing.T) {
	s := newServer(t)
	resp, _ := s.enroll("door")
	ms := sqlstore.NewMemberService(s.db.DB)
	for range 30 {
		ms.CreateMember(s.ctx, &central.Member{Name: "Someone"})
	}
	for _, accept := range []string{"gzip", "", "gzip;q=0"} {
		req, _ := http.NewRequest("POST", s.srv.URL+wire.PathPull, bytes.NewReader(mustJSON(wire.PullRequest{Protocol: 1})))
		req.Header.Set("Authorization", "Bearer "+resp.KioskToken)
		req.Header.Set("Accept-Encoding", accept)
		r, err := s.srv.Client().Transport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if got := r.Header.Get("Content-Encoding") == "gzip"; got != (accept == "gzip") {
			t.Errorf("Accept-Encoding %q: gzip answer %v", accept, got)
		}
	}
}

// TestPushExtremeDates: an entry dated 9999-12-31 (day 10000-01-01 in
// Paris) or 2100 never fails the push nor blocks the entries behind it, and
// never debits a day to come (issue 10, item 8).
func TestPushExtremeDates(t *testing.T) {
	s := newServer(t)
	resp, _ := s.enroll("door")
	m := &central.Member{Name: "Alice"}
	if err := sqlstore.NewMemberService(s.db.DB).CreateMember(s.ctx, m); err != nil {
		t.Fatal(err)
	}
	p := &central.Product{Name: "Carnet", Kind: access.Pack, Entries: 10, Price: 10000}
	if err := sqlstore.NewProductService(s.db.DB).CreateProduct(s.ctx, p); err != nil {
		t.Fatal(err)
	}
	ledger := sqlstore.NewLedgerService(s.db.DB)
	if _, err := ledger.CreateSale(s.ctx, central.NewSale{Member: m.ID, Product: p.ID, Source: central.SourceCLI}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	batch := []wire.Entry{
		wentry(1, m.ID, time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)),
		wentry(2, m.ID, time.Date(2100, 6, 1, 12, 0, 0, 0, time.UTC)),
		wentry(3, 0, now),
	}
	var pr wire.PushResponse
	status, werr := s.post(wire.PathPush, resp.KioskToken, wire.PushRequest{Protocol: wire.Version, SentAt: now, Entries: batch}, &pr)
	if status != 200 || pr.Ack != 3 {
		t.Fatalf("push: %d %+v ack %d, want 200 and ack 3", status, werr, pr.Ack)
	}
	// The entries behind keep flowing.
	status, werr = s.post(wire.PathPush, resp.KioskToken, wire.PushRequest{Protocol: wire.Version, SentAt: now,
		Entries: []wire.Entry{wentry(4, 0, now)}}, &pr)
	if status != 200 || pr.Ack != 4 {
		t.Fatalf("next push: %d %+v ack %d, want 200 and ack 4", status, werr, pr.Ack)
	}
	es, n, err := sqlstore.NewEntryService(s.db.DB).FindEntries(s.ctx, central.EntryFilter{})
	if err != nil || n != 4 {
		t.Fatalf("%d entries stored (%v), want 4", n, err)
	}
	for _, e := range es {
		if e.Time.After(time.Now()) {
			t.Errorf("entry %d: time %v in the future", e.Seq, e.Time)
		}
		if e.Seq <= 2 && (!e.ClockUnsure || e.KioskTime.Year() < 2100) {
			t.Errorf("entry %d: unsure %v, kiosk time %v: want flagged, kiosk time kept", e.Seq, e.ClockUnsure, e.KioskTime)
		}
	}
	vs, _, err := sqlstore.NewEntryService(s.db.DB).FindVisits(s.ctx, central.VisitFilter{Member: &m.ID})
	if err != nil {
		t.Fatal(err)
	}
	today := access.DayOf(time.Now(), access.Paris)
	if len(vs) != 1 || vs[0].Day.After(today) {
		t.Fatalf("visits %+v, want one, not after %s", vs, today)
	}
	b, err := ledger.MemberBalance(s.ctx, m.ID, access.Day{})
	if err != nil || b.EntriesLeft != 9 {
		t.Fatalf("entries left %d (%v), want 9: one visit debited, none in the future", b.EntriesLeft, err)
	}
}

// TestPushClockAt1970: a Pi without a real-time clock that decided before
// NTP set its clock dates its entries 1970. They are accepted, corrected
// from the monotonic clock when they come from the push's boot, flagged
// otherwise, and never block the batch nor the entries behind it.
func TestPushClockAt1970(t *testing.T) {
	s := newServer(t)
	resp, _ := s.enroll("door")
	now := time.Now()
	epoch := time.Date(1970, 1, 1, 0, 0, 42, 0, time.UTC)
	sameBoot := wentry(1, 0, epoch)
	sameBoot.ClockUnsure, sameBoot.BootID, sameBoot.Mono = true, "boot-1", int64(10*time.Second)
	otherBoot := wentry(2, 0, epoch)
	otherBoot.ClockUnsure, otherBoot.BootID, otherBoot.Mono = true, "boot-0", int64(5*time.Second)
	var pr wire.PushResponse
	status, werr := s.post(wire.PathPush, resp.KioskToken, wire.PushRequest{Protocol: wire.Version, SentAt: epoch.Add(20 * time.Second),
		BootID: "boot-1", Mono: int64(20 * time.Second), Entries: []wire.Entry{sameBoot, otherBoot, wentry(3, 0, now)}}, &pr)
	if status != 200 || pr.Ack != 3 {
		t.Fatalf("push: %d %+v ack %d, want 200 and ack 3", status, werr, pr.Ack)
	}
	es, n, err := sqlstore.NewEntryService(s.db.DB).FindEntries(s.ctx, central.EntryFilter{})
	if err != nil || n != 3 {
		t.Fatalf("%d entries stored (%v), want 3", n, err)
	}
	for _, e := range es {
		switch e.Seq {
		case 1:
			if !e.TimeCorrected || e.Time.Before(now.Add(-time.Minute)) || e.Time.After(time.Now()) {
				t.Errorf("same boot: time %v corrected %v, want about 10 s before the push", e.Time, e.TimeCorrected)
			}
		case 2:
			if !e.ClockUnsure || e.Time.After(time.Now()) {
				t.Errorf("other boot: unsure %v time %v, want flagged, not in the future", e.ClockUnsure, e.Time)
			}
		}
	}
}

// TestPushConflictsAndNextSeq: a new entry at a sequence central holds
// with another id (a kiosk restored from a backup) is answered in
// conflicts, with next_seq, for the kiosk to renumber (issue 10, item 7).
func TestPushConflictsAndNextSeq(t *testing.T) {
	s := newServer(t)
	resp, _ := s.enroll("door")
	now := time.Now()
	push := func(es ...wire.Entry) (wire.PushResponse, map[string]any) {
		t.Helper()
		var pr wire.PushResponse
		var raw map[string]any
		req := wire.PushRequest{Protocol: wire.Version, SentAt: now, Entries: es}
		if status, werr := s.post(wire.PathPush, resp.KioskToken, req, &pr); status != 200 {
			t.Fatalf("push: %d %+v", status, werr)
		}
		s.post(wire.PathPush, resp.KioskToken, req, &raw)
		return pr, raw
	}
	a, b := wentry(1, 0, now), wentry(2, 0, now)
	if pr, raw := push(a, b); pr.Ack != 2 || pr.NextSeq != 3 || pr.Conflicts != nil || raw["conflicts"] != nil {
		t.Fatalf("%+v %v: want ack 2, next 3, no conflicts field", pr, raw)
	}
	pr, _ := push(wentry(2, 0, now), wentry(3, 0, now))
	if pr.Ack != 3 || pr.NextSeq != 4 || !slices.Equal(pr.Conflicts, []int64{2}) {
		t.Fatalf("%+v: want ack 3, next 4, conflicts [2]", pr)
	}
	// The id is normalised at the edge: the same entry in upper case is a
	// replay, not a new entry.
	upper := a
	upper.ID = strings.ToUpper(a.ID)
	if pr, _ := push(upper); pr.Ack != 3 || pr.Conflicts != nil {
		t.Fatalf("%+v: an upper-case id of a held entry, want a replay", pr)
	}
	if es, n, _ := sqlstore.NewEntryService(s.db.DB).FindEntries(s.ctx, central.EntryFilter{}); n != 3 || es[0].ID != a.ID {
		t.Fatalf("%d entries, first %q; want 3, %q", n, es[0].ID, a.ID)
	}
	if !strings.Contains(s.logs.String(), "renumbers") {
		t.Fatalf("no warning logged:\n%s", s.logs)
	}
}

// TestHealthReport: a pull carries the kiosk's health report (protocol
// version 3); central keeps the last one, with its clock offset, and takes
// the version from it. A version 2 pull (no report) still works, and a
// report out of bounds is refused.
func TestHealthReport(t *testing.T) {
	s := newServer(t)
	resp, _ := s.enroll("door")
	token := resp.KioskToken
	if status, werr := s.post(wire.PathPull, token, wire.PullRequest{Protocol: 2}, nil); status != 200 {
		t.Fatalf("version 2 pull: %d %+v", status, werr)
	}
	hs, err := s.kiosks.KioskHealths(s.ctx)
	if err != nil || len(hs) != 0 {
		t.Fatalf("a pull without a report made %v (%v)", hs, err)
	}
	kioskClock := time.Now().Add(3 * time.Minute) // 3 minutes fast
	last := kioskClock.Add(-time.Minute).UTC().Truncate(time.Microsecond)
	report := &wire.Health{Time: kioskClock, Started: kioskClock.Add(-time.Hour), Uptime: 3600, CameraOK: false,
		CameraError: "camera V4L2 device /dev/video0: cannot open", CameraFPS: 0, LastFrame: last,
		DiskFree: 5 << 30, DiskTotal: 30 << 30, DatabaseBytes: 2 << 20, Software: "1.5.0"}
	if status, werr := s.post(wire.PathPull, token, wire.PullRequest{Protocol: wire.Version, Health: report}, nil); status != 200 {
		t.Fatalf("pull with a report: %d %+v", status, werr)
	}
	hs, err = s.kiosks.KioskHealths(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := hs[resp.KioskID]
	if h == nil || h.CameraOK || h.CameraError != report.CameraError || !h.LastFrame.Equal(last) || h.DiskFree != 5<<30 ||
		h.Software != "1.5.0" || h.ClockOffset < 2*time.Minute || h.ClockOffset > 4*time.Minute {
		t.Fatalf("stored health %+v", h)
	}
	k, err := s.kiosks.FindKioskByID(s.ctx, resp.KioskID)
	if err != nil || k.Software != "1.5.0" {
		t.Fatalf("kiosk's version %q (%v), want the report's", k.Software, err)
	}
	bad := *report
	bad.DiskFree = -7
	if status, werr := s.post(wire.PathPull, token, wire.PullRequest{Protocol: wire.Version, Health: &bad}, nil); status != 400 || werr.Code != wire.CodeBadRequest {
		t.Fatalf("report with a negative size: %d %+v", status, werr)
	}
}

// TestHealthReportNumbersInRange: a report's numbers are taken as they
// are only where central can hold them. An uptime beyond what a duration
// holds (292 years) was stored as a negative one, and a disk of over
// 461 PB all free set off the "disk nearly full" alert (its size times
// 20 wrapped around): the first is refused like any malformed report, the
// second is a disk with room.
func TestHealthReportNumbersInRange(t *testing.T) {
	s := newServer(t)
	resp, _ := s.enroll("door")
	now := time.Now()
	report := wire.Health{Time: now, Started: now.Add(-time.Hour), Uptime: 3600, CameraOK: true, LastFrame: now,
		DiskFree: 1 << 62, DiskTotal: 1 << 62, DatabaseBytes: 2 << 20, Software: "1.5.0"}
	if status, werr := s.post(wire.PathPull, resp.KioskToken, wire.PullRequest{Protocol: wire.Version, Health: &report}, nil); status != 200 {
		t.Fatalf("pull with a huge empty disk: %d %+v", status, werr)
	}
	hs, err := s.kiosks.KioskHealths(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if h := hs[resp.KioskID]; h == nil || h.DiskLow() || !h.DiskLowSince.IsZero() {
		t.Errorf("a huge empty disk reported nearly full: %+v", h)
	}
	report.Uptime = 9e18 // seconds
	if status, werr := s.post(wire.PathPull, resp.KioskToken, wire.PullRequest{Protocol: wire.Version, Health: &report}, nil); status != 400 || werr.Code != wire.CodeBadRequest {
		t.Errorf("report with an uptime of 9e18 s: %d %+v, want 400 bad_request", status, werr)
	}
	if hs, err := s.kiosks.KioskHealths(s.ctx); err != nil || hs[resp.KioskID].Uptime != time.Hour {
		t.Errorf("stored uptime %v (%v), want the hour of the first report", hs[resp.KioskID].Uptime, err)
	}
}
