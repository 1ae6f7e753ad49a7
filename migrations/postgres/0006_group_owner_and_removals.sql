-- Each group has one owner (migrations/sqlite/0006_group_owner_and_removals.sql): the coach added first.
ALTER TABLE group_coaches ADD COLUMN owner boolean NOT NULL DEFAULT false;
UPDATE group_coaches SET owner = true
WHERE added_order IN (SELECT min(added_order) FROM group_coaches GROUP BY group_id);

ALTER TABLE memberships ADD COLUMN removed_with_code text;
