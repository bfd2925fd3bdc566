package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// The admin's lists, one query per page, by index: entries newest first
// (entries_time, entries_member, entries_kiosk_time), today's arrivals
// (visits_day), sales newest first (sales_created, sales_member).

// EntryRows returns entries with member and kiosk names, newest first
// (time, then arrival order: both read from the entries_time index), and
// how many match without Offset and Limit, counted up to
// central.EntryRowsCountLimit+1.
func (s *AdminService) EntryRows(ctx context.Context, f central.EntryRowFilter) ([]*central.EntryRow, int, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var conds []string
	var args []any
	if f.Kiosk != nil {
		conds, args = append(conds, "e.kiosk_id = ?"), append(args, *f.Kiosk)
	}
	if f.Member != nil {
		conds, args = append(conds, "e.member_id = ?"), append(args, *f.Member)
	}
	if f.Accept != nil {
		conds, args = append(conds, "e.accept = ?"), append(args, boolInt(*f.Accept))
	}
	if !f.Since.IsZero() {
		conds, args = append(conds, "e.time >= ?"), append(args, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		conds, args = append(conds, "e.time < ?"), append(args, formatTime(f.Until))
	}
	// Counting a million entries takes longer than showing a page: the
	// count stops past EntryRowsCountLimit.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM entries e WHERE `+where(conds)+
		` LIMIT `+strconv.Itoa(central.EntryRowsCountLimit+1)+`)`, args...).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count entries: %w", err)
	}
	rows, err := tx.QueryContext(ctx, page(`SELECT e.id, e.kiosk_id, e.seq, COALESCE(e.member_id, 0), e.badge_hash,
		e.kiosk_time, e.time, e.clock_unsure, e.time_corrected, e.accept, e.reason, e.received,
		COALESCE(m.name, ''), COALESCE(k.name, '')
		FROM entries e LEFT JOIN members m ON m.id = e.member_id LEFT JOIN kiosks k ON k.id = e.kiosk_id
		WHERE `+where(conds)+` ORDER BY e.time DESC, e.rowid DESC`, f.Offset, f.Limit), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("entry rows: %w", err)
	}
	defer rows.Close()
	var out []*central.EntryRow
	for rows.Next() {
		var r central.EntryRow
		if err := rows.Scan(&r.ID, &r.Kiosk, &r.Seq, &r.Member, hashCol{&r.Badge}, timeCol{&r.KioskTime}, timeCol{&r.Time},
			&r.ClockUnsure, &r.TimeCorrected, &r.Accept, &r.Reason, timeCol{&r.Received}, &r.MemberName, &r.KioskName); err != nil {
			return nil, 0, fmt.Errorf("scan entry row: %w", err)
		}
		out = append(out, &r)
	}
	return out, n, rows.Err()
}

