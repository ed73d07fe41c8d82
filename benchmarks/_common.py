"""Loaders for the retrieval evaluation sets and the ranking metrics the benchmarks print.

Each set becomes documents (id, text) and questions (id, text, ids of the relevant documents), read from the
files exactly as published (see each folder's README under the data directory).
"""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "data"


@dataclass
class Question:
    id: str
    text: str
    relevant: frozenset[str]


@dataclass
class EvalSet:
    name: str
    documents: dict[str, str]
    questions: list[Question]
    # Questions used for tuning only (never in the reported figure).
    tuning: list[Question] = field(default_factory=list)
    tuning_name: str = ""


def _squad(path: Path, prefix: str) -> tuple[dict[str, str], list[Question]]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    documents, questions = {}, []
    for a, article in enumerate(data):
        for p, paragraph in enumerate(article["paragraphs"]):
            doc_id = f"{prefix}-{a}-{p}"
            documents[doc_id] = paragraph["context"]
            for qa in paragraph["qas"]:
                questions.append(Question(str(qa["id"]), qa["question"], frozenset([doc_id])))
    return documents, questions


def load_arcd(data: Path) -> EvalSet:
    """All 465 paragraphs are the documents; report on test questions, tune on train questions."""
    train_docs, train_q = _squad(data / "arcd" / "arcd-train.json", "train")
    test_docs, test_q = _squad(data / "arcd" / "arcd-test.json", "test")
    return EvalSet("ARCD test", {**train_docs, **test_docs}, test_q, tuning=train_q, tuning_name="ARCD train")


def load_xquad(data: Path) -> EvalSet:
    documents, questions = _squad(data / "xquad-r-ar" / "ar.json", "xquad")
    return EvalSet("XQuAD-R ar", documents, questions)


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if row]


def load_quran(data: Path) -> EvalSet:
    """1,266 passages; report dev + test over the questions that have qrels (zero-answer ones score 0)."""
    root = data / "quran-qa-2023-taskA"
    documents = dict(_tsv(root / "QQA23_TaskA_QPC_v1.1.tsv"))

    def split(name: str) -> list[Question]:
        qrels: dict[str, set[str]] = {}
        for qid, _, pid, _rel in _tsv(root / "qrels" / f"QQA23_TaskA_ayatec_v1.2_qrels_{name}.gold"):
            qrels.setdefault(qid, set()).add(pid)
        texts = dict(_tsv(root / f"QQA23_TaskA_ayatec_v1.2_{name}.tsv"))
        # The official scorer iterates over the qrels, so a question without qrels rows is not scored.
        return [Question(qid, texts[qid], frozenset(qrels[qid])) for qid in texts if qid in qrels]

    return EvalSet(
        "Qur'an QA dev+test", documents, split("dev") + split("test"), split("train"), "Qur'an QA train"
    )


def _without_duplicates(loader):
    """The same text twice is one document (the archive's ingest merges them too): questions follow it."""

    def load(data: Path) -> EvalSet:
        evalset = loader(data)
        first: dict[str, str] = {}
        same_as = {}
        for doc_id, text in evalset.documents.items():
            same_as[doc_id] = first.setdefault(text.strip(), doc_id)
        evalset.documents = {d: t for d, t in evalset.documents.items() if same_as[d] == d}
        for questions in (evalset.questions, evalset.tuning):
            for q in questions:
                q.relevant = frozenset(same_as.get(d, d) for d in q.relevant)
        return evalset

    return load


LOADERS = {
    name: _without_duplicates(f)
    for name, f in {"arcd": load_arcd, "xquad": load_xquad, "quran": load_quran}.items()
}


def metrics(ranked: list[list[str]], questions: list[Question], k: int = 10) -> dict[str, float]:
    """MRR@k, Recall@1 and Recall@k (a hit is any relevant document in the top k, as in the references).

    A zero-answer Qur'an question (relevant = {"-1"}) can never be hit by a ranked list of passages: it
    scores 0, as a run that returns passages for it does under the official scorer.
    """
    mrr = r1 = rk = 0.0
    for ids, question in zip(ranked, questions, strict=True):
        for rank, doc_id in enumerate(ids[:k], start=1):
            if doc_id in question.relevant:
                mrr += 1 / rank
                r1 += rank == 1
                rk += 1
                break
    n = len(questions) or 1
    return {"MRR@10": mrr / n, "R@1": r1 / n, "R@10": rk / n}
