"""Building a whole index in one segment: postings kept in flat arrays and written a term at a time.

Whoosh's writer sends every posting through its sorting pool (a tuple each, sorted, spilled to disk in
runs once the pool is full, merged back) and then through its postings writer one call at a time, with a
field-length lookup and the block statistics updated per posting: about 13 µs a posting, two thirds of a
rebuild (the 31.5k-article corpus has about 11.5 million postings). `BulkSegmentWriter` keeps the postings
in typed arrays as they come (a term number, the document, the weight, the value's bytes), orders them
once with numpy, and hands each term's postings to Whoosh's own postings writer a block at a time
(`field_writing.py`, in two processes for a large segment): Whoosh still encodes, compresses and files
every block, so the segment is byte for byte the one Whoosh's writer makes
(`tests/search/test_bulk_writer.py` compares them) and the readers are unchanged. The records of
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

from archive.search.whoosh_engine.analysers import Analysed
from archive.search.whoosh_engine.codec import SegmentWriter
from archive.search.whoosh_engine.field_writing import Columns, FieldParts, columns_write
from archive.search.whoosh_engine.posting_store import (
    posting_store_encode,
    posting_store_write,
    stored_fields,
)

log = logging.getLogger(__name__)


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
        if not analysed.terms:
            return  # no postings: Whoosh's pool never hears of the field for such a document
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

    def write(
        self, fieldwriter, schema, lengths, *, long_lists: list | None = None, scratch: str | None = None
    ) -> None:
        """Write every term's postings through `fieldwriter` (Whoosh's `FieldWriter`), fields and terms in
        the order Whoosh's `add_postings` takes them, each term's documents in the order they were added.
        The lists of the posting store's fields with at least SEARCH_POSTING_STORE_MIN_POSTINGS postings go
        to `long_lists` on the way, as `posting_store.segment_long_lists` would read them back.

        With a `scratch` folder, a segment of SPLIT_MIN_POSTINGS postings or more has its last terms
        written by a second process meanwhile (`tail_writer`): the same bytes, in about half the time."""
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
        parts = FieldParts(vocabulary, sizes.tolist())
        # Each posting's field length, for the block statistics: one lookup per field's run of postings.
        doc_lengths = np.empty(len(docnums), dtype=np.int64)
        for run, count in zip(parts.runs, parts.postings, strict=True):
            # None where the field keeps no lengths (not scorable): Whoosh's block statistics skip it as 0.
            field_lengths = np.array([n or 0 for n in lengths.field_lengths(run.name)], dtype=np.int64)
            span = slice(run.first_posting, run.first_posting + count)
            doc_lengths[span] = field_lengths[docnums[span]]

        values, self._values = bytes(self._values), None  # Whoosh's blocks take bytes, not views
        columns = Columns(docnums, weights, starts, ends, doc_lengths, values, parts.sizes)
        store_fields = set(stored_fields(self.fieldnames)) if long_lists is not None else set()
        write = {"store_fields": store_fields, "long_lists": long_lists, "scratch": scratch}
        columns_write(fieldwriter, schema, parts, columns, **write)


class BulkSegmentWriter(SegmentWriter):
    """`SegmentWriter` with `GroupedPostings` as its pool, for a writer that builds a new index. With
    `split`, a large segment's postings are written by two processes (`GroupedPostings.write`)."""

    def __init__(self, index, *, split: bool = False, **kwargs):
        super().__init__(index, **kwargs)
        self.pool.cleanup()
        self.pool = GroupedPostings()
        self._posting_store = None
        self._split = split

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader()
        long_lists: list = []
        # The second process's share goes to a folder beside the segment's files (none: one process).
        scratch = getattr(self.storage, "folder", None) if self._split else None
        try:
            self.pool.write(self.fieldwriter, self.schema, lengths, long_lists=long_lists, scratch=scratch)
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
