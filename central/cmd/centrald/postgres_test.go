package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
)

// pgCLI runs centrald commands in-process against one PostgreSQL
// database, with --db and no --data.
type pgCLI struct {
	t   *testing.T
	url string
}

func (c *pgCLI) run(stdin string, args ...string) (string, string, error) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	args = append(args, "--db", c.url)
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func (c *pgCLI) ok(args ...string) string {
	c.t.Helper()
	out, errOut, err := c.run("", args...)
	if err != nil {
		c.t.Fatalf("centrald %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return strings.TrimSpace(out)
}

// TestCommandsOnPostgres: the commands work on a PostgreSQL database
// named by --db alone (no data folder), and the commands on SQLite's file
// refuse it with the way to back it up.
func TestCommandsOnPostgres(t *testing.T) {
	c := &pgCLI{t: t, url: pgtest.DB(t)}
	m := c.ok("member", "add", "--name", "Alice Martin", "--email", "alice@example.org")
	if m != "1" {
		t.Fatalf("member id %q", m)
	}
	if _, _, err := c.run("", "member", "add", "--name", "Eve", "--email", "ALICE@example.org"); err == nil {
		t.Fatal("a second member with the same e-mail (other case)")
	}
	pack := c.ok("product", "add", "--name", "Carte 10 entrées", "--kind", "pack", "--entries", "10", "--days", "365", "--price", "120,50")
	sale := c.ok("sell", "--member", m, "--product", pack)
	var bal map[string]any
	if err := json.Unmarshal([]byte(c.ok("balance", "--member", m, "--json")), &bal); err != nil || bal["entries_left"] != 10.0 {
		t.Fatalf("balance %v, %v", bal, err)
	}
	if text := c.ok("badge", "issue", "--member", m); text == "" {
		t.Fatal("no badge text")
	}
	phone := c.ok("badge", "phone", "--member", m)
	if codes := c.ok("badge", "codes", "--badge", phone, "--from", "2026-12-04T10:00:00+01:00", "--count", "2"); len(strings.Split(codes, "\n")) != 2 || !strings.HasPrefix(codes, "BG2:") {
		t.Fatalf("phone codes %q", codes)
	}
	if pass := c.ok("guest", "add", "--host", m, "--name", "Léa", "--day", "2026-12-24"); !strings.HasPrefix(pass, "BG2:") {
		t.Fatalf("guest pass %q", pass)
	}
	if token := c.ok("kiosk", "add", "--name", "Porte"); token == "" {
		t.Fatal("no enrollment token")
	}
	if list := c.ok("kiosk", "list"); !strings.Contains(list, "Porte") {
		t.Fatalf("kiosk list %q", list)
	}
	c.ok("kiosk", "disable", "--kiosk", "1")
	c.ok("kiosk", "enable", "--kiosk", "1")
	c.ok("member", "suspend", "--member", m)
	c.ok("member", "activate", "--member", m)
	c.ok("settings", "set", "space.name", "La Ruche")
	if got := c.ok("settings", "get", "space.name"); got != "La Ruche" {
		t.Fatalf("settings get %q", got)
	}
	if list := c.ok("settings", "list"); !strings.Contains(list, "La Ruche") {
		t.Fatalf("settings list %q", list)
	}
	c.ok("entries")
	c.ok("purge")
	c.ok("refund", "--sale", sale)
	if sales := c.ok("sales"); !strings.Contains(sales, "120.50") {
		t.Fatalf("sales %q", sales)
	}
	csv := filepath.Join(t.TempDir(), "members.csv")
	os.WriteFile(csv, []byte("name,email\nBob,bob@example.org\n"), 0o600)
	c.ok("member", "import", csv)
	out, errOut, err := c.run("motdepasse-assez-long-42\n", "admin", "add", "--email", "bureau@example.org")
	if err != nil || strings.TrimSpace(out) == "" {
		t.Fatalf("admin add: %q %q %v", out, errOut, err)
	}
	c.ok("helloasso", "map", "--form", "carte-10", "--item", "Carte 10 entrées", "--product", pack)
	if maps := c.ok("helloasso", "mappings"); !strings.Contains(maps, "carte-10") {
		t.Fatalf("mappings %q", maps)
	}
	c.ok("payments", "unmatched")
	badges := filepath.Join(t.TempDir(), "badges.txt")
	demo := &pgCLI{t: t, url: pgtest.DB(t)}
	demo.ok("demo", "--badges", badges, "--member-link", filepath.Join(t.TempDir(), "link.txt"))
	if n := demo.ok("kiosk", "list"); n == "" {
		t.Fatal("demo made no kiosk")
	}
	for _, cmd := range [][]string{{"backup", filepath.Join(t.TempDir(), "b.db")}, {"restore", "b.db"}} {
		_, _, err := c.run("", cmd...)
		if err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Fatalf("%s on PostgreSQL: %v; want a refusal naming pg_dump", cmd[0], err)
		}
	}
}

// TestTwoServeOnPostgres: two centrald serve one PostgreSQL database at
// once (no data folder, so no folder lock between them), each answering,
// with the URL from CENTRALD_DATABASE_URL and the password from
// CENTRALD_DATABASE_PASSWORD_FILE; neither logs the URL's secrets.
func TestTwoServeOnPostgres(t *testing.T) {
	bin := buildCentrald(t)
	url := pgtest.DB(t)
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("pw-from-file-7q\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The cluster trusts local connections: the password is sent, not
	// needed; what matters here is that it is read and never shown.
	withSecret := strings.Replace(url, "postgres://postgres@", "postgres://postgres:pw-in-url-3k@", 1)
	var logs []*bytes.Buffer
	var urls []string
	for i, env := range [][]string{
		{"CENTRALD_DATABASE_URL=" + withSecret},
		{"CENTRALD_DATABASE_URL=" + url, "CENTRALD_DATABASE_PASSWORD_FILE=" + pwFile},
	} {
		cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
		cmd.Env = append(os.Environ(), env...)
		cmd.Env = append(cmd.Env, "CENTRALD_DATA=") // no data folder
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		var log bytes.Buffer
		lines := bufio.NewScanner(stderr)
		u := ""
		for u == "" && lines.Scan() {
			log.WriteString(lines.Text() + "\n")
			if m := regexp.MustCompile(`url=(http://\S+)`).FindStringSubmatch(lines.Text()); m != nil {
				u = m[1]
			}
		}
		if u == "" {
			t.Fatalf("serve %d did not say where it listens: %s", i, log.String())
		}
		logs, urls = append(logs, &log), append(urls, u)
	}
	for _, u := range urls {
		resp, err := http.Get(u + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s/healthz: %s", u, resp.Status)
		}
	}
	for _, l := range logs {
		if s := l.String(); strings.Contains(s, "pw-in-url-3k") || strings.Contains(s, "pw-from-file-7q") || !strings.Contains(s, "postgresql") {
			t.Fatalf("serve's log shows a secret or no database: %s", s)
		}
	}
}

// TestMigrateFromSQLite: the demo association, copied from its SQLite
// folder into an empty PostgreSQL database, reads the same there (members,
// balances, entries, kiosks, settings); the folder is left as it was; a
// second copy into the now filled database is refused.
func TestMigrateFromSQLite(t *testing.T) {
	lite := newCLI(t)
	lite.ok("demo", "--badges", filepath.Join(t.TempDir(), "badges.txt"))
	lite.ok("settings", "set", "space.name", "La Ruche copiée")
	before := folderState(t, lite.dir)
	url := pgtest.DB(t)
	out := lite.ok("migrate", "--from-sqlite", lite.dir, "--to", url)
	if !strings.Contains(out, "same balances for") || !strings.Contains(out, "entries") {
		t.Fatalf("migrate printed %q", out)
	}
	if after := folderState(t, lite.dir); after != before {
		t.Fatalf("the SQLite folder changed:\n%s\nnow\n%s", before, after)
	}
	// The copy has its planner statistics (ANALYZE sets reltuples, -1 on
	// a table never analyzed): the first pulls are planned for its size.
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tuples float64
	if err := db.QueryRow(`SELECT reltuples FROM pg_class WHERE relname = 'members'`).Scan(&tuples); err != nil {
		t.Fatal(err)
	}
	if tuples <= 0 {
		t.Fatalf("members has %v rows for the planner after the copy: not analyzed", tuples)
	}
	pg := &pgCLI{t: t, url: url}
	for _, cmd := range [][]string{{"kiosk", "list"}, {"settings", "list"}, {"entries", "--json"}, {"sales"}} {
		if a, b := lite.ok(cmd...), pg.ok(cmd...); a != b {
			t.Fatalf("centrald %s differs:\nSQLite:\n%s\nPostgreSQL:\n%s", strings.Join(cmd, " "), a, b)
		}
	}
	for m := 1; m <= 5; m++ {
		id := strconv.Itoa(m)
		if a, b := lite.ok("balance", "--member", id, "--json"), pg.ok("balance", "--member", id, "--json"); a != b {
			t.Fatalf("balance of %d: SQLite %s, PostgreSQL %s", m, a, b)
		}
	}
	// New ids continue after the copied ones.
	if id := pg.ok("member", "add", "--name", "Nouvelle"); id == "1" {
		t.Fatalf("new member id %s: the sequence did not continue", id)
	}
	if _, _, err := lite.run("", "migrate", "--from-sqlite", lite.dir, "--to", url); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("second copy into a filled database: %v", err)
	}
}

// folderState lists a folder's files with their sizes and contents' hash,
// but SQLite's shared-memory index and an empty WAL.
func folderState(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(e.Name(), "-shm") || strings.HasSuffix(e.Name(), "-wal") && len(data) == 0 {
			continue // what SQLite leaves after reading a WAL database
		}
		fmt.Fprintf(&b, "%s %d %x\n", e.Name(), len(data), sha256.Sum256(data))
	}
	return b.String()
}
