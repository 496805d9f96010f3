"""Keyword index over ``discovery_searchdocument(names, body)``, per database vendor.

SQLite: an FTS5 external-content table ``discovery_fts`` (rowid = title_id) kept in sync by
triggers (the FTS5 documentation's recipe). The stored text is already normalised and split
by ``discovery.text``, so the tokenizer must not change it: ``unicode61`` with diacritics
kept and combining marks (Thai, Devanagari ...) as token characters. Prefix indexes of one
and two characters make one-character CJK/Thai and two-letter prefix queries cheap.

PostgreSQL: a generated ``tsvector`` column (names weight A, body weight B, 'simple'
configuration, which keeps the pre-split tokens intact) with a GIN index.

Note for later migrations: if Django ever rebuilds ``discovery_searchdocument`` on SQLite
(an ALTER it cannot do in place), the triggers go with the old table; re-run ``forward``.
"""

from django.db import migrations

FTS_TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"

SQLITE_FORWARD = [
    f"""
    CREATE VIRTUAL TABLE discovery_fts USING fts5(
        names, body,
        content='discovery_searchdocument', content_rowid='title_id',
        tokenize="{FTS_TOKENIZE}", prefix='1 2'
    )
    """,
    """
    CREATE TRIGGER discovery_fts_ai AFTER INSERT ON discovery_searchdocument BEGIN
        INSERT INTO discovery_fts(rowid, names, body)
        VALUES (new.title_id, new.names, new.body);
    END
    """,
    """
    CREATE TRIGGER discovery_fts_ad AFTER DELETE ON discovery_searchdocument BEGIN
        INSERT INTO discovery_fts(discovery_fts, rowid, names, body)
        VALUES ('delete', old.title_id, old.names, old.body);
    END
    """,
    """
    CREATE TRIGGER discovery_fts_au AFTER UPDATE OF title_id, names, body
    ON discovery_searchdocument BEGIN
        INSERT INTO discovery_fts(discovery_fts, rowid, names, body)
        VALUES ('delete', old.title_id, old.names, old.body);
        INSERT INTO discovery_fts(rowid, names, body)
        VALUES (new.title_id, new.names, new.body);
    END
    """,
    # Names weigh four times the body in bm25 (the table's default ``rank``).
    "INSERT INTO discovery_fts(discovery_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)')",
    "INSERT INTO discovery_fts(discovery_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS discovery_fts_au",
    "DROP TRIGGER IF EXISTS discovery_fts_ad",
    "DROP TRIGGER IF EXISTS discovery_fts_ai",
    "DROP TABLE IF EXISTS discovery_fts",
]
POSTGRES_FORWARD = [
    """
    ALTER TABLE discovery_searchdocument ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, names), 'A')
        || setweight(to_tsvector('simple'::regconfig, body), 'B')
    ) STORED
    """,
    "CREATE INDEX discovery_searchdocument_tsv ON discovery_searchdocument USING gin (tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS discovery_searchdocument_tsv",
    "ALTER TABLE discovery_searchdocument DROP COLUMN IF EXISTS tsv",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def forward(apps, schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def backward(apps, schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [("discovery", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
