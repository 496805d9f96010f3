"""Keyword index for 1M titles: a names-only index on both vendors, narrow tables on PostgreSQL.

SQLite: a second FTS5 external-content table ``discovery_ftsname`` over
``discovery_searchdocument(names)`` only (same tokenizer and prefix indexes as
``discovery_fts``, kept in sync by its own triggers). The "names match" tier used to run
``names : (...)`` on ``discovery_fts``, which walks the whole doclist of a common word (body
included); the names-only doclists are a few percent of that.

PostgreSQL: the keyword index moves to two narrow side tables.

Migration 0002 put a weighted ``tsvector`` (names 'A', body 'B') on the wide
``discovery_searchdocument`` rows. At 1M titles that was slow for two reasons measured with
``EXPLAIN (ANALYZE, BUFFERS)``: every query that filters by weight (names step) or uses a
phrase operator makes GIN recheck each candidate row, and each recheck or ``ts_rank`` reads a
wide heap row and de-TOASTs its big tsvector.

Now:

* ``discovery_kwtext(title_id, tsv)``: names + body, no weights, own GIN index. The rows are
  tiny (the tsvector lives in TOAST, stored uncompressed: ``STORAGE EXTERNAL``), so fetching
  the ids of 200,000 matches touches a few thousand heap pages, and AND/prefix queries (no
  weights, no phrase operator) need no recheck at all.
* ``discovery_kwname(title_id, tsv)``: the names alone (small, stored inline), own GIN index,
  for the "names match" tier without weight filters.
* Both are hash-partitioned on ``title_id`` (:data:`PARTITIONS`), so ``LIMIT`` bounds the
  work for a word that is in every title.

Both are kept in sync with ``discovery_searchdocument(names, body)`` by a row trigger, so every
writer (``documents_write``, tests, raw SQL) keeps working unchanged.
"""

from django.db import migrations

# Hash partitions of the PostgreSQL tables. A GIN bitmap scan cannot stop early: a word in
# every title builds a 1M-entry bitmap (55-110 ms) even under ``LIMIT 200000``. Over
# partitions, ``LIMIT`` stops the Append after the partitions it needs (two of eight).
PARTITIONS = 8
FTS_TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"

SQLITE_FORWARD = [
    f"""
    CREATE VIRTUAL TABLE discovery_ftsname USING fts5(
        names,
        content='discovery_searchdocument', content_rowid='title_id',
        tokenize="{FTS_TOKENIZE}", prefix='1 2'
    )
    """,
    """
    CREATE TRIGGER discovery_ftsname_ai AFTER INSERT ON discovery_searchdocument BEGIN
        INSERT INTO discovery_ftsname(rowid, names) VALUES (new.title_id, new.names);
    END
    """,
    """
    CREATE TRIGGER discovery_ftsname_ad AFTER DELETE ON discovery_searchdocument BEGIN
        INSERT INTO discovery_ftsname(discovery_ftsname, rowid, names)
        VALUES ('delete', old.title_id, old.names);
    END
    """,
    """
    CREATE TRIGGER discovery_ftsname_au AFTER UPDATE OF title_id, names
    ON discovery_searchdocument BEGIN
        INSERT INTO discovery_ftsname(discovery_ftsname, rowid, names)
        VALUES ('delete', old.title_id, old.names);
        INSERT INTO discovery_ftsname(rowid, names) VALUES (new.title_id, new.names);
    END
    """,
    "INSERT INTO discovery_ftsname(discovery_ftsname) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS discovery_ftsname_au",
    "DROP TRIGGER IF EXISTS discovery_ftsname_ad",
    "DROP TRIGGER IF EXISTS discovery_ftsname_ai",
    "DROP TABLE IF EXISTS discovery_ftsname",
]

POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS discovery_searchdocument_tsv",
    "ALTER TABLE discovery_searchdocument DROP COLUMN IF EXISTS tsv",
    *(
        statement
        for table in ("discovery_kwtext", "discovery_kwname")
        for statement in (
            f"""
            CREATE TABLE {table} (title_id bigint PRIMARY KEY, tsv tsvector NOT NULL)
            PARTITION BY HASH (title_id)
            """,
            *(
                f"CREATE TABLE {table}_p{i} PARTITION OF {table} "
                f"FOR VALUES WITH (MODULUS {PARTITIONS}, REMAINDER {i})"
                for i in range(PARTITIONS)
            ),
        )
    ),
    "ALTER TABLE discovery_kwtext ALTER COLUMN tsv SET STORAGE EXTERNAL",
    """
    CREATE FUNCTION discovery_kw_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM discovery_kwtext WHERE title_id = OLD.title_id;
            DELETE FROM discovery_kwname WHERE title_id = OLD.title_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO discovery_kwtext (title_id, tsv) VALUES (
                NEW.title_id,
                to_tsvector('simple'::regconfig, NEW.names)
                || to_tsvector('simple'::regconfig, NEW.body)
            );
            INSERT INTO discovery_kwname (title_id, tsv)
            VALUES (NEW.title_id, to_tsvector('simple'::regconfig, NEW.names));
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER discovery_kw_sync
    AFTER INSERT OR DELETE OR UPDATE OF title_id, names, body ON discovery_searchdocument
    FOR EACH ROW EXECUTE FUNCTION discovery_kw_sync()
    """,
    # TRUNCATE (Django's flush between transactional tests) fires no row trigger.
    """
    CREATE FUNCTION discovery_kw_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE discovery_kwtext, discovery_kwname;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER discovery_kw_truncate AFTER TRUNCATE ON discovery_searchdocument
    FOR EACH STATEMENT EXECUTE FUNCTION discovery_kw_truncate()
    """,
    """
    INSERT INTO discovery_kwtext (title_id, tsv)
    SELECT title_id,
           to_tsvector('simple'::regconfig, names) || to_tsvector('simple'::regconfig, body)
    FROM discovery_searchdocument ORDER BY title_id
    """,
    """
    INSERT INTO discovery_kwname (title_id, tsv)
    SELECT title_id, to_tsvector('simple'::regconfig, names)
    FROM discovery_searchdocument ORDER BY title_id
    """,
    "CREATE INDEX discovery_kwtext_tsv ON discovery_kwtext USING gin (tsv)",
    "CREATE INDEX discovery_kwname_tsv ON discovery_kwname USING gin (tsv)",
    "ANALYZE discovery_kwtext",
    "ANALYZE discovery_kwname",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS discovery_kw_sync ON discovery_searchdocument",
    "DROP FUNCTION IF EXISTS discovery_kw_sync()",
    "DROP TRIGGER IF EXISTS discovery_kw_truncate ON discovery_searchdocument",
    "DROP FUNCTION IF EXISTS discovery_kw_truncate()",
    "DROP TABLE IF EXISTS discovery_kwname",
    "DROP TABLE IF EXISTS discovery_kwtext",
    """
    ALTER TABLE discovery_searchdocument ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, names), 'A')
        || setweight(to_tsvector('simple'::regconfig, body), 'B')
    ) STORED
    """,
    "CREATE INDEX discovery_searchdocument_tsv ON discovery_searchdocument USING gin (tsv)",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def forward(apps, schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def backward(apps, schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [("discovery", "0002_keyword_index")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
