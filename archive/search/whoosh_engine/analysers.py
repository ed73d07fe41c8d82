"""A rebuild's Arabic analysis in worker processes, a batch ahead of the writer.

Adding a document to a new index is half analysis (`ArabicText.index`: the words, their terms in each
mode, the positions encoded), and the analysis needs nothing but the text. `Analysers` hands each batch's
text fields to forks of the building process, which return the postings `ArabicText.index` would have
made; the writer takes them as they are (`Analysed`), in the same order, so the segment is the one an
analysis in the writer's own process writes (`tests/search/test_bulk_writer.py`). Meanwhile the writer
adds the batch before, reads the next from the database and writes the segments.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterable, Iterator

# The schema of the index being built, in each worker (set when it starts).
_worker: dict = {}


class Analysed:
    """A text field's postings computed in a worker: `ArabicText.index` returns them as they are."""

    __slots__ = ("items",)

    def __init__(self, items: list):
        self.items = items


def _worker_start(schema) -> None:
    # Ctrl-C reaches the whole process group: the building process stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker["schema"] = schema


def _analyse(texts: list[dict[str, str]]) -> list[dict[str, list]]:
    schema = _worker["schema"]
    return [{name: schema[name].index(value) for name, value in fields.items()} for fields in texts]


class Analysers:
    """`jobs` worker processes analysing the text fields (`names`) of the documents of a build; with
    `jobs` 0 the writer's process analyses them itself, as it adds each document."""

    def __init__(self, *, jobs: int, schema, names: Iterable[str]):
        if jobs < 0:
            raise ValueError(f"jobs must be 0 or more, not {jobs}")
        self.jobs = jobs
        self.schema = schema
        self.names = frozenset(names)
        self.pool = None

    def analysed(self, batches: Iterable[list[dict]]) -> Iterator[list[dict]]:
        """The documents of each batch, in order, their text fields analysed: the next batch is being
        analysed while the caller adds this one."""
        if not self.jobs:
            yield from batches
            return
        pending = None
        try:
            for batch in batches:
                handle = self._submit(batch)
                if pending is not None:
                    yield self._result(*pending)
                pending = (batch, handle)
            if pending is not None:
                yield self._result(*pending)
        finally:
            self.close()

    def _submit(self, batch: list[dict]):
        if self.pool is None:
            context = multiprocessing.get_context("fork")
            self.pool = context.Pool(self.jobs, initializer=_worker_start, initargs=(self.schema,))
        texts = [{name: value for name, value in doc.items() if name in self.names} for doc in batch]
        size = -(-len(texts) // self.jobs) or 1
        tasks = [texts[start : start + size] for start in range(0, len(texts), size)]
        return self.pool.map_async(_analyse, tasks)

    def _result(self, batch: list[dict], handle) -> list[dict]:
        analysed = (fields for task in handle.get() for fields in task)
        for doc, fields in zip(batch, analysed, strict=True):
            for name, items in fields.items():
                doc[name] = Analysed(items)
        return batch

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
