// Package sqlconnector makes a database/sql pool open no connection once
// it is closed.
//
// database/sql opens some connections from a goroutine of its own, on
// requests queued while every connection was busy; it may take one such
// request after DB.Close has returned, and open a connection then. For a
// SQLite file that means opening the file again: if it was moved or
// removed meanwhile (a test's temporary folder cleaned up, a database
// file replaced by a restore), SQLite creates an empty one in its place.
// It happened in central's e-mail tests, about once in 75 runs under the
// race detector: "TempDir RemoveAll cleanup: directory not empty", with a
// new central.db in the folder.
//
// Wrap a driver's connector and give it to sql.OpenDB: DB.Close closes
// the wrapper (database/sql closes a connector that is an io.Closer),
// which refuses to open any further connection and waits for those being
// opened. Once Close has returned, the pool opens nothing.
package sqlconnector

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"sync"
)

// ErrClosed is returned by Connect once the connector is closed.
var ErrClosed = errors.New("sqlconnector: database closed")

// Connector is a driver.Connector that opens no connection once closed.
type Connector struct {
	next    driver.Connector
	mu      sync.Mutex
	closed  bool
	opening sync.WaitGroup // the Connect calls under way
}

var (
	_ driver.Connector = (*Connector)(nil)
	_ io.Closer        = (*Connector)(nil)
)

// New wraps c.
func New(c driver.Connector) *Connector {
	return &Connector{next: c}
}

// Connect opens a connection with the wrapped connector, or returns
// ErrClosed once Close was called.
func (c *Connector) Connect(ctx context.Context) (driver.Conn, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	c.opening.Add(1)
	c.mu.Unlock()
	defer c.opening.Done()
	return c.next.Connect(ctx)
}

// Driver returns the wrapped connector's driver.
func (c *Connector) Driver() driver.Driver { return c.next.Driver() }

// Close refuses any further connection, waits for those being opened,
// and closes the wrapped connector when it is an io.Closer. DB.Close
// calls it; it may be called again.
func (c *Connector) Close() error {
	c.mu.Lock()
	already := c.closed
	c.closed = true
	c.mu.Unlock()
	c.opening.Wait()
	if closer, ok := c.next.(io.Closer); ok && !already {
		return closer.Close()
	}
	return nil
}
