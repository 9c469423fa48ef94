-- Browser sessions ended by logging out. A session cookie is signed, not stored, so
-- logging out records the session's id here until the cookie would have expired anyway;
-- the server refuses any session listed.

CREATE TABLE revoked_sessions (
    session_id  VARCHAR PRIMARY KEY,             -- the random id the session cookie carries
    expires_at  TIMESTAMP NOT NULL               -- when the cookie expires; the row may go then
);
