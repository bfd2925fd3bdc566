package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	neturl "net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/postgres"
	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// engine is one of central's database engines: it makes fresh, empty
// (migrated) databases for the bench.
type engine struct {
	name  string
	fresh func() (*store, error)
}

// store is one fresh central database: the services the bench drives, a
// plain database/sql handle on the same database for what the services
// would take minutes to do (bulk seeding, the raw insert floor), and the
// flags that point centrald at it.
type store struct {
	engine   string
	kiosks   central.KioskService
	sync     central.SyncService
	spaces   central.SpaceService
	products central.ProductService
	members  central.MemberService
	badges   central.BadgeService
	ledger   central.LedgerService
	raw      *sql.DB
	postgres bool     // raw takes $N placeholders, not ?
	flags    []string // centrald's flags for this database: --data DIR or --db URL
	// closeServices closes the services' database (before centrald opens
	// it: SQLite's folder takes one process); close also removes it.
	closeServices func() error
	close         func()
	// durable reopens the services with the engine's full durability:
	// fresh opens PostgreSQL's for seeding without waiting for each
	// commit to reach the disk (synchronous_commit=off: thousands of
	// transactions of one member each, which are not measured).
	durable func() error
	// fillDB is a handle for inserting many rows in one transaction,
	// not measured (SQLite: without fsync or foreign key checks, as the
	// admin's page bench seeds).
	fillDB func() (*sql.DB, error)
}

// rebind rewrites a query written with ? placeholders for the engine.
func (s *store) rebind(q string) string {
	if !s.postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sqliteEngine makes databases in temporary folders, with central's
// pragmas (WAL, synchronous=FULL).
func sqliteEngine() engine {
	return engine{name: "SQLite", fresh: func() (*store, error) {
		dir, err := os.MkdirTemp("", "syncbench")
		if err != nil {
			return nil, err
		}
		db := sqlite.NewDB(dir)
		if err := db.Open(); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "central.db")+
			"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_txlock=immediate")
		if err != nil {
			db.Close()
			os.RemoveAll(dir)
			return nil, err
		}
		s := &store{engine: "SQLite", kiosks: sqlstore.NewKioskService(db.DB), sync: sqlstore.NewSyncService(db.DB),
			spaces: sqlstore.NewSpaceService(db.DB), products: sqlstore.NewProductService(db.DB),
			members: sqlstore.NewMemberService(db.DB), badges: sqlstore.NewBadgeService(db.DB), ledger: sqlstore.NewLedgerService(db.DB),
			raw: raw, flags: []string{"--data", dir}}
		s.closeServices = db.Close
		s.close = func() { db.Close(); raw.Close(); os.RemoveAll(dir) }
		s.durable = func() error { return nil }
		s.fillDB = func() (*sql.DB, error) {
			return sql.Open("sqlite", "file:"+filepath.Join(dir, "central.db")+
				"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=foreign_keys(0)&_txlock=immediate")
		}
		return s, nil
	}}
}

// postgresEngine makes databases on a cluster: url's server when given
// (an empty database per fresh call is created there, so url's user may
// create databases), else a throwaway durable cluster of Debian's
// postgresql package (PostgreSQL's defaults: fsync and synchronous
// commits on, as SQLite's synchronous=FULL).
func postgresEngine(url string) (engine, func(), error) {
	var create func(name string) (string, error)
	var stop func()
	if url == "" {
		c, err := pgtest.NewCluster(true)
		if err != nil {
			return engine{}, nil, fmt.Errorf("PostgreSQL: %w (install Debian's postgresql package, or give -postgres URL)", err)
		}
		create, stop = c.CreateDatabase, c.Stop
	} else {
		admin, err := sql.Open("pgx", url)
		if err != nil {
			return engine{}, nil, err
		}
		create = func(name string) (string, error) {
			if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
				return "", err
			}
			u, err := neturl.Parse(url)
			if err != nil {
				return "", errors.New("-postgres: the URL could not be parsed") // the error would quote it
			}
			u.Path = "/" + name
			return u.String(), nil
		}
		stop = func() { admin.Close() }
	}
	n := 0
	return engine{name: "PostgreSQL", fresh: func() (*store, error) {
		n++
		url, err := create(fmt.Sprintf("syncbench_%d_%d", os.Getpid(), n))
		if err != nil {
			return nil, err
		}
		raw, err := sql.Open("pgx", url)
		if err != nil {
			return nil, err
		}
		s := &store{engine: "PostgreSQL", raw: raw, postgres: true, flags: []string{"--db", url}}
		var db *postgres.DB
		open := func(url string) error {
			if db != nil {
				db.Close()
			}
			db = postgres.NewDB(url)
			if err := db.Open(); err != nil {
				return err
			}
			s.kiosks, s.sync, s.spaces = sqlstore.NewKioskService(db.DB), sqlstore.NewSyncService(db.DB), sqlstore.NewSpaceService(db.DB)
			s.products, s.members = sqlstore.NewProductService(db.DB), sqlstore.NewMemberService(db.DB)
			s.badges, s.ledger = sqlstore.NewBadgeService(db.DB), sqlstore.NewLedgerService(db.DB)
			return nil
		}
		// pgx sends a URL's unknown parameters as the session's settings.
		if err := open(url + "&synchronous_commit=off"); err != nil {
			raw.Close()
			return nil, err
		}
		s.closeServices = func() error { return db.Close() }
		s.close = func() { db.Close(); raw.Close() }
		s.durable = func() error { return open(url) }
		s.fillDB = func() (*sql.DB, error) { return sql.Open("pgx", url+"&synchronous_commit=off") }
		return s, nil
	}}, stop, nil
}

// exec runs a query written with ? placeholders.
func (s *store) exec(ctx context.Context, q string, args ...any) error {
	_, err := s.raw.ExecContext(ctx, s.rebind(q), args...)
	return err
}
