-- Time zones the user chose, calls whose time was agreed, and commands waiting for a zone.

-- When the user chose their zone (/settings timezone or the zone prompt); NULL: never, they are asked before
-- the first command that reads or plans a time. Existing users whose zone differs from the shipped default
-- (UTC) must have chosen it; those still in UTC are asked once, with UTC offered first.
ALTER TABLE users ADD COLUMN timezone_set_at TEXT;
UPDATE users SET timezone_set_at = created_at WHERE timezone <> 'UTC';

-- Quiet hours are local wall-clock times. One saved with an offset ("21:00:00+00:00", from "2100Z") keeps
-- its wall-clock part.
UPDATE users SET quiet_start = substr(quiet_start, 1, 8) WHERE length(quiet_start) > 8;
UPDATE users SET quiet_end = substr(quiet_end, 1, 8) WHERE length(quiet_end) > 8;

-- Whether the follow-up's time of day was agreed with the employer ("Friday 3pm"): it keeps its instant when
-- the seeker changes zone, while the times Follow-Through planned (10:00 local) follow the seeker. Existing
-- calls due exactly at an agreed check-back are taken as agreed (old rows do not say whether a time was named).
ALTER TABLE follow_ups ADD COLUMN time_agreed INTEGER NOT NULL DEFAULT 0;
UPDATE follow_ups SET time_agreed = 1
WHERE kind = 'check_in' AND (
    EXISTS (SELECT 1 FROM next_steps n WHERE n.interview_id = follow_ups.interview_id
            AND n.check_back_agreed = 1 AND n.check_back_at = follow_ups.due_at)
    OR EXISTS (SELECT 1 FROM check_ins c WHERE c.interview_id = follow_ups.interview_id
               AND c.next_check_back_at = follow_ups.due_at)
);

-- A command asked for the user's zone first: its options wait here until the zone is chosen, then it runs.
-- AUTOINCREMENT: an id is never reused, so a stale prompt can never run a newer command.
CREATE TABLE pending_commands (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    command    TEXT    NOT NULL,
    options    TEXT    NOT NULL,  -- JSON object: option name -> value as Discord sent it
    created_at TEXT    NOT NULL
);
CREATE INDEX pending_commands_by_user ON pending_commands (user_id);
