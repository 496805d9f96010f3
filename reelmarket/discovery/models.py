"""Search documents, embeddings and the change log that keeps in-process indexes fresh.

The database is the source of truth. Everything held in memory (the facet and avails
arrays, the ANN index) is a cache rebuilt from these tables and kept up to date by reading
:class:`IndexChange` rows newer than the last one a process has seen.
"""

from __future__ import annotations

from django.db import models

from reelmarket.catalogue.models import Title


class SearchDocument(models.Model):
    """One title as the search engine sees it.

    ``names`` and ``body`` hold the *index form* of the text (see ``discovery.text``):
    normalised, folded, CJK/Thai runs split into overlapping bigrams, words separated by
    spaces. On SQLite an FTS5 table mirrors them; on PostgreSQL a generated ``tsvector``
    column with a GIN index does (migration 0002).

    ``facets`` and ``avails`` feed the in-memory facet arrays and the availability index.
    """

    title = models.OneToOneField(
        Title, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    names = models.TextField(blank=True)
    body = models.TextField(blank=True)
    facets = models.JSONField(default=dict)
    avails = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"search document {self.title_id}"


class SearchName(models.Model):
    """A normalised full title name, for exact-title hits (ranked first)."""

    # indexed by the unique (title, key) constraint below
    title = models.ForeignKey(
        Title, on_delete=models.CASCADE, related_name="search_names", db_index=False
    )
    key = models.CharField(max_length=300)

    class Meta:
        # (key, title): an exact-title lookup reads the index alone, however many titles
        # share the name
        indexes = [models.Index(fields=["key", "title"], name="search_name_key_title")]
        constraints = [
            models.UniqueConstraint(fields=["title", "key"], name="search_name_unique"),
        ]

    def __str__(self) -> str:
        return self.key


class IndexChange(models.Model):
    """Append-only log: title ``title_id`` changed (or was deleted) at ``id``.

    No foreign key, so deletions are logged too. Processes remember the last id they
    applied and re-read only the titles changed since.
    """

    id = models.BigAutoField(primary_key=True)
    title_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"change {self.id}: title {self.title_id}"


class TextEmbedding(models.Model):
    """A vector of one of a title's texts (per language and part), for one embedding model.

    ``part`` says which passage of the text it embeds: ``"full"`` (facet line, name, logline
    and synopsis) or ``"short"`` (name and logline); see ``discovery.embedding``.
    """

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="embeddings")
    language = models.CharField(max_length=20)
    model = models.CharField(max_length=80)
    content_sha = models.CharField(max_length=64)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)
    part = models.CharField(max_length=8, default="full")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["title", "language", "model", "part"], name="text_embedding_part_unique"
            ),
        ]
        indexes = [models.Index(fields=["model", "id"])]

    def __str__(self) -> str:
        return f"{self.title_id} [{self.language}/{self.part}] {self.model}"


class EmbeddingCache(models.Model):
    """Vectors by content hash: an unchanged text is never embedded twice (survives resets)."""

    model = models.CharField(max_length=80)
    content_sha = models.CharField(max_length=64)
    vector = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "content_sha"], name="embedding_cache_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.content_sha[:12]}"


class LanguageCentroid(models.Model):
    """Mean passage vector of one language, subtracted to remove the language bias."""

    model = models.CharField(max_length=80)
    language = models.CharField(max_length=20)
    count = models.PositiveIntegerField(default=0)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "language"], name="language_centroid_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.language}"
