// Package pgtest starts a throwaway PostgreSQL cluster for tests: Debian's
// postgresql package (initdb and pg_ctl), a cluster created in a temporary
// folder as an unprivileged user (the postgres user when the tests run as
// root, since PostgreSQL refuses to run as root), listening on a Unix
// socket in that folder with a random port number, stopped and deleted when
// the tests end. Each test gets an empty database of its own (DB).
//
// A test binary that uses it runs its tests through Run:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }
//
// When the PostgreSQL binaries are missing, tests skip with a message
// saying what to install, except under CI=true, where they fail: CI must
// run the PostgreSQL tests, never silently skip them (`make test` installs
// the package, deploy/build-deps.sh).
package pgtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Cluster is a running throwaway cluster.
type Cluster struct {
	Dir  string // the cluster's folder: data, socket and log
	Port int
	bin  string
	cred *syscall.Credential
	next atomic.Int64 // databases made
}

var (
	once    sync.Once
	cluster *Cluster
	failure error // why the cluster could not start
	missing bool  // the binaries are not installed
)

// Run runs the tests of m and stops the cluster if a test started it.
func Run(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// Stop stops the cluster if a test started it (for a TestMain that cannot
// use Run).
func Stop() {
	if cluster != nil {
		cluster.stop()
		cluster = nil
	}
}

// Start returns the cluster, starting it on first use. Without the
// binaries it skips tb, or fails it under CI=true.
func Start(tb testing.TB) *Cluster {
	tb.Helper()
	once.Do(func() { cluster, failure = start() })
	if failure != nil {
		if missing && os.Getenv("CI") != "true" {
			tb.Skipf("PostgreSQL tests skipped: %v (install Debian's postgresql package, as make test does; under CI=true this fails)", failure)
		}
		tb.Fatalf("PostgreSQL test cluster: %v", failure)
	}
	return cluster
}

// DB creates an empty database for tb (dropped when tb ends) and returns
// its URL.
func DB(tb testing.TB) string {
	tb.Helper()
	return DBFrom(tb, "")
}

// DBFrom creates a database for tb that is a copy of template (see
// Template; "" for an empty one), dropped when tb ends, and returns its
// URL.
func DBFrom(tb testing.TB, template string) string {
	tb.Helper()
	c := Start(tb)
	name := fmt.Sprintf("t%d_%d", os.Getpid(), c.next.Add(1))
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if err := c.exec(context.Background(), create); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		if err := c.exec(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop database: %v", err)
		}
	})
	return c.URL(name)
}

var (
	templatesMu sync.Mutex
	templates   = map[string]error{}
)

// Template makes, once per test binary, a database called name that init
// prepares (given its URL; it must close its connections), and returns
// name for DBFrom: copying a prepared database (a migrated schema) is
// much faster than preparing each test's anew.
func Template(tb testing.TB, name string, init func(url string) error) string {
	tb.Helper()
	c := Start(tb)
	templatesMu.Lock()
	defer templatesMu.Unlock()
	err, done := templates[name]
	if !done {
		err = c.exec(context.Background(), "CREATE DATABASE "+name)
		if err == nil {
			err = init(c.URL(name))
		}
		templates[name] = err
	}
	if err != nil {
		tb.Fatalf("template database %s: %v", name, err)
	}
	return name
}

// URL is the URL of database name on the cluster.
func (c *Cluster) URL(name string) string {
	q := url.Values{"host": {c.Dir}, "port": {strconv.Itoa(c.Port)}, "sslmode": {"disable"}}
	return "postgres://postgres@/" + name + "?" + q.Encode()
}

func (c *Cluster) exec(ctx context.Context, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// binDir finds initdb and pg_ctl: on PATH, else in Debian's
// /usr/lib/postgresql/VERSION/bin (not on PATH), the newest version.
func binDir() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "initdb")); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("initdb and pg_ctl not found on PATH nor in /usr/lib/postgresql/*/bin")
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// NewCluster starts a throwaway cluster outside tests (benchmarks), to be
// stopped with Stop. A durable cluster keeps PostgreSQL's defaults (fsync,
// synchronous commits, full page writes): what a production server does,
// to compare with SQLite's synchronous=FULL; the tests' clusters turn
// them off.
func NewCluster(durable bool) (*Cluster, error) {
	if _, err := binDir(); err != nil {
		return nil, err
	}
	return startCluster(durable)
}

// Stop stops the cluster and deletes its folder.
func (c *Cluster) Stop() { c.stop() }

// CreateDatabase creates an empty database called name and returns its
// URL.
func (c *Cluster) CreateDatabase(name string) (string, error) {
	if err := c.exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	return c.URL(name), nil
}

func start() (*Cluster, error) { return startCluster(false) }

func startCluster(durable bool) (*Cluster, error) {
	bin, err := binDir()
	if err != nil {
		missing = true
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, bin: bin, Port: 20000 + rand.IntN(40000)}
	if os.Geteuid() == 0 { // PostgreSQL refuses to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			u, err = user.Lookup("nobody")
		}
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("no unprivileged user to run PostgreSQL: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--no-sync",
		"-E", "UTF8", "--locale=C"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	opts := fmt.Sprintf("-k %s -p %d -c listen_addresses='' -c max_connections=200", dir, c.Port)
	if !durable { // durability is not what the tests measure: no fsync
		opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	}
	if out, err := c.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "-o", opts, "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %v: %s %s", err, out, log)
	}
	return c, nil
}

func (c *Cluster) run(name string, args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = c.Dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func (c *Cluster) stop() {
	c.run("pg_ctl", "-D", filepath.Join(c.Dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.Dir)
}
