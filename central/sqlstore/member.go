package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

var _ central.MemberService = (*MemberService)(nil)

// MemberService implements central.MemberService.
type MemberService struct{ db *DB }

// NewMemberService returns the member service of db.
func NewMemberService(db *DB) *MemberService { return &MemberService{db: db} }

// memberColumns reads a member with her cached balance on day ?1 (one
// parameter, used by the correlated subqueries; all of them by index).
const memberColumns = `m.id, m.name, m.email, m.status, m.slack_opt_out, m.created, m.updated, m.version, m.overdraft,
	COALESCE((SELECT SUM(s.entries_left) FROM sales s WHERE s.member_id = m.id AND s.kind = 'pack'
		AND s.refunded = '' AND (s.end_day = '' OR s.end_day >= ?1)), 0),
	COALESCE((SELECT MAX(s.end_day) FROM sales s WHERE s.member_id = m.id AND s.kind = 'subscription'
		AND s.refunded = '' AND s.end_day >= ?1), ''),
	EXISTS (SELECT 1 FROM sales s WHERE s.member_id = m.id AND s.kind = 'unlimited' AND s.refunded = ''
		AND s.start_day <= ?1 AND (s.end_day = '' OR s.end_day >= ?1)),
	COALESCE((SELECT MAX(v.day) FROM visits v WHERE v.member_id = m.id), ''),
	COALESCE((SELECT MAX(s.end_day) FROM sales s WHERE s.member_id = m.id AND s.kind = 'membership'
		AND s.refunded = '' AND s.end_day >= ?1), ''),
	` + duesValid

// duesValid says whether member m's dues (adhésion) cover the day ?1.
const duesValid = `EXISTS (SELECT 1 FROM sales s WHERE s.member_id = m.id AND s.kind = 'membership' AND s.refunded = ''
		AND s.start_day <= ?1 AND s.end_day >= ?1)`

func scanMember(sc scanner, day access.Day) (*central.Member, error) {
	var m central.Member
	var left int
	err := sc.Scan(&m.ID, &m.Name, &m.Email, &m.Status, &m.SlackOptOut, timeCol{&m.Created}, timeCol{&m.Updated},
		&m.Version, &m.Balance.Overdraft, &left, dayCol{&m.Balance.SubscriptionUntil}, &m.Balance.Unlimited,
		dayCol{&m.LastVisit}, dayCol{&m.Balance.MembershipUntil}, &m.Balance.MembershipValid)
	if err != nil {
		return nil, fmt.Errorf("scan member: %w", err)
	}
	m.Balance.Member, m.Balance.Day = m.ID, day
	m.Balance.EntriesLeft = left - m.Balance.Overdraft
	return &m, nil
}

// FindMemberByID implements central.MemberService.
func (s *MemberService) FindMemberByID(ctx context.Context, id int64) (*central.Member, error) {
	return view(ctx, s.db, func(tx *Tx) (*central.Member, error) { return findMemberByID(ctx, tx, id) })
}

