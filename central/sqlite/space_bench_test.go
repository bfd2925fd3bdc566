package sqlite_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// TestNetworkPullCost measures what a kiosk of one space of a network
// pulls (issue 14): S spaces, N members, each with a card of one space
// (member i: space i mod S) and one in ten a network pass too; two
// kiosks per space. It checks that a kiosk receives exactly the members
// who may enter its space (its members and the pass holders) and the
// other members' badge hashes only, and that an incremental pull after
// 10 changes costs 10 members, whatever N. It logs the sizes and times.
// The default size is small; BADGEUSE_NETWORK_BENCH=100x50000 runs the
// issue's 100 spaces × 50,000 members (minutes).
func TestNetworkPullCost(t *testing.T) {
	spaces, members := 10, 2000
	if v := os.Getenv("BADGEUSE_NETWORK_BENCH"); v != "" {
		if _, err := fmt.Sscanf(v, "%dx%d", &spaces, &members); err != nil || spaces < 2 || members < spaces {
			t.Fatalf("BADGEUSE_NETWORK_BENCH=%q: want SPACESxMEMBERS, e.g. 100x50000", v)
		}
	} else if testing.Short() {
		t.Skip("seeds a network")
	}
	ctx := central.NewContextWithActor(context.Background(), central.ActorCLI)
	dir := t.TempDir()
	db := sqlite.NewDB(dir)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	spaceSvc, products, kiosks := sqlstore.NewSpaceService(db.DB), sqlstore.NewProductService(db.DB), sqlstore.NewKioskService(db.DB)
	card := make([]int64, spaces+1) // by space id
	keys := make([]string, spaces+1)
	for id := 1; id <= spaces; id++ {
		if id > 1 {
			s := &central.Space{Name: fmt.Sprintf("Espace %d", id)}
			if err := spaceSvc.CreateSpace(ctx, s); err != nil {
				t.Fatal(err)
			}
			keys[id] = s.Key
		}
		p := &central.Product{Name: fmt.Sprintf("Carte %d", id), Kind: access.Pack, Entries: 10, Price: 8000}
		if err := products.CreateProduct(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := spaceSvc.SetProductSpaces(ctx, p.ID, int64(id), central.ProductSpaces{}); err != nil {
			t.Fatal(err)
		}
		card[id] = p.ID
	}
	pass := &central.Product{Name: "Pass réseau", Kind: access.Pack, Entries: 10, Price: 12000}
	if err := products.CreateProduct(ctx, pass); err != nil {
		t.Fatal(err)
	}
	if err := spaceSvc.SetProductSpaces(ctx, pass.ID, 1, central.ProductSpaces{All: true}); err != nil {
		t.Fatal(err)
	}
	ms := make([]*central.Member, members)
	for i := range ms {
		ms[i] = &central.Member{Name: fmt.Sprintf("Membre %d", i)}
	}
	if err := sqlstore.NewMemberService(db.DB).CreateMembers(ctx, ms); err != nil {
		t.Fatal(err)
	}
	// Badges and sales with SQL, as the services write them (two
	// transactions per member through the services: not what is measured).
	raw, err := sql.Open("sqlite", "file:"+db.Path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	today := access.DayOf(time.Now(), access.Paris).String()
	badge, _ := tx.Prepare(`INSERT INTO badges (member_id, hash, created) VALUES (?, ?, ?)`)
	sale, _ := tx.Prepare(`INSERT INTO sales (member_id, product_id, kind, entries, amount, source, created, start_day, entries_left)
		VALUES (?, ?, 'pack', 10, 8000, 'cli', ?, ?, 10)`)
	for i, m := range ms {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(m.ID))
		h := sha256.Sum256(b[:])
		if _, err := badge.Exec(m.ID, hex.EncodeToString(h[:]), now); err != nil {
			t.Fatal(err)
		}
		if _, err := sale.Exec(m.ID, card[i%spaces+1], now, today); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			if _, err := sale.Exec(m.ID, pass.ID, now, today); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	add := func(name, key string) *central.Kiosk {
		k := &central.Kiosk{Name: name, Space: key}
		token, err := kiosks.CreateKiosk(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		if k, _, err = kiosks.Enroll(ctx, token, "bench"); err != nil {
			t.Fatal(err)
		}
		return k
	}
	var all []*central.Kiosk
	for id := 1; id <= spaces; id++ {
		all = append(all, add(fmt.Sprintf("porte %d", id), keys[id]), add(fmt.Sprintf("cour %d", id), keys[id]))
	}
	sync := sqlstore.NewSyncService(db.DB)
	type cost struct {
		members, elsewhere, deleted, pages, bytes int
		took                                      time.Duration
		cursor                                    int64
	}
	pull := func(k *central.Kiosk, cursor int64) cost {
		var c cost
		start := time.Now()
		page := ""
		for {
			p, err := sync.Pull(ctx, central.PullRequest{Kiosk: k.ID, Cursor: cursor, Page: page})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(onWire(p))
			c.bytes += len(b)
			c.pages++
			c.members += len(p.Members)
			c.elsewhere += len(p.Elsewhere)
			c.deleted += len(p.Deleted)
			if !p.More {
				c.cursor = p.Cursor
				break
			}
			page = p.Page
		}
		c.took = time.Since(start)
		return c
	}
	// A kiosk of space 1 (id 1): members i with i mod S == 0, and pass
	// holders (i mod 10 == 0).
	want := 0
	for i := range members {
		if i%spaces == 0 || i%10 == 0 {
			want++
		}
	}
	first := pull(all[0], 0)
	if first.members != want || first.elsewhere != members-want {
		t.Fatalf("kiosk of space 1 received %d members and %d badges elsewhere, want %d and %d", first.members, first.elsewhere, want, members-want)
	}
	t.Logf("network of %d spaces, %d kiosks, %d members: a kiosk's first pull: %d members (of %d), %d badge hashes of other spaces' members, %d pages, %.1f MB, %v",
		spaces, len(all), members, first.members, members, first.elsewhere, first.pages, float64(first.bytes)/1e6, first.took.Round(time.Millisecond))

	// Ten changes (sales of space 2's card to members of space 3): the
	// next pull of every kiosk costs those ten members, not N.
	ledger := sqlstore.NewLedgerService(db.DB)
	for i := 0; i < 10; i++ {
		m := ms[(2+i*spaces)%members] // a member of space 3 (i mod S == 2)
		if _, err := ledger.CreateSale(ctx, central.NewSale{Member: m.ID, Product: card[2], Source: central.SourceCLI}); err != nil {
			t.Fatal(err)
		}
	}
	var full time.Duration
	for i, k := range all {
		c := pull(k, first.cursor)
		if c.members+c.deleted > 10 {
			t.Fatalf("kiosk %d's incremental pull carried %d members and %d deletions after 10 changes", i, c.members, c.deleted)
		}
		if i == 2 && c.members != 10 { // space 2's first kiosk: the ten are its members now
			t.Fatalf("space 2's kiosk received %d members after they bought its card, want 10", c.members)
		}
		full += c.took
	}
	t.Logf("after 10 changes: the incremental pulls of all %d kiosks took %v in all (%v each on average)",
		len(all), full.Round(time.Millisecond), (full / time.Duration(len(all))).Round(time.Microsecond))
}

// onWire is the page as the sync API sends it (central/syncapi's
// pullToWire): hashes in hex, days as text.
func onWire(p *central.PullPage) wire.PullResponse {
	out := wire.PullResponse{Snapshot: p.Snapshot, More: p.More, Page: p.Page, Cursor: p.Cursor, Deleted: p.Deleted, Acked: p.Acked}
	for _, m := range p.Members {
		wm := wire.Member{ID: m.ID, Status: string(m.Status), LastVisit: m.LastVisit.String()}
		for _, b := range m.Badges {
			wm.Badges = append(wm.Badges, wire.Badge{Hash: b.Hash.String(), Revoked: b.Revoked})
		}
		for _, e := range m.Entitlements {
			wm.Entitlements = append(wm.Entitlements, wire.Entitlement{ID: e.ID, Kind: string(e.Kind), Start: e.Start.String(),
				End: e.End.String(), Entries: e.Entries, Spaces: e.Spaces.IDs()})
		}
		out.Members = append(out.Members, wm)
	}
	for _, b := range p.Elsewhere {
		out.Elsewhere = append(out.Elsewhere, wire.Badge{Hash: b.Hash.String(), Revoked: b.Revoked})
	}
	return out
}
