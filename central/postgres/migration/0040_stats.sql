-- Statistics (central/admin/stats.go, central/sqlite/admin_stats.go):
-- covering indexes, so that the page's counts over a date range read index
-- entries only, never the rows. Measured with 1,000,000 entries over a
-- year (central/admin BenchmarkPages): distinct members per month went
-- from a scan of every visit (sqlite_autoindex_visits_1, 180 ms) to the
-- year's range of this index; accepted entries per hour over 90 days
-- from 250,000 row look-ups (400 ms) to the range of the partial index.
CREATE INDEX visits_day_member ON visits (day, member_id);
CREATE INDEX entries_accepted_time ON entries (time) WHERE accept = 1;
