"""A rebuild's Arabic analysis in worker processes, a batch ahead of the writer.

Adding a document to a new index is half analysis (`ArabicText.index`: the words, their terms in each
mode, the positions encoded), and the analysis needs nothing but the text. `Analysers` hands each batch's
text fields to forks of the building process, which return the postings `ArabicText.index` would have
made, packed (`Analysed`); the writer's pool takes each field's at once, in the same order, so the segment
is the one an analysis in the writer's own process writes (`tests/search/test_bulk_writer.py`).
Meanwhile the writer adds the batch before, reads the next from the database and writes the segments.
"""

from __future__ import annotations

import itertools
import multiprocessing
import signal
from array import array
from collections.abc import Iterable, Iterator

# The schema of the index being built, in each worker (set when it starts).
_worker: dict = {}


class Analysed:
    """A text field's postings computed in a worker, packed: the terms, and the weights, the values and
    where each value ends as machine arrays (one pickled object each instead of four per posting).

    `ArabicText.index` hands it to the writer as one item standing for all of them (`as_item`), which the
    array builder's pool unpacks at once (`bulk.GroupedPostings.add`); only that builder takes it.
    """

    __slots__ = ("ends", "length", "terms", "values", "weights")

    def __init__(self, *, terms: list[bytes], frequencies: list[int], boost: float, values: list[bytes]):
        """From the columns of `index`'s (term, frequency, weight, value) items: each weight is the
        frequency times `boost`."""
        self.terms = terms
        self.weights = array("d", [n * boost for n in frequencies]).tobytes()
        self.values = b"".join(values)
        self.ends = array("I", itertools.accumulate(map(len, values))).tobytes()
        self.length = sum(frequencies)

    def as_item(self) -> tuple:
        """One (term, frequency, weight, value) item for Whoosh's writer: no term, the field's length
        (which the writer adds up), weight 1 (which it multiplies by the field's boost), and this."""
        return (None, self.length, 1.0, self)


def _worker_start(schema) -> None:
    # Ctrl-C reaches the whole process group: the building process stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker["schema"] = schema


def _analyse(texts: list[dict[str, str]]) -> list[dict[str, Analysed]]:
    schema = _worker["schema"]
    return [{name: schema[name].analysed(value) for name, value in fields.items()} for fields in texts]


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
            doc.update(fields)
        return batch

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
