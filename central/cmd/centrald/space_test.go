package main

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestSpaceCommands: the command lines of issue 14 (exact contracts):
// space add prints the id, space list (--json), kiosk add --space by id or
// name (optional with one space, required with several), product add
// --space and --spaces all|ID,ID (default: the selling space only).
func TestSpaceCommands(t *testing.T) {
	c := newCLI(t)
	// One space: everything as before, --space optional.
	c.ok("kiosk", "add", "--name", "Porte")
	if got := c.ok("product", "add", "--name", "Carte", "--kind", "pack", "--entries", "10", "--price", "100"); got != "1" {
		t.Fatalf("product add printed %q", got)
	}
	if got := c.ok("space", "add", "--name", "La Cantine", "--timezone", "Europe/Paris"); got != "2" {
		t.Fatalf("space add printed %q, want the id 2", got)
	}
	if got := c.ok("space", "add", "--name", "Le Square"); got != "3" {
		t.Fatalf("space add printed %q, want 3", got)
	}
	if msg := c.fail("space", "add", "--name", "la cantine"); !strings.Contains(msg, "already named") {
		t.Fatalf("a name taken twice: %q", msg)
	}
	if msg := c.fail("space", "add", "--name", "X", "--timezone", "Mars/Base"); !strings.Contains(msg, "time zone") {
		t.Fatalf("a bad time zone: %q", msg)
	}
	if msg := c.fail("kiosk", "add", "--name", "Porte 2"); !strings.Contains(msg, "several spaces") {
		t.Fatalf("kiosk add without --space among several: %q", msg)
	}
	if msg := c.fail("kiosk", "add", "--name", "Porte 2", "--space", "Nowhere"); !strings.Contains(msg, "not found") {
		t.Fatalf("kiosk add at an unknown space: %q", msg)
	}
	c.ok("kiosk", "add", "--name", "Cantine porte", "--space", "la cantine")
	c.ok("kiosk", "add", "--name", "Square porte", "--space", "3")
	if msg := c.fail("product", "add", "--name", "P", "--kind", "pack", "--entries", "1", "--price", "1"); !strings.Contains(msg, "several spaces") {
		t.Fatalf("product add without --space among several: %q", msg)
	}
	local := c.ok("product", "add", "--name", "Carte Cantine", "--kind", "pack", "--entries", "10", "--price", "100", "--space", "La Cantine")
	network := c.ok("product", "add", "--name", "Pass réseau", "--kind", "pack", "--entries", "10", "--price", "150", "--space", "1", "--spaces", "all")
	pair := c.ok("product", "add", "--name", "Convention", "--kind", "subscription", "--days", "30", "--price", "50", "--space", "2", "--spaces", "3,2")
	if msg := c.fail("product", "add", "--name", "P", "--kind", "pack", "--entries", "1", "--price", "1", "--space", "1", "--spaces", "1,9"); !strings.Contains(msg, "not found") {
		t.Fatalf("--spaces with an unknown space: %q", msg)
	}

	out := c.ok("space", "list", "--json")
	var lines []spaceLine
	for _, l := range strings.Split(out, "\n") {
		var s spaceLine
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatalf("space list --json line %q: %v", l, err)
		}
		lines = append(lines, s)
	}
	want := []spaceLine{{ID: 1, Name: "Badgeuse", Timezone: "Europe/Paris", Kiosks: 1},
		{ID: 2, Name: "La Cantine", Timezone: "Europe/Paris", Kiosks: 1}, {ID: 3, Name: "Le Square", Timezone: "Europe/Paris", Kiosks: 1}}
	if len(lines) != 3 || !sameSpaceLine(lines[0], want[0]) || !sameSpaceLine(lines[1], want[1]) || !sameSpaceLine(lines[2], want[2]) {
		t.Fatalf("space list --json: %+v, want %+v", lines, want)
	}
	if text := c.ok("space", "list"); !strings.Contains(text, "La Cantine") || !strings.HasPrefix(text, "ID") {
		t.Fatalf("space list: %q", text)
	}

	db := c.db()
	places, err := sqlstore.NewSpaceService(db.DB).ProductPlaces(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	id := func(s string) int64 {
		t.Helper()
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("product id %q: %v", s, err)
		}
		return n
	}
	for _, tc := range []struct {
		product string
		want    central.ProductPlace
	}{
		{"1", central.ProductPlace{Space: 1}},
		{local, central.ProductPlace{Space: 2}},
		{network, central.ProductPlace{Space: 1, Valid: central.ProductSpaces{All: true}}},
		{pair, central.ProductPlace{Space: 2, Valid: central.ProductSpaces{List: "2,3"}}},
	} {
		if got := places[id(tc.product)]; got != tc.want {
			t.Errorf("product %s: %+v, want %+v", tc.product, got, tc.want)
		}
	}
	ks, _, err := sqlstore.NewKioskService(db.DB).FindKiosks(context.Background(), central.KioskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ks) != 3 || ks[0].Space != "" || ks[1].Space != "La Cantine" || ks[2].Space != "Le Square" {
		t.Fatalf("kiosks' spaces: %q %q %q", ks[0].Space, ks[1].Space, ks[2].Space)
	}
}

