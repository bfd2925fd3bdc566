package pgtest

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Run(m)) }

// TestDB: each test gets its own empty database on a running server.
func TestDB(t *testing.T) {
	u1, u2 := DB(t), DB(t)
	if u1 == u2 {
		t.Fatalf("two tests share %s", u1)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u1)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("tables %d, %v; want an empty database", n, err)
	}
}
