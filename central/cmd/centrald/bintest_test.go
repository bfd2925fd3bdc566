package main

import (
	"testing"

	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestMain removes the centrald built by the binary tests (bintest.Build)
// and stops the PostgreSQL cluster of the tests on PostgreSQL.
func TestMain(m *testing.M) { bintest.Main(m, pgtest.Stop) }
