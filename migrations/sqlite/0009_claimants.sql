-- Who holds a claim: each process claims under its own id (host:pid:random), and every mark of a claim
-- matches it as well as the lease, so a process whose lease ran out cannot overwrite another's fresh claim
-- even when the two leases end at the same instant. NULL: not claimed.
ALTER TABLE follow_ups ADD COLUMN claimant TEXT;
ALTER TABLE coach_digests ADD COLUMN claimant TEXT;
