ALTER TABLE users ADD COLUMN mfa_enrolled_at timestamptz NULL;
CREATE INDEX ix_users_mfa_enrolled_at ON users (mfa_enrolled_at);
