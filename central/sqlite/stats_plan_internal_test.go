package sqlite

import (
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestStatsQueriesUseIndexes checks the statistics' query plans: each
// reads a date range of an index, covering for the counts, so that the
// rows read grow with the range and never with the whole history.
func TestStatsQueriesUseIndexes(t *testing.T) {
	// Statistics as with a large space, so the planner has no excuse.
	db := planDB(t, `('visits', 'sqlite_autoindex_visits_1', '180000 18 18 1'), ('visits', 'visits_day', '180000 500'),
		('visits', 'visits_day_member', '180000 500 1'), ('entries', 'entries_time', '1000000 1'),
		('entries', 'entries_accepted_time', '950000 1'), ('sales', 'sales_created', '30000 1')`)
	queries := sqlstore.Queries(Dialect{})
	for name, want := range map[string]string{
		"visit days":    "SEARCH visits USING COVERING INDEX visits_day",
		"month members": "SEARCH visits USING COVERING INDEX visits_day_member",
		"month sales":   "SEARCH sales USING INDEX sales_created",
		"entry hours":   "SEARCH entries USING COVERING INDEX entries_accepted_time",
	} {
		c := struct{ q, want string }{queries[name], want}
		if c.q == "" {
			t.Fatalf("no query %q", name)
		}
		t.Run(name, func(t *testing.T) {
			plan := queryPlan(t, db, c.q, "2025-11-01", "2026-11-27")
			found := false
			for _, step := range plan {
				if strings.HasPrefix(step, "SCAN ") {
					t.Errorf("plan scans a table: %q", plan)
				}
				found = found || strings.HasPrefix(step, c.want)
			}
			if !found {
				t.Errorf("plan %q, want %q", plan, c.want)
			}
		})
	}
}
