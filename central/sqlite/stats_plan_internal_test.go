package sqlite

import (
	"context"
	"strings"
	"testing"
)

// TestStatsQueriesUseIndexes checks the statistics' query plans: each
// reads a date range of an index, covering for the counts, so that the
// rows read grow with the range and never with the whole history.
func TestStatsQueriesUseIndexes(t *testing.T) {
	db := NewDB(t.TempDir())
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	// Statistics as with a large space, so the planner has no excuse.
	if _, err := db.db.ExecContext(ctx, `ANALYZE; INSERT OR REPLACE INTO sqlite_stat1 (tbl, idx, stat) VALUES
		('visits', 'sqlite_autoindex_visits_1', '180000 18 18 1'), ('visits', 'visits_day', '180000 500'),
		('visits', 'visits_day_member', '180000 500 1'), ('entries', 'entries_time', '1000000 1'),
		('entries', 'entries_accepted_time', '950000 1'), ('sales', 'sales_created', '30000 1');
		ANALYZE sqlite_schema`); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct{ q, want string }{
		"visit days":    {visitDaysQuery, "SEARCH visits USING COVERING INDEX visits_day"},
		"month members": {monthMembersQuery, "SEARCH visits USING COVERING INDEX visits_day_member"},
		"month sales":   {monthSalesQuery, "SEARCH sales USING INDEX sales_created"},
		"entry hours":   {entryHoursQuery, "SEARCH entries USING COVERING INDEX entries_accepted_time"},
	} {
		t.Run(name, func(t *testing.T) {
			rows, err := db.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+c.q, "2025-11-01", "2026-11-27")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
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
