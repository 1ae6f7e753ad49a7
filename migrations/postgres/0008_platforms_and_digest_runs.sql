-- Users carry their workspace (migrations/sqlite/0008_platforms_and_digest_runs.sql): one user per
-- (platform, workspace, external_id), NULL workspaces compared as ''.
ALTER TABLE users ADD COLUMN workspace text;
ALTER TABLE users DROP CONSTRAINT users_platform_external_id;
CREATE UNIQUE INDEX users_by_platform ON users (platform, COALESCE(workspace, ''), external_id);

-- Coaches' digests are scheduled on their rows and claimed like follow-ups.
ALTER TABLE coach_digests ADD COLUMN due_at timestamptz;
ALTER TABLE coach_digests ADD COLUMN lease_until timestamptz;
CREATE INDEX coach_digests_due ON coach_digests (due_at) WHERE enabled;
