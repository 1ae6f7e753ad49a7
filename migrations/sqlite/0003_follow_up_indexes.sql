-- Claiming a follow-up and marking it sent change only its status. With status inside the per-interview
-- and per-user indexes, each such change also moved two index entries on pages scattered across the
-- file: most of the cost of a claim at a million pending (bench/README.md). Without it those indexes
-- stay put; their queries still find an interview's or a user's few follow-ups by the leading column
-- and check the status on the row, and the per-user one still returns them in due order.
DROP INDEX follow_ups_by_interview;
CREATE INDEX follow_ups_by_interview ON follow_ups (interview_id);
DROP INDEX follow_ups_by_user;
CREATE INDEX follow_ups_by_user ON follow_ups (user_id, due_at);
