"""Writing a segment's postings, ordered by field and term in arrays, through Whoosh's field writer: in
one process, or for a large segment in two, the second writing the last terms meanwhile (from a cut
inside a field, chosen so that both take about as long).

The second process is a fork: it reads the same arrays, writes its terms' postings to a file of its own
from offset 0 and their term records to another. The first then appends that file to the segment's postings
(moving the records' offsets along) and the records to its term dictionary after its own, so the segment
is byte for byte the one a single process writes (`tests/search/test_bulk_writer.py`): about half the
writing time of a rebuild's commit, which would otherwise leave the second core idle.
"""

import contextlib
import copy
import ctypes
import gc
import multiprocessing
import os
import pickle
import shutil
import signal
import struct
import tempfile
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.filedb.structfile import StructFile
from whoosh.system import pack_ushort

from archive.search.whoosh_engine.codec import inlined_term_bytes, term_record_moved

# Postings moved from numpy into Python lists per step of the writing loop: bounds the lists alive at once.
_WINDOW = 1 << 18
# A segment with fewer postings is written in one process: below this, forking and handing the second
# process's share back cost about what it saves (about 3 µs a posting written).
SPLIT_MIN_POSTINGS = 500_000


@dataclass
class Columns:
    """The postings ordered by field and term (numpy arrays), the values they point into, and how many
    postings each term has, in the same order."""

    docnums: np.ndarray
    weights: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    lengths: np.ndarray
    values: bytes
    sizes: list[int]


@dataclass
class _FieldRun:
    name: str
    terms: list  # (text, number) in order
    first_term: int  # the field's first term, counted over all fields
    first_posting: int


class FieldParts:
    """The fields in writing order with where each one's terms and postings start, and where to cut them
    in two for two processes."""

    def __init__(self, vocabulary: list, sizes: list[int]):
        self.sizes = sizes
        self.runs: list[_FieldRun] = []
        self.postings: list[int] = []
        term = posting = 0
        for name, terms in vocabulary:
            self.runs.append(_FieldRun(name, terms, term, posting))
            count = sum(sizes[term : term + len(terms)])
            self.postings.append(count)
            term, posting = term + len(terms), posting + count

    def cut(self, term: int) -> tuple[list[_FieldRun], list[_FieldRun]]:
        """The runs before term number `term` (over all fields) and from it on: a field it falls inside
        is in both, its terms shared out."""
        head: list[_FieldRun] = []
        tail: list[_FieldRun] = []
        for run in self.runs:
            end = run.first_term + len(run.terms)
            if end <= term:
                head.append(run)
            elif run.first_term >= term:
                tail.append(run)
            else:
                inside = term - run.first_term
                skipped = sum(self.sizes[run.first_term : term])
                head.append(_FieldRun(run.name, run.terms[:inside], run.first_term, run.first_posting))
                tail.append(_FieldRun(run.name, run.terms[inside:], term, run.first_posting + skipped))
        return head, tail


# What writing a term costs, in µs: fitted on the commit of the 31.5k-article corpus (per field, the time
# against its terms, postings and value bytes); the first process also adds each of the second's records.
_TERM_US, _POSTING_US, _VALUE_BYTE_US, _RECORD_ADDED_US = 3.0, 0.7, 0.18, 3.0


def balanced_cut(sizes: np.ndarray, value_bytes: np.ndarray) -> int:
    """The term (over all fields, in writing order) from which a second process writes, so that both
    take about as long; 0 < cut < the number of terms (at least 2). `sizes` and `value_bytes`: each
    term's postings and the bytes of their values."""
    cost = _TERM_US + _POSTING_US * sizes + _VALUE_BYTE_US * value_bytes
    done = np.cumsum(cost)  # the first process's writing if the cut is after each term
    after = np.arange(len(sizes) - 1, -1, -1)  # terms left to the second process
    gap = np.abs(2 * done + _RECORD_ADDED_US * after - done[-1])
    return int(np.argmin(gap[:-1])) + 1


def _cut_of(columns: Columns) -> int:
    sizes = np.asarray(columns.sizes, dtype=np.int64)
    firsts = np.cumsum(sizes) - sizes  # each term's first posting
    # Each value's length as uint32 (a value ends after it starts), summed per term as int64.
    value_bytes = np.add.reduceat(columns.ends - columns.starts, firsts, dtype=np.int64)
    return balanced_cut(sizes, value_bytes)


