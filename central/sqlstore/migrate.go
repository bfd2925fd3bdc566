package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migration is one of an engine's schema files, migration/NNNN_name.sql.
// Each engine has its own files (SQLite and PostgreSQL write DDL
// differently), at the same version numbers, so that centrald version and
// the admin show one schema version whatever the engine.
type Migration struct {
	Path    string // in the engine's files
	Name    string // the file's name
	Version int
}

// Migrations returns the migrations of files (migration/*.sql), in order
// of version. Versions increase; gaps are allowed so that features
// developed side by side (admin 0010-, slack 0020-, billing 0030-) never
// collide.
func Migrations(files fs.FS) ([]Migration, error) {
	names, err := fs.Glob(files, "migration/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var all []Migration
	known := 0
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", name)
		}
		if v <= known {
			return nil, fmt.Errorf("migration %s: version %d after %d", name, v, known)
		}
		known = v
		all = append(all, Migration{Path: name, Name: base, Version: v})
	}
	return all, nil
}

// PendingMigrations returns the migrations of files (Migrations) that
// the database of q has not applied (table migrations), in order, and
// whether it had applied any. It refuses a database written by a newer
// centrald. The engine applies them in one transaction.
func PendingMigrations(ctx context.Context, q interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}, files fs.FS) (pending []Migration, appliedAny bool, err error) {
	all, err := Migrations(files)
	if err != nil {
		return nil, false, err
	}
	applied := map[int]bool{}
	newest := 0
	rows, err := q.QueryContext(ctx, `SELECT version FROM migrations`)
	if err != nil {
		return nil, false, err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, false, err
		}
		applied[v] = true
		newest = max(newest, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	known := 0
	for _, m := range all {
		known = m.Version
		if !applied[m.Version] {
			pending = append(pending, m)
		}
	}
	if newest > known {
		return nil, false, fmt.Errorf("database schema version %d is newer than this centrald (%d): upgrade centrald", newest, known)
	}
	return pending, len(applied) > 0, nil
}
