-- When the export that last changed an item's fields was observed. An export observed
-- before it is older news and leaves those fields alone, even where the newer export
-- changed no count (and so left no snapshot to compare with). NULL for items written
-- before this migration: their latest snapshot's time stands in for it.
ALTER TABLE content_items ADD COLUMN last_observed_at TIMESTAMP;
