-- Career coaches: groups, their coaches, the seekers who consented to share, and each coach's digest.
-- Additive only: existing rows are untouched, and every seeker starts with their notes private.

ALTER TABLE users ADD COLUMN share_notes INTEGER NOT NULL DEFAULT 0;

CREATE TABLE coach_groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    invite_code TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL
);

CREATE TABLE group_coaches (
    group_id     INTEGER NOT NULL REFERENCES coach_groups (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    display_name TEXT    NOT NULL,
    added_at     TEXT    NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_coaches_by_user ON group_coaches (user_id);

-- One row per seeker and group. Only 'active' rows let the group's coaches see the seeker: 'pending'
-- waits for Accept, and 'declined', 'left' and 'removed' keep nothing visible.
CREATE TABLE memberships (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES coach_groups (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    display_name TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'active', 'declined', 'left', 'removed')),
    requested_at TEXT    NOT NULL,
    decided_at   TEXT,
    ended_at     TEXT,
    UNIQUE (group_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id, status);

-- The weekly digest each coach gets. The scheduler's cron jobs are rebuilt from these rows at start.
CREATE TABLE coach_digests (
    user_id         INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    weekday         INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- Monday is 0
    at_time         TEXT    NOT NULL,                                  -- HH:MM in the coach's time zone
    enabled         INTEGER NOT NULL DEFAULT 1,
    started_at      TEXT    NOT NULL,  -- when they began coaching: the first digest covers from here
    schedule_set_at TEXT    NOT NULL,  -- a slot before this was never promised, so it is never "missed"
    last_sent_at    TEXT
);
