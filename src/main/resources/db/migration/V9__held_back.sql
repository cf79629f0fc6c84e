-- The noise budget (paver.notifications.channels.<channel>): thread replies a channel's level held back, and the daily
-- digests that list them. Portable SQL: the same script runs on H2 and PostgreSQL.

-- One row per reply held back: its run and the key it would have been posted with (a step and milestone), once.
CREATE TABLE held_back (
    run_id    VARCHAR(40)  NOT NULL,
    reply_key VARCHAR(255) NOT NULL,
    channel   VARCHAR(40)  NOT NULL,
    service   VARCHAR(255) NOT NULL,
    held_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (run_id, reply_key)
);
CREATE INDEX held_back_channel_at ON held_back (channel, held_at);

-- One row per channel and day whose digest a replica took on: claimed until claimed_until (a replica that died while
-- posting loses it then), done once posted or found empty. window_end: the digest lists what was held back before it.
CREATE TABLE channel_digests (
    channel       VARCHAR(40) NOT NULL,
    digest_day    VARCHAR(10) NOT NULL,
    window_end    TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_until TIMESTAMP WITH TIME ZONE NOT NULL,
    done_at       TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (channel, digest_day)
);
