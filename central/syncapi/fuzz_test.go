package syncapi_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// FuzzPush posts arbitrary bodies, plain and gzip-compressed, to the push
// handler of a real store. It must never answer 5xx (the database is
// healthy), never store an entry twice, and a replay of an accepted body
// must store nothing and answer the same ack.
func FuzzPush(f *testing.F) {
	s := newServer(f)
	resp, _ := s.enroll("door")
	token := resp.KioskToken
	m := &central.Member{Name: "Alice"}
	if err := sqlstore.NewMemberService(s.db.DB).CreateMember(s.ctx, m); err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	for _, req := range []wire.PushRequest{
		{Protocol: 1, SentAt: now, Entries: []wire.Entry{wentry(1, m.ID, now), wentry(2, 0, now)}},
		{Protocol: 1, SentAt: now, BootID: "b", Mono: 5e12, Entries: []wire.Entry{wentry(3, m.ID, now), wentry(5, 77, now)}},
		{Protocol: 1, Entries: []wire.Entry{}},
	} {
		f.Add(mustJSON(req), false)
		f.Add(gzipped(mustJSON(req)), true)
	}
	f.Add([]byte(`{"protocol":1,"entries":[{"id":"0190f3a4-5b6c-7d8e-9f01-23456789abcd","seq":9,"time":"2026-01-01T00:00:00Z","decision":"accept","reason":"pack","member":1}]}`), false)
	f.Add([]byte("\x1f\x8b\x08\x00garbage"), true)
	f.Add([]byte(`{"protocol":1,"entries":null}`), false)

	entries := sqlstore.NewEntryService(s.db.DB)
	count := func(t *testing.T) int {
		_, n, err := entries.FindEntries(s.ctx, central.EntryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	post := func(t *testing.T, data []byte, gz bool) (int, []byte) {
		req, _ := http.NewRequest("POST", s.srv.URL+wire.PathPush, bytes.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+token)
		if gz {
			req.Header.Set("Content-Encoding", "gzip")
		}
		r, err := s.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		body, _ := io.ReadAll(r.Body)
		return r.StatusCode, body
	}
	f.Fuzz(func(t *testing.T, data []byte, gz bool) {
		before := count(t)
		status, body := post(t, data, gz)
		if status >= 500 {
			t.Fatalf("status %d: %s", status, body)
		}
		if status != 200 {
			if n := count(t); n != before {
				t.Fatalf("a refused push stored %d entries", n-before)
			}
			return
		}
		after := count(t)
		status2, body2 := post(t, data, gz)
		if status2 != 200 || !bytes.Equal(ackOf(t, body), ackOf(t, body2)) {
			t.Fatalf("replay: %d %s, first answer %s", status2, body2, body)
		}
		if n := count(t); n != after {
			t.Fatalf("replay stored %d more entries", n-after)
		}
	})
}

// ackOf returns the "ack" field of a push answer, as JSON.
func ackOf(t *testing.T, body []byte) []byte {
	i := bytes.Index(body, []byte(`"ack":`))
	if i < 0 {
		t.Fatalf("no ack in %s", body)
	}
	j := bytes.IndexByte(body[i:], ',')
	return body[i : i+j]
}
