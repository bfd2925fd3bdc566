package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
)

var _ central.SettlementInvoiceStore = (*SpaceService)(nil)

// SettlementInvoices implements central.SettlementInvoiceStore.
func (s *SpaceService) SettlementInvoices(ctx context.Context, month string) ([]*central.SettlementInvoice, error) {
	if _, _, err := central.ParseMonth(month); err != nil {
		return nil, err
	}
	return view(ctx, s.db, func(tx *Tx) ([]*central.SettlementInvoice, error) {
		rows, err := tx.QueryContext(ctx, `SELECT host_id, seller_id, seq, visits, rate, amount, asked, made
			FROM settlement_invoices WHERE month = ? ORDER BY host_id, seller_id, seq`, month)
		if err != nil {
			return nil, fmt.Errorf("settlement invoices: %w", err)
		}
		return collect(rows, func(sc scanner) (*central.SettlementInvoice, error) {
			inv := &central.SettlementInvoice{Month: month}
			var visits, rate, amount sql.NullInt64
			if err := sc.Scan(&inv.Host, &inv.Seller, &inv.Seq, &visits, &rate, &amount, timeCol{&inv.Asked}, timeCol{&inv.Made}); err != nil {
				return nil, fmt.Errorf("scan settlement invoice: %w", err)
			}
			inv.Known = visits.Valid
			inv.Visits, inv.Rate, inv.Amount = int(visits.Int64), rate.Int64, amount.Int64
			return inv, nil
		})
	})
}

// AskSettlementInvoice implements central.SettlementInvoiceStore.
func (s *SpaceService) AskSettlementInvoice(ctx context.Context, inv *central.SettlementInvoice, msg central.OutboxMessage) (bool, error) {
	if err := inv.Validate(); err != nil {
		return false, err
	}
	asked, err := updated(ctx, s.db, func(tx *Tx) (bool, error) {
		all, err := findSpaces(ctx, tx)
		if err != nil {
			return false, err
		}
		for _, id := range []int64{inv.Host, inv.Seller} {
			if central.SpaceByID(all, id) == nil {
				return false, central.Errorf(central.ENOTFOUND, "Space %d not found.", id)
			}
		}
		var visits, rate, amount any
		if inv.Known {
			visits, rate, amount = inv.Visits, inv.Rate, inv.Amount
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO settlement_invoices (month, host_id, seller_id, seq, visits, rate, amount, asked)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			inv.Month, inv.Host, inv.Seller, inv.Seq, visits, rate, amount, formatTime(tx.now))
		if err != nil {
			return false, fmt.Errorf("settlement invoice: %w", err)
		}
		if n, err := r.RowsAffected(); err != nil || n == 0 {
			return false, err
		}
		// The message's key is the invoice's: stored before (an invoice
		// asked before this table kept them), it is not asked twice, and
		// the row goes with the message (rolled back).
		if ok, err := insertOutbox(ctx, tx, msg); err != nil {
			return false, err
		} else if !ok {
			return false, errAskedBefore
		}
		inv.Asked = tx.now
		return true, tx.audit(ctx, "settlement.invoice", fmt.Sprintf("space:%d", inv.Host), map[string]any{
			"month": inv.Month, "seller": inv.Seller, "seq": inv.Seq, "visits": inv.Visits, "amount": inv.Amount})
	})
	if errors.Is(err, errAskedBefore) {
		return false, nil
	}
	return asked, err
}

// errAskedBefore rolls back an invoice whose outbox message is stored.
var errAskedBefore = errors.New("settlement invoice asked before")

// SettlementInvoiceMade implements central.SettlementInvoiceStore.
func (s *SpaceService) SettlementInvoiceMade(ctx context.Context, inv *central.SettlementInvoice) error {
	return s.db.update(ctx, func(tx *Tx) error {
		var visits, rate, amount any
		if inv.Known {
			visits, rate, amount = inv.Visits, inv.Rate, inv.Amount
		}
		r, err := tx.ExecContext(ctx, `UPDATE settlement_invoices SET made = ?,
			visits = COALESCE(visits, ?), rate = COALESCE(rate, ?), amount = COALESCE(amount, ?)
			WHERE month = ? AND host_id = ? AND seller_id = ? AND seq = ?`,
			formatTime(tx.now), visits, rate, amount, inv.Month, inv.Host, inv.Seller, inv.Seq)
		if err != nil {
			return fmt.Errorf("settlement invoice made: %w", err)
		}
		if n, err := r.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return central.Errorf(central.ENOTFOUND, "Invoice %s of space %d to space %d not found.", inv.Month, inv.Host, inv.Seller)
		}
		return nil
	})
}
