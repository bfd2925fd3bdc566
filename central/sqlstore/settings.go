package sqlstore

import (
	"context"
	"fmt"
	"strings"

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
	if key == central.SettingSpaceName {
		if err := renameMainSpace(ctx, tx, value); err != nil {
			return err
		}
	}
	if err := tx.audit(ctx, "setting.set", "setting:"+key, map[string]any{"value": def.Mask(value)}); err != nil {
		return err
	}
	return tx.Commit()
}

// renameMainSpace gives the main space the name of the setting space.name,
// which names it: set after the database was made (the demo, or a bureau
// naming its space in Réglages), the main space kept its first name
// ("Badgeuse") in the spaces' lists, the settlement and the kiosk form
// while the rest said the new one.
func renameMainSpace(ctx context.Context, tx *Tx, name string) error {
	sp := central.Space{Name: name}
	if err := sp.Validate(); err != nil {
		return err
	}
	all, err := findSpaces(ctx, tx)
	if err != nil {
		return err
	}
	for _, o := range all {
		if o.ID != central.MainSpace && (strings.EqualFold(o.Name, sp.Name) || o.Key == sp.Name) {
			return central.Errorf(central.ECONFLICT, "A space is already named %q.", sp.Name)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE spaces SET name = ? WHERE id = ?`, sp.Name, central.MainSpace); err != nil {
		if tx.isUniqueViolation(err) {
			return central.Errorf(central.ECONFLICT, "A space is already named %q.", sp.Name)
		}
		return fmt.Errorf("rename the main space: %w", err)
	}
	return nil
}
