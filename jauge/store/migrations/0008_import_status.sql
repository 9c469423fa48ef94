-- Refused imports are kept in the history too (nothing of their data is written): the
-- dashboard's sources page and `jauge stats` show what was tried and why it failed.
ALTER TABLE imports ADD COLUMN status VARCHAR DEFAULT 'written';   -- written | rejected
ALTER TABLE imports ADD COLUMN errors JSON;                        -- the first errors, when rejected
