-- One row per golden-path run; steps, request and posted milestone keys as JSON documents.
CREATE TABLE runs (
    id           VARCHAR(40)  NOT NULL PRIMARY KEY,
    golden_path  VARCHAR(63)  NOT NULL,
    request_json VARCHAR      NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    steps_json   VARCHAR      NOT NULL,
    channel      VARCHAR(40),
    card_ts      VARCHAR(40),
    thread_ts    VARCHAR(40),
    waiting_for  VARCHAR(512),
    outcome      VARCHAR      NOT NULL,
    posted_json  VARCHAR      NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX runs_state ON runs (state);
CREATE INDEX runs_waiting_for ON runs (waiting_for);
