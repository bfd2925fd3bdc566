package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/postgres"
	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestReadOnlyStoreWritesNothing: the store centrald doctor reads through
// refuses a write at the server, so a check can never change the
// database, while its reads work.
func TestReadOnlyStoreWritesNothing(t *testing.T) {
	url := pgtest.DBFrom(t, migrated(t))
	db, err := postgres.OpenReadOnlyStore(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := sqlstore.NewSpaceService(db).FindSpaces(ctx); err != nil {
		t.Fatalf("read: %v", err)
	}
	if err := sqlstore.NewSpaceService(db).CreateSpace(ctx, &central.Space{Name: "La Cantine", Timezone: "Europe/Paris"}); err == nil {
		t.Fatal("a write through the read-only store was accepted")
	} else if !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("a write failed, but not as read-only: %v", err)
	}
}
