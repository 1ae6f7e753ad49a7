-- Each group has one owner, who created it: only the owner removes co-coaches or deletes the group.
-- Existing groups: the coach added first (the creator) becomes the owner.
ALTER TABLE group_coaches ADD COLUMN owner INTEGER NOT NULL DEFAULT 0;
UPDATE group_coaches SET owner = 1
WHERE rowid IN (SELECT min(rowid) FROM group_coaches GROUP BY group_id);

-- A seeker a coach removed cannot rejoin with the invite code that was current at the removal: the block
-- lifts when the group gets a new code (the coach invites them again with it).
ALTER TABLE memberships ADD COLUMN removed_with_code TEXT;
