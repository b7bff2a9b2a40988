-- Current state: one row per live aggregate.
CREATE TABLE entities (
    kind    TEXT    NOT NULL,
    key     TEXT    NOT NULL,
    version INTEGER NOT NULL,
    value   BLOB    NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;

-- The change feed: one row per committed mutation, value NULL for a delete. Pruned from the front.
CREATE TABLE changes (
    seq     INTEGER PRIMARY KEY,
    kind    TEXT    NOT NULL,
    key     TEXT    NOT NULL,
    version INTEGER NOT NULL,
    value   BLOB
);

-- Counters that must outlive the rows they count.
--   last_sequence:  sequence of the last committed change
--   wiped_through:  changes up to here were removed by a wipe (gone, not an error)
--   pruned_through: changes up to here were pruned for retention (asking for them is an error)
CREATE TABLE meta (
    name  TEXT    PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO meta (name, value) VALUES ('last_sequence', 0), ('wiped_through', 0), ('pruned_through', 0);
