package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// Spaces of the network (issue 14, migration 0110_spaces.sql). A space's
// key is what its kiosks and visits carry in their space column: "" for
// the main space, its name when added for the others (see central.Space).

var _ central.SpaceService = (*SpaceService)(nil)

// SpaceService implements central.SpaceService.
type SpaceService struct{ db *DB }

// NewSpaceService returns the space service of db.
func NewSpaceService(db *DB) *SpaceService { return &SpaceService{db: db} }

const spaceColumns = `id, visit_key, name, timezone, address, hours, policies, slack_channel, mail_name, books, created`

func findSpaces(ctx context.Context, tx *Tx) ([]*central.Space, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+spaceColumns+` FROM spaces ORDER BY id LIMIT ?`, central.MaxSpaces)
	if err != nil {
		return nil, fmt.Errorf("spaces: %w", err)
	}
	var out []*central.Space
	err = eachRow(rows, func(sc scanner) error {
		var s central.Space
		var policies, books string
		if err := sc.Scan(&s.ID, &s.Key, &s.Name, &s.Timezone, &s.Address, &s.Hours, &policies, &s.SlackChannel, &s.MailName,
			&books, timeCol{&s.Created}); err != nil {
			return fmt.Errorf("scan space: %w", err)
		}
		if err := json.Unmarshal([]byte(policies), &s.Policies); err != nil {
			return fmt.Errorf("space %d: policies: %w", s.ID, err)
		}
		if err := json.Unmarshal([]byte(books), &s.Books); err != nil {
			return fmt.Errorf("space %d: books: %w", s.ID, err)
		}
		out = append(out, &s)
		return nil
	})
	return out, err
}

// FindSpaces implements central.SpaceService.
func (s *SpaceService) FindSpaces(ctx context.Context) ([]*central.Space, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findSpaces(ctx, tx)
}

// CreateSpace implements central.SpaceService (decided by
// central.CreateSpace).
func (s *SpaceService) CreateSpace(ctx context.Context, sp *central.Space) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.CreateSpace(ctx, spaceTx{ledgerTx{tx}}, sp) })
}

// RenameSpace implements central.SpaceService (decided by
// central.RenameSpace).
func (s *SpaceService) RenameSpace(ctx context.Context, id int64, name string) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.RenameSpace(ctx, spaceTx{ledgerTx{tx}}, id, name) })
}

// spaceTx is central.SpaceTx: the ledger's reads (Now, Spaces, Audit)
// and the spaces' writes.
type spaceTx struct{ ledgerTx }

var _ central.SpaceTx = spaceTx{}

// InsertSpace implements central.SpaceTx; the unique index on names,
// which holds what central.CreateSpace checked, is ECONFLICT.
func (t spaceTx) InsertSpace(ctx context.Context, sp *central.Space) error {
	if err := t.tx.QueryRowContext(ctx, `INSERT INTO spaces (visit_key, name, timezone, address, hours, created)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, sp.Key, sp.Name, sp.Timezone, sp.Address, sp.Hours,
		formatTime(sp.Created)).Scan(&sp.ID); err != nil {
		if t.tx.isUniqueViolation(err) {
			return central.SpaceNamed(sp.Name)
		}
		return fmt.Errorf("insert space: %w", err)
	}
	return nil
}

// RenameSpace implements central.SpaceTx, as InsertSpace for a name
// taken.
func (t spaceTx) RenameSpace(ctx context.Context, id int64, name string) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE spaces SET name = ? WHERE id = ?`, name, id); err != nil {
		if t.tx.isUniqueViolation(err) {
			return central.SpaceNamed(name)
		}
		return fmt.Errorf("rename space %d: %w", id, err)
	}
	return nil
}

// Places implements central.SpaceTx (CalendarService.Places, in the
// transaction).
func (t spaceTx) Places(ctx context.Context) ([]central.Placed, error) {
	rows, err := t.tx.QueryContext(ctx, placesQuery)
	return scanPlaces(rows, err)
}

// SetPlace implements central.SpaceTx.
func (t spaceTx) SetPlace(ctx context.Context, p central.Placed, place string) error {
	table := "calendar_events"
	if p.Resource {
		table = "resources"
	}
	if _, err := t.tx.ExecContext(ctx, `UPDATE `+table+` SET space = ? WHERE id = ?`, place, p.ID); err != nil {
		return fmt.Errorf("set the place of %s %d: %w", table, p.ID, err)
	}
	return nil
}

