package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the kiosk's file, read as it is on disk

	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	kiosksqlite "github.com/badgeuse/badgeuse/kiosk/sqlite"
	"github.com/badgeuse/badgeuse/shared/access"
)

// newKioskAt adds a kiosk to a space of the network (--space: id or name)
// and enrolls the real kioskd with it.
func newKioskAt(t *testing.T, c *central, name, space string) *kioskProc {
	bin, _, _ := binaries(t)
	k := &kioskProc{t: t, bin: bin, data: filepath.Join(t.TempDir(), name)}
	token := c.run("kiosk", "add", "--name", name, "--space", space)
	k.must("enroll", "--data", k.data, "--central", c.URL(), "--token", token)
	return k
}

// holds reports whether the kiosk's SQLite file holds member id, read from
// the file itself: her row, her badges, her entitlements.
func (k *kioskProc) holds(member string) bool {
	k.t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(k.data, kiosksqlite.FileName)+"?mode=ro")
	if err != nil {
		k.t.Fatal(err)
	}
	defer db.Close()
	id, err := strconv.ParseInt(member, 10, 64)
	if err != nil {
		k.t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM members WHERE id = ?1) + (SELECT count(*) FROM badges WHERE member = ?1)
		+ (SELECT count(*) FROM entitlements WHERE member = ?1)`, id).Scan(&n); err != nil {
		k.t.Fatal(err)
	}
	return n > 0
}

// fileHolds reports whether the kiosk's files (its database and its
// write-ahead log) hold text, byte for byte, wherever SQLite put it.
func (k *kioskProc) fileHolds(text string) bool {
	k.t.Helper()
	files, err := filepath.Glob(filepath.Join(k.data, kiosksqlite.FileName+"*"))
	if err != nil || len(files) == 0 {
		k.t.Fatalf("the kiosk's files: %v %v", files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			k.t.Fatal(err)
		}
		if bytes.Contains(b, []byte(text)) {
			return true
		}
	}
	return false
}

// TestSpacesEndToEnd (issue 14): one central for two spaces (the main one,
// and La Cantine added by "centrald space add"), three kiosks (two at the
// main space, one at La Cantine), with the real binaries. A network pass
// is accepted at both spaces on one day (two visits, two entries: each
// space hosted her, and the settlement between spaces counts each); a
// card of the main space is refused at La Cantine with not_valid_here,
// and its holder is absent from La Cantine's kiosk file (no row, badge or
// entitlement of hers); La Cantine's member is absent from the main
// space's kiosks. Revoking the network pass's badge reaches every door of
// both spaces. The month's settlement counts Nadia's visit at La Cantine
// (a pass the main space sold) at the two spaces' convention.
//
// On SQLite and on PostgreSQL (issue 13): the same body, central's
// engine chosen by CENTRALD_DATABASE_URL.
func TestSpacesEndToEnd(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { testSpacesEndToEnd(t, newCentral(t)) })
	t.Run("PostgreSQL", func(t *testing.T) {
		c := newCentral(t)
		c.db = pgtest.DB(t)
		testSpacesEndToEnd(t, c)
		if _, err := os.Stat(filepath.Join(c.data, "central.db")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("central's data folder holds a SQLite database (%v): the test ran on SQLite, not PostgreSQL", err)
		}
	})
}

func testSpacesEndToEnd(t *testing.T, c *central) {
	if id := c.run("space", "add", "--name", "La Cantine", "--timezone", "Europe/Paris"); id != "2" {
		t.Fatalf("space add printed %q, want 2", id)
	}
	pass := c.run("product", "add", "--name", "Pass réseau", "--kind", "pack", "--entries", "10", "--price", "120",
		"--space", "1", "--spaces", "all")
	card := c.run("product", "add", "--name", "Carte 10 entrées", "--kind", "pack", "--entries", "10", "--price", "80",
		"--space", "1")
	cantine := c.run("product", "add", "--name", "Carte La Cantine", "--kind", "pack", "--entries", "10", "--price", "80",
		"--space", "La Cantine")
	add := func(name string) string { return c.run("member", "add", "--name", name) }
	nadia, luc, bea := add("Nadia Réseau"), add("Luc Local"), add("Béa Cantine")
	c.run("sell", "--member", nadia, "--product", pass)
	c.run("sell", "--member", luc, "--product", card)
	c.run("sell", "--member", bea, "--product", cantine)
	badge := map[string]string{}
	for _, m := range []string{nadia, luc, bea} {
		badge[m] = c.run("badge", "issue", "--member", m)
	}
	c.start()
	a1, a2, b := newKioskAt(t, c, "Entrée", "1"), newKioskAt(t, c, "Cour", "1"), newKioskAt(t, c, "Cantine", "La Cantine")
	for _, k := range []*kioskProc{a1, a2, b} {
		k.sync()
	}
	c.kill() // the doors decide offline, from their own files

	if b.holds(luc) || !b.holds(nadia) || !b.holds(bea) {
		t.Errorf("La Cantine's kiosk holds Luc %v, Nadia %v, Béa %v: want Nadia and Béa only", b.holds(luc), b.holds(nadia), b.holds(bea))
	}
	for _, k := range []*kioskProc{a1, a2} {
		if k.holds(bea) || !k.holds(nadia) || !k.holds(luc) {
			t.Errorf("a kiosk of the main space holds Béa %v, Nadia %v, Luc %v: want Nadia and Luc only", k.holds(bea), k.holds(nadia), k.holds(luc))
		}
	}
	// Door names (issue 12): a kiosk's file holds the first names of its
	// space's members, no one's surname, and nothing of another space's
	// members, anywhere in its files.
	for _, tc := range []struct {
		k        *kioskProc
		has, not []string
	}{
		{b, []string{"Nadia", "Béa"}, []string{"Luc", "Local", "Réseau"}},
		{a1, []string{"Nadia", "Luc"}, []string{"Béa", "Local", "Réseau"}},
	} {
		for _, name := range tc.has {
			if !tc.k.fileHolds(name) {
				t.Errorf("kiosk %s's file lacks %q: the door screen cannot greet her", tc.k.data, name)
			}
		}
		for _, name := range tc.not {
			if tc.k.fileHolds(name) {
				t.Errorf("kiosk %s's file holds %q", tc.k.data, name)
			}
		}
	}
	type want struct{ decision, reason, member string }
	check := func(what string, got []decision, want []want) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: kioskd printed %d decisions, want %d: %+v", what, len(got), len(want), got)
		}
		for i, w := range want {
			if g := got[i]; g.Decision != w.decision || g.Reason != w.reason || g.Member != w.member {
				t.Errorf("%s: decision %d = %s %s member %q, want %s %s member %q", what, i, g.Decision, g.Reason, g.Member,
					w.decision, w.reason, w.member)
			}
		}
	}
	check("main space", a1.run(video(t, badge[nadia], badge[luc], badge[bea])),
		[]want{{"accept", "pack", nadia}, {"accept", "pack", luc}, {"refuse", "not_valid_here", ""}})
	check("La Cantine", b.run(video(t, badge[nadia], badge[luc], badge[bea])),
		[]want{{"accept", "pack", nadia}, {"refuse", "not_valid_here", ""}, {"accept", "pack", bea}})

	c.start()
	a1.sync()
	b.sync()
	if got := c.balance(nadia).EntriesLeft; got != 8 {
		t.Errorf("Nadia has %d entries left on the network pass, want 8 (a visit at each space today)", got)
	}
	if got := c.balance(luc).EntriesLeft; got != 9 {
		t.Errorf("Luc has %d entries left, want 9 (refused at La Cantine: nothing used)", got)
	}
	refused := 0
	for _, e := range c.entries() {
		if e.Reason == "not_valid_here" {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("central holds %d not_valid_here refusals, want 2", refused)
	}

	// The settlement: La Cantine received one visit of a pass the main
	// space sold (Nadia's; Béa's card is La Cantine's own), owed at their
	// convention's 3,50 €; nothing the other way.
	c.run("space", "convention", "--host", "La Cantine", "--seller", "1", "--rate", "3,50")
	month := time.Now().In(access.Paris).Format("2006-01")
	var line struct {
		Host, Seller int64
		Visits       int
		Amount, Rate int64
		Agreed       bool
	}
	out := c.run("settlement", "--month", month, "--json")
	if err := json.Unmarshal([]byte(out), &line); err != nil || line.Host != 2 || line.Seller != 1 || line.Visits != 1 ||
		line.Amount != 350 || line.Rate != 350 || !line.Agreed {
		t.Errorf("settlement --json: %q (%v), want La Cantine (2) owed one visit at 3,50 € by the main space (1)", out, err)
	}

	// Revocation reaches every door of both spaces.
	c.run("badge", "revoke", "--badge", badge[nadia])
	for _, k := range []*kioskProc{a1, a2, b} {
		k.sync()
	}
	c.kill()
	for name, k := range map[string]*kioskProc{"Entrée": a1, "Cour": a2, "Cantine": b} {
		check(name+" after the revocation", k.run(video(t, badge[nadia])), []want{{"refuse", "revoked_badge", nadia}})
	}
}

// TestEnrollAfterRename: a kiosk enrolled after its space was renamed
// (`centrald space set --name`) printed « space "La Cantine" », the
// space's first name, until its first sync; with the real binaries, it
// prints the current name, which central now sends (space_name).
func TestEnrollAfterRename(t *testing.T) {
	c := newCentral(t)
	c.run("space", "add", "--name", "La Cantine")
	token := c.run("kiosk", "add", "--name", "Porte Cantine", "--space", "La Cantine")
	c.run("space", "set", "--space", "2", "--name", "Cantine des Pentes")
	c.start()
	bin, _, _ := binaries(t)
	k := &kioskProc{t: t, bin: bin, data: filepath.Join(t.TempDir(), "kiosk")}
	out := k.must("enroll", "--data", k.data, "--central", c.URL(), "--token", token)
	if want := `enrolled as kiosk "Porte Cantine" (id 1, space "Cantine des Pentes")`; !strings.Contains(out, want) {
		t.Errorf("kioskd enroll printed %q, want %q", out, want)
	}
}
