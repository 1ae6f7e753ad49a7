-- Whether the employer named the check-back date. When they did not, check_back_at holds the call
-- Follow-Through planned instead (the day after the decision, else a week after the interview), and
-- the nudges say so rather than "as agreed". Existing answers were always agreed dates.
ALTER TABLE next_steps ADD COLUMN check_back_agreed INTEGER NOT NULL DEFAULT 1;
