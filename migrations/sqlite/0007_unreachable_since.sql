-- When a follow-up's first send failed because Discord could not be reached (5xx, 429, network errors).
-- Such failures use up no attempts: the dispatcher backs off from this moment and gives up at the
-- follow-up's deadline or a day after it. NULL: no such failure since it was last scheduled.
ALTER TABLE follow_ups ADD COLUMN unreachable_since TEXT;
