-- Users of the web dashboard and the REST API, their roles per workspace and API tokens.
-- Passwords are kept as argon2 hashes, tokens as SHA-256 digests: the store never
-- holds a secret that would let someone who copies the file log in.

CREATE TABLE users (
    user_id        VARCHAR PRIMARY KEY,          -- md5 of the lower-cased email
    email          VARCHAR NOT NULL UNIQUE,
    password_hash  VARCHAR NOT NULL,
    created_at     TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    user_id     VARCHAR NOT NULL,
    workspace   VARCHAR NOT NULL,
    role        VARCHAR NOT NULL,                -- owner | analyst | viewer
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, workspace)
);

CREATE TABLE api_tokens (
    token_hash  VARCHAR PRIMARY KEY,             -- SHA-256 hex of the token
    user_id     VARCHAR NOT NULL,
    prefix      VARCHAR NOT NULL,                -- first characters, to recognise it in lists
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE web_secrets (
    name        VARCHAR PRIMARY KEY,
    value       VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
