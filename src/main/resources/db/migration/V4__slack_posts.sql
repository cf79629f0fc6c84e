-- Once-only Slack posts and durable card edits. Portable SQL: the same script runs on H2 and PostgreSQL.

-- One row per message key (a run and its milestone, an approval prompt and its channel): written as an intent before
-- the Slack call, completed with the message's ts after it. A row with no ts was left by a crash between the two:
-- the message is looked for in Slack (by its metadata) before it is posted again.
CREATE TABLE slack_posts (
    post_key    VARCHAR(255) NOT NULL PRIMARY KEY,
    channel     VARCHAR(40)  NOT NULL,
    thread_ts   VARCHAR(40),
    ts          VARCHAR(40),
    intended_at TIMESTAMP WITH TIME ZONE NOT NULL,
    posted_at   TIMESTAMP WITH TIME ZONE
);

-- The updated_at of the run state its status card last showed, or NULL: a card is stale while this is before
-- updated_at, and its edit is sent again until it shows the run's current state (also after a restart).
ALTER TABLE runs ADD COLUMN card_shown_at TIMESTAMP WITH TIME ZONE NULL;
