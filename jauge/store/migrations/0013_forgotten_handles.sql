-- The handles `jauge person forget` erased, as hashes: others' texts naming a forgotten
-- person (@handle) are rewritten to their pseudonym, then and at every later import, and a
-- later export's posts by that handle arrive erased, whatever key it gives its authors. A
-- hash, not the handle: the store keeps no trace of it in clear, and the person ids
-- already let whoever holds the store confirm a candidate handle the same way.

CREATE TABLE forgotten_handles (
    workspace   VARCHAR NOT NULL,
    person_id   VARCHAR NOT NULL,                -- the forgotten person
    platform    VARCHAR,                         -- where the handle was theirs
    token       VARCHAR NOT NULL,                -- md5 of workspace, platform and the handle
    pseudonym   VARCHAR NOT NULL                 -- what the texts say instead (p-...)
);