// GuestPlaces implements central.SpaceTx.
func (t spaceTx) GuestPlaces(ctx context.Context) ([]string, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT DISTINCT space FROM guest_passes ORDER BY space`)
	if err != nil {
		return nil, fmt.Errorf("guest passes' places: %w", err)
	}
	return collect(rows, func(sc scanner) (place string, err error) {
		err = sc.Scan(&place)
		return place, err
	})
}

// SetGuestPlace implements central.SpaceTx.
func (t spaceTx) SetGuestPlace(ctx context.Context, from, to string) (int64, error) {
	res, err := t.tx.ExecContext(ctx, `UPDATE guest_passes SET space = ? WHERE space = ?`, to, from)
	if err != nil {
		return 0, fmt.Errorf("set the place of guest passes at %q: %w", from, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("set the place of guest passes at %q: %w", from, err)
	}
	return n, nil
}

// SetSpacePolicy implements central.SpaceService.
func (s *SpaceService) SetSpacePolicy(ctx context.Context, space int64, key, value string) error {
	value, err := central.ValidatePolicy(key, value)
	if err != nil {
		return err
	}
	return s.setSpaceValue(ctx, space, "policies", "space.policy", key, value, value,
		func(sp *central.Space) *map[string]string { return &sp.Policies })
}

// SetSpaceBooks implements central.SpaceService.
func (s *SpaceService) SetSpaceBooks(ctx context.Context, space int64, key, value string) error {
	value, err := central.ValidateBooks(key, value)
	if err != nil {
		return err
	}
	def, _ := central.LookupSetting(key)
	return s.setSpaceValue(ctx, space, "books", "space.books", key, value, def.Mask(value),
		func(sp *central.Space) *map[string]string { return &sp.Books })
}

// setSpaceValue sets (or, empty, removes) key in one of a space's maps of
// its own settings, stored as JSON in column (policies, books), and audits
// it as action with shown, the value as the audit may keep it (a secret
// masked).
func (s *SpaceService) setSpaceValue(ctx context.Context, space int64, column, action, key, value, shown string,
	values func(*central.Space) *map[string]string) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	all, err := findSpaces(ctx, tx)
	if err != nil {
		return err
	}
	sp := central.SpaceByID(all, space)
	if sp == nil {
		return central.Errorf(central.ENOTFOUND, "Space %d not found.", space)
	}
	m := values(sp)
	if *m == nil {
		*m = map[string]string{}
	}
	if value == "" {
		delete(*m, key)
	} else {
		(*m)[key] = value
	}
	b, err := json.Marshal(*m)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE spaces SET `+column+` = ? WHERE id = ?`, string(b), space); err != nil {
		return fmt.Errorf("space %s: %w", column, err)
	}
	if err := tx.audit(ctx, action, fmt.Sprintf("space:%d", space), map[string]any{"key": key, "value": shown}); err != nil {
		return err
	}
	return tx.Commit()
}

// SetProductSpaces implements central.SpaceService.
func (s *SpaceService) SetProductSpaces(ctx context.Context, product, space int64, valid central.ProductSpaces) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	all, err := findSpaces(ctx, tx)
	if err != nil {
		return err
	}
	known := func(id int64) bool {
		for _, sp := range all {
			if sp.ID == id {
				return true
			}
		}
		return false
	}
	if !known(space) {
		return central.Errorf(central.ENOTFOUND, "Space %d not found.", space)
	}
	for _, id := range valid.List.IDs() {
		if !known(id) {
			return central.Errorf(central.ENOTFOUND, "Space %d not found.", id)
		}
	}
	res, err := tx.ExecContext(ctx, `UPDATE products SET space_id = ?, valid_spaces = ? WHERE id = ?`,
		space, valid.String(), product)
	if err != nil {
		return fmt.Errorf("product spaces: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("product spaces: %w", err)
	} else if n == 0 {
		return central.Errorf(central.ENOTFOUND, "Product %d not found.", product)
	}
	if err := tx.audit(ctx, "product.spaces", fmt.Sprintf("product:%d", product), map[string]any{"space": space,
		"valid": valid.String()}); err != nil {
		return err
	}
	return tx.Commit()
}

// Spaces implements central.SpaceView.
func (l ledgerTx) Spaces(ctx context.Context) ([]*central.Space, error) { return findSpaces(ctx, l.tx) }

// ProductValidSpaces implements central.SpaceView.
func (l ledgerTx) ProductValidSpaces(ctx context.Context) (map[int64]access.SpaceSet, error) {
	return productValidSpaces(ctx, l.tx)
}

// ProductSellers implements central.SpaceView.
func (l ledgerTx) ProductSellers(ctx context.Context) (map[int64]int64, error) {
	rows, err := l.tx.QueryContext(ctx, `SELECT id, space_id FROM products`)
	if err != nil {
		return nil, fmt.Errorf("product sellers: %w", err)
	}
	out := map[int64]int64{}
	err = eachRow(rows, func(sc scanner) error {
		var id, space int64
		if err := sc.Scan(&id, &space); err != nil {
			return fmt.Errorf("scan product sellers: %w", err)
		}
		out[id] = space
		return nil
	})
	return out, err
}

