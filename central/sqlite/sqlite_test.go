package sqlite_test

import (
	"context"
	"flag"
	"fmt"
	"github.com/badgeuse/badgeuse/shared/clocktest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

var dump = flag.Bool("dump", false, "keep and print the database files of the tests")

// paris returns an instant in Paris ("2006-01-02 15:04").
func paris(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, access.Paris)
	if err != nil {
		panic(err)
	}
	return t
}

var day = access.MustDay

// fixture is a real database in a temporary folder with its services.
type fixture struct {
	t       testing.TB
	ctx     context.Context
	db      *sqlite.DB
	clock   *clocktest.Clock
	members *sqlstore.MemberService
	prods   *sqlstore.ProductService
	ledger  *sqlstore.LedgerService
	badges  *sqlstore.BadgeService
	kiosks  *sqlstore.KioskService
	sync    *sqlstore.SyncService
	entries *sqlstore.EntryService
	set     *sqlstore.SettingsService
	audit   *sqlstore.AuditService
	outbox  *sqlstore.OutboxService
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	if *dump {
		var err error
		if dir, err = os.MkdirTemp("", "central-test-"); err != nil {
			t.Fatal(err)
		}
		t.Logf("database kept in %s", dir)
	}
	c := clocktest.New(paris("2026-11-26 10:00"))
	db := sqlite.NewDB(dir)
	db.Now = c.Now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	return &fixture{t: t, ctx: central.NewContextWithActor(context.Background(), central.ActorCLI), db: db, clock: c,
		members: sqlstore.NewMemberService(db.DB), prods: sqlstore.NewProductService(db.DB), ledger: sqlstore.NewLedgerService(db.DB),
		badges: sqlstore.NewBadgeService(db.DB), kiosks: sqlstore.NewKioskService(db.DB), sync: sqlstore.NewSyncService(db.DB),
		entries: sqlstore.NewEntryService(db.DB), set: sqlstore.NewSettingsService(db.DB), audit: sqlstore.NewAuditService(db.DB),
		outbox: sqlstore.NewOutboxService(db.DB)}
}

func (f *fixture) member(name string) int64 {
	f.t.Helper()
	m := &central.Member{Name: name}
	if err := f.members.CreateMember(f.ctx, m); err != nil {
		f.t.Fatal(err)
	}
	return m.ID
}

func (f *fixture) product(kind access.Kind, entries, days int) int64 {
	f.t.Helper()
	p := &central.Product{Name: fmt.Sprintf("%s %d/%d", kind, entries, days), Kind: kind, Entries: entries, Days: days, Price: 10000}
	if err := f.prods.CreateProduct(f.ctx, p); err != nil {
		f.t.Fatal(err)
	}
	return p.ID
}

func (f *fixture) sell(member, product int64) *central.Sale {
	f.t.Helper()
	s, err := f.ledger.CreateSale(f.ctx, central.NewSale{Member: member, Product: product, Source: central.SourceCLI})
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// kiosk adds and enrolls a kiosk at a space ("" for the main one).
func (f *fixture) kiosk(name, space string) *central.Kiosk {
	f.t.Helper()
	k := &central.Kiosk{Name: name, Space: space}
	token, err := f.kiosks.CreateKiosk(f.ctx, k)
	if err != nil {
		f.t.Fatal(err)
	}
	k, _, err = f.kiosks.Enroll(f.ctx, token, "test")
	if err != nil {
		f.t.Fatal(err)
	}
	return k
}

// entry is an accepted entry (member != 0) or a refused unknown badge
// (member == 0) made at t by a kiosk whose clock is right.
func entry(seq, member int64, t time.Time) *central.Entry {
	e := &central.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: seq, Member: member, KioskTime: t}
	if member != 0 {
		e.Accept, e.Reason = true, access.OKPack
	} else {
		e.Reason = access.UnknownBadge
	}
	return e
}

// clone copies entries, as a kiosk sending the same batch again would.
func clone(es ...*central.Entry) []*central.Entry {
	out := make([]*central.Entry, len(es))
	for i, e := range es {
		c := *e
		out[i] = &c
	}
	return out
}

func (f *fixture) push(k *central.Kiosk, es ...*central.Entry) central.PushResult {
	f.t.Helper()
	now := f.clock.Now()
	res, err := f.sync.Push(f.ctx, &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: clone(es...)})
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

func (f *fixture) balance(member int64) *central.Balance {
	f.t.Helper()
	b, err := f.ledger.MemberBalance(f.ctx, member, access.Day{})
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

func (f *fixture) allEntries() []*central.Entry {
	f.t.Helper()
	es, _, err := f.entries.FindEntries(f.ctx, central.EntryFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	return es
}

func (f *fixture) pull(k *central.Kiosk, cursor int64, page string, limit int) *central.PullPage {
	f.t.Helper()
	p, err := f.sync.Pull(f.ctx, central.PullRequest{Kiosk: k.ID, Cursor: cursor, Page: page, Limit: limit})
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// pullAll follows the pages of a pull and returns them.
func (f *fixture) pullAll(k *central.Kiosk, cursor int64, limit int) []*central.PullPage {
	f.t.Helper()
	var pages []*central.PullPage
	page := ""
	for {
		p := f.pull(k, cursor, page, limit)
		pages = append(pages, p)
		if !p.More {
			return pages
		}
		if len(pages) > 10000 {
			f.t.Fatal("endless pull")
		}
		page = p.Page
	}
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := central.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

func TestOpen(t *testing.T) {
	t.Run("PragmasFromDSN", func(t *testing.T) {
		f := newFixture(t)
		// Reopen the file directly to read its journal mode: WAL is
		// persistent in the file.
		data, err := os.ReadFile(f.db.Path)
		if err != nil {
			t.Fatal(err)
		}
		// Header bytes 18 and 19 are 2 in WAL mode.
		if data[18] != 2 || data[19] != 2 {
			t.Fatalf("file format bytes %d %d, want 2 2 (WAL)", data[18], data[19])
		}
		info, err := os.Stat(f.db.Path)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Fatalf("database mode %o, want 600", mode)
		}
	})
	t.Run("ReopenKeepsData", func(t *testing.T) {
		dir := t.TempDir()
		db := sqlite.NewDB(dir)
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		m := &central.Member{Name: "Alice"}
		if err := sqlstore.NewMemberService(db.DB).CreateMember(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		db.Close()
		db = sqlite.NewDB(dir)
		if err := db.Open(); err != nil {
			t.Fatalf("second open (migrations again): %v", err)
		}
		defer db.Close()
		if _, err := sqlstore.NewMemberService(db.DB).FindMemberByID(context.Background(), m.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrPathWithQuestionMark", func(t *testing.T) {
		db := sqlite.NewDB(filepath.Join(t.TempDir(), "a?b"))
		if err := db.Open(); err == nil {
			db.Close()
			t.Fatal("opened a path with ?")
		}
	})
}
