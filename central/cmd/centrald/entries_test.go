package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// pushWhileWriting pushes one more entry (before all the others in time)
// at the first line entries prints, as a kiosk back online would while a
// script reads the list.
type pushWhileWriting struct {
	bytes.Buffer
	once sync.Once
	push func() error
	err  error
}

func (w *pushWhileWriting) Write(p []byte) (int, error) {
	w.once.Do(func() { w.err = w.push() })
	return w.Buffer.Write(p)
}

// TestEntriesOneSnapshot: entries --json prints each entry once, even
// when entries arrive while it prints (and more than a page of them is
// printed).
func TestEntriesOneSnapshot(t *testing.T) {
	c := newCLI(t)
	c.ok("kiosk", "add", "--name", "Porte")
	ctx := context.Background()
	db := c.db()
	syncs := sqlstore.NewSyncService(db.DB)
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	push := func(seq int64, at time.Time, n int) error {
		p := &central.Push{Kiosk: 1, Received: t0.Add(24 * time.Hour), SentAt: t0.Add(24 * time.Hour)}
		for i := range n {
			p.Entries = append(p.Entries, &central.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: seq + int64(i),
				KioskTime: at.Add(time.Duration(i) * time.Second), Reason: access.UnknownBadge})
		}
		_, err := syncs.Push(ctx, p)
		return err
	}
	const n = 1500
	if err := push(1, t0, n); err != nil {
		t.Fatal(err)
	}
	out := &pushWhileWriting{push: func() error { return push(n+1, t0.Add(-time.Hour), 1) }}
	var errOut bytes.Buffer
	if err := run(ctx, []string{"entries", "--json", "--data", c.dir}, nil, out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	if out.err != nil {
		t.Fatal(out.err)
	}
	seen := map[string]int{}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for _, l := range lines {
		var e entryJSON
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		seen[e.ID]++
	}
	if len(lines) != n || len(seen) != n {
		t.Fatalf("%d lines, %d entries; want each of the %d entries there were at the start once", len(lines), len(seen), n)
	}
}