func productValidSpaces(ctx context.Context, tx *Tx) (map[int64]access.SpaceSet, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, space_id, valid_spaces FROM products`)
	if err != nil {
		return nil, fmt.Errorf("product spaces: %w", err)
	}
	out := map[int64]access.SpaceSet{}
	err = eachRow(rows, func(sc scanner) error {
		var id, space int64
		var valid string
		if err := sc.Scan(&id, &space, &valid); err != nil {
			return fmt.Errorf("scan product spaces: %w", err)
		}
		ps, err := central.ParseProductSpacesValue(valid)
		if err != nil {
			return fmt.Errorf("product %d: %w", id, err)
		}
		out[id] = ps.ValidAt(space)
		return nil
	})
	return out, err
}

// ProductPlaces returns each product's selling space and where it is
// valid.
func (s *SpaceService) ProductPlaces(ctx context.Context) (map[int64]central.ProductPlace, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, space_id, valid_spaces FROM products`)
	if err != nil {
		return nil, fmt.Errorf("product spaces: %w", err)
	}
	out := map[int64]central.ProductPlace{}
	err = eachRow(rows, func(sc scanner) error {
		var p central.ProductPlace
		var id int64
		var valid string
		if err := sc.Scan(&id, &p.Space, &valid); err != nil {
			return fmt.Errorf("scan product spaces: %w", err)
		}
		v, err := central.ParseProductSpacesValue(valid)
		if err != nil {
			return fmt.Errorf("product %d: %w", id, err)
		}
		p.Valid = v
		out[id] = p
		return nil
	})
	return out, err
}

// SetSpaceMessaging implements central.SpaceService.
func (s *SpaceService) SetSpaceMessaging(ctx context.Context, space int64, slackChannel, mailName string) error {
	sp := &central.Space{SlackChannel: slackChannel, MailName: mailName}
	if err := sp.ValidateMessaging(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE spaces SET slack_channel = ?, mail_name = ? WHERE id = ?`,
		sp.SlackChannel, sp.MailName, space)
	if err != nil {
		return fmt.Errorf("space messaging: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("space messaging: %w", err)
	} else if n == 0 {
		return central.Errorf(central.ENOTFOUND, "Space %d not found.", space)
	}
	if err := tx.audit(ctx, "space.messaging", fmt.Sprintf("space:%d", space), map[string]any{
		"slack_channel": sp.SlackChannel, "mail_name": sp.MailName}); err != nil {
		return err
	}
	return tx.Commit()
}

// SetSpaceAddress implements central.SpaceService.
func (s *SpaceService) SetSpaceAddress(ctx context.Context, space int64, address string) error {
	address, err := central.ValidateAddress(address)
	if err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var was string
	switch err := tx.QueryRowContext(ctx, `SELECT address FROM spaces WHERE id = ?`, space).Scan(&was); {
	case errors.Is(err, sql.ErrNoRows):
		return central.Errorf(central.ENOTFOUND, "Space %d not found.", space)
	case err != nil:
		return fmt.Errorf("space address: %w", err)
	case was == address:
		return nil // its address already: nothing to change or journal
	}
	if _, err := tx.ExecContext(ctx, `UPDATE spaces SET address = ? WHERE id = ?`, address, space); err != nil {
		return fmt.Errorf("space address: %w", err)
	}
	if err := tx.audit(ctx, "space.address", fmt.Sprintf("space:%d", space), map[string]any{
		"address": address, "was": was}); err != nil {
		return err
	}
	return tx.Commit()
}

// SetConvention implements central.SpaceService.
func (s *SpaceService) SetConvention(ctx context.Context, c *central.Convention) error {
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	all, err := findSpaces(ctx, tx)
	if err != nil {
		return err
	}
	for _, id := range []int64{c.Host, c.Seller} {
		if central.SpaceByID(all, id) == nil {
			return central.Errorf(central.ENOTFOUND, "Space %d not found.", id)
		}
	}
	c.Updated = tx.now
	if _, err := tx.ExecContext(ctx, `INSERT INTO space_conventions (host_id, seller_id, rate, updated) VALUES (?, ?, ?, ?)
		ON CONFLICT (host_id, seller_id) DO UPDATE SET rate = excluded.rate, updated = excluded.updated`,
		c.Host, c.Seller, c.Rate, formatTime(tx.now)); err != nil {
		return fmt.Errorf("space convention: %w", err)
	}
	if err := tx.audit(ctx, "space.convention", fmt.Sprintf("space:%d", c.Host), map[string]any{
		"seller": c.Seller, "rate": c.Rate}); err != nil {
		return err
	}
	return tx.Commit()
}

// Conventions implements central.SpaceService.
func (s *SpaceService) Conventions(ctx context.Context) ([]*central.Convention, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// At most one per ordered pair of spaces, which MaxSpaces bounds.
	rows, err := tx.QueryContext(ctx, `SELECT host_id, seller_id, rate, updated FROM space_conventions
		ORDER BY host_id, seller_id LIMIT ?`, central.MaxSpaces*central.MaxSpaces)
	if err != nil {
		return nil, fmt.Errorf("space conventions: %w", err)
	}
	var out []*central.Convention
	err = eachRow(rows, func(sc scanner) error {
		var c central.Convention
		if err := sc.Scan(&c.Host, &c.Seller, &c.Rate, timeCol{&c.Updated}); err != nil {
			return fmt.Errorf("scan space convention: %w", err)
		}
		out = append(out, &c)
		return nil
	})
	return out, err
}