// TestSpaceCommandsOnPostgres: the same command lines on PostgreSQL (--db
// alone): space add prints the id, space list --json, kiosk add and
// product add by space name and id.
func TestSpaceCommandsOnPostgres(t *testing.T) {
	c := &pgCLI{t: t, url: pgtest.DB(t)}
	if got := c.ok("space", "add", "--name", "La Cantine", "--timezone", "Europe/Paris"); got != "2" {
		t.Fatalf("space add printed %q, want 2", got)
	}
	if _, _, err := c.run("", "kiosk", "add", "--name", "Porte"); err == nil {
		t.Fatal("kiosk add without --space among two spaces succeeded")
	}
	c.ok("kiosk", "add", "--name", "Porte", "--space", "La Cantine")
	c.ok("product", "add", "--name", "Pass réseau", "--kind", "pack", "--entries", "10", "--price", "120", "--space", "1", "--spaces", "all")
	out := c.ok("space", "list", "--json")
	lines := strings.Split(out, "\n")
	var s spaceLine
	if len(lines) != 2 || json.Unmarshal([]byte(lines[1]), &s) != nil || !sameSpaceLine(s, spaceLine{ID: 2, Name: "La Cantine", Timezone: "Europe/Paris", Kiosks: 1}) {
		t.Fatalf("space list --json on PostgreSQL: %q", out)
	}
}

