-- Built concurrently: invoices is large and written all day.
CREATE INDEX CONCURRENTLY ix_invoices_customer_issued ON invoices (customer_id, issued_at DESC);
