package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// The admin's lists, one query per page, by index: entries newest first
// (entries_time, entries_member, entries_kiosk_time), today's arrivals
// (visits_day), sales newest first (sales_created, sales_member).

// EntryRows returns entries with member and kiosk names, newest first
// (time, from the entries_time index, then id: PostgreSQL has no rowid,
// SQLite's arrival order; a total order, so that pages neither lose nor
// repeat entries of the same time), and
// how many match without Offset and Limit, counted up to
// adminstore.EntryRowsCountLimit+1.
func (s *AdminService) EntryRows(ctx context.Context, f adminstore.EntryRowFilter) ([]*adminstore.EntryRow, int, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	w := entryConds(f.Kiosk, f.Member, f.Since, f.Until)
	if f.Kiosks != nil {
		w.add(inIDs("e.kiosk_id", f.Kiosks))
	}
	if f.Accept != nil {
		w.add("e.accept = ?", boolInt(*f.Accept))
	}
	if f.Badges != nil {
		if len(f.Badges) == 0 {
			w.add("1 = 0")
		} else {
			hashes := make([]any, len(f.Badges))
			for i, h := range f.Badges {
				hashes[i] = h.String()
			}
			w.add("e.badge_hash IN (?"+strings.Repeat(", ?", len(hashes)-1)+")", hashes...)
		}
	}
	return find(ctx, tx, listQuery{
		what: "entry rows",
		// An entry without a member whose badge central knows is that
		// member's: a door refuses a card of another space of the
		// network (not_valid_here) without holding its member.
		columns: `e.id, e.kiosk_id, e.seq, COALESCE(e.member_id, b.member_id, 0), e.badge_hash, e.kiosk_time, e.time, e.clock_unsure,
			e.time_corrected, e.accept, e.reason, e.received, COALESCE(m.name, ''), COALESCE(k.name, '')`,
		table: "entries e", joins: `LEFT JOIN badges b ON e.member_id IS NULL AND b.hash = e.badge_hash
			LEFT JOIN members m ON m.id = COALESCE(e.member_id, b.member_id) LEFT JOIN kiosks k ON k.id = e.kiosk_id`,
		where: w, order: "e.time DESC, e.id DESC", offset: f.Offset, limit: f.Limit,
		maxCount: adminstore.EntryRowsCountLimit + 1,
	}, func(sc scanner) (*adminstore.EntryRow, error) {
		var r adminstore.EntryRow
		if err := sc.Scan(&r.ID, &r.Kiosk, &r.Seq, &r.Member, hashCol{&r.Badge}, timeCol{&r.KioskTime}, timeCol{&r.Time},
			&r.ClockUnsure, &r.TimeCorrected, &r.Accept, &r.Reason, timeCol{&r.Received}, &r.MemberName, &r.KioskName); err != nil {
			return nil, fmt.Errorf("scan entry row: %w", err)
		}
		return &r, nil
	})
}