// TestDemoSpaces: the demo association is a network of two spaces (make
// demo runs a door of each): L'Annexe, a network pass valid at both, and
// the texts for L'Annexe's door (--annex-badges).
func TestDemoSpaces(t *testing.T) {
	c := newCLI(t)
	annex := filepath.Join(t.TempDir(), "annexe.tsv")
	c.ok("demo", "--badges", filepath.Join(t.TempDir(), "badges.tsv"), "--annex-badges", annex)
	if out := c.ok("space", "list", "--json"); strings.Count(out, "\n") != 1 || !strings.Contains(out, `"name":"L'Annexe"`) {
		t.Fatalf("demo spaces: %q", out)
	}
	b, err := os.ReadFile(annex)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 3 || !strings.Contains(lines[2], "not_valid_here") {
		t.Fatalf("L'Annexe's badges: %q", lines)
	}
	places, err := sqlstore.NewSpaceService(c.db().DB).ProductPlaces(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	all := 0
	for _, p := range places {
		if p.Valid.All {
			all++
		}
	}
	if all != 1 {
		t.Fatalf("%d products valid at every space, want the network pass", all)
	}
	if out := c.ok("space", "conventions", "--json"); out != `{"host":1,"seller":2,"rate":350}`+"\n"+`{"host":2,"seller":1,"rate":350}` {
		t.Fatalf("demo conventions: %q", out)
	}
}

// TestSettlementCommand: "centrald settlement" counts, for a month, the
// visits a space received of passes another space sold (an entry of a
// pack, a day a subscription covered), with the amount at --rate per
// visit, or at the spaces' stored conventions. On SQLite and on
// PostgreSQL (issue 13).
func TestSettlementCommand(t *testing.T) { onEngines(t, testSettlementCommand) }

func testSettlementCommand(t *testing.T, c *cli) {
	c.ok("space", "add", "--name", "La Cantine")
	pass := c.ok("product", "add", "--name", "Pass réseau", "--kind", "pack", "--entries", "10", "--price", "120", "--space", "1", "--spaces", "all")
	sub := c.ok("product", "add", "--name", "Abonnement réseau", "--kind", "subscription", "--days", "30", "--price", "90",
		"--space", "1", "--spaces", "all")
	m := c.ok("member", "add", "--name", "Nadia")
	c.ok("sell", "--member", m, "--product", pass)
	o := c.ok("member", "add", "--name", "Omar")
	c.ok("sell", "--member", o, "--product", sub)
	c.ok("kiosk", "add", "--name", "Cantine", "--space", "2")
	db, closeDB := c.store()
	now := time.Now()
	id, _ := strconv.ParseInt(m, 10, 64)
	omar, _ := strconv.ParseInt(o, 10, 64)
	e := &central.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: 1, Member: id, KioskTime: now, Accept: true, Reason: "pack"}
	f := &central.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: 2, Member: omar, KioskTime: now, Accept: true, Reason: "subscription"}
	if _, err := sqlstore.NewSyncService(db).Push(context.Background(), &central.Push{Kiosk: 1, Received: now, SentAt: now,
		Entries: []*central.Entry{e, f}}); err != nil {
		t.Fatal(err)
	}
	closeDB()
	month := now.In(access.Paris).Format("2006-01")
	var l settlementLine
	out := c.ok("settlement", "--month", month, "--rate", "3,50", "--json")
	if err := json.Unmarshal([]byte(out), &l); err != nil || l != (settlementLine{Month: month, Host: 2, Seller: 1, Visits: 2, Amount: 700, Rate: 350, Agreed: true}) {
		t.Fatalf("settlement --json: %q (%v)", out, err)
	}
	// Without --rate: the spaces' convention, none yet (nothing owed, and
	// said), then the one set; --rate still overrides it.
	out = c.ok("settlement", "--month", month, "--json")
	if err := json.Unmarshal([]byte(out), &l); err != nil || l != (settlementLine{Month: month, Host: 2, Seller: 1, Visits: 2}) {
		t.Fatalf("settlement --json without a convention: %q (%v)", out, err)
	}
	if msg := c.fail("space", "convention", "--host", "La Cantine", "--seller", "La Cantine", "--rate", "2"); !strings.Contains(msg, "different spaces") {
		t.Fatalf("a convention of a space with itself: %q", msg)
	}
	c.ok("space", "convention", "--host", "La Cantine", "--seller", "1", "--rate", "4,20")
	c.ok("space", "convention", "--host", "1", "--seller", "2", "--rate", "3")
	out = c.ok("settlement", "--month", month, "--json")
	if err := json.Unmarshal([]byte(out), &l); err != nil || l != (settlementLine{Month: month, Host: 2, Seller: 1, Visits: 2, Amount: 840, Rate: 420, Agreed: true}) {
		t.Fatalf("settlement --json at the convention: %q (%v)", out, err)
	}
	if out := c.ok("settlement", "--month", month); !strings.Contains(out, "La Cantine") || !strings.Contains(out, "4,20") {
		t.Fatalf("settlement: %q", out)
	}
	out = c.ok("settlement", "--month", month, "--rate", "1", "--json")
	if err := json.Unmarshal([]byte(out), &l); err != nil || l.Amount != 200 || l.Rate != 100 {
		t.Fatalf("settlement --rate over the convention: %q (%v)", out, err)
	}
	var cs []conventionLine
	for _, line := range strings.Split(strings.TrimSpace(c.ok("space", "conventions", "--json")), "\n") {
		var cl conventionLine
		if err := json.Unmarshal([]byte(line), &cl); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, cl)
	}
	if !slices.Equal(cs, []conventionLine{{Host: 1, Seller: 2, Rate: 300}, {Host: 2, Seller: 1, Rate: 420}}) {
		t.Fatalf("space conventions --json: %+v", cs)
	}
	if out := c.ok("settlement", "--month", "2001-01"); strings.Count(out, "\n") != 0 {
		t.Fatalf("a month without visits: %q", out)
	}
	if msg := c.fail("settlement", "--month", "2026-13"); !strings.Contains(msg, "YYYY-MM") {
		t.Fatalf("a bad month: %q", msg)
	}
}

