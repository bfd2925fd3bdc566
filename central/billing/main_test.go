package billing_test

import (
	"os"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
)

// TestMain adds the billing settings to the table, as centrald does, so
// that the store takes them and the settings' checks run.
func TestMain(m *testing.M) {
	central.AddSettings(billing.Settings...)
	central.AddSettings(billing.TaxSettings...) // as centrald's donations command adds them
	os.Exit(m.Run())
}
