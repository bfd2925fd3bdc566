package slack_test

import (
	"os"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/slack"
)

// TestMain adds the slack.* settings to the table, as centrald does, so
// that the store takes them and the settings' checks run.
func TestMain(m *testing.M) {
	central.AddSettings(slack.Settings...)
	os.Exit(m.Run())
}
