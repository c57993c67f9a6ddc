-- 002: append-only audit log of account changes
CREATE TABLE audit_log (
    id         SERIAL PRIMARY KEY,
    user_id    INTEGER     NOT NULL REFERENCES users (id),
    actor_id   INTEGER     NOT NULL REFERENCES users (id),
    field      VARCHAR(40) NOT NULL,
    old_value  TEXT,
    new_value  TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created_at_idx ON audit_log (created_at DESC);
