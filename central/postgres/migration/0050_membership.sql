-- Dues (adhésion): products and sales of kind 'membership' (see the
-- SQLite migration of the same number). PostgreSQL changes the CHECK in
-- place.
ALTER TABLE products DROP CONSTRAINT products_kind_check;
ALTER TABLE products ADD CONSTRAINT products_kind_check CHECK (kind IN ('pack', 'subscription', 'unlimited', 'membership'));
ALTER TABLE sales DROP CONSTRAINT sales_kind_check;
ALTER TABLE sales ADD CONSTRAINT sales_kind_check CHECK (kind IN ('pack', 'subscription', 'unlimited', 'membership'));
-- The dues of a member, for "à jour de cotisation" and the register.
CREATE INDEX sales_membership ON sales (member_id, end_day) WHERE kind = 'membership';
