-- Several replicas on one database: a run is advanced by one replica at a time. A replica claims a run's lease before
-- it passes over the run (free, expired, or already its own), renews it while the pass goes on, and clears it after;
-- a waiting run holds no lease. Every write of a run during a pass is guarded by lease_owner, so a replica that lost
-- the lease (paused longer than the lease time) cannot overwrite what the next holder wrote.
-- Portable SQL: the same script runs on H2 and PostgreSQL.
ALTER TABLE runs ADD COLUMN lease_owner VARCHAR(100) NULL;
ALTER TABLE runs ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE NULL;
