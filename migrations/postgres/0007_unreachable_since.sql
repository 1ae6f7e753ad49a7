-- When a follow-up's first send failed because the platform could not be reached
-- (migrations/sqlite/0007_unreachable_since.sql).
ALTER TABLE follow_ups ADD COLUMN unreachable_since timestamptz;
