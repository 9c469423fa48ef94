-- The key that signed the dashboard's session cookies leaves the store: whoever held a
-- copy of the file (a backup) could sign a session for any user with it. The server now
-- takes JAUGE_SECRET_KEY, else a key file beside the store (STORE.session-key, mode 0600),
-- so the store keeps the promise of migration 0007: no secret in it lets someone who
-- copies the file log in. The sessions signed with the old key end (their users log in
-- again); the old key, were its bytes left in a free block of the file, signs nothing
-- the server accepts any more.

DROP TABLE IF EXISTS web_secrets;
