package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// The ledger's part of guests (issue 12): a guest's entry finds its pass
// by the badge hash it carries; with guests.consumes_host_entry on, the
// pass's visit (guest_visits) is a debit of the host settled with her own
// visits.

// GuestPassByHash implements central.LedgerTx.
func (l ledgerTx) GuestPassByHash(ctx context.Context, h badge.Hash) (*central.GuestPass, error) {
	var g central.GuestPass
	err := l.tx.QueryRowContext(ctx, `SELECT id, host_id, name, day, space, by_member, created FROM guest_passes WHERE hash = ?`,
		h.String()).Scan(&g.ID, &g.Host, &g.Name, dayCol{&g.Day}, &g.Space, &g.ByMember, timeCol{&g.Created})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("guest pass by hash: %w", err)
	}
	return &g, nil
}

// AddGuestVisit implements central.LedgerTx.
func (l ledgerTx) AddGuestVisit(ctx context.Context, v *central.Visit, takesEntry bool) (bool, error) {
	res, err := l.tx.ExecContext(ctx, `INSERT INTO guest_visits (pass_id, member_id, space, day, entry_id, first_time, charge, takes_entry)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pass_id) DO NOTHING`,
		v.Guest, v.Member, v.Space, v.Day.String(), v.Entry, formatTime(v.Time), v.Charge, takesEntry)
	if err != nil {
		return false, fmt.Errorf("insert guest visit: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("insert guest visit: %w", err)
	}
	v.ID = v.Guest
	return n == 1, nil
}

// GuestsArrived implements central.LedgerTx: the reactions' messages are
// inserted in the push transaction, as arrivals' are.
func (l ledgerTx) GuestsArrived(ctx context.Context, arrivals []central.GuestArrival) error {
	if len(l.tx.db.Reactions) == 0 {
		return nil
	}
	for _, a := range arrivals {
		m, err := findMemberByID(ctx, l.tx, a.Pass.Host)
		if err != nil {
			return err
		}
		a.Host = m
		if err := l.tx.react(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// MemberGuestVisits implements central.SettleTx.
func (l ledgerTx) MemberGuestVisits(ctx context.Context, member int64) ([]*central.Visit, error) {
	rows, err := l.tx.QueryContext(ctx, `SELECT pass_id, space, day, charge, COALESCE(sale_id, 0) FROM guest_visits WHERE member_id = ? AND takes_entry = 1`, member)
	if err != nil {
		return nil, fmt.Errorf("settle: guest visits: %w", err)
	}
	return collect(rows, func(sc scanner) (*central.Visit, error) {
		v := &central.Visit{Member: member}
		if err := sc.Scan(&v.Guest, &v.Space, dayCol{&v.Day}, &v.Charge, &v.Sale); err != nil {
			return nil, fmt.Errorf("settle: scan guest visit: %w", err)
		}
		v.ID = v.Guest
		return v, nil
	})
}

// SetGuestVisitCharge implements central.SettleTx.
func (l ledgerTx) SetGuestVisitCharge(ctx context.Context, pass int64, charge string, sale int64) error {
	var saleID any
	if sale != 0 {
		saleID = sale
	}
	if _, err := l.tx.ExecContext(ctx, `UPDATE guest_visits SET charge = ?, sale_id = ? WHERE pass_id = ?`, charge, saleID, pass); err != nil {
		return fmt.Errorf("settle: guest visit: %w", err)
	}
	return nil
}
