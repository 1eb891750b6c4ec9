ALTER TABLE orders ADD COLUMN archived_at timestamptz NULL;
CREATE INDEX ix_orders_archived_at ON orders (archived_at) WHERE archived_at IS NULL;