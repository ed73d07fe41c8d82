"""The PostgreSQL engine's storage: one search entry per visible article, and the vocabulary.

Written in the same transaction as the article (`archive.search.indexing.search_index_write_through`),
so that a reader never sees an article without its entry. Created on every database so that one
migration history serves both (flushes and cascades work alike); on SQLite they stay empty, and the
GIN indexes that make them searchable exist on PostgreSQL only (migration 0001).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from archive.articles.models import Article


class SearchEntry(models.Model):
    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="+")
    # Every analysed term of every text field, prefixed with its field's code, and the keyword values
    # (postgres_engine/documents.py): one GIN lookup answers a whole query tree.
    document = SearchVectorField()
    date = models.DateField(null=True)
    year = models.IntegerField(null=True)
    source = models.CharField(max_length=200, blank=True)
    officials = models.TextField(blank=True)  # official ids, one per line (the facet counts them)
    places = models.TextField(blank=True)  # Arabic place names, one per line
    text_length = models.IntegerField(default=0)  # stemmed terms of title and body: length normalisation
    title_length = models.IntegerField(default=0)
    updated = models.BigIntegerField(default=0)  # the article's `updated_stamp` when this was written
    # True once the compiled postings hold this entry as it is; every write of the entry clears it, and
    # an entry not compiled is ranked from its `document` (postgres_engine/postings.py).
    compiled = models.BooleanField(default=False, db_default=False)

    class Meta:
        db_table = "search_entry"
        indexes = [
            models.Index(fields=["article"], condition=models.Q(compiled=False), name="search_entry_stale"),
        ]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return f"search entry of article {self.article_id}"


class SearchTerm(models.Model):
    """A normalised word some article held: what "did you mean" chooses from (never searched)."""

    term = models.CharField(max_length=200, primary_key=True)

    class Meta:
        db_table = "search_term"
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term


class SearchPostings(models.Model):
    """One lexeme's postings compiled from the entries: the articles holding it, its frequency and its
    positions in each.

    Derived (postgres_engine/postings.py recompiles it from `SearchEntry`), never edited."""

    term = models.CharField(max_length=2046, primary_key=True)  # a lexeme as the entries hold it
    articles = models.BinaryField()  # article ids, ascending, 4-byte big-endian integers
    frequencies = models.BinaryField()  # the term's frequency in each, 2-byte big-endian (0: a keyword)
    positions = models.TextField()  # their positions, article after article, comma-separated

    class Meta:
        db_table = "search_postings"
        verbose_name = _("search postings")
        verbose_name_plural = _("search postings")

    def __str__(self) -> str:
        return f"postings of {self.term}"


class SearchCompilation(models.Model):
    """Which compile of the postings is current: one row, its generation (a number from a sequence,
    never given twice) set by every compile, so that a process knows when the columns it keeps of the
    compiled entries are out of date."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    generation = models.BigIntegerField(default=0)

    class Meta:
        db_table = "search_compilation"
        verbose_name = _("search compilation")
        verbose_name_plural = _("search compilations")

    def __str__(self) -> str:
        return f"search postings, compile {self.generation}"


class SearchRemoved(models.Model):
    """An entry deleted since the last compile, which the postings and the columns kept of them may list.

    Written by a trigger on `search_entry` (migration 0003), in the transaction of the deletion, however
    it is made; the next compile empties it."""

    article_id = models.BigIntegerField(primary_key=True)

    class Meta:
        db_table = "search_removed"
        verbose_name = _("removed search entry")
        verbose_name_plural = _("removed search entries")

    def __str__(self) -> str:
        return f"removed search entry of article {self.article_id}"
