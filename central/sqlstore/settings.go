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
	return view(ctx, s.db, func(tx *Tx) (central.Settings, error) { return tx.settings(ctx) })
}

// SetSetting implements central.SettingsService (decided by
// central.SetSetting).
func (s *SettingsService) SetSetting(ctx context.Context, key, value string) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.SetSetting(ctx, spaceTx{ledgerTx{tx}}, key, value) })
}

// SaveSetting implements central.SpaceTx.
func (t spaceTx) SaveSetting(ctx context.Context, key, value string) error {
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated = excluded.updated`,
		key, value, formatTime(t.tx.now)); err != nil {
		return fmt.Errorf("set setting: %w", err)
	}
	return nil
}
