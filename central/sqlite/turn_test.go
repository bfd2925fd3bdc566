package sqlite_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// slowWrites opens a database whose sales' write transactions last at
// least hold (a reaction to the sale sleeps in the transaction), with
// SQLite's busy_timeout shortened to busy.
func slowWrites(t *testing.T, busy time.Duration, react func()) (*sqlite.DB, *sqlstore.LedgerService, int64, int64) {
	t.Helper()
	db := sqlite.NewDB(t.TempDir())
	db.BusyTimeout = busy
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := central.NewContextWithActor(context.Background(), central.ActorCLI)
	m := &central.Member{Name: "Alice"}
	if err := sqlstore.NewMemberService(db.DB).CreateMember(ctx, m); err != nil {
		t.Fatal(err)
	}
	p := &central.Product{Name: "Carte 10", Kind: access.Pack, Entries: 10, Days: 365, Price: 12000}
	if err := sqlstore.NewProductService(db.DB).CreateProduct(ctx, p); err != nil {
		t.Fatal(err)
	}
	db.Reactions = []central.Reaction{func(central.Event, central.Settings) []central.OutboxMessage {
		react()
		return nil
	}}
	return db, sqlstore.NewLedgerService(db.DB), m.ID, p.ID
}

// The symptom of a loaded machine: many writers of one process at once,
// each holding the writer's lock a while. SQLite's busy handler lets them
// retry unfairly, and one that waited longer than busy_timeout failed
// with SQLITE_BUSY (3 of 3,000 webhook notifications answered 500 at a
// load of 20). Writers of one process now take their turn in Go: none
// fails, whatever the busy_timeout, and every sale is there.
func TestWritersTakeTurns(t *testing.T) {
	const writers = 48
	hold := 5 * time.Millisecond
	_, ledger, alice, card := slowWrites(t, 20*time.Millisecond, func() { time.Sleep(hold) })
	ctx := central.NewContextWithActor(context.Background(), central.ActorCLI)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	start := make(chan struct{})
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := ledger.CreateSale(ctx, central.NewSale{Member: alice, Product: card, Source: central.SourceCLI})
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	failed := failures(t, errs)
	if failed > 0 {
		t.Fatalf("%d of %d concurrent write transactions failed", failed, writers)
	}
	_, n, err := ledger.FindSales(ctx, central.SaleFilter{Member: &alice})
	if err != nil {
		t.Fatal(err)
	}
	if n != writers {
		t.Fatalf("%d sales committed, want %d", n, writers)
	}
}

// A writer whose context ends while it waits for its turn gives up with
// the context's error (the HTTP layers answer 503 and the client retries),
// and leaves the turn to the next: nothing waits on it afterwards.
func TestWriterTurnCancelled(t *testing.T) {
	inTx, held := make(chan struct{}), make(chan struct{})
	release := sync.OnceFunc(func() { close(held) })
	defer release() // also when the test fails: the database closes after
	var once sync.Once
	_, ledger, alice, card := slowWrites(t, 20*time.Millisecond, func() {
		once.Do(func() {
			close(inTx)
			<-held
		})
	})
	ctx := central.NewContextWithActor(context.Background(), central.ActorCLI)
	first := make(chan error, 1)
	go func() {
		_, err := ledger.CreateSale(ctx, central.NewSale{Member: alice, Product: card, Source: central.SourceCLI})
		first <- err
	}()
	<-inTx // the first sale holds the writers' turn
	wctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err := ledger.CreateSale(wctx, central.NewSale{Member: alice, Product: card, Source: central.SourceCLI})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a writer waiting past its deadline: %v, want context.DeadlineExceeded", err)
	}
	release()
	if err := <-first; err != nil {
		t.Fatalf("the first sale: %v", err)
	}
	// The turn is free: the next writers go through.
	for range 3 {
		if _, err := ledger.CreateSale(ctx, central.NewSale{Member: alice, Product: card, Source: central.SourceCLI}); err != nil {
			t.Fatalf("after a cancelled wait: %v", err)
		}
	}
	if _, n, err := ledger.FindSales(ctx, central.SaleFilter{Member: &alice}); err != nil || n != 4 {
		t.Fatalf("%d sales (%v), want 4", n, err)
	}
}

// A kiosk's last call (KioskSeen) is one statement outside any
// transaction, but on SQLite it needs the file's write lock all the same:
// among a stream of writers, SQLite's busy handler could make it lose
// until busy_timeout. It takes its turn with the writers.
func TestKioskSeenTakesItsTurn(t *testing.T) {
	const writers, calls = 32, 16
	db, ledger, alice, card := slowWrites(t, 20*time.Millisecond, func() { time.Sleep(5 * time.Millisecond) })
	ctx := central.NewContextWithActor(context.Background(), central.ActorCLI)
	kiosks := sqlstore.NewKioskService(db.DB)
	k := &central.Kiosk{Name: "door"}
	if _, err := kiosks.CreateKiosk(ctx, k); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers+calls)
	start := make(chan struct{})
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := ledger.CreateSale(ctx, central.NewSale{Member: alice, Product: card, Source: central.SourceCLI})
			errs <- err
		}()
	}
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			time.Sleep(time.Duration(i) * 5 * time.Millisecond) // among the writers
			errs <- kiosks.KioskSeen(ctx, k.ID, central.KioskSeen{At: time.Now(), Pending: i})
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	failed := failures(t, errs)
	if failed > 0 {
		t.Fatalf("%d of %d writers and kiosk calls failed", failed, writers+calls)
	}
}

// failures counts the errors received from errs until it is closed,
// logging each.
func failures(t *testing.T, errs <-chan error) int {
	t.Helper()
	failed := 0
	for err := range errs {
		if err != nil {
			failed++
			t.Log(err)
		}
	}
	return failed
}
