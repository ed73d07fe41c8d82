"""Officials and meetings: extraction from article text and curation (filled in by the entities work)."""

from archive.articles.models import Article


def article_extract_entities(*, article: Article) -> None:
    """Find the officials and meetings an article reports and record them as proposals.

    Called by the ingest pipeline inside the article's transaction.
    """