func findMemberByID(ctx context.Context, tx *Tx, id int64) (*central.Member, error) {
	ms, _, err := findMembers(ctx, tx, central.MemberFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(ms) == 0 {
		return nil, central.Errorf(central.ENOTFOUND, "Member %d not found.", id)
	}
	return ms[0], nil
}

// FindMembers implements central.MemberService.
func (s *MemberService) FindMembers(ctx context.Context, filter central.MemberFilter) ([]*central.Member, int, error) {
	return viewPage(ctx, s.db, func(tx *Tx) ([]*central.Member, int, error) { return findMembers(ctx, tx, filter) })
}

func findMembers(ctx context.Context, tx *Tx, f central.MemberFilter) ([]*central.Member, int, error) {
	day, _, err := tx.today(ctx)
	if err != nil {
		return nil, 0, err
	}
	// ?1 is the day of memberColumns; the count query names it too, so
	// that the placeholders are numbered the same in both.
	d := tx.db.dialect
	var w conds
	w.add("?1 = ?1", day.String())
	if f.ID != nil {
		w.add("m.id = ?", *f.ID)
	}
	if f.Email != nil {
		w.add(d.EqualFold("m.email"), strings.TrimSpace(*f.Email))
	}
	if f.Name != nil {
		w.add(d.EqualFold("m.name"), strings.Join(strings.Fields(*f.Name), " "))
	}
	if f.Status != nil {
		w.add("m.status = ?", string(*f.Status))
	}
	switch {
	case f.DuesPaid == nil:
	case *f.DuesPaid:
		w.add(duesValid)
	default:
		w.add("NOT " + duesValid)
	}
	if f.Space != 0 {
		w.add(memberOfSpace, f.Space, fmt.Sprintf("%%,%d,%%", f.Space), f.Space)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
		w.add(`(m.name `+d.ILike()+` ? ESCAPE '\' OR m.email `+d.ILike()+` ? ESCAPE '\')`, like, like)
	}
	return find(ctx, tx, listQuery{what: "members", columns: memberColumns, table: "members m",
		where: w, order: "m.id", offset: f.Offset, limit: f.Limit, pageKey: "m.id"},
		func(sc scanner) (*central.Member, error) { return scanMember(sc, day) })
}

// memberOfSpace is central.MemberFilter.Space's condition on the member
// m, with the space's id twice then the LIKE pattern "%,ID,%": a sale of a
// product sold by the space or valid there (products.valid_spaces is
// "all", "" for the selling space only, or ids "1,3"), or, having bought
// nothing, registered by it. Sales are read by sales_member.
const memberOfSpace = `(EXISTS (SELECT 1 FROM sales s JOIN products p ON p.id = s.product_id
	WHERE s.member_id = m.id AND (p.space_id = ? OR p.valid_spaces = 'all' OR ',' || p.valid_spaces || ',' LIKE ?))
	OR (m.space_id = ? AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.member_id = m.id)))`

// CreateMember implements central.MemberService.
func (s *MemberService) CreateMember(ctx context.Context, m *central.Member) error {
	return s.CreateMembers(ctx, []*central.Member{m})
}

// CreateMembers implements central.MemberService.
func (s *MemberService) CreateMembers(ctx context.Context, ms []*central.Member) error {
	return s.db.update(ctx, func(tx *Tx) error {
		for _, m := range ms {
			if err := createMember(ctx, tx, m); err != nil {
				return err
			}
		}
		return nil
	})
}

// createMember adds m in tx (central.CreateMember).
func createMember(ctx context.Context, tx *Tx, m *central.Member) error {
	return central.CreateMember(ctx, ledgerTx{tx}, m)
}

// FindMember implements central.MemberTx.
func (l ledgerTx) FindMember(ctx context.Context, id int64) (*central.Member, error) {
	return findMemberByID(ctx, l.tx, id)
}

// InsertMember implements central.MemberTx.
func (l ledgerTx) InsertMember(ctx context.Context, m *central.Member) error {
	v, err := l.tx.nextVersion(ctx)
	if err != nil {
		return err
	}
	m.Created, m.Updated, m.Version = l.tx.now, l.tx.now, v
	err = l.tx.QueryRowContext(ctx, `INSERT INTO members (name, email, status, slack_opt_out, created, updated, version, space_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.Name, m.Email, string(m.Status), boolInt(m.SlackOptOut), formatTime(l.tx.now), formatTime(l.tx.now), v,
		max(m.Space, central.MainSpace)).Scan(&m.ID)
	if l.tx.isUniqueViolation(err) {
		return central.Errorf(central.ECONFLICT, "Another member has the e-mail %s.", m.Email)
	} else if err != nil {
		return fmt.Errorf("insert member: %w", err)
	}
	return nil
}

// emailTakenQuery finds the member other than ?2 with the e-mail ?1 (not
// empty), case folded, by the index members_email: that index is partial
// (e-mails not empty only), so the query says so too, or the engine could
// not use it and would read every member.
func emailTakenQuery(d Dialect) string {
	return `SELECT id FROM members WHERE ` + d.EqualFold("email") + ` AND email <> '' AND id <> ?2`
}

// EmailHolder implements central.MemberTx.
func (l ledgerTx) EmailHolder(ctx context.Context, email string, except int64) (int64, error) {
	var id int64
	err := l.tx.QueryRowContext(ctx, emailTakenQuery(l.tx.db.dialect), email, except).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("check e-mail: %w", err)
	}
	return id, nil
}

// UpdateMember implements central.MemberService (central.UpdateMember in
// one transaction).
func (s *MemberService) UpdateMember(ctx context.Context, id int64, upd central.MemberUpdate) (*central.Member, error) {
	return updated(ctx, s.db, func(tx *Tx) (*central.Member, error) {
		return central.UpdateMember(ctx, ledgerTx{tx}, id, upd)
	})
}

// SaveMember implements central.MemberTx.
func (l ledgerTx) SaveMember(ctx context.Context, m *central.Member) error {
	if _, err := l.tx.ExecContext(ctx, `UPDATE members SET name = ?, email = ?, status = ?, slack_opt_out = ?, updated = ? WHERE id = ?`,
		m.Name, m.Email, string(m.Status), boolInt(m.SlackOptOut), formatTime(l.tx.now), m.ID); err != nil {
		if l.tx.isUniqueViolation(err) {
			return central.Errorf(central.ECONFLICT, "Another member has the e-mail %s.", m.Email)
		}
		return fmt.Errorf("update member: %w", err)
	}
	return nil
}

// EraseMember implements central.MemberService (central.EraseMember in
// one transaction).
func (s *MemberService) EraseMember(ctx context.Context, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.EraseMember(ctx, ledgerTx{tx}, id) })
}

// eraseStep runs one write of central.EraseTx for a member.
func (l ledgerTx) eraseStep(ctx context.Context, member int64, query string) error {
	if _, err := l.tx.ExecContext(ctx, query, member); err != nil {
		return fmt.Errorf("erase member: %w", err)
	}
	return nil
}

// DeleteMemberEntries implements central.EraseTx.
func (l ledgerTx) DeleteMemberEntries(ctx context.Context, member int64) error {
	return l.eraseStep(ctx, member, `DELETE FROM entries WHERE member_id = ?`)
}

// AnonymiseRegistrations implements central.EraseTx.
func (l ledgerTx) AnonymiseRegistrations(ctx context.Context, member int64) error {
	return l.eraseStep(ctx, member, `UPDATE registrations SET name = '', email = '' WHERE member_id = ?`)
}

// ForgetPayer implements central.EraseTx. The trigger payments_erase
// (migration 0030) does the same when a member row is deleted.
func (l ledgerTx) ForgetPayer(ctx context.Context, member int64) error {
	return l.eraseStep(ctx, member, `UPDATE payments SET payer_email = '', payer_name = '', payer_address = '',
		beneficiary_name = '', beneficiary_email = '' WHERE member_id = ?`)
}

// DeleteMemberLinks implements central.EraseTx: her claim, unsubscribe,
// calendar feed and lost-link links (mail_tokens name members by id,
// without a foreign key: a subject is a member or a user).
func (l ledgerTx) DeleteMemberLinks(ctx context.Context, member int64) error {
	return l.eraseStep(ctx, member, `DELETE FROM mail_tokens WHERE subject = ? AND purpose IN ('claim', 'unsubscribe', 'calendar', 'member_link')`)
}

// DeleteMember implements central.EraseTx: what describes only her goes
// by the foreign keys' ON DELETE CASCADE, her sales, payments and
// registrations are detached by their ON DELETE SET NULL.
func (l ledgerTx) DeleteMember(ctx context.Context, member int64) error {
	return l.eraseStep(ctx, member, `DELETE FROM members WHERE id = ?`)
}

// AddTombstone implements central.EraseTx.
func (l ledgerTx) AddTombstone(ctx context.Context, member, version int64) error {
	if _, err := l.tx.ExecContext(ctx, `INSERT INTO tombstones (member_id, version, erased) VALUES (?, ?, ?)`,
		member, version, formatTime(l.tx.now)); err != nil {
		return fmt.Errorf("tombstone: %w", err)
	}
	return nil
}

func memberObject(id int64) string { return fmt.Sprintf("member:%d", id) }

// memberExists reports whether a member exists.
func memberExists(ctx context.Context, tx *Tx, id int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM members WHERE id = ?`, id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("member exists: %w", err)
	}
	return n > 0, nil
}
