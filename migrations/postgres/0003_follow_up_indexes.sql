-- As migrations/sqlite/0003_follow_up_indexes.sql: status out of the per-interview and per-user indexes, so a
-- claim or a "sent" mark moves no entry in them (PostgreSQL can then update the row in place, HOT).
DROP INDEX follow_ups_by_interview;
CREATE INDEX follow_ups_by_interview ON follow_ups (interview_id);
DROP INDEX follow_ups_by_user;
CREATE INDEX follow_ups_by_user ON follow_ups (user_id, due_at);
