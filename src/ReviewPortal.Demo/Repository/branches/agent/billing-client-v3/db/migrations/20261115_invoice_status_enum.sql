CREATE TYPE invoice_status AS ENUM ('draft', 'open', 'paid', 'void');
ALTER TABLE invoices ALTER COLUMN status TYPE invoice_status USING status::invoice_status;
