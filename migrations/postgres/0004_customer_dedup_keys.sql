-- customers: keys for duplicate detection (C9), computed in Rust by customers::dedup.
ALTER TABLE customers ADD COLUMN name_key TEXT;
ALTER TABLE customers ADD COLUMN name_core TEXT;
ALTER TABLE customers ADD COLUMN phone_key TEXT;
ALTER TABLE customers ADD COLUMN email_key TEXT;
ALTER TABLE customers ADD COLUMN website_key TEXT;
ALTER TABLE customers ADD COLUMN tax_key TEXT;
CREATE INDEX customers_name_key ON customers(name_key);
CREATE INDEX customers_name_core ON customers(name_core);
CREATE INDEX customers_phone_key ON customers(phone_key);
CREATE INDEX customers_email_key ON customers(email_key);
CREATE INDEX customers_website_key ON customers(website_key);
CREATE INDEX customers_tax_key ON customers(tax_key);
