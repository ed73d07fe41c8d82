"""Per-article cost of the extraction pass, before and after statements and agenda topics, in one run.

    .venv/bin/python benchmarks/extraction_cost.py [--data DIR] [--limit 5000] [--rounds 3]

Reads ANT Corpus articles straight from the tarball (see benchmarks/_corpus.py) and times, on the same
articles in the same process, the reading ingest does per article:

- before: the officials/meetings pass (`may_name_officials`, then `extract` when it may name someone);
- after: the same plus statements (`may_report_speech`, then `read_statements`) and, for articles with a
  meeting, agenda topics (`find_topics` with the seeded vocabulary).

The two passes alternate chunk by chunk (the order flips every chunk), so that load from other processes on
the machine falls on both alike; the best of `--rounds` is kept for each. Database writes are not timed:
they are the same rows as before plus one bulk insert per article that has statements.

A second figure checks that reading is linear in the paragraph: one paragraph of 200 and of 3200 reported
quotes, timed in the same run (a quadratic reading would take 256 times as long for 16 times the text).
"""

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

import django

django.setup()

from archive.entities.reading.agenda import compile_vocabulary, find_topics  # noqa: E402
from archive.entities.reading.extraction import Extraction, extract  # noqa: E402
from archive.entities.reading.said import may_report_speech, read_statements  # noqa: E402
from archive.entities.reading.sentences import may_name_officials, split_sentences  # noqa: E402
from benchmarks._common import DEFAULT_DATA  # noqa: E402
from benchmarks._corpus import corpus_tarball, read_corpus  # noqa: E402

CHUNK = 250


def vocabulary() -> dict:
    """The topics the migration seeds (read from it, so no database is needed)."""
    import importlib

    migration = importlib.import_module("archive.entities.migrations.0005_statements_topics")
    return compile_vocabulary({key: triggers for key, _ar, _en, triggers in migration.TOPICS})


def before(title: str, paragraphs: list[str], published) -> Extraction:
    if not may_name_officials(title=title, paragraphs=paragraphs, known_names={}):
        return Extraction(persons=[], meetings=[], reference_date=published)
    return extract(title=title, paragraphs=paragraphs, reference_date=published, known_names={})


def after(title: str, paragraphs: list[str], published, table: dict) -> tuple:
    extraction = before(title, paragraphs, published)
    statements = []
    if extraction.sentences and may_report_speech(paragraphs=paragraphs, sentences=extraction.sentences):
        statements = read_statements(
            paragraphs=paragraphs,
            persons=extraction.persons,
            reference=extraction.reference_date,
            sentences=extraction.sentences or None,
            paragraph_offset=1 if extraction.has_title else 0,
        )
    topics = []
    if extraction.meetings:
        sentences = extraction.sentences or split_sentences(([title] if title else []) + paragraphs)
        topics = find_topics(sentences=sentences, table=table)
    return extraction, statements, topics


def timed(function, articles, *args) -> tuple[float, list]:
    started = time.perf_counter()
    out = [function(a.title, list(a.paragraphs), a.published_on, *args) for a in articles]
    return time.perf_counter() - started, out


def linear_check() -> tuple[float, float]:
    sentence = 'وقال وزير الخارجية الروسي سيرغي لافروف إن "التعاون يتطور بين البلدين". '
    persons = extract(paragraphs=[sentence]).persons
    out = []
    for copies in (200, 3200):
        paragraph = sentence * copies
        best = float("inf")
        for _ in range(5):
            # The collector's passes grow with everything the run has allocated, not with this paragraph.
            gc.collect()
            gc.disable()
            started = time.perf_counter()
            found = read_statements(paragraphs=[paragraph], persons=persons)
            best = min(best, time.perf_counter() - started)
            gc.enable()
        assert len(found) == copies
        out.append(best)
    return out[0], out[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA / "ant-corpus-v2.1")
    parser.add_argument("--limit", type=int, default=5000, help="articles to read (0: the whole corpus)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    articles = list(read_corpus(corpus_tarball(args.data), limit=args.limit or None))
    table = vocabulary()
    chunks = [articles[i : i + CHUNK] for i in range(0, len(articles), CHUNK)]
    # Warm the caches (normalisation, stems) once for both, so that neither pays for the other's first use.
    timed(after, articles[:CHUNK], table)

    best_before, best_after = float("inf"), float("inf")
    counts = {"statements": 0, "topics": 0, "articles_with_statements": 0, "meetings": 0}
    for round_ in range(args.rounds):
        total_before = total_after = 0.0
        for n, chunk in enumerate(chunks):
            if (n + round_) % 2:
                seconds_after, results = timed(after, chunk, table)
                seconds_before, _ = timed(before, chunk)
            else:
                seconds_before, _ = timed(before, chunk)
                seconds_after, results = timed(after, chunk, table)
            total_before += seconds_before
            total_after += seconds_after
            if round_ == 0:
                for extraction, statements, topics in results:
                    counts["statements"] += len(statements)
                    counts["articles_with_statements"] += bool(statements)
                    counts["topics"] += len(topics)
                    counts["meetings"] += len(extraction.meetings)
        best_before, best_after = min(best_before, total_before), min(best_after, total_after)

    per_before = best_before / len(articles) * 1000
    per_after = best_after / len(articles) * 1000
    print(f"articles: {len(articles)} (ANT corpus v2.1), best of {args.rounds} rounds")
    print(f"before (officials and meetings):            {per_before:.3f} ms per article")
    print(f"after (+ statements and agenda topics):     {per_after:.3f} ms per article")
    print(f"growth: {100 * (per_after / per_before - 1):+.1f} % (limit +20 %)")
    print(
        "found: {statements} statements in {articles_with_statements} articles, {topics} topics "
        "on {meetings} meetings".format(**counts)
    )
    short, long = linear_check()
    print(
        f"one paragraph, 200 quotes: {short * 1000:.2f} ms; 3200 quotes: {long * 1000:.2f} ms "
        f"(x{long / short:.1f} for 16 times the text)"
    )


if __name__ == "__main__":
    main()
