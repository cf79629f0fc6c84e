-- A run asked for by a signed Slack slash command keeps the request's X-Slack-Signature, unique: the same request sent
-- again (a replay) cannot store a second run, whichever replica it reaches. Storing the run is then the only write before
-- the acknowledgement of a slash command (its signature is not also kept in slack_requests). Runs started another way
-- (a modal, a button, Socket Mode, a restart) have none; NULLs do not collide in a unique index on H2 or PostgreSQL.
-- Portable SQL: the same script runs on H2 and PostgreSQL.
ALTER TABLE runs ADD COLUMN request_signature VARCHAR(100) NULL;
CREATE UNIQUE INDEX runs_request_signature ON runs (request_signature);
