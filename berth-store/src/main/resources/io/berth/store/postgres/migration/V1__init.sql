-- Berth's state store on PostgreSQL (io.berth.store.postgres). Applied by Flyway; never edit a
-- released script: a change is a new V<n>__*.sql.

-- Current state: one row per live aggregate. key holds the UTF-16 code units of the Java key,
-- big-endian (see KeyCodec), so bytewise order is Java's String order and prefixes are ranges.
CREATE TABLE berth_entities (
    kind    text   NOT NULL,
    key     bytea  NOT NULL,
    version bigint NOT NULL,
    value   bytea  NOT NULL,
    PRIMARY KEY (kind, key)
);

-- The change feed: one row per committed mutation, value NULL for a delete. Pruned from the front.
CREATE TABLE berth_changes (
    seq     bigint PRIMARY KEY,
    kind    text   NOT NULL,
    key     bytea  NOT NULL,
    version bigint NOT NULL,
    value   bytea
);

-- The feed's counters, in one row. Every write transaction locks this row first (SELECT ... FOR
-- UPDATE), so writers, from any number of server processes, take turns: sequences are handed out
-- and committed in the same order, and a reader never sees a later change without the earlier ones.
--   last_sequence:  sequence of the last committed change
--   wiped_through:  changes up to here were removed by a wipe (gone, not an error)
--   pruned_through: changes up to here were pruned for retention (asking for them is an error)
CREATE TABLE berth_feed (
    id             boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_sequence  bigint  NOT NULL,
    wiped_through  bigint  NOT NULL,
    pruned_through bigint  NOT NULL
);

INSERT INTO berth_feed (id, last_sequence, wiped_through, pruned_through) VALUES (true, 0, 0, 0);
