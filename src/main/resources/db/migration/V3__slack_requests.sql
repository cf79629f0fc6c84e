-- The signed Slack requests Paver has received, so that the same request sent again (a replay) has no second effect,
-- whichever replica it reaches. Only requests whose signature was verified are recorded; rows are deleted once their
-- timestamp is outside the five minutes in which Slack's requests are accepted, since such a request is refused anyway.
-- Portable SQL: the same script runs on H2 and PostgreSQL.
CREATE TABLE slack_requests (
    signature    VARCHAR(100) NOT NULL PRIMARY KEY,    -- X-Slack-Signature, 'v0=' and 64 hex digits; a second insert is a replay
    seen_at      TIMESTAMP WITH TIME ZONE NOT NULL,    -- when the request first arrived
    forget_after TIMESTAMP WITH TIME ZONE NOT NULL     -- X-Slack-Request-Timestamp + 5 minutes + a margin: the row may go
);
CREATE INDEX slack_requests_forget_after ON slack_requests (forget_after);
