package sqlstore

import (
	"context"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
)

var _ central.ProductService = (*ProductService)(nil)

// ProductService implements central.ProductService.
type ProductService struct{ db *DB }

// NewProductService returns the product service of db.
func NewProductService(db *DB) *ProductService { return &ProductService{db: db} }

// FindProductByID implements central.ProductService.
func (s *ProductService) FindProductByID(ctx context.Context, id int64) (*central.Product, error) {
	return view(ctx, s.db, func(tx *Tx) (*central.Product, error) { return findProductByID(ctx, tx, id) })
}

func findProductByID(ctx context.Context, tx *Tx, id int64) (*central.Product, error) {
	ps, _, err := findProducts(ctx, tx, central.ProductFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(ps) == 0 {
		return nil, central.Errorf(central.ENOTFOUND, "Product %d not found.", id)
	}
	return ps[0], nil
}

// FindProducts implements central.ProductService.
func (s *ProductService) FindProducts(ctx context.Context, filter central.ProductFilter) ([]*central.Product, int, error) {
	return viewPage(ctx, s.db, func(tx *Tx) ([]*central.Product, int, error) { return findProducts(ctx, tx, filter) })
}

func findProducts(ctx context.Context, tx *Tx, f central.ProductFilter) ([]*central.Product, int, error) {
	var w conds
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.Active != nil {
		w.add("active = ?", boolInt(*f.Active))
	}
	return find(ctx, tx, listQuery{what: "products", columns: "id, name, kind, entries, days, price, active, created",
		table: "products", where: w, order: "id", offset: f.Offset, limit: f.Limit},
		func(sc scanner) (*central.Product, error) {
			var p central.Product
			if err := sc.Scan(&p.ID, &p.Name, &p.Kind, &p.Entries, &p.Days, &p.Price, &p.Active, timeCol{&p.Created}); err != nil {
				return nil, fmt.Errorf("scan product: %w", err)
			}
			return &p, nil
		})
}

// CreateProduct implements central.ProductService.
func (s *ProductService) CreateProduct(ctx context.Context, p *central.Product) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		p.Active, p.Created = true, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO products (name, kind, entries, days, price, active, created)
			VALUES (?, ?, ?, ?, ?, 1, ?) RETURNING id`,
			p.Name, string(p.Kind), p.Entries, p.Days, p.Price, formatTime(tx.now)).Scan(&p.ID); err != nil {
			return fmt.Errorf("insert product: %w", err)
		}
		if err := tx.audit(ctx, "product.create", productObject(p.ID), map[string]any{
			"name": p.Name, "kind": p.Kind, "entries": p.Entries, "days": p.Days, "price": p.Price}); err != nil {
			return err
		}
		return nil
	})
}

// SetProductActive implements central.ProductService.
func (s *ProductService) SetProductActive(ctx context.Context, id int64, active bool) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	p, err := findProductByID(ctx, tx, id)
	if err != nil {
		return err
	}
	if p.Active == active {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE products SET active = ? WHERE id = ?`, boolInt(active), id); err != nil {
		return fmt.Errorf("update product: %w", err)
	}
	if err := tx.audit(ctx, "product.update", productObject(id), map[string]any{"active": active}); err != nil {
		return err
	}
	return tx.Commit()
}

func productObject(id int64) string { return fmt.Sprintf("product:%d", id) }