// inIDs is the condition column IN (ids), written out (ids are numbers);
// no id: false.
func inIDs(column string, ids []int64) string {
	if len(ids) == 0 {
		return "1 = 0"
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return column + " IN (" + strings.Join(parts, ", ") + ")"
}

// Arrivals returns the visits of a day with the members' names, by space
// and time of arrival.
func (s *AdminService) Arrivals(ctx context.Context, day access.Day) ([]*adminstore.ArrivalRow, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT v.id, v.member_id, v.space, v.day, COALESCE(v.entry_id, ''), v.first_time,
		v.charge, COALESCE(v.sale_id, 0), m.name
		FROM visits v JOIN members m ON m.id = v.member_id WHERE v.day = ? ORDER BY v.space, v.first_time, v.id`, day.String())
	if err != nil {
		return nil, fmt.Errorf("arrivals: %w", err)
	}
	return collect(rows, func(sc scanner) (*adminstore.ArrivalRow, error) {
		var a adminstore.ArrivalRow
		if err := sc.Scan(&a.ID, &a.Member, &a.Space, dayCol{&a.Day}, &a.Entry, timeCol{&a.Time}, &a.Charge, &a.Sale,
			&a.MemberName); err != nil {
			return nil, fmt.Errorf("scan arrival: %w", err)
		}
		return &a, nil
	})
}

func saleRowConds(f adminstore.SaleRowFilter) conds {
	var w conds
	if f.Member != nil {
		w.add("s.member_id = ?", *f.Member)
	}
	if f.Product != nil {
		w.add("s.product_id = ?", *f.Product)
	}
	if f.Space != 0 {
		w.add("s.product_id IN (SELECT id FROM products WHERE space_id = ?)", f.Space)
	}
	if f.Source != "" {
		w.add("s.source = ?", f.Source)
	}
	w.timeRange("s.created", f.Since, f.Until)
	if f.Unpaid {
		w.add("s.paid_method = 'unpaid' AND s.refunded = ''")
	}
	if f.PaidOn != nil {
		w.add("s.paid_day = ? AND s.paid_method IN ('cash', 'cheque') AND s.refunded = ''", f.PaidOn.String())
	}
	return w
}

// SaleRows returns sales with member and product names, newest first, and
// how many match without Offset and Limit.
func (s *AdminService) SaleRows(ctx context.Context, f adminstore.SaleRowFilter) ([]*adminstore.SaleRow, int, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	w := saleRowConds(f)
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sales s WHERE `+w.sql(), w.args...).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count sales: %w", err)
	}
	// The sale's own columns are read by scanSale (whatever billing adds
	// to them); the names come after.
	rows, err := tx.QueryContext(ctx, page(`SELECT `+saleColumns+`, member_name, product_name FROM (
		SELECT s.*, COALESCE(m.name, '') AS member_name, p.name AS product_name
		FROM sales s LEFT JOIN members m ON m.id = s.member_id JOIN products p ON p.id = s.product_id
		WHERE `+w.sql()+`) AS sale_rows ORDER BY created DESC, id DESC`, f.Offset, f.Limit), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("sale rows: %w", err)
	}
	out, err := collect(rows, func(sc scanner) (*adminstore.SaleRow, error) {
		var r adminstore.SaleRow
		sale, err := scanSale(withNames{sc, &r.MemberName, &r.ProductName})
		if err != nil {
			return nil, fmt.Errorf("scan sale row: %w", err)
		}
		r.Sale = *sale
		return &r, nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, n, nil
}

// SaleMonthTotals sums the matching sales per calendar month in loc,
// newest month first; refunded sales are left out.
func (s *AdminService) SaleMonthTotals(ctx context.Context, f adminstore.SaleRowFilter, loc *time.Location) ([]adminstore.MonthTotal, error) {
	w := saleRowConds(f)
	w.add("s.refunded = ''")
	rows, err := s.db.db.QueryContext(ctx, `SELECT s.created, s.amount FROM sales s WHERE `+w.sql()+` ORDER BY s.created DESC`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("sale totals: %w", err)
	}
	var out []adminstore.MonthTotal
	err = eachRow(rows, func(sc scanner) error {
		var t time.Time
		var amount int64
		if err := sc.Scan(timeCol{&t}, &amount); err != nil {
			return fmt.Errorf("scan sale total: %w", err)
		}
		month := t.In(loc).Format("2006-01")
		if len(out) == 0 || out[len(out)-1].Month != month {
			out = append(out, adminstore.MonthTotal{Month: month})
		}
		out[len(out)-1].Count++
		out[len(out)-1].Amount += amount
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
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
	sc    scanner
	names *string
	more  *string
}

func (w withNames) Scan(dest ...any) error { return w.sc.Scan(append(dest, w.names, w.more)...) }

// MembershipRegister returns the members whose dues (sales of kind
// membership, refunds aside) cover at least one day of year, by name, with
// the day they first paid dues and what the dues of that year came to.
func (s *AdminService) MembershipRegister(ctx context.Context, year int) ([]*adminstore.RegisterRow, error) {
	first, last := access.Day{Year: year, Month: time.January, Day: 1}, access.Day{Year: year, Month: time.December, Day: 31}
	rows, err := s.db.db.QueryContext(ctx, `SELECT m.id, m.name, m.email, m.status,
		(SELECT MIN(j.created) FROM sales j WHERE j.member_id = m.id AND j.kind = 'membership' AND j.refunded = ''),
		SUM(s.amount), MAX(s.end_day)
		FROM sales s JOIN members m ON m.id = s.member_id
		WHERE s.kind = 'membership' AND s.refunded = '' AND s.start_day <= ? AND s.end_day >= ?
		GROUP BY m.id, m.name, m.email, m.status ORDER BY `+s.db.dialect.Fold("m.name")+`, m.id`, last.String(), first.String())
	if err != nil {
		return nil, fmt.Errorf("membership register: %w", err)
	}
	return collect(rows, func(sc scanner) (*adminstore.RegisterRow, error) {
		var r adminstore.RegisterRow
		if err := sc.Scan(&r.Member, &r.Name, &r.Email, &r.Status, timeCol{&r.Joined}, &r.Amount, dayCol{&r.Until}); err != nil {
			return nil, fmt.Errorf("scan register row: %w", err)
		}
		return &r, nil
	})
}

// MemberPurchases returns, by member id, the space that registered each
// member and the products she bought (refunded or not), in one query
// (her sales by sales_member).
func (s *AdminService) MemberPurchases(ctx context.Context) (map[int64]adminstore.MemberPurchases, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT m.id, m.space_id, COALESCE(s.product_id, 0)
		FROM members m LEFT JOIN sales s ON s.member_id = m.id`)
	if err != nil {
		return nil, fmt.Errorf("member purchases: %w", err)
	}
	out := map[int64]adminstore.MemberPurchases{}
	err = eachRow(rows, func(sc scanner) error {
		var member, product int64
		var p adminstore.MemberPurchases
		if err := sc.Scan(&member, &p.Registered, &product); err != nil {
			return fmt.Errorf("scan member purchases: %w", err)
		}
		p.Products = out[member].Products
		if product != 0 && !slices.Contains(p.Products, product) {
			p.Products = append(p.Products, product)
		}
		out[member] = p
		return nil
	})
	return out, err
}