def columns_write(
    fieldwriter, schema, parts: FieldParts, columns: Columns, *, store_fields: set, long_lists, scratch
) -> None:
    """Write every field's terms and postings through `fieldwriter`; the long lists of `store_fields` go
    to `long_lists` on the way. With a `scratch` folder, a segment of SPLIT_MIN_POSTINGS postings or more
    has its last terms written by a second process (`tail_writer`)."""
    write = {"columns": columns, "store_fields": store_fields, "long_lists": long_lists}
    terms = len(columns.sizes)
    if not scratch or len(columns.docnums) < SPLIT_MIN_POSTINGS or terms < 2:
        _write_fields(fieldwriter, schema, parts.runs, **write)
        return
    head, tail = parts.cut(_cut_of(columns))
    with tail_writer(scratch, fieldwriter, schema, head=head, tail=tail, **write) as writing:
        _write_fields(fieldwriter, schema, head, **write)
        writing.append_to(fieldwriter, schema, long_lists)


def _write_fields(
    fieldwriter, schema, runs: list[_FieldRun], *, columns: Columns, store_fields: set, long_lists
) -> None:
    """Write these fields' terms and postings through `fieldwriter`, in order."""
    if not runs:
        return
    first = runs[0]
    cursor = _Cursor(columns, start=first.first_posting)
    term_sizes = iter(columns.sizes[first.first_term :])
    add_record = fieldwriter._tindex.add
    min_postings = settings.SEARCH_POSTING_STORE_MIN_POSTINGS
    at = first.first_posting  # the term's first posting in the ordered arrays
    all_docs, all_weights = columns.docnums, columns.weights
    for run in runs:
        fieldname = run.name
        fieldwriter.start_field(fieldname, schema[fieldname])
        inline_limit = fieldwriter._postwriter._inlinelimit
        prefix = pack_ushort(fieldwriter._fieldid)
        stored = fieldname in store_fields
        for text, _term in run.terms:
            size = next(term_sizes)
            if stored and size >= min_postings:
                # Whoosh keeps the weights as float32 (its blocks' `array("f")`).
                term_weights = all_weights[at : at + size].astype(np.float32)
                long_lists.append((fieldname, text, all_docs[at : at + size], term_weights))
            at += size
            postings = cursor.take(size)
            if size <= inline_limit:  # most terms: their record made at once
                docs, weights, values, doc_lengths = postings
                record = inlined_term_bytes(docs, weights, values, doc_lengths)
                if record is not None:
                    add_record(prefix + text, record)
                    continue
            fieldwriter.start_term(text)
            _write_term(fieldwriter._postwriter, postings)
            fieldwriter.finish_term()
        fieldwriter.finish_field()


class _Cursor:
    """Walks the ordered postings from `start`, turning a window of them at a time into Python lists."""

    def __init__(self, columns: Columns, *, start: int = 0):
        self._arrays = (columns.docnums, columns.weights, columns.starts, columns.ends, columns.lengths)
        self._values = columns.values
        self._at = start  # first posting not yet taken
        self._window_start = start
        self._window = ([], [], [], [], [])

    def take(self, size: int):
        """The next `size` postings: documents, weights, values, field lengths."""
        if self._at + size > self._window_start + len(self._window[0]):
            self._load(max(size, _WINDOW))
        a = self._at - self._window_start
        b = a + size
        self._at += size
        docs, weights, starts, ends, lengths = self._window
        values = self._values
        return (
            docs[a:b],
            weights[a:b],
            [values[start:end] for start, end in zip(starts[a:b], ends[a:b], strict=True)],
            lengths[a:b],
        )

    def _load(self, size: int) -> None:
        a, b = self._at, self._at + size
        self._window_start = a
        self._window = tuple(column[a:b].tolist() for column in self._arrays)


_FRAME = struct.Struct("!II")  # a term record's key and value lengths, before them in the records file
_PR_SET_PDEATHSIG = 1  # prctl(2): a signal for this process when the one that forked it dies


class _RecordsFile:
    """What a detached field writer has for a term dictionary (`OrderedHashWriter`): its records, kept
    in a file in order (its key and value lengths, then both), for the first process to read back."""

    def __init__(self, file):
        self._file = file

    def add(self, key: bytes, value: bytes) -> None:
        self._file.write(_FRAME.pack(len(key), len(value)) + key + value)


def _records_read(file) -> Iterator[tuple[bytes, bytes]]:
    while header := file.read(_FRAME.size):
        key_size, value_size = _FRAME.unpack(header)
        yield file.read(key_size), file.read(value_size)


