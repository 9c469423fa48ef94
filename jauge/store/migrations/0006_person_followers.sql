-- Persons' audience where the source gives it: shown next to people, never used to rank.
ALTER TABLE persons ADD COLUMN followers BIGINT;
