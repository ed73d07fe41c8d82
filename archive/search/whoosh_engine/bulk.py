"""Building a whole index in one segment: postings kept in flat arrays and written a term at a time.

Whoosh's writer sends every posting through its sorting pool (a tuple each, sorted, spilled to disk in
runs once the pool is full, merged back) and then through its postings writer one call at a time, with a
field-length lookup and the block statistics updated per posting: about 13 µs a posting, two thirds of a
rebuild (the 31.5k-article corpus has about 11.5 million postings). `BulkSegmentWriter` keeps the postings
in typed arrays as they come (a term number, the document, the weight, the value's bytes), orders them
once with numpy, and hands each term's postings to Whoosh's own postings writer a block at a time: Whoosh
still encodes, compresses and files every block, so the segment is byte for byte the one Whoosh's writer
makes (`tests/search/test_bulk_writer.py` compares them) and the readers are unchanged. The records of
terms whose postings are inlined (most of the vocabulary) are made at once by the project's codec
(`codec.inlined_term_bytes`), which is why only its field writer takes this path.

Only a writer that adds documents to a new index uses it (a rebuild): it holds every posting in memory,
about 20 bytes and the value's bytes each, where Whoosh's pool spills to disk once full.
"""

import itertools
import logging
from array import array
from collections import defaultdict

import numpy as np
from django.conf import settings
from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.system import pack_ushort

from archive.search.whoosh_engine.analysers import Analysed
from archive.search.whoosh_engine.codec import SegmentWriter, inlined_term_bytes
from archive.search.whoosh_engine.posting_store import (
    posting_store_encode,
    posting_store_write,
    stored_fields,
)

log = logging.getLogger(__name__)

# Postings moved from numpy into Python lists per step of the writing loop: bounds the lists alive at once.
_WINDOW = 1 << 18


