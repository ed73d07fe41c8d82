"""Search quality on public Arabic retrieval sets, through the real pipeline (a script, not a test).

For each set, in a throwaway ARCHIVE_DATA_DIR (its own SQLite database and Whoosh index), the documents go
in through the JSON Lines ingest, which builds the index, and every question goes through the search
service the API calls (`match=any`: the questions are natural language). Two baselines are computed in the
same run on a plain Whoosh index with BM25F: plain `\\w+` tokens, and normalisation without stemming.
Documents with the same text count once (ARCD has 5 such paragraphs: 460 documents).

    python benchmarks/search_quality.py [--data ../shared/data] [--sets arcd,xquad,quran] [--tuning]
        [--pg-url postgres://...]

With a PostgreSQL server (`--pg-url`, or BENCH_PG_URL), each set runs a second time on the PostgreSQL
engine (`SEARCH_ENGINE=postgres`) in a database of its own (`diwan_quality`, made anew), ranked as the
engine ranks (Whoosh's BM25F) and, over the same matches, by PostgreSQL's `ts_rank_cd`.

Prints MRR@10, Recall@1 and Recall@10 per set (Recall@k: a relevant document in the top k).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import DEFAULT_DATA, LOADERS, PROJECT_ROOT, EvalSet, Question, metrics

K = 10
# Weight of the normalised field beside the stemmed one (chosen on the tuning questions).
NORMALIZED_BOOST = 0.2


# --- baselines: a plain Whoosh index, BM25F, the question's terms OR-ed -----------------------------------


def _baseline(evalset: EvalSet, questions: list[Question], analyzers: dict) -> dict[str, float]:
    """`analyzers`: field name -> (analyzer, query boost); a question's terms are OR-ed over every field."""
    from whoosh import fields, scoring
    from whoosh import query as wq
    from whoosh.filedb.filestore import FileStorage

    schema = fields.Schema(
        id=fields.ID(stored=True), **{name: fields.TEXT(analyzer=a) for name, (a, _) in analyzers.items()}
    )
    # A folder of our own: Whoosh's RamStorage spills to a temp folder shared by every process.
    with tempfile.TemporaryDirectory(prefix="diwan-baseline-") as folder:
        index = FileStorage(folder).create_index(schema)
        with index.writer() as writer:
            for doc_id, text in evalset.documents.items():
                writer.add_document(id=doc_id, **dict.fromkeys(analyzers, text))
        ranked = []
        with index.searcher(weighting=scoring.BM25F()) as searcher:
            for question in questions:
                clauses = [
                    wq.Term(name, t.text, boost=boost)
                    for name, (analyzer, boost) in analyzers.items()
                    for t in analyzer(question.text, mode="query")
                ]
                if not clauses:
                    ranked.append([])
                    continue
                ranked.append([hit["id"] for hit in searcher.search(wq.Or(clauses), limit=K)])
    return metrics(ranked, questions, K)


def baselines(evalset: EvalSet, questions: list[Question]) -> dict[str, dict[str, float]]:
    from whoosh.analysis import LowercaseFilter, RegexTokenizer

    from archive.search.whoosh_engine.fields import arabic_analyzer

    stemmed, normalized = arabic_analyzer("stemmed"), arabic_analyzer("normalized")
    return {
        "plain \\w+ tokens": _baseline(
            evalset, questions, {"body": (RegexTokenizer(r"\w+") | LowercaseFilter(), 1)}
        ),
        "normalised, no stemming": _baseline(evalset, questions, {"body": (normalized, 1)}),
        # Diagnostics: the stemmed analyzer alone, and with the normalised field at 0.2 beside it.
        "stemmed analyzer alone": _baseline(evalset, questions, {"body": (stemmed, 1)}),
        "stemmed + 0.2 normalised": _baseline(
            evalset, questions, {"body": (stemmed, 1), "body_norm": (normalized, NORMALIZED_BOOST)}
        ),
    }


# --- the real pipeline, one set per process (each with its own data directory) ---------------------------


QUALITY_DB = "diwan_quality"


