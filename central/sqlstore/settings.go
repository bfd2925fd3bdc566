package sqlstore

import (
	"context"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
)

var _ central.SettingsService = (*SettingsService)(nil)

// SettingsService implements central.SettingsService.
type SettingsService struct{ db *DB }

// NewSettingsService returns the settings service of db.
func NewSettingsService(db *DB) *SettingsService { return &SettingsService{db: db} }

// Settings implements central.SettingsService.
func (s *SettingsService) Settings(ctx context.Context) (central.Settings, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.settings(ctx)
}

// SetSetting implements central.SettingsService.
func (s *SettingsService) SetSetting(ctx context.Context, key, value string) error {
	def, ok := central.LookupSetting(key)
	if !ok {
		return central.Errorf(central.EINVALID, "Unknown setting %q (see centrald settings list).", key)
	}
	value, err := def.Check(value)
	if err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated = excluded.updated`,
		key, value, formatTime(tx.now)); err != nil {
		return fmt.Errorf("set setting: %w", err)
	}
	if err := tx.audit(ctx, "setting.set", "setting:"+key, map[string]any{"value": def.Mask(value)}); err != nil {
		return err
	}
	return tx.Commit()
}
