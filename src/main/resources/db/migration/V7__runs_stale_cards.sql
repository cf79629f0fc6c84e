-- The runs whose status card does not show their stored state, found through an index instead of a scan of every run
-- (the timer looks for them every few seconds, and a platform keeps thousands of finished runs). card_stale_since is the
-- run's updated_at while its card is behind (posted, and card_shown_at NULL or older than updated_at), else NULL; every
-- write of a run and every card edit keeps it so.
-- Portable SQL: the same script runs on H2 and PostgreSQL.
ALTER TABLE runs ADD COLUMN card_stale_since TIMESTAMP WITH TIME ZONE NULL;
UPDATE runs SET card_stale_since = updated_at
    WHERE card_ts IS NOT NULL AND (card_shown_at IS NULL OR card_shown_at < updated_at);
CREATE INDEX runs_card_stale_since ON runs (card_stale_since);
