package syncapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/central/syncapi"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// A push whose context ends while it waits for the writers' turn (another
// push holds it) changed nothing: it is answered 503 with Retry-After,
// like any busy moment, never 500, and the kiosk's next try stores its
// entries.
func TestPushWaitingForItsTurn(t *testing.T) {
	s := newServer(t)
	first, _ := s.enroll("door 1")
	second, _ := s.enroll("door 2")
	m := &central.Member{Name: "Alice"}
	if err := sqlstore.NewMemberService(s.db.DB).CreateMember(s.ctx, m); err != nil {
		t.Fatal(err)
	}
	inTx, held := make(chan struct{}), make(chan struct{})
	release := sync.OnceFunc(func() { close(held) })
	defer release() // also when the test fails: the server closes after
	var once sync.Once
	s.db.Reactions = []central.Reaction{func(central.Event, central.Settings) []central.OutboxMessage {
		once.Do(func() { // the first arrival holds its transaction
			close(inTx)
			<-held
		})
		return nil
	}}
	now := time.Now()
	push := func(seq int64) []byte {
		return mustJSON(wire.PushRequest{Protocol: wire.Version, SentAt: now, Entries: []wire.Entry{wentry(seq, m.ID, now)}})
	}
	firstDone := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", s.srv.URL+wire.PathPush, bytes.NewReader(push(1)))
		req.Header.Set("Authorization", "Bearer "+first.KioskToken)
		resp, err := s.srv.Client().Do(req)
		if err != nil {
			firstDone <- 0
			return
		}
		resp.Body.Close()
		firstDone <- resp.StatusCode
	}()
	<-inTx

	h := &syncapi.Handler{Kiosks: sqlstore.NewKioskService(s.db.DB), Sync: sqlstore.NewSyncService(s.db.DB),
		Spaces: sqlstore.NewSpaceService(s.db.DB), Logger: slog.New(slog.NewTextHandler(s.logs, nil))}
	mux := http.NewServeMux()
	h.Register(mux)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, "POST", wire.PathPush, bytes.NewReader(push(1)))
	req.Header.Set("Authorization", "Bearer "+second.KioskToken)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	var werr wire.Error
	json.Unmarshal(rec.Body.Bytes(), &werr)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || werr.Code != wire.CodeInternal {
		t.Fatalf("a push that waited past its deadline: %d Retry-After %q %+v, want 503 with Retry-After (internal)",
			rec.Code, rec.Header().Get("Retry-After"), werr)
	}

	release()
	if status := <-firstDone; status != http.StatusOK {
		t.Fatalf("the first push: %d", status)
	}
	var pr wire.PushResponse
	if status, werr := s.post(wire.PathPush, second.KioskToken, push(1), &pr); status != 200 || pr.Ack != 1 {
		t.Fatalf("the second kiosk's next try: %d %+v ack %d", status, werr, pr.Ack)
	}
	if _, n, err := sqlstore.NewEntryService(s.db.DB).FindEntries(s.ctx, central.EntryFilter{}); err != nil || n != 2 {
		t.Fatalf("%d entries stored (%v), want 2", n, err)
	}
}