// sameSpaceLine compares two lines of space list --json, policies as sets.
func sameSpaceLine(a, b spaceLine) bool {
	if !maps.Equal(a.Policies, b.Policies) && len(a.Policies)+len(b.Policies) > 0 {
		return false
	}
	if !maps.Equal(a.Books, b.Books) && len(a.Books)+len(b.Books) > 0 {
		return false
	}
	a.Policies, b.Policies, a.Books, b.Books = nil, nil, nil, nil
	return reflect.DeepEqual(a, b)
}

// TestSpacePolicies: "centrald space set" gives a space its own door
// policies over the network's settings (checked as the settings are; a
// key a space may not set is refused), shown by space list --json; its
// kiosks receive them, the other spaces' kiosks the network's.
func TestSpacePolicies(t *testing.T) {
	c := newCLI(t)
	c.ok("space", "add", "--name", "La Cantine")
	c.ok("kiosk", "add", "--name", "Porte", "--space", "1")
	c.ok("kiosk", "add", "--name", "Cantine", "--space", "La Cantine")
	c.ok("space", "set", "--space", "La Cantine", "door.require_membership", "true")
	c.ok("space", "set", "--space", "2", "kiosk.passback", "10m")
	if msg := c.fail("space", "set", "--space", "2", "kiosk.passback", "forever"); !strings.Contains(msg, "Invalid value") {
		t.Fatalf("a bad value: %q", msg)
	}
	if msg := c.fail("space", "set", "--space", "2", "smtp.host", "x"); !strings.Contains(msg, "cannot set") {
		t.Fatalf("a key a space may not set: %q", msg)
	}
	out := c.ok("space", "list", "--json")
	if !strings.Contains(out, `"policies":{"door.require_membership":"true","kiosk.passback":"10m0s"}`) || !strings.Contains(out, `"policies":{}`) {
		t.Fatalf("space list --json: %q", out)
	}
	c.ok("space", "set", "--space", "2", "kiosk.passback", "")
	sync := sqlstore.NewSyncService(c.db().DB)
	for _, tc := range []struct {
		kiosk   int64
		require bool
	}{{1, false}, {2, true}} {
		p, err := sync.Pull(context.Background(), central.PullRequest{Kiosk: tc.kiosk})
		if err != nil {
			t.Fatal(err)
		}
		if p.Settings.RequireMembership != tc.require || p.Settings.Passback != "" {
			t.Errorf("kiosk %d: settings %+v, want require_membership %v and no anti-passback (removed)", tc.kiosk, p.Settings, tc.require)
		}
	}
}