def pipeline(set_name: str, data: Path, tuning: bool) -> dict:
    """Runs in a child process whose ARCHIVE_DATA_DIR is a fresh temporary folder."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    # The evaluation sets ask whole questions (30 words and more): the serving limits on query cost would
    # refuse them, and the time budget would cut long ones short; both are about load, not about quality.
    for name, value in (
        ("SEARCH_MAX_QUERY_CHARS", "5000"),
        ("SEARCH_MAX_QUERY_WORDS", "500"),
        ("SEARCH_MAX_QUERY_OPERATORS", "500"),
        ("SEARCH_MAX_PHRASE_WORDS", "500"),
        ("SEARCH_TIME_BUDGET_MS", "0"),
    ):
        os.environ.setdefault(name, value)
    django.setup()
    from django.core.management import call_command
    from django.http import QueryDict

    from archive.articles.models import Article
    from archive.ingest.services import articles_ingest
    from archive.search.service import article_search, search_params_from_query

    call_command("migrate", verbosity=0)
    evalset = LOADERS[set_name](data)
    questions = evalset.tuning if tuning else evalset.questions
    folder = Path(os.environ["ARCHIVE_DATA_DIR"])
    jsonl = folder / f"{set_name}.jsonl"
    doc_ids = list(evalset.documents)
    with jsonl.open("w", encoding="utf-8") as f:
        for doc_id in doc_ids:
            record = {
                "external_id": doc_id,
                "title": "",
                "body": evalset.documents[doc_id],
                "source": set_name,
            }
            f.write(json.dumps(record, ensure_ascii=False) + "\n")

    started = time.perf_counter()
    summary = articles_ingest(paths=[jsonl])
    ingest_seconds = time.perf_counter() - started
    if summary.failed:
        raise SystemExit(f"ingest failed: {summary.failed[:3]}")
    # Two documents with the same text are one article: a question on either is answered by that article.
    origin_of = dict(Article.objects.values_list("pk", "origin"))
    same_as = {}
    for label, owner in summary.duplicates:
        same_as[doc_ids[int(label.rsplit(":", 1)[1]) - 1]] = owner

    def relevant(question: Question) -> frozenset[str]:
        return frozenset(same_as.get(doc_id, doc_id) for doc_id in question.relevant)

    def ranked_answers() -> list[list[str]]:
        ranked = []
        for question in questions:
            query = QueryDict(mutable=True)
            query.update({"q": question.text, "match": "any", "per_page": str(K)})
            results = article_search(params=search_params_from_query(query), highlight=False)
            ranked.append([origin_of[hit.article.pk] for hit in results.hits])
        return ranked

    started = time.perf_counter()
    ranked = ranked_answers()
    search_seconds = time.perf_counter() - started
    scored = [Question(q.id, q.text, relevant(q)) for q in questions]
    alternatives = {}
    if os.environ.get("SEARCH_ENGINE") == "postgres":
        from archive.search.postgres_engine import ranking

        ranking.RANKING = "ts_rank_cd"
        alternatives["ts_rank_cd"] = metrics(ranked_answers(), scored, K)
        ranking.RANKING = "bm25"
    return {
        "alternatives": alternatives,
        "metrics": metrics(ranked, scored, K),
        "documents": len(doc_ids),
        "articles": len(origin_of),
        "questions": len(questions),
        "ingest_seconds": ingest_seconds,
        "search_ms_per_question": 1000 * search_seconds / max(1, len(questions)),
    }


def _fresh_database(url: str) -> str:
    """A new, empty `diwan_quality` database on the server of `url`, as a URL Django reads."""
    from urllib.parse import quote

    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {QUALITY_DB}")
        conn.execute(f"CREATE DATABASE {QUALITY_DB}")
    params = conninfo_to_dict(url)
    user, password = quote(params.get("user", ""), safe=""), quote(params.get("password", ""), safe="")
    host, port = params.get("host", "127.0.0.1"), params.get("port", "5432")
    return f"postgres://{user}:{password}@{host}:{port}/{QUALITY_DB}"


def _run_pipeline(set_name: str, data: Path, tuning: bool, pg_url: str | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="diwan-quality-") as folder:
        env = {**os.environ, "ARCHIVE_DATA_DIR": folder, "DJANGO_SETTINGS_MODULE": "archive.settings"}
        env.pop("DATABASE_URL", None)  # always a throwaway database, never the configured one
        env["SEARCH_ENGINE"] = "whoosh"
        if pg_url:
            env.update(DATABASE_URL=_fresh_database(pg_url), SEARCH_ENGINE="postgres")
        env.setdefault("DJANGO_DEBUG", "1")
        args = [sys.executable, __file__, "--child", set_name, "--data", str(data)]
        if tuning:
            args.append("--tuning")
        out = subprocess.run(args, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
        if out.returncode:
            raise SystemExit(f"{set_name}: the pipeline run failed\n{out.stderr[-3000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])


def analysis_speed(texts: list[str]) -> str:
    """Throughput of the analysis chain (`terms()`) and of the Whoosh analyzer, first and second pass."""
    from archive.search.whoosh_engine.fields import arabic_analyzer
    from archive.text import arabic

    tokens = sum(len(arabic.WORD_PATTERN.findall(text)) for text in texts)
    lines = []
    for mode in arabic.MODES:
        passes = []
        arabic.clear_caches()
        for _ in range(2):  # the first pass fills the word caches, the second is what a large archive sees
            started = time.perf_counter()
            for text in texts:
                arabic.terms(text, mode=mode)
            passes.append(tokens / (time.perf_counter() - started))
        analyzer = arabic_analyzer(mode)
        started = time.perf_counter()
        for text in texts:
            for _ in analyzer(text, positions=True, chars=True):
                pass
        whoosh = tokens / (time.perf_counter() - started)
        lines.append(
            f"  {mode:<10} terms(): {passes[0]:>9,.0f} tokens/s cold, {passes[1]:>9,.0f} warm;"
            f" Whoosh analyzer (positions + offsets): {whoosh:>9,.0f} tokens/s"
        )
    return f"Analysis speed over {len(texts):,} documents, {tokens:,} tokens:\n" + "\n".join(lines)


def _row(label: str, m: dict[str, float]) -> str:
    return f"  {label:<28} {m['MRR@10']:>7.3f} {m['R@1']:>7.3f} {m['R@10']:>7.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the evaluation data folder")
    parser.add_argument("--sets", default="arcd,xquad,quran", help="comma-separated: arcd, xquad, quran")
    parser.add_argument("--tuning", action="store_true", help="score the tuning questions instead")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL"), help="also the PostgreSQL engine")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    data = args.data.resolve()
    # The baselines use the Whoosh analyzer module, which reads haystack's settings on import.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    if args.child:
        print(json.dumps(pipeline(args.child, data, args.tuning)))
        return

    texts = []
    for set_name in args.sets.split(","):
        evalset = LOADERS[set_name](data)
        texts.extend(evalset.documents.values())
        questions = evalset.tuning if args.tuning else evalset.questions
        if args.tuning and not evalset.tuning:
            continue
        name = evalset.tuning_name if args.tuning else evalset.name
        print(f"{name}: {len(evalset.documents)} documents, {len(questions)} questions", flush=True)
        print(f"  {'':<28} {'MRR@10':>7} {'R@1':>7} {'R@10':>7}")
        for label, m in baselines(evalset, questions).items():
            print(_row(label, m), flush=True)
        run = _run_pipeline(set_name, data, args.tuning)
        print(_row("Diwan search (pipeline)", run["metrics"]))
        print(
            f"  ingest + index {run['ingest_seconds']:.1f} s for {run['articles']} articles; "
            f"search {run['search_ms_per_question']:.1f} ms per question",
            flush=True,
        )
        if args.pg_url:
            run = _run_pipeline(set_name, data, args.tuning, pg_url=args.pg_url)
            print(_row("PostgreSQL engine (pipeline)", run["metrics"]))
            for label, m in run["alternatives"].items():
                print(_row(f"  same matches, {label}", m))
            print(
                f"  ingest + entries {run['ingest_seconds']:.1f} s; "
                f"search {run['search_ms_per_question']:.1f} ms per question",
                flush=True,
            )
    print(analysis_speed(texts))


if __name__ == "__main__":
    main()
