-- 001: users
CREATE TABLE users (
    id           SERIAL PRIMARY KEY,
    email        VARCHAR(255) NOT NULL,
    display_name VARCHAR(80)  NOT NULL,
    role         VARCHAR(20)  NOT NULL DEFAULT 'member',
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email)
);