// TestSpaceBooks: "centrald space set" gives a space its own books (a
// separate association: its name, its Pennylane token, its HelloAsso
// client), checked as the settings are (a key of the network only is
// refused), shown by space list --json with secrets masked; its kiosk's
// pull never holds them.
func TestSpaceBooks(t *testing.T) {
	c := newCLI(t)
	c.ok("space", "add", "--name", "La Cantine")
	c.ok("kiosk", "add", "--name", "Cantine", "--space", "La Cantine")
	const token, secret = "pl-cantine-token-0123456789", "ha-cantine-secret-0123456789"
	c.ok("space", "set", "--space", "La Cantine", "association.name", "Association La Cantine")
	// "-": read from stdin, out of the process list.
	if _, errOut, err := c.run(token+"\n", "space", "set", "--space", "2", "pennylane.token", "-"); err != nil {
		t.Fatalf("space set pennylane.token -: %v %s", err, errOut)
	}
	c.ok("space", "set", "--space", "2", "helloasso.client_secret", secret)
	if msg := c.fail("space", "set", "--space", "2", "association.siret", "123"); !strings.Contains(msg, "association.siret") {
		t.Fatalf("a bad SIRET: %q", msg)
	}
	if msg := c.fail("space", "set", "--space", "2", "helloasso.create_members", "true"); !strings.Contains(msg, "cannot set") {
		t.Fatalf("a key of the network only: %q", msg)
	}
	out := c.ok("space", "list", "--json")
	if strings.Contains(out, token) || strings.Contains(out, secret) {
		t.Fatalf("space list --json shows a secret: %q", out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var cantine spaceLine
	if len(lines) != 2 || json.Unmarshal([]byte(lines[1]), &cantine) != nil {
		t.Fatalf("space list --json: %q", lines)
	}
	if want := map[string]string{"association.name": "Association La Cantine", "pennylane.token": "****6789",
		"helloasso.client_secret": "****6789"}; !maps.Equal(cantine.Books, want) {
		t.Fatalf("books %v, want %v", cantine.Books, want)
	}
	c.ok("space", "set", "--space", "2", "association.name", "")
	if out := c.ok("space", "list", "--json"); strings.Contains(out, "Association La Cantine") {
		t.Fatalf("after removing the name: %q", out)
	}
	p, err := sqlstore.NewSyncService(c.db().DB).Pull(context.Background(), central.PullRequest{Kiosk: 1})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(p); strings.Contains(string(b), token) || strings.Contains(string(b), secret) {
		t.Fatalf("the kiosk's pull holds a secret: %s", b)
	}
}

// TestSpaceMessaging: "centrald space set" gives a space its own Slack
// channel and mail sender name (flags alone, or with a policy; a flag not
// given keeps its value; "" goes back to the network's), shown by space
// list --json; a channel name instead of its ID is refused. On SQLite
// and on PostgreSQL.
func TestSpaceMessaging(t *testing.T) { onEngines(t, testSpaceMessaging) }

func testSpaceMessaging(t *testing.T, c *cli) {
	c.ok("space", "add", "--name", "La Cantine")
	c.ok("space", "set", "--space", "La Cantine", "--slack-channel", "c0cantine01")
	c.ok("space", "set", "--space", "2", "--mail-name", "La Cantine (Lyon)", "kiosk.passback", "10m")
	if msg := c.fail("space", "set", "--space", "2", "--slack-channel", "#cantine"); !strings.Contains(msg, "channel ID") {
		t.Fatalf("a channel name: %q", msg)
	}
	if msg := c.fail("space", "set", "--space", "2"); !strings.Contains(msg, "--slack-channel") {
		t.Fatalf("nothing to set: %q", msg)
	}
	lines := strings.Split(strings.TrimSpace(c.ok("space", "list", "--json")), "\n")
	var main, cantine spaceLine
	if len(lines) != 2 || json.Unmarshal([]byte(lines[0]), &main) != nil || json.Unmarshal([]byte(lines[1]), &cantine) != nil {
		t.Fatalf("space list --json: %q", lines)
	}
	if main.SlackChannel != "" || main.MailName != "" || cantine.SlackChannel != "C0CANTINE01" || cantine.MailName != "La Cantine (Lyon)" ||
		cantine.Policies["kiosk.passback"] != "10m0s" {
		t.Fatalf("space list --json: main %+v, La Cantine %+v", main, cantine)
	}
	c.ok("space", "set", "--space", "2", "--slack-channel", "")
	if out := c.ok("space", "list", "--json"); !strings.Contains(out, `"slack_channel":"","mail_name":"La Cantine (Lyon)"`) {
		t.Fatalf("after removing the channel: %q", out)
	}
}

// TestSpaceAddressCommand: "centrald space set --address" gives a space
// (the main one too) its postal address, on one line, shown by space list
// --json; "" removes it; one too long is refused. On SQLite and on
// PostgreSQL.
func TestSpaceAddressCommand(t *testing.T) { onEngines(t, testSpaceAddressCommand) }

func testSpaceAddressCommand(t *testing.T, c *cli) {
	c.ok("space", "add", "--name", "La Cantine", "--address", "1 place Bellecour")
	c.ok("space", "set", "--space", "La Cantine", "--address", "12 rue des Lilas\n69001  Lyon")
	c.ok("space", "set", "--space", "1", "--address", "3 quai Saint-Vincent, Paris")
	if msg := c.fail("space", "set", "--space", "2", "--address", strings.Repeat("x", 501)); !strings.Contains(msg, "too long") {
		t.Fatalf("an address too long: %q", msg)
	}
	out := c.ok("space", "list", "--json")
	if !strings.Contains(out, `"address":"3 quai Saint-Vincent, Paris"`) || !strings.Contains(out, `"address":"12 rue des Lilas 69001 Lyon"`) {
		t.Fatalf("space list --json: %q", out)
	}
	c.ok("space", "set", "--space", "2", "--address", "")
	if out := c.ok("space", "list", "--json"); strings.Contains(out, "Lilas") {
		t.Fatalf("after removing the address: %q", out)
	}
}

// TestSpaceNameCommaCommands: space add and space set --name refuse a
// name with a comma, saying why (the members export lists a member's
// spaces separated by ", "); space set --name renames a space, its kiosks
// kept (its key does not change), the main space's through space.name.
func TestSpaceNameCommaCommands(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{
		{"space", "add", "--name", "Lyon, Pentes"},
		{"settings", "set", "space.name", "La Halle, Lyon"},
	} {
		if msg := c.fail(args...); !strings.Contains(msg, "cannot contain a comma") {
			t.Errorf("centrald %s: %q, want the comma refused", strings.Join(args, " "), msg)
		}
	}
	c.ok("space", "add", "--name", "La Cantine")
	c.ok("kiosk", "add", "--name", "Porte", "--space", "La Cantine")
	if msg := c.fail("space", "set", "--space", "La Cantine", "--name", "Cantine, port"); !strings.Contains(msg, "cannot contain a comma") {
		t.Errorf("space set --name with a comma: %q", msg)
	}
	if msg := c.fail("space", "set", "--space", "2", "--name", "badgeuse"); !strings.Contains(msg, "already named") {
		t.Errorf("space set --name as another: %q", msg)
	}
	c.ok("space", "set", "--space", "La Cantine", "--name", "Cantine du port")
	c.ok("space", "set", "--space", "1", "--name", "La Halle")
	if got := c.ok("settings", "get", "space.name"); got != "La Halle" {
		t.Errorf("space.name %q after the main space renamed, want La Halle", got)
	}
	out := c.ok("space", "list", "--json")
	if !strings.Contains(out, `"name":"La Halle"`) || !strings.Contains(out, `"name":"Cantine du port","timezone":"Europe/Paris","address":"","hours":"","kiosks":1`) {
		t.Errorf("space list after renames: %s", out)
	}
}

// TestKioskListAfterRename: after `space set --name`, `kiosk list` printed
// a kiosk's space under its first name (its key); it prints the current
// name, the main space's for a kiosk of the main space. --json keeps
// "space" the key (a contract) and adds "space_name", the current name.
func TestKioskListAfterRename(t *testing.T) {
	c := newCLI(t)
	c.ok("settings", "set", "space.name", "La Ruche")
	c.ok("kiosk", "add", "--name", "Porte Ruche")
	c.ok("space", "add", "--name", "La Cantine")
	c.ok("kiosk", "add", "--name", "Porte Cantine", "--space", "La Cantine")
	c.ok("space", "set", "--space", "2", "--name", "Cantine des Pentes")

	text := c.ok("kiosk", "list")
	for _, want := range []string{`(?m)^1 +Porte Ruche +La Ruche +waiting`, `(?m)^2 +Porte Cantine +Cantine des Pentes +waiting`} {
		if !regexp.MustCompile(want).MatchString(text) {
			t.Errorf("kiosk list lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "La Cantine") {
		t.Errorf("kiosk list still names the renamed space by its first name:\n%s", text)
	}

	type line struct {
		Name      string  `json:"name"`
		Space     string  `json:"space"`
		SpaceName *string `json:"space_name"`
	}
	var got []line
	for l := range strings.Lines(c.ok("kiosk", "list", "--json")) {
		var k line
		if err := json.Unmarshal([]byte(l), &k); err != nil {
			t.Fatalf("kiosk list --json line %q: %v", l, err)
		}
		got = append(got, k)
	}
	name := func(s string) *string { return &s }
	want := []line{{"Porte Ruche", "", name("La Ruche")}, {"Porte Cantine", "La Cantine", name("Cantine des Pentes")}}
	if len(got) != len(want) {
		t.Fatalf("kiosk list --json: %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Name != want[i].Name || got[i].Space != want[i].Space || got[i].SpaceName == nil || *got[i].SpaceName != *want[i].SpaceName {
			t.Errorf("kiosk list --json line %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}
