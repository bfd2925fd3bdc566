package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

var _ central.KioskHealthService = (*KioskService)(nil)

// maxCameraError is the length a camera's error is cut to.
const maxCameraError = 300

const kioskHealthColumns = `kiosk_id, received, clock_offset_ms, started, uptime_s, camera_ok, camera_error, camera_fps,
	last_frame, last_decision, disk_free, disk_total, database_bytes, software, disk_low_since`

func scanKioskHealth(sc scanner) (*central.KioskHealth, error) {
	var h central.KioskHealth
	var offsetMS, uptime int64
	if err := sc.Scan(&h.Kiosk, timeCol{&h.Received}, &offsetMS, timeCol{&h.Started}, &uptime, &h.CameraOK,
		&h.CameraError, &h.CameraFPS, timeCol{&h.LastFrame}, timeCol{&h.LastDecision}, &h.DiskFree, &h.DiskTotal,
		&h.DatabaseBytes, &h.Software, timeCol{&h.DiskLowSince}); err != nil {
		return nil, fmt.Errorf("scan kiosk health: %w", err)
	}
	h.ClockOffset, h.Uptime = time.Duration(offsetMS)*time.Millisecond, time.Duration(uptime)*time.Second
	return &h, nil
}

// ReportKioskHealth implements central.KioskHealthService.
func (s *KioskService) ReportKioskHealth(ctx context.Context, h *central.KioskHealth) error {
	h.CameraError, h.Software = clip(maxCameraError, h.CameraError), clip(maxSoftware, h.Software)
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	k, err := findKioskByID(ctx, tx, h.Kiosk)
	if err != nil {
		return err
	}
	prev, err := scanKioskHealth(tx.QueryRowContext(ctx, `SELECT `+kioskHealthColumns+` FROM kiosk_health WHERE kiosk_id = ?`, h.Kiosk))
	if errors.Is(err, sql.ErrNoRows) {
		prev, err = nil, nil
	}
	if err != nil {
		return err
	}
	set, err := tx.settings(ctx)
	if err != nil {
		return err
	}
	events := central.KioskHealthEvents(k, prev, h, set)
	// One row per kiosk, the latest report.
	if _, err := tx.ExecContext(ctx, `DELETE FROM kiosk_health WHERE kiosk_id = ?`, h.Kiosk); err != nil {
		return fmt.Errorf("kiosk health: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO kiosk_health (`+kioskHealthColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		h.Kiosk, formatTime(h.Received), h.ClockOffset.Milliseconds(), formatTime(h.Started), int64(h.Uptime/time.Second),
		boolInt(h.CameraOK), h.CameraError, h.CameraFPS, formatTime(h.LastFrame), formatTime(h.LastDecision),
		h.DiskFree, h.DiskTotal, h.DatabaseBytes, h.Software, formatTime(h.DiskLowSince)); err != nil {
		return fmt.Errorf("kiosk health: %w", err)
	}
	if err := tx.react(ctx, events...); err != nil {
		return err
	}
	return tx.Commit()
}

// KioskHealths implements central.KioskHealthService.
func (s *KioskService) KioskHealths(ctx context.Context) (map[int64]*central.KioskHealth, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+kioskHealthColumns+` FROM kiosk_health`)
	if err != nil {
		return nil, fmt.Errorf("kiosk health: %w", err)
	}
	defer rows.Close()
	out := map[int64]*central.KioskHealth{}
	for rows.Next() {
		h, err := scanKioskHealth(rows)
		if err != nil {
			return nil, err
		}
		out[h.Kiosk] = h
	}
	return out, rows.Err()
}