@contextmanager
def tail_writer(scratch: str, fieldwriter, schema, *, head: list[_FieldRun], tail: list[_FieldRun], **write):
    """Write `tail`, the segment's last terms, in a forked process while the caller writes `head`
    through `fieldwriter`; the caller then calls `append_to`, which adds the tail where its own writer
    would have: the postings after the head's (the term records' offsets moved along), the term records
    after the head's, the field numbers as its writer gives them (one each, in order of first use)."""
    fieldmap = dict(fieldwriter._fieldmap)
    for run in head + tail:
        fieldmap.setdefault(run.name, len(fieldmap))
    # Nothing buffered that the fork could also write out: it shares the files' descriptors.
    fieldwriter._postfile.flush()
    fieldwriter._tindex.dbfile.flush()
    with tempfile.TemporaryDirectory(prefix="tail-", dir=scratch) as folder:
        process = multiprocessing.get_context("fork").Process(
            target=_write_tail,
            args=(folder, os.getpid(), fieldwriter, fieldmap, schema, tail),
            kwargs=write,
            daemon=True,
        )
        # The objects alive now stay out of the collections until the fork is done: a collection in
        # either process would otherwise touch, and so copy, the pages of every one of them.
        gc.freeze()
        try:
            process.start()
            yield _Tail(folder, process, tail, fieldmap)
        finally:
            if process.is_alive():  # the caller failed or was interrupted
                process.kill()
            process.join()
            gc.unfreeze()


def _write_tail(folder: str, parent: int, fieldwriter, fieldmap: dict, schema, runs, **write) -> None:
    """In the forked process: the fields' postings to `postings` from offset 0, their term records to
    `records`, their long lists to `long_lists`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group: the parent stops this one
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not a handler of the parent's
    # This process shares the parent's file descriptors, and with them the index's locks (`flock`): it
    # must not outlive a parent that is killed, or the locks would stay taken until it finished.
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    gc.disable()  # a collection could finalise one of the parent's unreachable files into a shared fd
    detached = copy.copy(fieldwriter)  # its codec and settings; its files and term dictionary replaced
    detached._fieldmap = fieldmap
    long_lists = [] if write.pop("long_lists") is not None else None
    with (
        open(os.path.join(folder, "postings"), "wb") as postings,
        open(os.path.join(folder, "records"), "wb") as records,
    ):
        detached._postfile = StructFile(postings)
        detached._tindex = _RecordsFile(records)
        _write_fields(detached, schema, runs, long_lists=long_lists, **write)
        detached._postfile.flush()
    with open(os.path.join(folder, "long_lists"), "wb") as out:
        pickle.dump(long_lists, out, protocol=pickle.HIGHEST_PROTOCOL)


class _Tail:
    def __init__(self, folder: str, process, runs: list[_FieldRun], fieldmap: dict[str, int]):
        self._folder = folder
        self._process = process
        self._runs = runs
        self._fieldmap = fieldmap  # the field numbers the second process wrote its records with

    def append_to(self, fieldwriter, schema, long_lists: list | None) -> None:
        self._process.join()
        if self._process.exitcode != 0:
            raise RuntimeError(
                f"the process writing the segment's last terms failed (exit code {self._process.exitcode})"
            )
        with open(os.path.join(self._folder, "long_lists"), "rb") as f:
            tail_lists = pickle.load(f)
        by = fieldwriter._postfile.tell()
        with open(os.path.join(self._folder, "postings"), "rb") as f:
            shutil.copyfileobj(f, fieldwriter._postfile, 1 << 20)
        add_record = fieldwriter._tindex.add
        with open(os.path.join(self._folder, "records"), "rb", buffering=1 << 20) as f:
            records = _records_read(f)
            record = next(records, None)
            for run in self._runs:
                fieldwriter.start_field(run.name, schema[run.name])
                if fieldwriter._fieldid != self._fieldmap[run.name]:
                    given, written = fieldwriter._fieldid, self._fieldmap[run.name]
                    raise RuntimeError(f"field {run.name} was written as number {written}, not {given}")
                prefix = pack_ushort(fieldwriter._fieldid)
                while record is not None and record[0].startswith(prefix):
                    add_record(record[0], term_record_moved(record[1], by))
                    record = next(records, None)
                fieldwriter.finish_field()
        if record is not None:
            raise RuntimeError("the segment's last terms left term records of no field")
        if long_lists is not None:
            long_lists.extend(tail_lists)


def _write_term(postwriter: W3PostingsWriter, postings) -> None:
    """One term's postings, as `W3PostingsWriter.add_posting` would have buffered them: full blocks of
    `blocklimit` written as the next posting arrives, the rest left for `finish_postings` (which inlines
    a short list)."""
    docs, weights, values, lengths = postings
    limit = postwriter._blocklimit
    for start in range(0, len(docs), limit):
        end = start + limit
        _fill_block(postwriter, docs[start:end], weights[start:end], values[start:end], lengths[start:end])
        if end < len(docs):
            postwriter._write_block()


def _fill_block(postwriter: W3PostingsWriter, docs, weights, values, lengths) -> None:
    postwriter._ids = array("I", docs)
    postwriter._weights = array("f", weights)
    postwriter._values = [value for value in values if value]  # as `add_posting` keeps them
    heaviest = max(weights)
    postwriter._maxweight = heaviest if heaviest > 0 else 0
    nonzero = [length for length in lengths if length]
    postwriter._minlength = min(nonzero) if nonzero else None
    postwriter._maxlength = max(nonzero) if nonzero else 0
