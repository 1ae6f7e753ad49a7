-- The seeker's follow-up loop. Datetimes are ISO 8601 text in UTC ("2026-11-27T15:00:00+00:00"),
-- which sorts correctly as text.

CREATE TABLE users (
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
    UNIQUE (platform, external_id)
);

CREATE TABLE interviews (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    company       TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    scheduled_at  TEXT    NOT NULL,
    interviewer   TEXT,
    contact       TEXT,
    notes         TEXT,
    outcome       TEXT CHECK (outcome IN ('offer', 'rejected', 'withdrawn')),
    outcome_notes TEXT,
    outcome_at    TEXT,
    created_at    TEXT    NOT NULL
);
CREATE INDEX interviews_by_user ON interviews (user_id, scheduled_at);

CREATE TABLE next_steps (
    interview_id  INTEGER PRIMARY KEY REFERENCES interviews (id) ON DELETE CASCADE,
    check_back_at TEXT    NOT NULL,
    candidates    INTEGER,
    decision_by   TEXT,
    rounds        TEXT,
    notes         TEXT,
    recorded_at   TEXT    NOT NULL
);

CREATE TABLE follow_ups (
    id           INTEGER PRIMARY KEY,
    interview_id INTEGER NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('prep', 'thank_you_email', 'handwritten_note',
                                                  'next_steps', 'check_in', 'feedback_request')),
    due_at       TEXT    NOT NULL,
    notify_at    TEXT    NOT NULL,
    deadline_at  TEXT,
    status       TEXT    NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'claimed', 'sent', 'done', 'cancelled',
                                   'undeliverable', 'failed')),
    lease_until  TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    snoozes      INTEGER NOT NULL DEFAULT 0,
    sent_at      TEXT,
    message_ref  TEXT,
    done_at      TEXT,
    last_error   TEXT,
    created_at   TEXT    NOT NULL
);
-- The dispatcher's two queries: the next due time, and claiming what is due.
CREATE INDEX follow_ups_pending ON follow_ups (notify_at) WHERE status = 'pending';
CREATE INDEX follow_ups_claimed ON follow_ups (lease_until) WHERE status = 'claimed';
CREATE INDEX follow_ups_by_interview ON follow_ups (interview_id, status);
CREATE INDEX follow_ups_by_user ON follow_ups (user_id, status, due_at);

CREATE TABLE check_ins (
    id                 INTEGER PRIMARY KEY,
    interview_id       INTEGER NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    heard              TEXT    NOT NULL,
    next_check_back_at TEXT,
    called_at          TEXT    NOT NULL
);
CREATE INDEX check_ins_by_interview ON check_ins (interview_id, called_at);

CREATE TABLE feedback (
    id           INTEGER PRIMARY KEY,
    interview_id INTEGER NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    text         TEXT    NOT NULL,
    recorded_at  TEXT    NOT NULL
);
