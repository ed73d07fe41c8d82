"""The text stored once: the original comes back exactly from the body and a small delta."""

import json

import pytest

from archive.articles.models import Article
from archive.articles.parsing import decode_article_bytes
from archive.articles.storage import OriginalMismatch, original_decode, original_encode
from archive.ingest.services import articles_ingest

BLOCKS = [
    {"kind": "paragraph", "text": 'قال "الوزير" إن التعاون مستمر \\ والعمل جار.'},
    {"kind": "heading", "text": "التعاون الأمني"},
    {"kind": "paragraph", "text": "وأضاف أن الزيارة ناجحة."},
]


def test_it_gives_back_each_seed_file_as_received(ingested_seeds, seeds_dir):
    for article in Article.objects.all():
        received = decode_article_bytes((seeds_dir / article.origin).read_bytes(), source=article.origin)

        assert article.original_text == received
        # Only what the body does not hold is stored (header, title, date and footer lines).
        assert len(article.original_delta) < len(received) / 4


@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_it_gives_back_a_json_lines_record_as_received(db, tmp_path, ensure_ascii):
    body = "\n".join(block["text"] for block in BLOCKS)
    line = json.dumps({"external_id": "feed-1", "title": "خبر", "body": body}, ensure_ascii=ensure_ascii)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(line + "\n", encoding="utf-8")

    articles_ingest(paths=[feed])

    article = Article.objects.get(origin="feed-1")
    assert article.original_text == line
    # None of the text is stored twice: only the record's keys and title are.
    assert "التعاون" not in article.original_delta and "\\u0627" not in article.original_delta
    assert [b["text"] for b in article.blocks] == [b["text"] for b in BLOCKS]


@pytest.mark.parametrize(
    "original",
    [
        "",
        "لا شيء من النص هنا",
        '\x00 NUL, [0, 1, 0, ""] and JSON-looking text',
        'قال  "الوزير"\u00a0إن التعاون\t مستمر \\ والعمل جار.\n\n وأضاف أن  الزيارة ناجحة.',
        'قال "الوزير" إن التعاون مستمر \\ والعمل جار.\n\n\nوأضاف أن الزيارة ناجحة.\nالتعاون الأمني',
    ],
)
def test_it_gives_back_any_original_exactly(original):
    body = "\n\n".join(block["text"] for block in BLOCKS)

    assert original_decode(stored=original_encode(original=original, body=body), body=body) == original


def test_it_keeps_the_original_when_the_blocks_change(ingested_seeds):
    article = Article.objects.get(origin="004_e58cfb67f5e5646e.txt")
    original = article.original_text

    article.blocks = [*article.blocks[1:], {"kind": "heading", "text": "قسم جديد"}]
    article.save()

    article = Article.objects.get(pk=article.pk)
    assert article.original_text == original
    assert article.blocks[-1] == {"kind": "heading", "text": "قسم جديد"}


def test_it_refuses_to_read_an_original_against_a_body_changed_behind_its_back(ingested_seeds):
    article = Article.objects.get(origin="004_e58cfb67f5e5646e.txt")
    Article.objects.filter(pk=article.pk).update(body=article.body + "\n\nفقرة")

    with pytest.raises(OriginalMismatch):
        _ = Article.objects.get(pk=article.pk).original_text
