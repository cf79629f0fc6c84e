-- Each audit entry carries the hash of the one before it: SHA-256 over the previous entry's hash and the entry's fields
-- (JdbcAuditLog#hash), so that an entry edited or deleted afterwards breaks the chain (audit-export --verify finds it).
-- Entries written before this migration have no hash and are reported as not verifiable.
ALTER TABLE audit_log ADD COLUMN prev_hash VARCHAR(64) NULL;
ALTER TABLE audit_log ADD COLUMN hash VARCHAR(64) NULL;
-- the chain's head: the last entry's id and hash, one row, locked while an entry is appended (appends are serialized)
CREATE TABLE audit_head (
    id       INTEGER     NOT NULL PRIMARY KEY,
    entry_id BIGINT      NOT NULL,
    hash     VARCHAR(64) NOT NULL
);
INSERT INTO audit_head (id, entry_id, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
