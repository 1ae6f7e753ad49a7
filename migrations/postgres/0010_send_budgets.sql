-- One send budget per bot, shared by all its processes (Discord allows 50 requests a second per bot, not per
-- process): a token bucket that refills at the rate each taker passes in, taken by one UPDATE
-- (bot/storage/postgres/send_budget.py). last_grant is what that UPDATE granted, for its RETURNING.
CREATE TABLE send_budgets (
    name text PRIMARY KEY,
    tokens double precision NOT NULL,
    refreshed_at timestamptz NOT NULL,
    last_grant integer NOT NULL DEFAULT 0
);
