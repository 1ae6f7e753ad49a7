-- Who holds a claim: each process claims under its own id (host:pid:random), and every mark of a claim
-- matches it as well as the lease, so a process whose lease ran out cannot overwrite another's fresh claim
-- even when the two leases end at the same instant (clocks of two machines). NULL: not claimed.
ALTER TABLE follow_ups ADD COLUMN claimant text;
ALTER TABLE coach_digests ADD COLUMN claimant text;

-- The queue table is updated on every claim and mark: vacuum it after 1% of its rows changed rather than
-- 20%, so dead row versions do not pile up in front of the claim's index scan.
ALTER TABLE follow_ups SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
