import codecs

import pytest

from archive.articles.models import Article
from archive.articles.parsing import parse_article_bytes
from archive.ingest.preparing import article_content_hash
from archive.ingest.services import articles_ingest
from archive.text.arabic import fold_digits


def _variants(utf8: bytes) -> dict[str, bytes]:
    text = utf8.decode("utf-8")
    crlf = text.replace("\n", "\r\n")
    return {
        "utf8-bom": codecs.BOM_UTF8 + utf8,
        "crlf": crlf.encode("utf-8"),
        "utf16-le-bom": codecs.BOM_UTF16_LE + crlf.encode("utf-16-le"),
        "utf16-be-bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        # The legacy code page has no Arabic-Indic digits: such files carry ASCII digits.
        "windows-1256": fold_digits(crlf).encode("cp1256"),
    }


@pytest.mark.parametrize("prefix", ["000", "001"])
@pytest.mark.parametrize("variant", ["utf8-bom", "crlf", "utf16-le-bom", "utf16-be-bom", "windows-1256"])
def test_it_reads_every_supported_encoding_to_the_same_article(prefix, variant, seed_bytes):
    original, _text = parse_article_bytes(seed_bytes(prefix), source="seed")

    article, _text = parse_article_bytes(_variants(seed_bytes(prefix))[variant], source=variant)

    assert article == original
    assert article_content_hash(parsed=article) == article_content_hash(parsed=original)


def test_it_counts_the_same_article_in_another_encoding_as_unchanged(db, tmp_path, seed_bytes):
    name = "001_e85774afd2b191b1.txt"
    (tmp_path / "utf8").mkdir()
    (tmp_path / "utf8" / name).write_bytes(seed_bytes("001"))
    assert articles_ingest(paths=[tmp_path / "utf8"]).created == 1
    stored = Article.objects.get()

    for variant, data in _variants(seed_bytes("001")).items():
        folder = tmp_path / variant
        folder.mkdir()
        (folder / name).write_bytes(data)
        summary = articles_ingest(paths=[folder])
        assert (summary.unchanged, summary.updated, summary.failed) == (1, 0, []), variant

    assert Article.objects.get().updated_at == stored.updated_at
