package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
)

// ProfileService implements central.ProfileService: members' profiles
// (table profiles) and who is here today (visits).
type ProfileService struct{ db *DB }

// NewProfileService returns the profile service of db.
func NewProfileService(db *DB) *ProfileService { return &ProfileService{db: db} }

const profileColumns = `p.member_id, p.show_presence, p.in_directory, p.about, p.skills, p.link, p.contact,
	p.contact_value, p.hidden, p.updated`

func scanProfile(sc scanner, extra ...any) (*central.Profile, error) {
	var p central.Profile
	var skills string
	dest := append([]any{&p.Member, &p.ShowPresence, &p.InDirectory, &p.About, &skills, &p.Link, &p.Contact,
		&p.ContactValue, &p.Hidden, timeCol{&p.Updated}}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(skills), &p.Skills); err != nil {
		return nil, fmt.Errorf("profile %d skills: %w", p.Member, err)
	}
	return &p, nil
}

// FindProfile implements central.ProfileService.
func (s *ProfileService) FindProfile(ctx context.Context, member int64) (*central.Profile, error) {
	return view(ctx, s.db, func(tx *Tx) (*central.Profile, error) { return findProfile(ctx, tx, member) })
}

func findProfile(ctx context.Context, tx *Tx, member int64) (*central.Profile, error) {
	if ok, err := memberExists(ctx, tx, member); err != nil {
		return nil, err
	} else if !ok {
		return nil, central.Errorf(central.ENOTFOUND, "Member %d not found.", member)
	}
	p, err := scanProfile(tx.QueryRowContext(ctx, `SELECT `+profileColumns+` FROM profiles p WHERE p.member_id = ?`, member))
	if errors.Is(err, sql.ErrNoRows) {
		return &central.Profile{Member: member}, nil
	} else if err != nil {
		return nil, fmt.Errorf("find profile: %w", err)
	}
	return p, nil
}

// SaveProfile implements central.ProfileService.
func (s *ProfileService) SaveProfile(ctx context.Context, p *central.Profile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		old, err := findProfile(ctx, tx, p.Member)
		if err != nil {
			return err
		}
		skills, _ := json.Marshal(append([]string{}, p.Skills...))
		if _, err := tx.ExecContext(ctx, `INSERT INTO profiles (member_id, show_presence, in_directory, about, skills, link,
			contact, contact_value, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (member_id) DO UPDATE SET show_presence = excluded.show_presence, in_directory = excluded.in_directory,
			about = excluded.about, skills = excluded.skills, link = excluded.link, contact = excluded.contact,
			contact_value = excluded.contact_value, updated = excluded.updated`,
			p.Member, boolInt(p.ShowPresence), boolInt(p.InDirectory), p.About, string(skills), p.Link, p.Contact,
			p.ContactValue, formatTime(tx.now)); err != nil {
			return fmt.Errorf("save profile: %w", err)
		}
		// The journal keeps her choices (shown or not), not what she wrote.
		if err := tx.audit(ctx, "profile.update", memberObject(p.Member), map[string]any{
			"presence": p.ShowPresence, "directory": p.InDirectory,
			"presence_before": old.ShowPresence, "directory_before": old.InDirectory,
		}); err != nil {
			return err
		}
		p.Hidden, p.Updated = old.Hidden, tx.now
		return nil
	})
}

// SetProfileHidden implements central.ProfileService.
func (s *ProfileService) SetProfileHidden(ctx context.Context, member int64, hidden bool) error {
	return s.db.update(ctx, func(tx *Tx) error {
		if _, err := findProfile(ctx, tx, member); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO profiles (member_id, hidden, updated) VALUES (?, ?, ?)
			ON CONFLICT (member_id) DO UPDATE SET hidden = excluded.hidden`,
			member, boolInt(hidden), formatTime(tx.now)); err != nil {
			return fmt.Errorf("hide profile: %w", err)
		}
		action := "profile.unhide"
		if hidden {
			action = "profile.hide"
		}
		if err := tx.audit(ctx, action, memberObject(member), nil); err != nil {
			return err
		}
		return nil
	})
}

// Directory implements central.ProfileService (decided by
// central.Directory).
func (s *ProfileService) Directory(ctx context.Context, withHidden bool) ([]*central.DirectoryEntry, error) {
	return central.Directory(ctx, s, withHidden)
}

// DirectoryEntries implements central.DirectoryReader.
func (s *ProfileService) DirectoryEntries(ctx context.Context, f central.DirectoryFilter) ([]*central.DirectoryEntry, error) {
	var w conds
	w.add("p.in_directory = 1")
	if f.Status != "" {
		w.add("m.status = ?", f.Status)
	}
	if !f.WithHidden {
		w.add("p.hidden = 0")
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT `+profileColumns+`, m.name, m.email
		FROM profiles p JOIN members m ON m.id = p.member_id WHERE `+w.sql()+`
		ORDER BY `+s.db.dialect.Fold("m.name")+`, m.id LIMIT ?`, append(w.args, central.MaxDirectory)...)
	if err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	return collect(rows, func(sc scanner) (*central.DirectoryEntry, error) {
		var e central.DirectoryEntry
		p, err := scanProfile(sc, &e.Name, &e.Email)
		if err != nil {
			return nil, fmt.Errorf("scan directory: %w", err)
		}
		e.Profile = *p
		return &e, nil
	})
}

// PresentToday implements central.ProfileService. The day is the store's
// today in the space's time zone: retention for members' eyes is today.
func (s *ProfileService) PresentToday(ctx context.Context) ([]central.Presence, error) {
	return view(ctx, s.db, func(tx *Tx) ([]central.Presence, error) {
		today, _, err := tx.today(ctx)
		if err != nil {
			return nil, err
		}
		rows, err := tx.QueryContext(ctx, `SELECT v.member_id, m.name, v.space, v.first_time, COALESCE(p.show_presence, 0)
			FROM visits v JOIN members m ON m.id = v.member_id LEFT JOIN profiles p ON p.member_id = v.member_id
			WHERE v.day = ? ORDER BY v.space, v.first_time, v.id`, today.String())
		if err != nil {
			return nil, fmt.Errorf("present today: %w", err)
		}
		ps, err := collect(rows, func(sc scanner) (central.Presence, error) {
			var p central.Presence
			if err := sc.Scan(&p.Member, &p.Name, &p.Space, timeCol{&p.Arrival}, &p.Shown); err != nil {
				return p, fmt.Errorf("scan presence: %w", err)
			}
			return p, nil
		})
		return ps, err
	})
}
