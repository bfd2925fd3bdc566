package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/postgres"
	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// cli runs centrald commands in-process against one data folder, or
// against one PostgreSQL database when url is set (--db alone).
type cli struct {
	t   *testing.T
	dir string
	url string
}

// onEngines runs a test's body on SQLite (a data folder) and on
// PostgreSQL (a database of the test cluster, named by --db alone): the
// same command lines must work on both (issue 13).
func onEngines(t *testing.T, body func(t *testing.T, c *cli)) {
	t.Run("SQLite", func(t *testing.T) { body(t, newCLI(t)) })
	t.Run("PostgreSQL", func(t *testing.T) { body(t, &cli{t: t, url: pgtest.DB(t)}) })
}

func newCLI(t *testing.T) *cli { return &cli{t: t, dir: t.TempDir()} }

// run runs a command with --data and returns stdout, stderr and the error.
func (c *cli) run(stdin string, args ...string) (string, string, error) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	if c.url != "" {
		args = append(args, "--db", c.url)
	} else {
		args = append(args, "--data", c.dir)
	}
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// ok runs a command that must succeed and returns its stdout, trimmed.
func (c *cli) ok(args ...string) string {
	c.t.Helper()
	out, errOut, err := c.run("", args...)
	if err != nil {
		c.t.Fatalf("centrald %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return strings.TrimSpace(out)
}

// fail runs a command that must fail and returns the error text.
func (c *cli) fail(args ...string) string {
	c.t.Helper()
	out, _, err := c.run("", args...)
	if err == nil {
		c.t.Fatalf("centrald %s succeeded: %s", strings.Join(args, " "), out)
	}
	return errorText(err)
}

// db opens the data folder's database for checks.
// store opens the database of either engine for checks, as env.open
// does; close it before a command that needs SQLite's folder alone.
func (c *cli) store() (db *sqlstore.DB, close func() error) {
	c.t.Helper()
	if c.url == "" {
		lite := c.db()
		return lite.DB, lite.Close
	}
	pg := postgres.NewDB(c.url)
	pg.Reactions = reactions()
	if err := pg.Open(); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { pg.Close() })
	return pg.DB, pg.Close
}

func (c *cli) db() *sqlite.DB {
	c.t.Helper()
	db := sqlite.NewDB(c.dir)
	db.Reactions = reactions() // as env.open
	if err := db.Open(); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { db.Close() })
	return db
}

func TestMemberAdd(t *testing.T) {
	c := newCLI(t)
	if id := c.ok("member", "add", "--name", "Alice Martin", "--email", "alice@example.org"); id != "1" {
		t.Fatalf("printed %q, want the id 1", id)
	}
	if id := c.ok("member", "add", "--name", "Bob"); id != "2" {
		t.Fatalf("printed %q, want 2", id)
	}
	if msg := c.fail("member", "add", "--name", "Eve", "--email", "ALICE@example.org"); !strings.Contains(strings.ToLower(msg), "alice@example.org") {
		t.Fatalf("duplicate e-mail: %q", msg)
	}
	c.fail("member", "add", "--email", "x@example.org")
	c.fail("member", "add", "--name", "X", "--email", "not-an-email")
}

