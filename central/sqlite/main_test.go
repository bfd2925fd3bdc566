package sqlite_test

import (
	"os"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
)

// TestMain adds central/billing's settings to the table, as centrald
// does, so that the billing tests can set pennylane.token.
func TestMain(m *testing.M) {
	central.AddSettings(billing.Settings...)
	os.Exit(m.Run())
}
