package sqlstore

import "fmt"

// Queries returns, by name, the store's queries whose cost must not grow
// with the size of the association (the pull's, the statistics'), as d
// writes them: an engine's tests check their plans (central/sqlite's plan
// tests ask SQLite's EXPLAIN QUERY PLAN that none scans a table). Their
// parameters are ?1, ?2 and ?3.
func Queries(d Dialect) map[string]string {
	p := newPullQueries(d)
	return map[string]string{
		"pull changes":  pullChangesQuery,
		"pull snapshot": pullSnapshotQuery,
		"pull members":  p.members,
		"pull badges":   p.badges,
		"pull sales":    p.sales,
		"pull visits":   p.visits,
		"pull accepted": p.accepted,
		"pull ack":      `SELECT seq FROM entries WHERE kiosk_id = ?1 AND seq > ?2 ORDER BY seq`,
		"kiosk":         `SELECT ` + kioskColumns + ` FROM kiosks WHERE token_hash = ?1`,
		"visit":         `SELECT id, entry_id, first_time FROM visits WHERE member_id = ?1 AND space = ?2 AND day = ?3`,
		"visit days":    visitDaysQuery,
		"month members": fmt.Sprintf(monthMembersQuery, d.IndexedBy("visits_day_member")),
		"month sales":   fmt.Sprintf(monthSalesQuery, ""),
		"entry hours":   entryHoursQuery,
		"member email":  emailTakenQuery(d),
		"admin email":   `SELECT ` + adminUserColumns + ` FROM admin_users WHERE ` + adminByEmail(d),
	}
}
