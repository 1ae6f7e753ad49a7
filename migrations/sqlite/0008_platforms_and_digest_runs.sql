-- migrate: foreign keys off
-- (The runner turns foreign keys off for this one, as SQLite's procedure for changing a table's constraints
-- requires: dropping the old users table must not cascade to everything that references it. It checks
-- every reference with PRAGMA foreign_key_check before committing.)

-- Users carry the workspace their platform puts them in (a Slack workspace), or NULL where users are global
-- (Discord). One user per (platform, workspace, external_id): a unique index on COALESCE(workspace, '')
-- because a UNIQUE constraint would let two rows with a NULL workspace and the same id through. The table
-- is rebuilt to drop its old UNIQUE (platform, external_id); the columns keep their order, workspace last.
CREATE TABLE users_new (
    id                        INTEGER PRIMARY KEY,
    platform                  TEXT    NOT NULL,
    external_id               TEXT    NOT NULL,
    timezone                  TEXT    NOT NULL,
    quiet_start               TEXT    NOT NULL,
    quiet_end                 TEXT    NOT NULL,
    dm_channel                TEXT,
    dms_closed_at             TEXT,
    dms_closed_notice_pending INTEGER NOT NULL DEFAULT 0,
    created_at                TEXT    NOT NULL,
    share_notes               INTEGER NOT NULL DEFAULT 0,
    timezone_set_at           TEXT,
    workspace                 TEXT
);
INSERT INTO users_new (id, platform, external_id, timezone, quiet_start, quiet_end, dm_channel, dms_closed_at,
                       dms_closed_notice_pending, created_at, share_notes, timezone_set_at)
SELECT id, platform, external_id, timezone, quiet_start, quiet_end, dm_channel, dms_closed_at,
       dms_closed_notice_pending, created_at, share_notes, timezone_set_at
FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE UNIQUE INDEX users_by_platform ON users (platform, COALESCE(workspace, ''), external_id);

-- Coaches' digests are scheduled on their rows, claimed like follow-ups, so that any number of processes
-- send each digest once. due_at: when to look next (UTC); NULL means "plan it now" (a new coach, a changed
-- schedule or zone): the digest loop claims it at once and stores the real next slot, or sends if one is
-- due. lease_until: a process is sending it; another claims it only after the lease has run out.
ALTER TABLE coach_digests ADD COLUMN due_at TEXT;
ALTER TABLE coach_digests ADD COLUMN lease_until TEXT;
CREATE INDEX coach_digests_due ON coach_digests (due_at) WHERE enabled = 1;
