-- Whether the employer named the check-back date (migrations/sqlite/0004_check_back_agreed.sql).
ALTER TABLE next_steps ADD COLUMN check_back_agreed boolean NOT NULL DEFAULT true;