// Arrivals returns the visits of a day with the members' names, by space
// and time of arrival.
func (s *AdminService) Arrivals(ctx context.Context, day access.Day) ([]*central.ArrivalRow, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT v.id, v.member_id, v.space, v.day, COALESCE(v.entry_id, ''), v.first_time,
		v.charge, COALESCE(v.sale_id, 0), m.name
		FROM visits v JOIN members m ON m.id = v.member_id WHERE v.day = ? ORDER BY v.space, v.first_time, v.id`, day.String())
	if err != nil {
		return nil, fmt.Errorf("arrivals: %w", err)
	}
	defer rows.Close()
	var out []*central.ArrivalRow
	for rows.Next() {
		var a central.ArrivalRow
		if err := rows.Scan(&a.ID, &a.Member, &a.Space, dayCol{&a.Day}, &a.Entry, timeCol{&a.Time}, &a.Charge, &a.Sale,
			&a.MemberName); err != nil {
			return nil, fmt.Errorf("scan arrival: %w", err)
		}
		out = append(out, &a)
	}
	return out, rows.Err()
}

func saleRowConds(f central.SaleRowFilter) ([]string, []any) {
	var conds []string
	var args []any
	if f.Member != nil {
		conds, args = append(conds, "s.member_id = ?"), append(args, *f.Member)
	}
	if f.Product != nil {
		conds, args = append(conds, "s.product_id = ?"), append(args, *f.Product)
	}
	if f.Source != "" {
		conds, args = append(conds, "s.source = ?"), append(args, f.Source)
	}
	if !f.Since.IsZero() {
		conds, args = append(conds, "s.created >= ?"), append(args, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		conds, args = append(conds, "s.created < ?"), append(args, formatTime(f.Until))
	}
	return conds, args
}

// SaleRows returns sales with member and product names, newest first, and
// how many match without Offset and Limit.
func (s *AdminService) SaleRows(ctx context.Context, f central.SaleRowFilter) ([]*central.SaleRow, int, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	conds, args := saleRowConds(f)
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sales s WHERE `+where(conds), args...).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count sales: %w", err)
	}
	// The sale's own columns are read by scanSale (whatever billing adds
	// to them); the names come after.
	rows, err := tx.QueryContext(ctx, page(`SELECT `+saleColumns+`, member_name, product_name FROM (
		SELECT s.*, COALESCE(m.name, '') AS member_name, p.name AS product_name
		FROM sales s LEFT JOIN members m ON m.id = s.member_id JOIN products p ON p.id = s.product_id
		WHERE `+where(conds)+`) ORDER BY created DESC, id DESC`, f.Offset, f.Limit), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("sale rows: %w", err)
	}
	defer rows.Close()
	var out []*central.SaleRow
	for rows.Next() {
		var r central.SaleRow
		sale, err := scanSale(withNames{rows, &r.MemberName, &r.ProductName})
		if err != nil {
			return nil, 0, fmt.Errorf("scan sale row: %w", err)
		}
		r.Sale = *sale
		out = append(out, &r)
	}
	return out, n, rows.Err()
}

// SaleMonthTotals sums the matching sales per calendar month in loc,
// newest month first; refunded sales are left out.
func (s *AdminService) SaleMonthTotals(ctx context.Context, f central.SaleRowFilter, loc *time.Location) ([]central.MonthTotal, error) {
	conds, args := saleRowConds(f)
	conds = append(conds, "s.refunded = ''")
	rows, err := s.db.db.QueryContext(ctx, `SELECT s.created, s.amount FROM sales s WHERE `+where(conds)+` ORDER BY s.created DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("sale totals: %w", err)
	}
	defer rows.Close()
	var out []central.MonthTotal
	for rows.Next() {
		var t time.Time
		var amount int64
		if err := rows.Scan(timeCol{&t}, &amount); err != nil {
			return nil, fmt.Errorf("scan sale total: %w", err)
		}
		month := t.In(loc).Format("2006-01")
		if len(out) == 0 || out[len(out)-1].Month != month {
			out = append(out, central.MonthTotal{Month: month})
		}
		out[len(out)-1].Count++
		out[len(out)-1].Amount += amount
	}
	return out, rows.Err()
}

// UpdateKiosk renames a kiosk or moves it to another space (audited).
// Returns ENOTFOUND and EINVALID.
func (s *AdminService) UpdateKiosk(ctx context.Context, id int64, upd central.KioskUpdate) (*central.Kiosk, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	k, err := findKioskByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	old := *k
	if upd.Name != nil {
		k.Name = *upd.Name
	}
	if upd.Space != nil {
		k.Space = *upd.Space
	}
	if err := k.Validate(); err != nil {
		return nil, err
	}
	if k.Name == old.Name && k.Space == old.Space {
		return k, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE kiosks SET name = ?, space = ? WHERE id = ?`, k.Name, k.Space, id); err != nil {
		return nil, fmt.Errorf("update kiosk: %w", err)
	}
	if err := tx.audit(ctx, "kiosk.update", kioskObject(id), map[string]any{"name": k.Name, "space": k.Space}); err != nil {
		return nil, err
	}
	return k, tx.Commit()
}

// withNames scans a row's leading columns into the destinations a scan
// function gives, and its last columns into names.
type withNames struct {
	sc    interface{ Scan(...any) error }
	names *string
	more  *string
}

func (w withNames) Scan(dest ...any) error { return w.sc.Scan(append(dest, w.names, w.more)...) }
