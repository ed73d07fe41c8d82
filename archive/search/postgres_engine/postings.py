"""Each term's postings compiled from the entries, so that ranking need not read every matching entry.

Ranking from the entries decompresses each matching `tsvector` (every analysed field with positions,
about 17 µs an entry): a common word's thousands of matches cost more than everything else a search
does. The compiled postings hold, per lexeme, the articles holding it and its frequency in each, packed
in one row (`SearchPostings`); a search reads the rows of its terms and scores every match with numpy,
by the same formula as the SQL (ranking.py), and the parity test holds the two to the same hits, order
and scores.

The entries stay the truth. Each carries `compiled`, set by the compile that read it and cleared by
every later write of it; a match whose entry is not compiled is ranked from its `document` as before,
so an edit counts at once and the postings only ever make ranking faster. A compile runs after a
rebuild and, from the index writer (`maintain`), once enough entries changed. compiled.py searches them.
"""

from __future__ import annotations

import logging
import time

from django.db import OperationalError, transaction
from django.db import connections as db_connections

from archive.search.models import SearchCompilation, SearchEntry, SearchPostings, SearchRemoved

log = logging.getLogger(__name__)

ENTRY_TABLE = SearchEntry._meta.db_table
POSTINGS_TABLE = SearchPostings._meta.db_table
COMPILATION_TABLE = SearchCompilation._meta.db_table
REMOVED_TABLE = SearchRemoved._meta.db_table
# A compile reads every entry (about 20 s at 31.5k articles): the writer runs one once this many
# entries, and this share of them, changed since the last.
RECOMPILE_MIN_STALE = 200
RECOMPILE_STALE_SHARE = 0.02
RECOMPILE_CHECK_SECONDS = 60.0
COMPILE_ATTEMPTS = 3
# Only one compile at a time (the writer threads of several web processes, a rebuild).
COMPILE_LOCK = 0x44_49_57_41_4E  # "DIWAN"
# The packed arrays hold 4-byte ids; an archive with larger ids ranks from the entries.
MAX_ARTICLE_ID = 2**31 - 1

# Keyword values (no positions) are compiled too: a filter is checked against them.
COMPILE_SQL = f"""
INSERT INTO {POSTINGS_TABLE} (term, articles, frequencies, positions)
SELECT lexeme,
       string_agg(int4send(article_id::int4), ''::bytea ORDER BY article_id),
       string_agg(int2send(coalesce(cardinality(positions), 0)::int2), ''::bytea ORDER BY article_id),
       coalesce(string_agg(NULLIF(array_to_string(positions, ','), ''), ',' ORDER BY article_id), '')
FROM {ENTRY_TABLE}, unnest(document) AS entry(lexeme, positions, weights)
GROUP BY lexeme
"""


def postings_compile(*, alias: str) -> bool:
    """Compile the postings from the entries as they are now; False when another compile is running
    or concurrent writes kept it from finishing (searches stay exact either way)."""
    for _attempt in range(COMPILE_ATTEMPTS):
        try:
            return _compile(alias)
        except OperationalError as error:  # a concurrent write to an entry it read: read them again
            log.info("Compiling the search postings: %s; trying again", error)
    return False


def _compile(alias: str) -> bool:
    connection = db_connections[alias]
    own_transaction = not connection.in_atomic_block
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if own_transaction:
            # One snapshot for the read and the flags: an entry written after it conflicts with the
            # flags' update (the attempt is repeated) instead of being flagged as compiled.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        else:  # inside a caller's transaction: writers wait for the compile instead
            cursor.execute(f"LOCK TABLE {ENTRY_TABLE} IN SHARE MODE")
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [COMPILE_LOCK])
        if not cursor.fetchone()[0]:
            return False
        cursor.execute(f"SELECT coalesce(max(article_id), 0) FROM {ENTRY_TABLE}")
        if cursor.fetchone()[0] > MAX_ARTICLE_ID:
            return False
        cursor.execute("SELECT set_config('jit', 'off', true)")
        cursor.execute(f"DELETE FROM {POSTINGS_TABLE}")
        cursor.execute(COMPILE_SQL)
        cursor.execute(f"UPDATE {ENTRY_TABLE} SET compiled = TRUE WHERE NOT compiled")
        # Only the removals this snapshot saw: one committed during the compile is of an entry the
        # new postings still list, and stays recorded.
        cursor.execute(f"DELETE FROM {REMOVED_TABLE}")
        # A number no other compile had, even one rolled back or in the same transaction, so that the
        # columns a process keeps for one compile (compiled.py) are never taken for another's.
        cursor.execute(
            f"INSERT INTO {COMPILATION_TABLE} (id, generation) "
            f"VALUES (1, nextval('search_compilation_generation')) "
            f"ON CONFLICT (id) DO UPDATE SET generation = EXCLUDED.generation"
        )
        cursor.execute(f"ANALYZE {POSTINGS_TABLE}")
    return True


class Maintenance:
    """When the writer should compile again: checked at most once a minute per process."""

    def __init__(self):
        self.checked = -RECOMPILE_CHECK_SECONDS

    def run(self, *, alias: str) -> bool:
        now = time.monotonic()
        if now - self.checked < RECOMPILE_CHECK_SECONDS:
            return False
        self.checked = now
        with db_connections[alias].cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT count(*) FROM {ENTRY_TABLE} WHERE NOT compiled) "
                f"+ (SELECT count(*) FROM {REMOVED_TABLE}), "
                f"(SELECT reltuples FROM pg_class WHERE oid = %s::regclass)",
                [ENTRY_TABLE],
            )
            stale, entries = cursor.fetchone()
        if stale < max(RECOMPILE_MIN_STALE, RECOMPILE_STALE_SHARE * max(entries or 0, 0)):
            return False
        return postings_compile(alias=alias)


maintenance = Maintenance()
