CREATE TABLE refresh_token_families (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subject text NOT NULL,
    current_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz NULL
);

CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY,
    family_id uuid NOT NULL REFERENCES refresh_token_families (id),
    issued_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);