class GroupedPostings:
    """The posting pool of `BulkSegmentWriter`: the interface Whoosh's writer uses of its pool (`add`,
    `fieldnames`, `cleanup`), with postings stored by term number in arrays instead of tuples to sort."""

    def __init__(self):
        self.fieldnames: set[str] = set()
        # Each field's terms numbered in order of arrival, one count over all fields: a term met for the
        # first time takes the next number in the same lookup that finds a known one's (a miss is rare).
        self._vocabulary: dict[str, defaultdict[bytes, int]] = {}
        self._next_number = itertools.count().__next__
        self._terms = array("I")
        self._docnums = array("I")
        self._weights = array("d")  # as Whoosh receives them: its block maxima are taken before float32
        self._value_ends = array("I")  # OverflowError past 4 GiB of values
        self._values = bytearray()

    def _field_terms(self, fieldname: str) -> defaultdict[bytes, int]:
        terms = self._vocabulary.get(fieldname)
        if terms is None:
            terms = self._vocabulary[fieldname] = defaultdict(self._next_number)
            self.fieldnames.add(fieldname)
        return terms

    def add(self, item) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        if tbytes is None:
            self._add_analysed(fieldname, docnum, weight, vbytes)
            return
        if docnum < 0:
            # Whoosh's marker for a spelling word, which its writer skips too: no field here has one.
            return
        self._terms.append(self._field_terms(fieldname)[tbytes])
        self._docnums.append(docnum)
        self._weights.append(weight)
        if vbytes:
            self._values += vbytes
        self._value_ends.append(len(self._values))

    def _add_analysed(self, fieldname: str, docnum: int, boost: float, analysed: Analysed) -> None:
        """A field's postings analysed in a worker, as `add` would take them one by one; `boost` is what
        Whoosh's writer multiplied the item's weight of 1 by."""
        # One lookup per posting, in C (`map`), a new term numbered by the miss: the numbers only tell
        # terms apart (`write` orders them by text), so the order they are handed out in does not matter.
        numbers = list(map(self._field_terms(fieldname).__getitem__, analysed.terms))
        self._terms.extend(numbers)
        self._docnums.extend(array("I", [docnum]) * len(numbers))
        if boost == 1.0:
            self._weights.frombytes(analysed.weights)
        else:
            self._weights.extend(weight * boost for weight in array("d", analysed.weights))
        ends = np.frombuffer(analysed.ends, dtype=np.uint32).astype(np.uint64) + len(self._values)
        if len(ends) and ends[-1] >= 1 << 32:
            raise OverflowError("the postings' values passed 4 GiB")  # as `array("I").append` would
        self._values += analysed.values
        self._value_ends.frombytes(ends.astype(np.uint32).tobytes())

    def cleanup(self) -> None:
        self.__init__()

    def write(self, fieldwriter, schema, lengths, *, long_lists: list | None = None) -> None:
        """Write every term's postings through `fieldwriter` (Whoosh's `FieldWriter`), fields and terms in
        the order Whoosh's `add_postings` takes them, each term's documents in the order they were added.
        The lists of the posting store's fields with at least SEARCH_POSTING_STORE_MIN_POSTINGS postings go
        to `long_lists` on the way, as `posting_store.segment_long_lists` would read them back."""
        vocabulary = [(name, sorted(self._vocabulary[name].items())) for name in sorted(self._vocabulary)]
        self._vocabulary = {}
        count = sum(len(terms) for _name, terms in vocabulary)  # numbered 0 to count - 1
        rank = np.empty(count, dtype=np.int64)  # each term's place in that order
        position = 0
        for _name, terms in vocabulary:
            numbers = np.fromiter((term for _text, term in terms), dtype=np.int64, count=len(terms))
            rank[numbers] = np.arange(position, position + len(terms))
            position += len(terms)
        posting_ranks = rank[np.frombuffer(self._terms, dtype=np.uint32)]
        self._terms = None
        order = np.argsort(posting_ranks, kind="stable")  # stable: documents stay in the order added
        sizes = np.bincount(posting_ranks, minlength=count)
        del posting_ranks
        # Each column put in that order, its arrival-ordered array let go at once (memory).
        docnums = np.frombuffer(self._docnums, dtype=np.uint32)[order]
        weights = np.frombuffer(self._weights, dtype=np.float64)[order]
        self._docnums = self._weights = None
        arrived_ends = np.frombuffer(self._value_ends, dtype=np.uint32)
        starts = np.concatenate((np.zeros(1, np.uint32), arrived_ends[:-1]))[order]
        ends = arrived_ends[order]
        self._value_ends = None
        del order, arrived_ends
        # Each posting's field length, for the block statistics: one lookup per field's run of postings.
        doc_lengths = np.empty(len(docnums), dtype=np.int64)
        start = first_term = 0
        for fieldname, terms in vocabulary:
            end = start + int(sizes[first_term : first_term + len(terms)].sum())
            # None where the field keeps no lengths (not scorable): Whoosh's block statistics skip it as 0.
            field_lengths = np.array([n or 0 for n in lengths.field_lengths(fieldname)], dtype=np.int64)
            doc_lengths[start:end] = field_lengths[docnums[start:end]]
            start, first_term = end, first_term + len(terms)

        values, self._values = bytes(self._values), None  # Whoosh's blocks take bytes, not views
        cursor = _Cursor(docnums, weights, starts, ends, doc_lengths, values)
        term_sizes = iter(sizes.tolist())
        add_record = fieldwriter._tindex.add
        store_fields = set(stored_fields(self.fieldnames)) if long_lists is not None else set()
        min_postings = settings.SEARCH_POSTING_STORE_MIN_POSTINGS
        at = 0  # the term's first posting in the ordered arrays (the loop's own names are per term)
        all_docs, all_weights = docnums, weights
        for fieldname, terms in vocabulary:
            fieldwriter.start_field(fieldname, schema[fieldname])
            inline_limit = fieldwriter._postwriter._inlinelimit
            prefix = pack_ushort(fieldwriter._fieldid)
            stored = fieldname in store_fields
            for text, _term in terms:
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
    """Walks the ordered postings, turning a window of them at a time into Python lists."""

    def __init__(self, docnums, weights, starts, ends, lengths, values):
        self._arrays = (docnums, weights, starts, ends, lengths)
        self._values = values
        self._at = 0  # first posting not yet taken
        self._window_start = 0
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


class BulkSegmentWriter(SegmentWriter):
    """`SegmentWriter` with `GroupedPostings` as its pool, for a writer that builds a new index."""

    def __init__(self, index, **kwargs):
        super().__init__(index, **kwargs)
        self.pool.cleanup()
        self.pool = GroupedPostings()
        self._posting_store = None

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader()
        long_lists: list = []
        try:
            self.pool.write(self.fieldwriter, self.schema, lengths, long_lists=long_lists)
        finally:
            lengths.close()
        self.fieldwriter.close()
        # The segment's posting store from the arrays at hand, rather than read back from its blocks
        # after the commit (a few seconds per 30k articles). Written once the segment's files are
        # assembled into its compound file, which would otherwise take the store in.
        self._posting_store = posting_store_encode(long_lists)

    def _assemble_segment(self):
        super()._assemble_segment()
        folder = getattr(self.storage, "folder", None)
        if folder is None or self._posting_store is None:
            return
        # A commit that fails after this leaves the store of a segment that never was: Whoosh deletes it
        # with the other files of dead segments. A store that cannot be written does not fail the build:
        # the commit tries again from the segment (`posting_store_complete`), else it is read as before.
        segment = self.get_segment()
        try:
            posting_store_write(
                folder=folder,
                segment_id=segment.segment_id(),
                docs=segment.doc_count_all(),
                encoded=self._posting_store,
            )
        except OSError:
            log.warning("Posting store of segment %s not written", segment.segment_id(), exc_info=True)
