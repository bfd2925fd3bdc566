package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/postgres"
	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// Several centrald on one database: each test opens two DBs (two pools,
// two owners: what two processes have) on one database.

func twoProcesses(t *testing.T) (a, b *postgres.DB) {
	t.Helper()
	url := pgtest.DBFrom(t, migrated(t))
	open := func() *postgres.DB {
		db := postgres.NewDB(url)
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	return open(), open()
}

var cli = central.NewContextWithActor(context.Background(), central.ActorCLI)

// TestOutboxClaimedOnceAcrossProcesses: workers of two processes claiming
// the same topic at once each get different messages; every message is
// handled exactly once.
func TestOutboxClaimedOnceAcrossProcesses(t *testing.T) {
	a, b := twoProcesses(t)
	const n = 200
	for i := range n {
		if ok, err := sqlstore.NewOutboxService(a.DB).EnqueueOutbox(cli, central.OutboxMessage{Topic: "slack.arrival",
			Key: fmt.Sprintf("k%d", i), Payload: "{}"}); err != nil || !ok {
			t.Fatal(ok, err)
		}
	}
	var mu sync.Mutex
	handled := map[string]int{}
	var wg sync.WaitGroup
	for w := range 6 {
		db := a
		if w%2 == 1 {
			db = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ob := sqlstore.NewOutboxService(db.DB)
			for {
				items, err := ob.ClaimOutbox(cli, "slack.arrival", 3, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if len(items) == 0 {
					return
				}
				for _, it := range items {
					mu.Lock()
					handled[it.Key]++
					mu.Unlock()
					if err := ob.FinishOutbox(cli, it.ID, central.OutcomeSent, ""); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if len(handled) != n {
		t.Fatalf("%d messages handled, want %d", len(handled), n)
	}
	for k, c := range handled {
		if c != 1 {
			t.Errorf("%s handled %d times", k, c)
		}
	}
}

// TestReleaseKeepsLivingProcessesClaims: a centrald that restarts releases
// the claims of a dead process, never those of another one still running.
func TestReleaseKeepsLivingProcessesClaims(t *testing.T) {
	a, b := twoProcesses(t)
	oa := sqlstore.NewOutboxService(a.DB)
	for _, k := range []string{"living", "dead"} {
		if _, err := oa.EnqueueOutbox(cli, central.OutboxMessage{Topic: "slack.x", Key: k}); err != nil {
			t.Fatal(err)
		}
	}
	// b claims "living"; a third process claims "dead" and dies.
	if items, err := sqlstore.NewOutboxService(b.DB).ClaimOutbox(cli, "slack.x", 1, time.Hour); err != nil || len(items) != 1 || items[0].Key != "living" {
		t.Fatalf("claim %v %v", items, err)
	}
	c := postgres.NewDB(a.URL)
	if err := c.Open(); err != nil {
		t.Fatal(err)
	}
	if items, err := sqlstore.NewOutboxService(c.DB).ClaimOutbox(cli, "slack.x", 1, time.Hour); err != nil || len(items) != 1 || items[0].Key != "dead" {
		t.Fatalf("claim %v %v", items, err)
	}
	c.Close() // its session ends: its owner lock is free
	// The server ends a closed session's backend, and frees its locks, a
	// moment after the client has gone: until then the dead process
	// still looks alive, and nothing is released yet. Never more than the
	// dead process's claim.
	for deadline := time.Now().Add(10 * time.Second); ; {
		n, err := oa.ReleaseOutbox(cli, "slack.")
		if err != nil || n > 1 || (n == 0 && time.Now().After(deadline)) {
			t.Fatalf("released %d, %v; want 1 (the dead process's claim only)", n, err)
		}
		if n == 1 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	items, err := oa.ClaimOutbox(cli, "slack.x", 5, time.Hour)
	if err != nil || len(items) != 1 || items[0].Key != "dead" {
		t.Fatalf("claim after release %v %v; want the dead process's message only", items, err)
	}
}

// TestConcurrentPushesStoredOnce: the same batch pushed through two
// processes at once (a kiosk retrying through another centrald) is stored
// once: one entry each, one visit, the card debited once, one arrival
// message.
func TestConcurrentPushesStoredOnce(t *testing.T) {
	a, b := twoProcesses(t)
	for _, db := range []*postgres.DB{a, b} {
		db.Reactions = []central.Reaction{func(ev central.Event, _ central.Settings) []central.OutboxMessage {
			if ar, ok := ev.(central.Arrival); ok {
				return []central.OutboxMessage{{Topic: "slack.arrival", Key: "arrival:" + ar.Entry.ID}}
			}
			return nil
		}}
	}
	k := &central.Kiosk{Name: "door"}
	token, err := sqlstore.NewKioskService(a.DB).CreateKiosk(cli, k)
	if err != nil {
		t.Fatal(err)
	}
	if k, _, err = sqlstore.NewKioskService(a.DB).Enroll(cli, token, "test"); err != nil {
		t.Fatal(err)
	}
	p := &central.Product{Name: "10", Kind: access.Pack, Entries: 10, Price: 100}
	if err := sqlstore.NewProductService(a.DB).CreateProduct(cli, p); err != nil {
		t.Fatal(err)
	}
	const members = 20
	var ids []int64
	for i := range members {
		m := &central.Member{Name: fmt.Sprintf("M%d", i)}
		if err := sqlstore.NewMemberService(a.DB).CreateMember(cli, m); err != nil {
			t.Fatal(err)
		}
		if _, err := sqlstore.NewLedgerService(a.DB).CreateSale(cli, central.NewSale{Member: m.ID, Product: p.ID, Source: central.SourceCLI}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	now := time.Now()
	for round := range 5 {
		var es []*central.Entry
		for i, id := range ids {
			es = append(es, &central.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: int64(round*members + i + 1), Member: id,
				KioskTime: now.Add(-time.Duration(5-round) * 24 * time.Hour), Accept: true, Reason: access.OKPack})
		}
		var wg sync.WaitGroup
		acks := make([]int64, 4)
		for i := range 4 {
			db := a
			if i%2 == 1 {
				db = b
			}
			batch := make([]*central.Entry, len(es))
			for j, e := range es {
				c := *e
				batch[j] = &c
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := sqlstore.NewSyncService(db.DB).Push(cli, &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: batch})
				if err != nil {
					t.Error(err)
					return
				}
				acks[i] = res.Ack
			}()
		}
		wg.Wait()
		for i, ack := range acks {
			if want := int64((round + 1) * members); ack != want {
				t.Fatalf("round %d push %d: ack %d, want %d", round, i, ack, want)
			}
		}
	}
	_, n, err := sqlstore.NewEntryService(b.DB).FindEntries(cli, central.EntryFilter{})
	if err != nil || n != 5*members {
		t.Fatalf("%d entries, %v; want %d", n, err, 5*members)
	}
	for _, id := range ids {
		bal, err := sqlstore.NewLedgerService(b.DB).MemberBalance(cli, id, access.Day{})
		if err != nil {
			t.Fatal(err)
		}
		if bal.EntriesLeft != 10-5 {
			t.Fatalf("member %d: %d entries left, want 5 (one visit a day, debited once)", id, bal.EntriesLeft)
		}
	}
	_, queued, err := sqlstore.NewOutboxService(a.DB).FindOutbox(cli, central.OutboxFilter{TopicPrefix: "slack.arrival"})
	if err != nil || queued != 5*members {
		t.Fatalf("%d arrival messages, %v; want %d", queued, err, 5*members)
	}
}

// TestPullNeverMissesAChange: while two processes change members at once,
// a kiosk pulling incrementally through either process ends with every
// member at her last version: no version committed by the other process
// was skipped by a cursor.
func TestPullNeverMissesAChange(t *testing.T) {
	a, b := twoProcesses(t)
	k := &central.Kiosk{Name: "door"}
	token, err := sqlstore.NewKioskService(a.DB).CreateKiosk(cli, k)
	if err != nil {
		t.Fatal(err)
	}
	if k, _, err = sqlstore.NewKioskService(a.DB).Enroll(cli, token, "test"); err != nil {
		t.Fatal(err)
	}
	const members = 30
	var ids []int64
	for i := range members {
		m := &central.Member{Name: fmt.Sprintf("M%d", i)}
		if err := sqlstore.NewMemberService(a.DB).CreateMember(cli, m); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	// The kiosk's copy: member id -> status, built from pulls.
	copyOf := map[int64]access.MemberStatus{}
	var cursor int64
	pull := func(db *postgres.DB) {
		page := ""
		for {
			p, err := sqlstore.NewSyncService(db.DB).Pull(cli, central.PullRequest{Kiosk: k.ID, Cursor: cursor, Page: page, Limit: 7})
			if err != nil {
				t.Error(err)
				return
			}
			if p.Snapshot && page == "" {
				clear(copyOf)
			}
			for _, m := range p.Members {
				copyOf[m.ID] = m.Status
			}
			if !p.More {
				cursor = p.Cursor
				return
			}
			page = p.Page
		}
	}
	pull(a)
	done := make(chan struct{})
	var wg sync.WaitGroup
	statuses := []access.MemberStatus{access.MemberSuspended, access.MemberActive, access.MemberArchived}
	for w, db := range []*postgres.DB{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ms := sqlstore.NewMemberService(db.DB)
			for i := range 60 {
				id := ids[(i*7+w*13)%members]
				st := statuses[(i+w)%len(statuses)]
				if _, err := ms.UpdateMember(cli, id, central.MemberUpdate{Status: &st}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	for i := 0; ; i++ {
		select {
		case <-done:
			pull(a)
			pull(b)
			for _, id := range ids {
				m, err := sqlstore.NewMemberService(b.DB).FindMemberByID(cli, id)
				if err != nil {
					t.Fatal(err)
				}
				if copyOf[id] != m.Status {
					t.Errorf("member %d: kiosk has %q, central %q: a change was missed", id, copyOf[id], m.Status)
				}
			}
			return
		default:
			if i%2 == 0 {
				pull(a)
			} else {
				pull(b)
			}
		}
	}
}

// TestSettingsSeenByEveryProcess: a setting changed through one process
// is what the other uses at once.
func TestSettingsSeenByEveryProcess(t *testing.T) {
	a, b := twoProcesses(t)
	if err := sqlstore.NewSettingsService(a.DB).SetSetting(cli, central.SettingTimezone, "America/Montreal"); err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.NewSettingsService(b.DB).Settings(cli)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Location().String(); got != "America/Montreal" {
		t.Fatalf("the other process reads time zone %s", got)
	}
}

// TestCheckThenWriteAcrossProcesses: the store's read-then-write steps
// hold across processes (the write lock): two processes adding a member
// with the same e-mail at once give one member and one ECONFLICT, never a
// raw constraint error.
func TestCheckThenWriteAcrossProcesses(t *testing.T) {
	a, b := twoProcesses(t)
	for round := range 20 {
		email := fmt.Sprintf("m%d@example.org", round)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, db := range []*postgres.DB{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = sqlstore.NewMemberService(db.DB).CreateMember(cli, &central.Member{Name: "M", Email: email})
			}()
		}
		wg.Wait()
		codes := []string{central.ErrorCode(errs[0]), central.ErrorCode(errs[1])}
		if !(errs[0] == nil && codes[1] == central.ECONFLICT || errs[1] == nil && codes[0] == central.ECONFLICT) {
			t.Fatalf("round %d: %v, %v; want one member and one ECONFLICT", round, errs[0], errs[1])
		}
	}
}