func TestProductSellBalance(t *testing.T) {
	c := newCLI(t)
	m := c.ok("member", "add", "--name", "Alice")
	pack := c.ok("product", "add", "--name", "Carte 10 entrées", "--kind", "pack", "--entries", "10", "--days", "365", "--price", "120,50")
	sub := c.ok("product", "add", "--name", "Mois", "--kind", "subscription", "--days", "30", "--price", "90")
	c.fail("product", "add", "--name", "X", "--kind", "pack", "--price", "10")    // no entries
	c.fail("product", "add", "--name", "X", "--kind", "voucher", "--price", "10") // unknown kind
	c.fail("product", "add", "--name", "X", "--kind", "pack", "--entries", "1", "--price", "1,234")
	c.fail("product", "add", "--name", "X", "--kind", "membership", "--price", "20")                            // no period
	c.fail("product", "add", "--name", "X", "--kind", "membership", "--year", "--days", "365", "--price", "20") // two periods
	c.fail("product", "add", "--name", "X", "--kind", "pack", "--entries", "1", "--year", "--price", "20")      // --year for a pack
	if s := c.ok("sell", "--member", m, "--product", pack); s != "1" {
		t.Fatalf("sale id %q", s)
	}
	c.ok("sell", "--member", m, "--product", sub)
	c.ok("sell", "--member", m, "--product", sub)
	var got map[string]any
	if err := json.Unmarshal([]byte(c.ok("balance", "--member", m, "--json")), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || got["member"] != 1.0 || got["entries_left"] != 10.0 || got["overdraft"] != 0.0 || got["membership_until"] != "" {
		t.Fatalf("balance %v", got)
	}
	until, _ := got["subscription_until"].(string)
	if len(until) != 10 {
		t.Fatalf("subscription_until %q", until)
	}
	db := c.db()
	p, err := sqlstore.NewProductService(db.DB).FindProductByID(context.Background(), 1)
	if err != nil || p.Price != 12050 {
		t.Fatalf("price %d cents, %v; want 12050", p.Price, err)
	}
	sales, _, _ := sqlstore.NewLedgerService(db.DB).FindSales(context.Background(), central.SaleFilter{})
	if sales[2].Start != sales[1].End.AddDays(1) {
		t.Fatalf("second subscription starts %s, first ends %s", sales[2].Start, sales[1].End)
	}
	if sales[0].Source != central.SourceCLI {
		t.Fatalf("source %q", sales[0].Source)
	}
	c.ok("refund", "--sale", "1")
	if out := c.ok("balance", "--member", m, "--json"); !strings.Contains(out, `"entries_left":0`) {
		t.Fatalf("after refund: %s", out)
	}
	if msg := c.fail("sell", "--member", "99", "--product", pack); !strings.Contains(msg, "99") {
		t.Fatalf("unknown member: %q", msg)
	}
	if msg := c.fail("balance", "--member", "99", "--json"); !strings.Contains(msg, "not found") {
		t.Fatalf("unknown member: %q", msg)
	}
}

func TestBadge(t *testing.T) {
	c := newCLI(t)
	m := c.ok("member", "add", "--name", "Alice")
	pngPath := filepath.Join(c.dir, "alice.png")
	text := c.ok("badge", "issue", "--member", m, "--png", pngPath)
	secret, err := badge.Parse(text)
	if err != nil {
		t.Fatalf("printed %q: %v", text, err)
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Fatalf("PNG: %v", err)
	}
	if info, _ := f.Stat(); info.Mode().Perm() != 0o600 {
		t.Fatalf("PNG mode %o: it is a credential", info.Mode().Perm())
	}
	if q, _ := qrcode.New(text, qrcode.High); q.VersionNumber > 3 {
		t.Fatalf("QR version %d, want 2 or 3", q.VersionNumber)
	}
	db := c.db()
	badges := sqlstore.NewBadgeService(db.DB)
	b1, err := badges.FindBadgeByHash(context.Background(), secret.Hash())
	if err != nil {
		t.Fatal(err)
	}
	// Issuing again revokes by default; --keep adds one.
	c.ok("badge", "issue", "--member", m)
	c.ok("badge", "issue", "--member", m, "--keep")
	mid, _ := strconv.ParseInt(m, 10, 64)
	bs, _, _ := badges.FindBadges(context.Background(), central.BadgeFilter{Member: &mid})
	if len(bs) != 3 || !bs[0].IsRevoked() || bs[1].IsRevoked() || bs[2].IsRevoked() {
		t.Fatalf("badges: %+v", bs)
	}
	// Revoke by text, then by id.
	c.ok("badge", "revoke", "--badge", c.ok("badge", "issue", "--member", m, "--keep"))
	c.ok("badge", "revoke", "--badge", strconv.FormatInt(bs[1].ID, 10))
	c.ok("badge", "revoke", "--badge", text) // already revoked: nothing to do
	bs, _, _ = badges.FindBadges(context.Background(), central.BadgeFilter{Member: &mid})
	if !bs[1].IsRevoked() || !bs[3].IsRevoked() || bs[2].IsRevoked() {
		t.Fatalf("after revokes: %+v", bs)
	}
	if b1.ID != bs[0].ID {
		t.Fatal("the hash found is not the first badge")
	}
	c.fail("badge", "revoke", "--badge", "BG1:AAAAAAAAAAAAAAAAAAAAAAAA")
	c.fail("badge", "revoke", "--badge", "https://example.org")
	c.fail("badge", "issue", "--member", "42")
	if data, _ := os.ReadFile(filepath.Join(c.dir, sqlite.FileName)); bytes.Contains(data, []byte(text)) {
		t.Fatal("the badge text is in the database")
	}
}

func TestKiosk(t *testing.T) {
	c := newCLI(t)
	token := c.ok("kiosk", "add", "--name", "Porte d'entrée")
	if !strings.HasPrefix(token, central.EnrollTokenPrefix) {
		t.Fatalf("token %q", token)
	}
	k, _, err := sqlstore.NewKioskService(c.db().DB).Enroll(context.Background(), token, "test")
	if err != nil || k.Name != "Porte d'entrée" {
		t.Fatal(k, err)
	}
	c.ok("kiosk", "disable", "--kiosk", "1")
	if out := c.ok("kiosk", "list"); !strings.Contains(out, "disabled") || !strings.Contains(out, "Porte d'entrée") {
		t.Fatalf("list:\n%s", out)
	}
	c.ok("kiosk", "enable", "--kiosk", "1")
	c.fail("kiosk", "disable", "--kiosk", "7")
}

func TestSettingsCommands(t *testing.T) {
	c := newCLI(t)
	if got := c.ok("settings", "get", "space.timezone"); got != "Europe/Paris" {
		t.Fatalf("default timezone %q", got)
	}
	c.ok("settings", "set", "space.name", "La Ruche")
	if got := c.ok("settings", "get", "space.name"); got != "La Ruche" {
		t.Fatalf("space.name %q", got)
	}
	c.fail("settings", "set", "space.timezone", "Mars/Olympus")
	c.fail("settings", "set", "no.such.key", "1")
	c.fail("settings", "get", "no.such.key")
	c.fail("settings", "set", "space.name")
	list := c.ok("settings", "list")
	if !strings.Contains(list, "space.name=La Ruche\t") || !strings.Contains(list, "entries.retention_days=90\t") {
		t.Fatalf("list:\n%s", list)
	}
	// Secrets set from stdin never show in full in the list.
	for _, def := range central.SettingDefs() {
		if !def.Secret || def.Validate != nil {
			continue
		}
		const secret = "s3cr3t-value-0123456789"
		if _, errOut, err := c.run(secret+"\n", "settings", "set", def.Key, "-"); err != nil {
			t.Fatalf("set %s: %v %s", def.Key, err, errOut)
		}
		if got := c.ok("settings", "get", def.Key); got != secret {
			t.Fatalf("get %s: %q", def.Key, got)
		}
		if list := c.ok("settings", "list"); strings.Contains(list, secret) || !strings.Contains(list, def.Key+"=****6789") {
			t.Fatalf("secret %s in the list:\n%s", def.Key, list)
		}
		return
	}
	t.Log("no secret setting without a validator to test masking with")
}

func TestMemberImport(t *testing.T) {
	c := newCLI(t)
	c.ok("member", "add", "--name", "Alice", "--email", "alice@example.org")
	good := filepath.Join(c.dir, "good.csv")
	os.WriteFile(good, []byte("\ufeffPrénom;Nom;Courriel\nBob;Durand;bob@example.org\nAlice;Martin;ALICE@example.org\nÉlodie;Petit;\n"), 0o600)
	bad := filepath.Join(c.dir, "bad.csv")
	os.WriteFile(bad, []byte("name,email\nCarol,carol@example.org\n,nobody@example.org\nDan,dan@\n"), 0o600)

	out, errOut, err := c.run("", "member", "import", "--dry-run", good)
	if err != nil || out != "" || !strings.Contains(errOut, "2 member(s) to add, 1 already known") {
		t.Fatalf("dry run: %v %q %q", err, out, errOut)
	}
	out, errOut, err = c.run("", "member", "import", bad)
	if err == nil || out != "" || !strings.Contains(errOut, "line 3: ") || !strings.Contains(errOut, "line 4: ") {
		t.Fatalf("bad file: %v %q %q", err, out, errOut)
	}
	if _, n, _ := sqlstore.NewMemberService(c.db().DB).FindMembers(context.Background(), central.MemberFilter{}); n != 1 {
		t.Fatalf("%d members after a dry run and a refused import, want 1", n)
	}
	out, errOut, err = c.run("", "member", "import", good)
	if err != nil || strings.Fields(out)[0] != "2" || len(strings.Fields(out)) != 2 || !strings.Contains(errOut, "line 3: skipped") {
		t.Fatalf("import: %v %q %q", err, out, errOut)
	}
	// Running it again adds nothing.
	if out := c.ok("member", "import", good); out != "" {
		t.Fatalf("second import added %q", out)
	}
	if out := c.ok("member", "import", "--skip-errors", bad); out != "4" {
		t.Fatalf("--skip-errors added %q, want member 4", out)
	}
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	for _, args := range [][]string{{}, {"frobnicate"}, {"member"}, {"member", "add", "--name"}, {"balance", "--data", t.TempDir()}} {
		err := run(context.Background(), args, nil, &out, &errOut)
		if _, ok := err.(usageError); !ok {
			t.Errorf("centrald %q: %v, want a usage error", args, err)
		}
	}
	if err := run(context.Background(), []string{"member", "add", "--name", "A"}, nil, &out, &errOut); err == nil || !strings.Contains(err.Error(), "--data") {
		t.Fatalf("without --data: %v", err)
	}
	if err := run(context.Background(), []string{"version", "--data", t.TempDir()}, nil, &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "centrald ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"sell", "-h"}, nil, &out, &errOut); err != nil {
		t.Fatalf("-h: %v", err)
	}
}

// TestSellPaid: "sell --paid" records how a sale was paid (other when not
// said, as scripts did before); an unpaid sale is listed by "sales
// --unpaid" until "pay" records its payment.
func TestSellPaid(t *testing.T) {
	c := newCLI(t)
	m := c.ok("member", "add", "--name", "Alice")
	card := c.ok("product", "add", "--name", "Carte", "--kind", "pack", "--entries", "10", "--price", "80")
	c.ok("sell", "--member", m, "--product", card)
	c.ok("sell", "--member", m, "--product", card, "--paid", "cash")
	owed := c.ok("sell", "--member", m, "--product", card, "--paid", "unpaid", "--amount", "60")
	c.fail("sell", "--member", m, "--product", card, "--paid", "helloasso")
	c.fail("sell", "--member", m, "--product", card, "--paid", "bitcoin")
	c.fail("sell", "--member", m, "--product", card, "--paid", "cash", "--bank", "La Poste")
	paid := func(line string) (id float64, method, day string) {
		var s map[string]any
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatal(err)
		}
		return s["id"].(float64), s["paid"].(string), s["paid_day"].(string)
	}
	lines := strings.Split(c.ok("sales", "--json"), "\n")
	if len(lines) != 3 {
		t.Fatalf("sales --json: %q", lines)
	}
	for i, want := range []string{"other", "cash", "unpaid"} {
		if _, method, day := paid(lines[i]); method != want || (want == "unpaid") != (day == "") {
			t.Errorf("sale %d: paid %q on %q, want %s", i+1, method, day, want)
		}
	}
	if id, _, _ := paid(c.ok("sales", "--json", "--unpaid")); strconv.FormatFloat(id, 'f', -1, 64) != owed {
		t.Errorf("sales --unpaid: sale %v, want %s", id, owed)
	}
	c.fail("pay", "--sale", owed, "--paid", "unpaid")
	c.fail("pay", "--sale", owed, "--paid", "cheque", "--day", "2999-01-01")
	c.ok("pay", "--sale", owed, "--paid", "cheque", "--bank", "Crédit Mutuel", "--cheque", "42", "--payer", "Jean Martin")
	if out := c.ok("sales", "--json", "--unpaid"); out != "" {
		t.Errorf("still unpaid: %s", out)
	}
	c.fail("pay", "--sale", owed, "--paid", "cash") // paid already
}
