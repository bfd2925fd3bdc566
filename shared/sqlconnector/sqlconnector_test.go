package sqlconnector_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/sqlconnector"
)

// fakeConnector counts its connections and closes; when gate is set, each
// Connect tells entered and waits for gate.
type fakeConnector struct {
	opened, closes atomic.Int32
	entered, gate  chan struct{}
}

func (f *fakeConnector) Connect(context.Context) (driver.Conn, error) {
	if f.gate != nil {
		f.entered <- struct{}{}
		<-f.gate
	}
	f.opened.Add(1)
	return fakeConn{}, nil
}

func (f *fakeConnector) Driver() driver.Driver { return nil }

func (f *fakeConnector) Close() error {
	f.closes.Add(1)
	return nil
}

type fakeConn struct{}

func (fakeConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("not supported") }
func (fakeConn) Close() error                        { return nil }
func (fakeConn) Begin() (driver.Tx, error)           { return nil, errors.New("not supported") }

func TestConnectAfterCloseRefused(t *testing.T) {
	f := &fakeConnector{}
	c := sqlconnector.New(f)
	if _, err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Connect(context.Background()); !errors.Is(err, sqlconnector.ErrClosed) {
		t.Errorf("Connect after Close: %v, want ErrClosed", err)
	}
	if n := f.opened.Load(); n != 1 {
		t.Errorf("%d connections opened, want 1 (none after Close)", n)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if n := f.closes.Load(); n != 1 {
		t.Errorf("wrapped connector closed %d times, want once", n)
	}
}

// TestCloseWaitsForConnect: a connection being opened when Close is
// called is opened before Close returns, never after.
func TestCloseWaitsForConnect(t *testing.T) {
	f := &fakeConnector{entered: make(chan struct{}), gate: make(chan struct{})}
	c := sqlconnector.New(f)
	go c.Connect(context.Background())
	<-f.entered
	var mu sync.Mutex
	var order []string
	closed := make(chan struct{})
	go func() {
		c.Close()
		mu.Lock()
		order = append(order, "closed")
		mu.Unlock()
		close(closed)
	}()
	time.Sleep(50 * time.Millisecond) // Close would return meanwhile if it did not wait
	mu.Lock()
	order = append(order, "connect released")
	mu.Unlock()
	close(f.gate)
	<-closed
	if len(order) != 2 || order[0] != "connect released" {
		t.Errorf("events %v: Close returned while a connection was being opened", order)
	}
	if n := f.opened.Load(); n != 1 {
		t.Errorf("%d connections opened, want 1", n)
	}
}

// TestDBCloseClosesConnector: database/sql's DB.Close closes the
// connector, so that its opener goroutine can open nothing after.
func TestDBCloseClosesConnector(t *testing.T) {
	f := &fakeConnector{}
	c := sqlconnector.New(f)
	db := sql.OpenDB(c)
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Connect(context.Background()); !errors.Is(err, sqlconnector.ErrClosed) {
		t.Errorf("Connect after DB.Close: %v, want ErrClosed", err)
	}
	if n := f.closes.Load(); n != 1 {
		t.Errorf("wrapped connector closed %d times, want once", n)
	}
}
