-- As migrations/postgres/0010_send_budgets.sql, so the two schemas stay the same. Unused on SQLite: one
-- process, whose senders share an in-process token bucket (bot/platforms/pacing.py).
CREATE TABLE send_budgets (
    name TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    refreshed_at TEXT NOT NULL,
    last_grant INTEGER NOT NULL DEFAULT 0
);
